"""Exporting a plan as a plan package (dxplan-package/1), in the field order of FORMAT.md.

The export is the canonical form of the package: an imported package comes back unchanged,
except that optional fields given as null are omitted.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from dxplan.errors import DxplanError
from dxplan.interchange.importer import ROLE_FIELDS
from dxplan.interchange.keys import number_out, year_key
from dxplan.interchange.validation import FORMAT
from dxplan.plans.models import (
    Activity,
    FigureColumns,
    Indicator,
    Initiative,
    Plan,
    Revision,
    Section,
    ValueKind,
)
from dxplan.tenancy.models import Municipality


class PlanNotFoundError(DxplanError):
    """No plan with that id for that municipality."""


def _put(out: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        out[key] = value


def _collection(
    out: dict[str, Any], key: str, value: list[Any] | dict[str, Any], stated: Iterable[str] | None
) -> None:
    """A list or map goes out when it has content, or when the source stated it empty."""
    if value or key in (stated or ()):
        out[key] = value


def _figure(figure: FigureColumns) -> dict[str, Any]:
    out: dict[str, Any] = {"text": figure.text, "value": number_out(figure.value, figure.text)}
    _put(out, "op", figure.op)
    _put(out, "note", figure.note)
    return out


def _plan_info(plan: Plan) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": plan.slug,
        "title": plan.title,
        "kind": plan.kind.value,
        "period": {"start_fy": plan.start_fy, "end_fy": plan.end_fy},
    }
    _put(out, "published", plan.published)
    _put(out, "version", plan.version)
    _put(out, "upper_plans", plan.upper_plans)
    _put(out, "level_names", plan.level_names)
    if plan.declared_scales is not None:
        scales: dict[str, list[dict[str, Any]]] = {kind: [] for kind in plan.declared_scales}
        for label in plan.scale_labels:
            if label.scale.value in scales:
                entry: dict[str, Any] = {"label": label.label}
                _put(entry, "definition", label.definition)
                scales[label.scale.value].append(entry)
        out["scales"] = scales
    _put(out, "source", plan.source)
    _put(out, "notes", plan.notes)
    return out


def _section(section: Section) -> dict[str, Any]:
    out: dict[str, Any] = {"code": section.code, "title": section.title}
    _put(out, "level", section.level)
    out["parent"] = section.parent.code if section.parent else None
    _put(out, "description", section.description)
    _put(out, "note", section.note)
    return out


def _activity(activity: Activity) -> dict[str, Any]:
    out: dict[str, Any] = {"title": activity.title}
    maps: dict[str, dict[str, str]] = {"plan": {}, "actual": {}, "status": {}}
    for year in activity.years:
        key = year_key(year.start_fy, year.end_fy)
        if year.planned is not None:
            maps["plan"][key] = year.planned
        if year.actual is not None:
            maps["actual"][key] = year.actual
        if year.status is not None:
            maps["status"][key] = year.status.label
    for name, mapping in maps.items():
        _collection(out, name, mapping, activity.stated_empty)
    _put(out, "note", activity.note)
    return out


def _indicator(indicator: Indicator) -> dict[str, Any]:
    out: dict[str, Any] = {"name": indicator.name}
    _put(out, "unit", indicator.unit)
    _put(out, "cumulative", indicator.cumulative)
    targets: dict[str, Any] = {}
    actuals: dict[str, Any] = {}
    for value in indicator.values:
        figure = _figure(value)
        if value.kind is ValueKind.BASELINE:
            baseline: dict[str, Any] = {}
            _put(baseline, "fy", value.start_fy)
            out["baseline"] = baseline | figure
            continue
        if value.start_fy is None or value.end_fy is None:
            raise ValueError(f"indicator value {value.id} has no fiscal year")  # not importable
        key = year_key(value.start_fy, value.end_fy)
        (targets if value.kind is ValueKind.TARGET else actuals)[key] = figure
    _collection(out, "targets", targets, indicator.stated_empty)
    _collection(out, "actuals", actuals, indicator.stated_empty)
    _put(out, "rationale", indicator.rationale)
    _put(out, "note", indicator.note)
    return out


def _initiative(initiative: Initiative) -> dict[str, Any]:
    stated = initiative.stated_empty
    out: dict[str, Any] = {
        "code": initiative.code,
        "section": initiative.section.code,
        "title": initiative.title,
    }
    for role, field in ROLE_FIELDS.items():
        names = [d.department.name for d in initiative.departments if d.role is role]
        _collection(out, field, names, stated)
    _put(out, "overview", initiative.overview)
    _put(out, "aims", initiative.aims)
    _put(out, "priority", initiative.priority)
    _put(out, "national_dx", initiative.national_dx)
    _put(out, "added_fy", initiative.added_fy)
    _put(out, "new_in_revision", initiative.new_in_revision)
    _put(out, "cross_listed", initiative.cross_listed)
    _put(out, "also_listed_as", initiative.also_listed_as)
    _put(out, "references", initiative.references)
    if initiative.start_fy is not None and initiative.end_fy is not None:
        out["period"] = {"start_fy": initiative.start_fy, "end_fy": initiative.end_fy}
    if initiative.terminated:
        terminated: dict[str, Any] = {"reason": initiative.termination_reason}
        _put(terminated, "successor", initiative.successor.code if initiative.successor else None)
        out["terminated"] = terminated
    _collection(out, "activities", [_activity(a) for a in initiative.activities], stated)
    results = {year_key(r.start_fy, r.end_fy): r.text for r in initiative.results}
    _collection(out, "results", results, stated)
    _collection(out, "indicators", [_indicator(i) for i in initiative.indicators], stated)
    goals = []
    for goal in initiative.goals:
        entry: dict[str, Any] = {"text": goal.text}
        _put(entry, "target_fy", goal.target_fy)
        if goal.target_start_fy is not None and goal.target_end_fy is not None:
            entry["target_period"] = {
                "start_fy": goal.target_start_fy,
                "end_fy": goal.target_end_fy,
            }
        entry["achievement"] = goal.achievement.label if goal.achievement else None
        _put(entry, "note", goal.note)
        goals.append(entry)
    _collection(out, "goals", goals, stated)
    effects = {year_key(f.start_fy, f.end_fy): _figure(f) for f in initiative.fiscal_effects}
    _collection(out, "fiscal_effects", effects, stated)
    _put(out, "note", initiative.note)
    return out


def _revision(revision: Revision) -> dict[str, Any]:
    out: dict[str, Any] = {"date": revision.date}
    _put(out, "version", revision.version)
    changes = []
    for change in revision.changes:
        entry: dict[str, Any] = {}
        _put(entry, "initiative", change.initiative_code)
        _put(entry, "title", change.title)
        entry["kind"] = change.kind.value
        _put(entry, "summary", change.summary)
        _put(entry, "note", change.note)
        changes.append(entry)
    _collection(out, "changes", changes, revision.stated_empty)
    _put(out, "note", revision.note)
    return out


def plan_to_package(plan: Plan) -> dict[str, Any]:
    """The plan package of a loaded plan."""
    municipality = plan.municipality
    doc: dict[str, Any] = {
        "format": FORMAT,
        "municipality": {
            "code": municipality.code,
            "name": municipality.name,
            "prefecture": municipality.prefecture,
        },
        "plan": _plan_info(plan),
        "sections": [_section(s) for s in plan.sections],
        "initiatives": [_initiative(i) for i in plan.initiatives],
    }
    figures = []
    for figure in plan.published_figures:
        entry: dict[str, Any] = {"name": figure.name, **_figure(figure)}
        _put(entry, "where", figure.where)
        figures.append(entry)
    _collection(doc, "published_figures", figures, plan.stated_empty)
    _collection(doc, "revisions", [_revision(r) for r in plan.revisions], plan.stated_empty)
    return doc


def load_plan(session: Session, municipality_code: str, plan_id: str) -> Plan:
    """The plan with everything needed for export loaded in a few queries."""
    initiative = Plan.initiatives
    statement = (
        select(Plan)
        .join(Plan.municipality)
        .where(Municipality.code == municipality_code, Plan.slug == plan_id)
        .options(
            selectinload(Plan.municipality),
            selectinload(Plan.scale_labels),
            selectinload(Plan.sections).selectinload(Section.parent),
            selectinload(Plan.published_figures),
            selectinload(Plan.revisions).selectinload(Revision.changes),
            selectinload(initiative).selectinload(Initiative.section),
            selectinload(initiative).selectinload(Initiative.successor),
            selectinload(initiative).selectinload(Initiative.departments),
            selectinload(initiative).selectinload(Initiative.results),
            selectinload(initiative).selectinload(Initiative.fiscal_effects),
            selectinload(initiative).selectinload(Initiative.goals),
            selectinload(initiative).selectinload(Initiative.indicators),
            selectinload(initiative)
            .selectinload(Initiative.activities)
            .selectinload(Activity.years),
        )
    )
    plan = session.scalar(statement)
    if plan is None:
        raise PlanNotFoundError(
            f"no plan {plan_id!r} for municipality {municipality_code} "
            "(`dxplan list` shows the plans there are)"
        )
    return plan


def export_package(session: Session, municipality_code: str, plan_id: str) -> dict[str, Any]:
    """The plan package of a stored plan."""
    return plan_to_package(load_plan(session, municipality_code, plan_id))
