"""What the published documents and the pages both show of a plan's package form: fiscal-year
keys as the plans print them, dates in 和暦, figures as printed, flags, achievement marks (the
labels are the plan's, in `plans.labels`).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from dxplan.fiscal import FiscalYearError, parse_fy_key
from dxplan.plans.labels import FLAG_LABELS, ROLE_LABELS
from dxplan.plans.targets import Measure, target_comparison, target_met
from dxplan.wareki import format_wareki


def fy_label(key: str) -> str:
    """A per-year key as the plan prints it: "2021" → "2021年度（令和3年度）"."""
    try:
        span = parse_fy_key(key)
    except FiscalYearError:
        return key
    if span.start_fy == span.end_fy:
        return f"{span.start_fy}年度（{format_wareki(span.start_fy)}）"
    return f"{span.start_fy}〜{span.end_fy}年度"


def year_keys(items: Iterable[dict[str, Any]], *fields: str) -> list[str]:
    """The per-year keys the items use under any of `fields`, in fiscal-year order."""
    keys = {key for item in items for f in fields for key in (item.get(f) or {})}
    return sorted(keys, key=lambda k: (k[:4], len(k)))


def plan_years(plan: dict[str, Any]) -> list[str]:
    """The fiscal years of the plan's period as keys."""
    period = plan.get("period") or {}
    start, end = period.get("start_fy"), period.get("end_fy")
    if not isinstance(start, int) or not isinstance(end, int):
        return []
    return [str(fy) for fy in range(start, end + 1)]


def flags(initiative: dict[str, Any]) -> list[str]:
    """The flags of an initiative, as keys of FLAG_LABELS."""
    out = [name for name in ("priority", "national_dx", "cross_listed") if initiative.get(name)]
    if initiative.get("new_in_revision") or initiative.get("added_fy"):
        out.append("new")
    if initiative.get("terminated"):
        out.append("terminated")
    return [name for name in FLAG_LABELS if name in out]


def departments(initiative: dict[str, Any]) -> list[str]:
    """Every department named by the initiative, lead first, without repeats."""
    names = [n for f in ROLE_LABELS for n in initiative.get(f) or []]
    return list(dict.fromkeys(names))


def latest_status(initiative: dict[str, Any]) -> str | None:
    """The status of the latest year any activity has one for (the last activity's, if several)."""
    best: tuple[str, str] | None = None
    for activity in initiative.get("activities") or []:
        for key, label in (activity.get("status") or {}).items():
            if best is None or key >= best[0]:
                best = (key, label)
    return best[1] if best else None


def achievements(initiative: dict[str, Any]) -> list[str]:
    """The goal verdicts of the initiative."""
    return [g["achievement"] for g in initiative.get("goals") or [] if g.get("achievement")]


def figure_text(figure: dict[str, Any] | None) -> str:
    """A figure as the plan prints it."""
    if not figure:
        return ""
    text = figure.get("text")
    if text:
        return str(text)
    value = figure.get("value")
    return "" if value is None else str(value)


def wareki_date(value: str) -> str:
    """A package date ("2022-06", "2024-05-15") as the plans print it: "令和4年6月"."""
    parts = value.split("-")
    try:
        year = int(parts[0])
        era = format_wareki(year).removesuffix("年度")
    except (ValueError, FiscalYearError):
        return value
    out = f"{era}年"
    if len(parts) > 1:
        out += f"{int(parts[1])}月"
    if len(parts) > 2:
        out += f"{int(parts[2])}日"
    return out


def _measure(figure: dict[str, Any] | None, unit: str | None) -> Measure | None:
    if not figure or not isinstance(figure.get("value"), int | float):
        return None
    return Measure(Decimal(str(figure["value"])), figure.get("unit") or unit, figure.get("op"))


def indicator_marks(indicator: dict[str, Any]) -> dict[str, bool]:
    """Per fiscal-year key with a numeric target and actual: was the target met?"""
    unit = indicator.get("unit")
    targets = {
        k: m for k, f in (indicator.get("targets") or {}).items() if (m := _measure(f, unit))
    }
    series = [targets[k] for k in sorted(targets)]
    baseline = _measure(indicator.get("baseline"), unit)
    marks = {}
    for key, figure in (indicator.get("actuals") or {}).items():
        actual, target = _measure(figure, unit), targets.get(key)
        if actual is None or target is None:
            continue
        comparison = target_comparison(target, baseline=baseline, targets=series)
        met = target_met(target, actual, comparison)
        if met is not None:
            marks[key] = met
    return marks
