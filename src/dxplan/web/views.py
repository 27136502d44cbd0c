"""What the pages show, worked out from the package form of a plan (the same form the API and
exports give), so that a plan as it stands and a plan as it stood at a revision render alike.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from dxplan.documents.presentation import (
    achievements,
    departments,
    figure_text,
    flags,
    fy_label,
    latest_status,
    plan_years,
    year_keys,
)
from dxplan.plans.labels import FLAG_LABELS, ROLE_LABELS, SORT_LABELS
from dxplan.plans.rules import link_terms
from dxplan.plans.search_text import Snippet

SORT_KEYS = tuple(SORT_LABELS)


@dataclass
class Filters:
    """The plan page's filter and sort, from its query string."""

    section: str = ""
    department: str = ""
    flag: str = ""
    status: str = ""
    achievement: str = ""
    sort: str = "code"

    @property
    def active(self) -> bool:
        return any([self.section, self.department, self.flag, self.status, self.achievement])


def _in_section(initiative: dict[str, Any], section: str, children: dict[str, list[str]]) -> bool:
    wanted = {section}
    todo = [section]
    while todo:
        for child in children.get(todo.pop(), []):
            wanted.add(child)
            todo.append(child)
    return initiative.get("section") in wanted


def filter_initiatives(doc: dict[str, Any], filters: Filters) -> list[dict[str, Any]]:
    """The plan's initiatives that pass the filters, sorted as asked."""
    children: dict[str, list[str]] = {}
    for section in doc.get("sections") or []:
        children.setdefault(section.get("parent") or "", []).append(section["code"])
    out = []
    for item in doc.get("initiatives") or []:
        if filters.section and not _in_section(item, filters.section, children):
            continue
        if filters.department and filters.department not in departments(item):
            continue
        if filters.flag and filters.flag not in flags(item):
            continue
        if filters.status and latest_status(item) != filters.status:
            continue
        if filters.achievement and filters.achievement not in achievements(item):
            continue
        out.append(item)
    if filters.sort == "title":
        out.sort(key=lambda i: i.get("title") or "")
    elif filters.sort == "department":
        out.sort(key=lambda i: (departments(i) or ["\uffff"])[0])
    elif filters.sort == "status":
        out.sort(key=lambda i: latest_status(i) or "\uffff")
    return out


@dataclass
class SectionNode:
    """A section with its sub-sections, for the plan's tree."""

    section: dict[str, Any]
    children: list[SectionNode] = field(default_factory=list)
    initiatives: int = 0


def section_tree(doc: dict[str, Any]) -> list[SectionNode]:
    """The sections as a tree, each with the number of initiatives directly under it."""
    nodes = {s["code"]: SectionNode(s) for s in doc.get("sections") or []}
    for item in doc.get("initiatives") or []:
        node = nodes.get(item.get("section") or "")
        if node:
            node.initiatives += 1
    roots: list[SectionNode] = []
    for node in nodes.values():
        parent = nodes.get(node.section.get("parent") or "")
        (parent.children if parent else roots).append(node)
    return roots


def schedule_svg(activities: Sequence[dict[str, Any]], years: Sequence[str]) -> Markup:
    """The schedule as 計画 / 実績 bars per activity and fiscal year, drawn as SVG.

    Decorative for screen readers (aria-hidden): the table beside it says the same in text.
    """
    label_width, col, row, bar = 220, 96, 44, 12
    width = label_width + col * len(years)
    height = 28 + row * len(activities)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="schedule" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}" aria-hidden="true" focusable="false">'
    ]
    for i, key in enumerate(years):
        x = label_width + col * i
        parts.append(
            f'<text x="{x + col / 2}" y="18" text-anchor="middle" class="schedule-year">'
            f"{escape(fy_label(key).split('（')[0])}</text>"
        )
        parts.append(f'<line x1="{x}" y1="24" x2="{x}" y2="{height}" class="schedule-grid"/>')
    for r, activity in enumerate(activities):
        y = 28 + row * r
        title = str(activity.get("title") or "")
        short = title if len(title) <= 14 else title[:13] + "…"
        parts.append(
            f'<text x="4" y="{y + row / 2 + 5}" class="schedule-label">{escape(short)}</text>'
        )
        parts.append(f'<line x1="0" y1="{y}" x2="{width}" y2="{y}" class="schedule-grid"/>')
        for i, key in enumerate(years):
            x = label_width + col * i + 6
            if key in (activity.get("plan") or {}):
                parts.append(
                    f'<rect x="{x}" y="{y + 6}" width="{col - 12}" height="{bar}"'
                    ' class="bar-plan" rx="2"/>'
                )
            if key in (activity.get("actual") or {}):
                parts.append(
                    f'<rect x="{x}" y="{y + 8 + bar}" width="{col - 12}" height="{bar}"'
                    ' class="bar-actual" rx="2"/>'
                )
    parts.append("</svg>")
    return Markup("".join(parts))


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A CSV file Excel opens as UTF-8 (with a byte order mark)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def initiatives_csv(doc: dict[str, Any]) -> bytes:
    """The plan's initiatives, one row each."""
    header = ["コード", "区分", "取組名", *ROLE_LABELS.values(), *FLAG_LABELS.values()]
    header += ["進捗状況（最新年度）", "達成状況"]
    rows = []
    for item in doc.get("initiatives") or []:
        marks = flags(item)
        rows.append(
            [
                item.get("code"),
                item.get("section"),
                item.get("title"),
                *("、".join(item.get(f) or []) for f in ROLE_LABELS),
                *("○" if name in marks else "" for name in FLAG_LABELS),
                latest_status(item),
                "、".join(achievements(item)),
            ]
        )
    return csv_bytes(header, rows)


