"""People's verdicts on indicators (評価) and the plan's summary tables: the write use case
(`record_indicator_verdict`: permission, row version, audit entry) and the reads that pages
and documents use (`initiative_evaluations`, `plan_summary`). The arithmetic is pure, in
`plans.evaluation` and `plans.tables`.

Who may give a verdict: whoever may report the initiative's yearly fields (`Change.REPORT`):
a department editor for the initiatives its departments lead, take part in or implement, the
DX division and admins for every initiative of their municipality.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dxplan.accounts.rules import Change
from dxplan.audit import services as audit
from dxplan.audit.models import utcnow
from dxplan.audit.services import FieldChange
from dxplan.errors import InvalidChangeError, NotFoundError, StaleVersionError
from dxplan.plans.evaluation import (
    Evaluation,
    evaluate_indicator,
    plan_scales,
    series_from_package,
)
from dxplan.plans.forms import FormOptions, indicator_form, plan_info_form, plan_to_package
from dxplan.plans.models import Indicator, IndicatorEvaluation, Initiative, Plan
from dxplan.plans.queries import find_initiative
from dxplan.plans.rounds.locks import guard_yearly_changes
from dxplan.plans.services import Context, authorize
from dxplan.plans.tables import SummaryTables, summary_tables

MAX_REASON: Final = 2000
"""The longest reason for a verdict, in characters."""


@dataclass(frozen=True)
class IndicatorYear:
    """An indicator in a fiscal year on the sheet: the computed evaluation, and a person's
    verdict where one was given (the final label is the person's, else the computed one)."""

    indicator_uid: str
    name: str
    fy: int
    evaluation: Evaluation
    override: IndicatorEvaluation | None

    @property
    def final_label(self) -> str | None:
        return self.override.label if self.override is not None else self.evaluation.label


def _overrides(
    session: Session, indicator_ids: list[int]
) -> dict[tuple[int, int], IndicatorEvaluation]:
    if not indicator_ids:
        return {}
    rows = session.scalars(
        select(IndicatorEvaluation).where(IndicatorEvaluation.indicator_id.in_(indicator_ids))
    )
    return {(row.indicator_id, row.fy): row for row in rows}


def initiative_evaluations(session: Session, initiative: Initiative) -> list[IndicatorYear]:
    """Each indicator of an initiative in each fiscal year it has a target for, evaluated on
    the plan's achievement scale, with the people's verdicts (one query)."""
    scale = plan_scales(plan_info_form(initiative.plan, FormOptions()))["achievement"]
    overrides = _overrides(session, [i.id for i in initiative.indicators])
    out = []
    for indicator in initiative.indicators:
        series = series_from_package(indicator_form(indicator, FormOptions()))
        for fy in sorted({end for _, end in series.targets}):
            evaluation = evaluate_indicator(series, fy, scale)
            if evaluation.outcome == "no_target":
                continue
            out.append(
                IndicatorYear(
                    indicator.uid,
                    indicator.name,
                    fy,
                    evaluation,
                    overrides.get((indicator.id, fy)),
                )
            )
    return out


def record_indicator_verdict(
    session: Session,
    context: Context,
    plan_id: str,
    initiative_code: str,
    indicator_uid: str,
    fy: int,
    label: str | None,
    reason: str,
    expected_version: int | None,
) -> IndicatorEvaluation | None:
    """Give (or, with `label` None, withdraw) a person's verdict on an indicator for `fy`.

    `label` is a label of the plan's achievement scale (one outside the order, such as
    評価できない, too); `reason` is required. The label computed now is kept beside it.
    `expected_version` is the version of the verdict the person saw (None: there was none);
    StaleVersionError when someone has changed it since.
    """
    initiative = find_initiative(session, context.municipality_code, plan_id, initiative_code)
    authorize(context, Change.READ_DRAFT)  # another municipality's: not found, whatever exists
    if initiative is None:
        raise NotFoundError(f"no initiative {initiative_code!r} in plan {plan_id!r}")
    indicator = next((i for i in initiative.indicators if i.uid == indicator_uid), None)
    if indicator is None:
        raise NotFoundError(f"no indicator {indicator_uid!r} in initiative {initiative_code!r}")
    authorize(context, Change.REPORT, [link.department_id for link in initiative.departments])
    plan: Plan = initiative.plan
    scale = plan_scales(plan_info_form(plan, FormOptions()))["achievement"]
    problems = []
    if label is not None and label not in scale.labels:
        expected = "a label of the plan's achievement scale: " + " / ".join(scale.labels)
        problems.append(("label", f'"{label}"', expected))
    reason = reason.strip()
    if not reason or len(reason) > MAX_REASON:
        problems.append(("reason", f"{len(reason)} characters", f"a reason of 1 to {MAX_REASON}"))
    series = series_from_package(indicator_form(indicator, FormOptions()))
    if fy not in {end for _, end in series.targets}:
        problems.append(("fy", str(fy), "a fiscal year the indicator has a target for"))
    if problems:
        raise InvalidChangeError(problems)
    current = _overrides(session, [indicator.id]).get((indicator.id, fy))
    key = f"{plan.municipality.code}/{plan.slug}/{initiative.code}/{indicator.name}/{fy}"
    found = current.row_version if current is not None else None
    if found != expected_version:
        values = {"label": current.label, "reason": current.reason} if current else {}
        raise StaleVersionError(f"evaluation {key}", expected_version or 0, found or 0, values)
    evaluation = evaluate_indicator(series, fy, scale)
    old = current.label if current is not None else None
    field = f"indicators[{indicator.position}].evaluations.{fy}"
    # A verdict on a year whose round is approved is a correction (DX division, with the reason);
    # while the department's report is submitted, its editors wait for a return.
    department_ids = [link.department_id for link in initiative.departments]
    corrected = guard_yearly_changes(
        session, context.actor, context.municipality_code, plan.id, department_ids, [field], reason
    )
    changes = [FieldChange(field, old, label, indicator.uid)]
    if label is None:
        if current is not None:
            session.delete(current)
        row = None
    else:
        row = current or IndicatorEvaluation(plan_id=plan.id, indicator_id=indicator.id, fy=fy)
        row.computed_label = evaluation.label
        row.computed_rate = evaluation.rate
        row.label, row.reason = label, reason
        row.actor, row.at = context.actor.id, utcnow()
        if current is None:
            _insert_first(session, row, key, expected_version)
    changes.append(FieldChange(f"{field}.reason", current.reason if current else None, reason))
    audit.record(
        session,
        actor_id=context.actor.id,
        action="indicator.evaluate",
        target_type="initiative",
        target_uid=initiative.uid,
        target_key=key,
        municipality_id=plan.municipality_id,
        changes=changes,
        detail={
            "computed": evaluation.label,
            "rate": _rate(evaluation.rate),
            **({"reason": reason, "fiscal_years": corrected} if corrected else {}),
        },
    )
    session.flush()
    return row


def _insert_first(
    session: Session, row: IndicatorEvaluation, key: str, expected_version: int | None
) -> None:
    """Insert the first verdict on an indicator's year. Two people giving it at the same moment:
    the second finds the first's row (the unique key) and is told, as for a stale version."""
    try:
        with session.begin_nested():  # a savepoint: PostgreSQL's transaction stays usable
            session.add(row)
            session.flush()
    except IntegrityError:
        raise StaleVersionError(f"evaluation {key}", expected_version or 0, 1, {}) from None


def _rate(rate: Decimal | None) -> str | None:
    return None if rate is None else format(rate.normalize(), "f")


def plan_summary_of(session: Session, plan: Plan, fy: int) -> SummaryTables:
    """The summary tables and roll-ups of a plan loaded with everything in it
    (`queries.find_plan`), with the people's verdicts (one more query)."""
    doc = plan_to_package(plan, FormOptions(ids=True))
    return summary_tables(doc, fy, verdict_overrides(session, plan))


def verdict_overrides(session: Session, plan: Plan) -> dict[tuple[str, int], str]:
    """The people's verdicts on the plan's indicators: (indicator uid, fy) → label (one query)."""
    rows = session.execute(
        select(Indicator.uid, IndicatorEvaluation.fy, IndicatorEvaluation.label)
        .join(Indicator, Indicator.id == IndicatorEvaluation.indicator_id)
        .where(IndicatorEvaluation.plan_id == plan.id)
    ).all()
    return {(uid, year): label for uid, year, label in rows}
