"""The package form of a plan: its objects as the JSON of dxplan-package/1, in the field order
of FORMAT.md. Export writes it, import compares with it, the audit trail records changes in it.

It is the canonical form: an imported package comes back unchanged, except that optional fields
given as null are omitted. With `ids`, every object that has a stable id carries it as `uid`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from dxplan.fiscal import FiscalSpan
from dxplan.plans.models import GlossaryEntry, Initiative, Plan, Revision, RevisionState, Section
from dxplan.plans.parts import Activity, DepartmentRole, FigureColumns, Goal, Indicator, ValueKind

FORMAT = "dxplan-package/1"

ROLE_FIELDS = {
    DepartmentRole.LEAD: "lead_departments",
    DepartmentRole.RELATED: "related_departments",
    DepartmentRole.IMPLEMENTING: "implementing_departments",
}

# A figure printed with a zero decimal ("3.0", "74.0%") keeps its decimal in JSON too.
_ZERO_DECIMAL = re.compile(r"[0-9][.．]0+(?![0-9０-９])")


@dataclass(frozen=True)
class FormOptions:
    """How the form is written: with the objects' stable ids (`uid`) or without."""

    ids: bool = True


def number_out(value: Decimal | None, text: str) -> int | float | None:
    """A stored number as it goes into JSON: a whole number is an integer unless the figure's
    text prints it with a zero decimal (then 3.0 stays 3.0). Exact for the numbers validation
    admits (at most 15 significant digits)."""
    if value is None:
        return None
    if value == value.to_integral_value() and not _ZERO_DECIMAL.search(text):
        return int(value)
    return float(value)


def year_key(start_fy: int, end_fy: int) -> str:
    """The package key of a span of fiscal years: "2021" or "2020-2023"."""
    return FiscalSpan(start_fy, end_fy).key


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
    _put(out, "unit", figure.unit)
    _put(out, "op", figure.op)
    _put(out, "note", figure.note)
    return out


def plan_info_form(plan: Plan, options: FormOptions) -> dict[str, Any]:
    """The `plan` object of the package."""
    out: dict[str, Any] = {}
    if options.ids:
        out["uid"] = plan.uid
    out |= {
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
                if label.threshold is not None:
                    entry["threshold"] = number_out(label.threshold, "")
                if label.ordered is False:
                    entry["outside_order"] = True
                if label.on_track:
                    entry["on_track"] = True
                scales[label.scale.value].append(entry)
        out["scales"] = scales
    _put(out, "source", plan.source)
    _put(out, "notes", plan.notes)
    return out


def section_form(section: Section, options: FormOptions) -> dict[str, Any]:
    """One entry of `sections`."""
    out: dict[str, Any] = {"uid": section.uid} if options.ids else {}
    out |= {"code": section.code, "title": section.title}
    _put(out, "level", section.level)
    out["parent"] = section.parent.code if section.parent else None
    _put(out, "description", section.description)
    _put(out, "note", section.note)
    return out


def _activity(activity: Activity, options: FormOptions) -> dict[str, Any]:
    out: dict[str, Any] = {"uid": activity.uid} if options.ids else {}
    out["title"] = activity.title
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


def _indicator(indicator: Indicator, options: FormOptions) -> dict[str, Any]:
    out: dict[str, Any] = {"uid": indicator.uid} if options.ids else {}
    out["name"] = indicator.name
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


def indicator_form(indicator: Indicator, options: FormOptions) -> dict[str, Any]:
    """An indicator in its package form (as inside its initiative's)."""
    return _indicator(indicator, options)


def _goal(goal: Goal, options: FormOptions) -> dict[str, Any]:
    out: dict[str, Any] = {"uid": goal.uid} if options.ids else {}
    out["text"] = goal.text
    _put(out, "target_fy", goal.target_fy)
    if goal.target_start_fy is not None and goal.target_end_fy is not None:
        out["target_period"] = {"start_fy": goal.target_start_fy, "end_fy": goal.target_end_fy}
    out["achievement"] = goal.achievement.label if goal.achievement else None
    _put(out, "note", goal.note)
    return out


def initiative_form(initiative: Initiative, options: FormOptions) -> dict[str, Any]:
    """One entry of `initiatives`: the initiative with everything it holds."""
    stated = initiative.stated_empty
    out: dict[str, Any] = {"uid": initiative.uid} if options.ids else {}
    out |= {
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
    activities = [_activity(a, options) for a in initiative.activities]
    _collection(out, "activities", activities, stated)
    results = {year_key(r.start_fy, r.end_fy): r.text for r in initiative.results}
    _collection(out, "results", results, stated)
    indicators = [_indicator(i, options) for i in initiative.indicators]
    _collection(out, "indicators", indicators, stated)
    _collection(out, "goals", [_goal(g, options) for g in initiative.goals], stated)
    effects = {year_key(f.start_fy, f.end_fy): _figure(f) for f in initiative.fiscal_effects}
    _collection(out, "fiscal_effects", effects, stated)
    _put(out, "note", initiative.note)
    return out


def adopted_revisions(plan: Plan) -> list[Revision]:
    """The plan's revision history: its adopted revisions (an open one is not yet part of it)."""
    return [r for r in plan.revisions if r.state is RevisionState.ADOPTED]


def revision_form(revision: Revision) -> dict[str, Any]:
    """One entry of `revisions`."""
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


def published_figures_form(plan: Plan) -> list[dict[str, Any]]:
    """The `published_figures` of the package."""
    figures = []
    for figure in plan.published_figures:
        entry: dict[str, Any] = {"name": figure.name, **_figure(figure)}
        _put(entry, "where", figure.where)
        figures.append(entry)
    return figures


def glossary_entry_form(entry: GlossaryEntry) -> dict[str, Any]:
    """One entry of `glossary`."""
    out: dict[str, Any] = {"term": entry.term}
    _put(out, "reading", entry.reading)
    out["explanation"] = entry.explanation
    _put(out, "note", entry.note)
    return out


def plan_to_package(plan: Plan, options: FormOptions | None = None) -> dict[str, Any]:
    """The plan package of a loaded plan (see `plans.queries.load_plan`)."""
    options = options or FormOptions()
    municipality = plan.municipality
    doc: dict[str, Any] = {
        "format": FORMAT,
        "municipality": {
            "code": municipality.code,
            "name": municipality.name,
            "prefecture": municipality.prefecture,
        },
        "plan": plan_info_form(plan, options),
        "sections": [section_form(s, options) for s in plan.sections],
        "initiatives": [initiative_form(i, options) for i in plan.initiatives],
    }
    figures = published_figures_form(plan)
    _collection(doc, "published_figures", figures, plan.stated_empty)
    revisions = [revision_form(r) for r in adopted_revisions(plan)]
    _collection(doc, "revisions", revisions, plan.stated_empty)
    glossary = [glossary_entry_form(e) for e in plan.glossary]
    _collection(doc, "glossary", glossary, plan.stated_empty)
    return doc