def indicators_csv(doc: dict[str, Any]) -> bytes:
    """The plan's indicators, one row each, with baseline, targets and actuals per year."""
    indicators = [
        (item, indicator)
        for item in doc.get("initiatives") or []
        for indicator in item.get("indicators") or []
    ]
    years = year_keys([i for _, i in indicators], "targets", "actuals")
    header = ["取組コード", "取組名", "評価指標", "単位", "現状値", "現状値の年度"]
    for key in years:
        header += [f"{fy_label(key)} 目標値", f"{fy_label(key)} 実績値"]
    rows = []
    for item, indicator in indicators:
        baseline = indicator.get("baseline") or {}
        row = [
            item.get("code"),
            item.get("title"),
            indicator.get("name"),
            indicator.get("unit"),
            figure_text(baseline),
            baseline.get("fy"),
        ]
        for key in years:
            row += [
                figure_text((indicator.get("targets") or {}).get(key)),
                figure_text((indicator.get("actuals") or {}).get(key)),
            ]
        rows.append(row)
    return csv_bytes(header, rows)


def highlight(snippet: Snippet) -> Markup:
    """A search snippet with its matches in <mark> (the text escaped)."""
    out, at = [], 0
    for start, end in snippet.highlights:
        out += [escape(snippet.text[at:start]), Markup("<mark>"), escape(snippet.text[start:end])]
        out.append(Markup("</mark>"))
        at = end
    out.append(escape(snippet.text[at:]))
    return Markup("").join(out)


def glossary_linked(text: str, anchors: dict[str, str]) -> Markup:
    """The text with its glossary terms linked to their entries (`anchors`: term → URL)."""
    out = []
    for segment, term in link_terms(text, anchors):
        if term is None:
            out.append(escape(segment))
        else:
            out.append(Markup('<a href="%s" class="term">%s</a>') % (anchors[term], segment))
    return Markup("").join(out)


def sheet_parts(
    info: dict[str, Any], sections: dict[str, dict[str, Any]], item: dict[str, Any]
) -> dict[str, Any]:
    """What an initiative sheet shows of the initiative's package form `item`, with the plan's
    info and sections (by code) in package form."""
    activities = item.get("activities") or []
    years = plan_years(info)
    years += [k for k in year_keys(activities, "plan", "actual", "status") if k not in years]
    return {
        "plan": info,
        "item": item,
        "section": sections.get(item.get("section") or ""),
        "years": years,
        "schedule": schedule_svg(activities, years),
        "has_schedule": any(a.get(f) for a in activities for f in ("plan", "actual", "status")),
        "indicator_years": year_keys(item.get("indicators") or [], "targets", "actuals"),
        "result_years": year_keys([item], "results", "fiscal_effects"),
    }


def sheet_from_package(doc: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    """An initiative sheet from a whole package (a plan as it stood at a revision)."""
    sections = {s["code"]: s for s in doc.get("sections") or []}
    code = item.get("code")
    predecessors = [
        (i["code"], i["title"])
        for i in doc.get("initiatives") or []
        if (i.get("terminated") or {}).get("successor") == code
    ]
    return sheet_parts(doc["plan"], sections, item) | {"predecessors": predecessors}
