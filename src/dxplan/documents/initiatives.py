"""What the initiative sheets and the progress report show of one initiative: the initiative as
it stood at the end of a fiscal year (later results left out), its sections, its activities'
phases by year, its indicators' marks and rationales. Pure (no database, no rendering).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dxplan.documents.presentation import departments, indicator_marks, year_keys
from dxplan.fiscal import FiscalYearError, parse_fy_key


def _key_start(key: str) -> int | None:
    try:
        return parse_fy_key(key).start_fy
    except FiscalYearError:
        return None


def upto(mapping: Mapping[str, Any] | None, fy: int) -> dict[str, Any]:
    """The per-year entries of years up to `fy` (a span counts from its first year)."""
    return {k: v for k, v in (mapping or {}).items() if (s := _key_start(k)) is None or s <= fy}


def cut_at(item: dict[str, Any], fy: int) -> dict[str, Any]:
    """The initiative as it stood at the end of `fy`: later yearly results left out."""
    out = dict(item)
    for name in ("results", "fiscal_effects"):
        if name in out:
            out[name] = upto(out[name], fy)
    out["activities"] = [
        a | {"actual": upto(a.get("actual"), fy), "status": upto(a.get("status"), fy)}
        for a in item.get("activities") or []
    ]
    out["indicators"] = [
        i | {"actuals": upto(i.get("actuals"), fy)} for i in item.get("indicators") or []
    ]
    goals = []
    for goal in item.get("goals") or []:
        due = goal.get("target_fy")
        if isinstance(due, int) and due > fy:
            goal = {k: v for k, v in goal.items() if k not in ("achievement", "note")}
        goals.append(goal)
    out["goals"] = goals
    return out


def section_path(sections: Mapping[str, dict[str, Any]], code: str | None) -> list[dict[str, Any]]:
    """The section and its parents, top first."""
    path = []
    seen: set[str] = set()
    while code and code in sections and code not in seen:
        seen.add(code)
        path.append(sections[code])
        code = sections[code].get("parent")
    return path[::-1]


def section_label(section: Mapping[str, Any]) -> str:
    """A section as the progress report's 区分 column prints it: 「方針1 暮らしのデジタル化」."""
    level = section.get("level") or ""
    return f"{level}{section.get('code')} {section.get('title')}".strip()


def _number(item: Mapping[str, Any]) -> str:
    added = item.get("added_fy")
    prefix = f"（{added}年度追加事業）" if added else ""
    return prefix + str(item.get("title") or "")


def schedule_rows(item: Mapping[str, Any], years: list[str]) -> list[dict[str, Any]]:
    """Per activity, its 計画 and 実績 phases by year (the bars of the seeds), where it has any."""
    rows = []
    for activity in item.get("activities") or []:
        plan, actual = activity.get("plan") or {}, activity.get("actual") or {}
        if not plan and not actual and not activity.get("status"):
            continue
        rows.append(
            {
                "title": activity.get("title") or "",
                "plan": {y: plan[y] for y in years if y in plan},
                "actual": {y: actual[y] for y in years if y in actual},
                "status": {y: s for y in years if (s := (activity.get("status") or {}).get(y))},
            }
        )
    return rows


def rationales(indicators: list[dict[str, Any]]) -> list[tuple[list[str], str]]:
    """指標の考え方, each text once with the names of the indicators it explains."""
    grouped: dict[str, list[str]] = {}
    for indicator in indicators:
        if indicator.get("rationale"):
            grouped.setdefault(indicator["rationale"], []).append(indicator.get("name") or "")
    return [(names, text) for text, names in grouped.items()]


def initiative_view(
    item: dict[str, Any], sections: Mapping[str, dict[str, Any]], years: list[str], fy: int
) -> dict[str, Any]:
    """Everything a sheet or a progress page shows of one initiative, cut at `fy`."""
    item = cut_at(item, fy)
    path = section_path(sections, item.get("section"))
    indicators = item.get("indicators") or []
    return {
        "item": item,
        "path": path,
        "top": path[0] if path else None,
        "label": _number(item),
        "lead": item.get("lead_departments") or [],
        "implementing": item.get("implementing_departments")
        or item.get("related_departments")
        or [],
        "departments": departments(item),
        "years": years,
        "schedule": schedule_rows(item, years),
        "indicator_years": sorted(
            set(years) | set(year_keys(indicators, "targets", "actuals")),
            key=lambda k: (k[:4], len(k)),
        ),
        "marks": [indicator_marks(i) for i in indicators],
        "rationales": rationales(indicators),
        "result_years": year_keys([item], "results", "fiscal_effects"),
    }
