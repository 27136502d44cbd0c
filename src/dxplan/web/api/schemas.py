"""What the REST API answers, as pydantic models, and the plan package's JSON Schema put into
the OpenAPI document so that packages and initiatives are documented by the format itself."""

from __future__ import annotations

import copy
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from dxplan.plans.package.validation import package_schema
from dxplan.reporting.rules import RoundState, SubmissionState

PACKAGE = "Package"
"""The component name of a whole plan package; its parts are Package + their $defs name."""


class Municipality(BaseModel):
    """A municipality with the number of its plans the reader may read."""

    code: str = Field(description="全国地方公共団体コード (6 digits)", examples=["142115"])
    name: str = Field(examples=["秦野市"])
    prefecture: str = Field(examples=["神奈川県"])
    plans: int = Field(description="plans the reader may read")


class PlanSummary(BaseModel):
    """A plan with its period and sizes."""

    plan_id: str = Field(examples=["hadano-ict-plan"])
    title: str
    kind: Literal["policy", "action_plan", "progress_report", "reform_plan"]
    start_fy: int
    end_fy: int
    public: bool = Field(description="published (anyone reads it) or a draft")
    sections: int
    initiatives: int
    indicators: int


class DepartmentSummary(BaseModel):
    """A department (課) with the initiatives of readable plans it has a role in."""

    id: int
    name: str = Field(examples=["デジタル推進課"])
    initiatives: int = Field(description="initiatives it has any role in")
    lead: int = Field(description="initiatives it leads (主管課)")
    related: int = Field(description="initiatives it takes part in (関係課)")
    implementing: int = Field(description="initiatives it implements (実施課)")


class FieldChangeOut(BaseModel):
    """One field of the target, old → new, in the package form (`indicators[0].targets.2025`)."""

    field: str
    old: Any = None
    new: Any = None
    uid: str | None = Field(default=None, description="the stable id of the child object")


class AuditEntryOut(BaseModel):
    """One change to the plan or one of its initiatives."""

    id: int
    at: datetime
    action: str = Field(examples=["initiative.update"])
    target_type: str = Field(examples=["initiative"])
    target_uid: str | None
    target_key: str = Field(examples=["142115/hadano-ict-plan/1-1-(1)"])
    actor: str | None = Field(
        description="who made it (`user:42`, `system:cli`): shown to the municipality's own "
        "users only, null for everyone else"
    )
    changes: list[FieldChangeOut] | None
    detail: dict[str, Any] | None = Field(
        description="what an import or replace did: shown to the municipality's own users only"
    )


class History(BaseModel):
    """A page of audit entries, newest first."""

    entries: list[AuditEntryOut]
    next_before: int | None = Field(
        description="pass as `before` for the next (older) page; null on the last page"
    )


class RevisionChangeOut(BaseModel):
    """One change listed in a revision."""

    initiative: str | None = None
    title: str | None = None
    kind: Literal["new", "modified", "terminated"]
    summary: str | None = None
    note: str | None = None


class RevisionOut(BaseModel):
    """An entry of the plan's revision history (改訂履歴), as in the package."""

    date: str = Field(examples=["2022-06"])
    version: str | None = None
    changes: list[RevisionChangeOut] | None = None
    note: str | None = None


class IndicatorEvaluationOut(BaseModel):
    """An indicator in a fiscal year: the computed evaluation and a person's verdict."""

    indicator_uid: str
    indicator: str = Field(description="the indicator's name")
    fy: int
    outcome: Literal["computed", "needs_person", "no_target", "no_actual", "incomparable"]
    met: bool | None = None
    rate: str | None = Field(
        default=None, description="achievement rate in %, exact", examples=["94.4"]
    )
    computed: str | None = Field(default=None, description="the label computation gives")
    final: str | None = Field(default=None, description="a person's verdict, else the computed")
    reason: str | None = None
    version: int | None = Field(default=None, description="the verdict's version, for a change")
    actor: str | None = Field(default=None, description="who gave it (the municipality's users)")
    at: datetime | None = None


