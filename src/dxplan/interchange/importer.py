"""Importing plan packages: validate everything, then write everything, in one transaction.

The caller owns the transaction (a unit of work): when any package of a batch fails, nothing
of the batch is written.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dxplan.audit import services as audit
from dxplan.interchange.errors import PackageError, Problem, shown
from dxplan.interchange.keys import parse_year_key, year_key
from dxplan.interchange.validation import ensure_valid
from dxplan.plans.models import (
    Activity,
    ActivityYear,
    DepartmentRole,
    FiscalEffect,
    Goal,
    Indicator,
    IndicatorValue,
    Initiative,
    InitiativeDepartment,
    InitiativeResult,
    Plan,
    PlanKind,
    PublishedFigure,
    Revision,
    RevisionChange,
    ScaleKind,
    ScaleLabel,
    Section,
    ValueKind,
)
from dxplan.plans.rules import DEFAULT_SCALES
from dxplan.tenancy.models import Department, Municipality

ROLE_FIELDS = {
    DepartmentRole.LEAD: "lead_departments",
    DepartmentRole.RELATED: "related_departments",
    DepartmentRole.IMPLEMENTING: "implementing_departments",
}
PLAN_COLLECTIONS = ("published_figures", "revisions")
INITIATIVE_COLLECTIONS = (
    *ROLE_FIELDS.values(),
    "activities",
    "results",
    "indicators",
    "goals",
    "fiscal_effects",
)
ACTIVITY_COLLECTIONS = ("plan", "actual", "status")
INDICATOR_COLLECTIONS = ("targets", "actuals")
REVISION_COLLECTIONS = ("changes",)


def stated_empty(item: dict[str, Any], fields: tuple[str, ...]) -> list[str] | None:
    """The collection fields the source gives, but empty; None when there are none."""
    empty = [name for name in fields if name in item and not item[name]]
    return empty or None


def figure_columns(figure: dict[str, Any]) -> dict[str, Any]:
    """The stored columns of a figure object."""
    return {
        "text": figure["text"],
        "value": figure["value"],
        "op": figure.get("op"),
        "note": figure.get("note"),
    }


class _PlanWriter:
    """Builds the objects of one validated package for one municipality."""

    def __init__(self, session: Session, municipality: Municipality, doc: dict[str, Any]) -> None:
        self.session = session
        self.municipality = municipality
        self.doc = doc
        self.departments = {d.name: d for d in municipality.departments}
        self.labels: dict[tuple[ScaleKind, str], ScaleLabel] = {}

    def write(self) -> Plan:
        info = self.doc["plan"]
        plan = Plan(
            municipality=self.municipality,
            slug=info["id"],
            title=info["title"],
            kind=PlanKind(info["kind"]),
            start_fy=info["period"]["start_fy"],
            end_fy=info["period"]["end_fy"],
            published=info.get("published"),
            version=info.get("version"),
            upper_plans=info.get("upper_plans"),
            level_names=info.get("level_names"),
            source=info.get("source"),
            notes=info.get("notes"),
            declared_scales=list(info["scales"]) if "scales" in info else None,
            stated_empty=stated_empty(self.doc, PLAN_COLLECTIONS),
        )
        self._add_scales(plan, info.get("scales", {}))
        sections = self._add_sections(plan)
        self._add_initiatives(plan, sections)
        plan.published_figures = [
            PublishedFigure(position=i, name=f["name"], where=f.get("where"), **figure_columns(f))
            for i, f in enumerate(self.doc.get("published_figures", []))
        ]
        plan.revisions = [self._revision(i, r) for i, r in enumerate(self.doc.get("revisions", []))]
        self.session.add(plan)
        return plan

    def _add_scales(self, plan: Plan, declared: dict[str, list[dict[str, Any]]]) -> None:
        """The declared scales, and the default (seed 002's) for any the plan does not declare."""
        for kind_name, default in DEFAULT_SCALES.items():
            kind = ScaleKind(kind_name)
            for rank, entry in enumerate(declared.get(kind_name, default), start=1):
                label = ScaleLabel(
                    scale=kind, rank=rank, label=entry["label"], definition=entry.get("definition")
                )
                plan.scale_labels.append(label)
                self.labels[kind, entry["label"]] = label

    def _add_sections(self, plan: Plan) -> dict[str, Section]:
        by_code: dict[str, Section] = {}
        for position, item in enumerate(self.doc["sections"]):
            section = Section(
                position=position,
                code=item["code"],
                title=item["title"],
                level=item.get("level"),
                description=item.get("description"),
                note=item.get("note"),
            )
            plan.sections.append(section)
            by_code[item["code"]] = section
        for item in self.doc["sections"]:
            if item.get("parent") is not None:
                by_code[item["code"]].parent = by_code[item["parent"]]
        return by_code

    def _department(self, name: str) -> Department:
        department = self.departments.get(name)
        if department is None:
            department = Department(municipality=self.municipality, name=name)
            self.departments[name] = department
        return department

    def _add_initiatives(self, plan: Plan, sections: dict[str, Section]) -> None:
        by_code: dict[str, Initiative] = {}
        for position, item in enumerate(self.doc["initiatives"]):
            initiative = self._initiative(position, item, sections[item["section"]])
            plan.initiatives.append(initiative)
            by_code[item["code"]] = initiative
        for item in self.doc["initiatives"]:
            successor = item.get("terminated", {}).get("successor")
            if successor is not None:
                by_code[item["code"]].successor = by_code[successor]

    def _initiative(self, position: int, item: dict[str, Any], section: Section) -> Initiative:
        period = item.get("period", {})
        terminated = item.get("terminated")
        initiative = Initiative(
            position=position,
            section=section,
            code=item["code"],
            title=item["title"],
            overview=item.get("overview"),
            aims=item.get("aims"),
            priority=item.get("priority"),
            national_dx=item.get("national_dx"),
            new_in_revision=item.get("new_in_revision"),
            cross_listed=item.get("cross_listed"),
            added_fy=item.get("added_fy"),
            also_listed_as=item.get("also_listed_as"),
            references=item.get("references"),
            start_fy=period.get("start_fy"),
            end_fy=period.get("end_fy"),
            terminated=terminated is not None,
            termination_reason=(terminated or {}).get("reason"),
            note=item.get("note"),
            stated_empty=stated_empty(item, INITIATIVE_COLLECTIONS),
        )
        for role, field in ROLE_FIELDS.items():
            for i, name in enumerate(item.get(field, [])):
                initiative.departments.append(
                    InitiativeDepartment(department=self._department(name), role=role, position=i)
                )
        initiative.activities = [
            self._activity(i, a) for i, a in enumerate(item.get("activities", []))
        ]
        initiative.results = [
            InitiativeResult(start_fy=s, end_fy=e, text=text)
            for (s, e), text in _by_span(item.get("results", {}))
        ]
        initiative.indicators = [
            self._indicator(i, x) for i, x in enumerate(item.get("indicators", []))
        ]
        initiative.goals = [self._goal(i, g) for i, g in enumerate(item.get("goals", []))]
        initiative.fiscal_effects = [
            FiscalEffect(start_fy=s, end_fy=e, **figure_columns(f))
            for (s, e), f in _by_span(item.get("fiscal_effects", {}))
        ]
        return initiative

    def _activity(self, position: int, item: dict[str, Any]) -> Activity:
        activity = Activity(
            position=position,
            title=item["title"],
            note=item.get("note"),
            stated_empty=stated_empty(item, ACTIVITY_COLLECTIONS),
        )
        spans = sorted(
            {parse_year_key(k) for name in ACTIVITY_COLLECTIONS for k in item.get(name, {})}
        )
        for start, end in spans:
            key = year_key(start, end)
            status = item.get("status", {}).get(key)
            activity.years.append(
                ActivityYear(
                    start_fy=start,
                    end_fy=end,
                    planned=item.get("plan", {}).get(key),
                    actual=item.get("actual", {}).get(key),
                    status=None if status is None else self.labels[ScaleKind.PROGRESS, status],
                )
            )
        return activity

    def _indicator(self, position: int, item: dict[str, Any]) -> Indicator:
        indicator = Indicator(
            position=position,
            name=item["name"],
            unit=item.get("unit"),
            cumulative=item.get("cumulative"),
            rationale=item.get("rationale"),
            note=item.get("note"),
            stated_empty=stated_empty(item, INDICATOR_COLLECTIONS),
        )
        baseline = item.get("baseline")
        if baseline is not None:
            fy = baseline.get("fy")
            indicator.values.append(
                IndicatorValue(
                    kind=ValueKind.BASELINE, start_fy=fy, end_fy=fy, **figure_columns(baseline)
                )
            )
        for kind, field in ((ValueKind.TARGET, "targets"), (ValueKind.ACTUAL, "actuals")):
            for (start, end), figure in _by_span(item.get(field, {})):
                indicator.values.append(
                    IndicatorValue(kind=kind, start_fy=start, end_fy=end, **figure_columns(figure))
                )
        return indicator

    def _goal(self, position: int, item: dict[str, Any]) -> Goal:
        period = item.get("target_period", {})
        label = item.get("achievement")
        return Goal(
            position=position,
            text=item["text"],
            target_fy=item.get("target_fy"),
            target_start_fy=period.get("start_fy"),
            target_end_fy=period.get("end_fy"),
            achievement=None if label is None else self.labels[ScaleKind.ACHIEVEMENT, label],
            note=item.get("note"),
        )

    def _revision(self, position: int, item: dict[str, Any]) -> Revision:
        return Revision(
            position=position,
            date=item["date"],
            version=item.get("version"),
            note=item.get("note"),
            stated_empty=stated_empty(item, REVISION_COLLECTIONS),
            changes=[
                RevisionChange(
                    position=i,
                    initiative_code=c.get("initiative"),
                    title=c.get("title"),
                    kind=c["kind"],
                    summary=c.get("summary"),
                    note=c.get("note"),
                )
                for i, c in enumerate(item.get("changes", []))
            ],
        )


def _by_span(mapping: dict[str, Any]) -> list[tuple[tuple[int, int], Any]]:
    return sorted((parse_year_key(k), v) for k, v in mapping.items())


def _municipality(session: Session, doc: dict[str, Any], source: str) -> Municipality:
    info = doc["municipality"]
    municipality = session.scalar(select(Municipality).where(Municipality.code == info["code"]))
    if municipality is None:
        municipality = Municipality(
            code=info["code"], name=info["name"], prefecture=info["prefecture"]
        )
        session.add(municipality)
        return municipality
    if municipality.name != info["name"]:
        problem = Problem(
            "$.municipality.name",
            shown(info["name"]),
            f'"{municipality.name}", the name already registered for code {info["code"]}',
        )
        raise PackageError(source, [problem])
    return municipality


def import_package(
    session: Session,
    doc: Any,
    *,
    source: str,
    actor: str,
    replace: bool = False,
) -> Plan:
    """Validate and write one package in the caller's transaction; PackageError if invalid."""
    doc = ensure_valid(doc, source)
    municipality = _municipality(session, doc, source)
    slug = doc["plan"]["id"]
    existing = session.scalar(
        select(Plan).where(Plan.municipality == municipality, Plan.slug == slug)
    )
    if existing is not None:
        if not replace:
            problem = Problem(
                "$.plan.id",
                shown(slug),
                f"a plan id not yet in the database for {municipality.code} "
                "(import with --replace to replace the plan)",
            )
            raise PackageError(source, [problem])
        session.delete(existing)
        session.flush()
    plan = _PlanWriter(session, municipality, doc).write()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="plan.replace" if existing is not None else "plan.import",
        target_type="plan",
        target_key=f"{municipality.code}/{slug}",
        municipality_id=municipality.id,
        detail={"source": source, "initiatives": len(doc["initiatives"])},
    )
    return plan
