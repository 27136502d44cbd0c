"""What an update workbook holds: the initiatives (of a department, or all) that report in the
fiscal year, and in them what is due that year plus what is already reported for it, by the same
rules as a department's worklist (`reporting.rules`: reports_in, activity_due, indicator_due …)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from dxplan.fiscal import FiscalYearError, parse_fy_key
from dxplan.plans.package.form import ROLE_FIELDS
from dxplan.plans.targets import Span
from dxplan.reporting.rules import (
    activity_due,
    activity_reported,
    covers,
    goal_due,
    indicator_due,
    reports_in,
)


@dataclass(frozen=True)
class InitiativeRows:
    """An initiative of the workbook (its package form) and the indexes of its activities,
    indicators and goals that get a row."""

    form: dict[str, Any]
    activities: tuple[int, ...]
    indicators: tuple[int, ...]
    goals: tuple[int, ...]


def departments_of(form: Mapping[str, Any]) -> list[str]:
    """The departments an initiative names, lead first, each once."""
    names = [name for field in ROLE_FIELDS.values() for name in form.get(field) or []]
    return list(dict.fromkeys(names))


def _spans(mapping: Any) -> dict[Span, Any]:
    out: dict[Span, Any] = {}
    for key, value in (mapping or {}).items():
        try:
            span = parse_fy_key(key)
        except FiscalYearError:
            continue
        out[(span.start_fy, span.end_fy)] = value
    return out


def _reported_in(mapping: Any, fy: int) -> bool:
    return any(covers(start, end, fy) for start, end in _spans(mapping))


def _has_yearly_data(form: Mapping[str, Any], fy: int) -> bool:
    key = str(fy)
    if key in (form.get("results") or {}):
        return True
    for activity in form.get("activities") or []:
        if key in (activity.get("actual") or {}) or key in (activity.get("status") or {}):
            return True
    return any(key in (i.get("actuals") or {}) for i in form.get("indicators") or [])


def initiative_rows(form: dict[str, Any], plan_period: Span, fy: int) -> InitiativeRows | None:
    """The rows of one initiative in the workbook of `fy`, None when it has none: it does not
    report in the year (outside its plan's or its own period, or terminated) and holds nothing
    reported for it."""
    period = form.get("period") or {}
    own = (period.get("start_fy"), period.get("end_fy"))
    reporting = reports_in(fy, plan_period, own, terminated="terminated" in form)
    if not reporting and not _has_yearly_data(form, fy):
        return None
    activities = []
    for i, activity in enumerate(form.get("activities") or []):
        reported = list({**_spans(activity.get("actual")), **_spans(activity.get("status"))})
        if activity_due(_spans(activity.get("plan")), fy) or activity_reported(reported, fy):
            activities.append(i)
    indicators = []
    for j, indicator in enumerate(form.get("indicators") or []):
        targets = {
            span: str((figure or {}).get("text") or "")
            for span, figure in _spans(indicator.get("targets")).items()
        }
        if indicator_due(targets, fy) or _reported_in(indicator.get("actuals"), fy):
            indicators.append(j)
    goals = [
        k
        for k, goal in enumerate(form.get("goals") or [])
        if goal_due(goal.get("target_fy"), fy) or goal.get("achievement") is not None
    ]
    return InitiativeRows(form, tuple(activities), tuple(indicators), tuple(goals))


def workbook_rows(
    forms: Iterable[dict[str, Any]], plan_period: Span, fy: int, department: str | None
) -> list[InitiativeRows]:
    """The initiatives of the workbook, in plan order: those of `department` (lead, related or
    implementing) when given, else all, that have rows in `fy`."""
    out = []
    for form in forms:
        if department is not None and department not in departments_of(form):
            continue
        rows = initiative_rows(form, plan_period, fy)
        if rows is not None:
            out.append(rows)
    return out