class VerdictIn(BaseModel):
    """A person's verdict on an indicator for a fiscal year."""

    label: str | None = Field(
        max_length=100, description="a label of the plan's achievement scale; null withdraws"
    )
    reason: str = Field(max_length=4000, description="why (required, at most 2000 characters)")
    version: int | None = Field(
        default=None, ge=1, le=2**31 - 1, description="the version read; null when there was none"
    )


class Problem(BaseModel):
    """One thing wrong with a request: where, what was found, what was expected."""

    path: str
    found: str
    expected: str


class ErrorBody(BaseModel):
    """An error: its HTTP status, a title and a message, and what more the error carries."""

    status: int
    title: str
    detail: str
    problems: list[Problem] | None = None
    current_version: int | None = Field(
        default=None, description="with 412: the initiative's version now (its ETag)"
    )


# --- the reporting round ------------------------------------------------------------------


class MissingOut(BaseModel):
    initiative_code: str
    initiative_title: str
    kind: str = Field(description="activity, indicator or goal")
    title: str


class DepartmentStatusOut(BaseModel):
    id: int
    name: str
    state: SubmissionState
    row_version: int
    comment: str | None
    overdue: bool
    initiatives: list[str]
    missing: list[MissingOut]


class WithoutActualOut(BaseModel):
    initiative: str
    indicator: str
    departments: list[str]


class DisagreementOut(BaseModel):
    initiative_code: str
    initiative_title: str
    explanation: str


class CorrectionOut(BaseModel):
    at: datetime
    actor: str
    target: str
    reason: str
    fields: list[str]


class RoundStatus(BaseModel):
    """A round's dashboard: each department's state, what is missing, disagreements,
    corrections of the locked year."""

    municipality: str
    plan: str
    fiscal_year: int
    due_date: date
    state: RoundState
    row_version: int
    opened_at: datetime
    approved_at: datetime | None
    counts: dict[str, int]
    departments: list[DepartmentStatusOut]
    indicators_without_actual: list[WithoutActualOut]
    disagreements: list[DisagreementOut]
    corrections: list[CorrectionOut]


class OpenRound(BaseModel):
    fiscal_year: int = Field(ge=1900, le=2200)
    due_date: date


class Decision(BaseModel):
    row_version: int | None = Field(
        default=None, ge=0, le=2**31 - 1, description="the version as read (optional)"
    )
    comment: str | None = Field(default=None, max_length=10_000, description="return: why")


class Approval(BaseModel):
    row_version: int | None = Field(default=None, ge=0, le=2**31 - 1)


def _component(name: str) -> str:
    return PACKAGE + "".join(part.capitalize() for part in name.split("_"))


def _rewrite_refs(node: Any) -> Any:
    if isinstance(node, dict):
        out = {key: _rewrite_refs(value) for key, value in node.items()}
        ref = out.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            out["$ref"] = "#/components/schemas/" + _component(ref.removeprefix("#/$defs/"))
        return out
    if isinstance(node, list):
        return [_rewrite_refs(item) for item in node]
    return node


def package_components() -> dict[str, Any]:
    """The package schema as OpenAPI components: `Package` and `Package<Part>` for each of its
    $defs (`PackageInitiative`, `PackageFigure` …), references rewritten to point at them."""
    schema = copy.deepcopy(package_schema())
    defs = schema.pop("$defs")
    schema.pop("$schema", None)
    schema.pop("$id", None)
    components = {_component(name): _rewrite_refs(value) for name, value in defs.items()}
    components[PACKAGE] = _rewrite_refs(schema)
    return components


def ref(name: str) -> dict[str, str]:
    """A reference to a part of the package schema by its $defs name ("initiative")."""
    return {"$ref": "#/components/schemas/" + (_component(name) if name else PACKAGE)}
