"""What each document says, worked out from a plan's package form: plain dicts and lists that the
PDF templates and the Excel writer both lay out. Pure (no database, no rendering).

A document is cut at a fiscal year `fy`: results, actual phases, statuses and actuals of later
years are left out, and goals due later are shown without a verdict.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any, Final

from dxplan.documents.presentation import (
    departments,
    indicator_marks,
    plan_years,
    wareki_date,
    year_keys,
)
from dxplan.errors import DxplanError, NotFoundError
from dxplan.evaluation.consistency import check_plan
from dxplan.evaluation.facts import PlanFacts, facts_from_package
from dxplan.evaluation.findings import CheckReport
from dxplan.evaluation.tables import summary_tables
from dxplan.evaluation.tallies import fiscal_total, goal_tally, percentage, progress_tally
from dxplan.fiscal import FiscalYearError, parse_fy_key
from dxplan.plans.rules import DEFAULT_SCALES
from dxplan.wareki import format_wareki

Progress = Callable[[int, int], None]
"""Told (done, total) as a long document is built."""


class Kind(StrEnum):
    """The documents a plan can be published as."""

    SHEETS = "sheets"
    PROGRESS = "progress"
    SUMMARY = "summary"
    REVISIONS = "revisions"


KIND_TITLES = {
    Kind.SHEETS: "取組シート",
    Kind.PROGRESS: "取組結果",
    Kind.SUMMARY: "取組結果の総括",
    Kind.REVISIONS: "改訂履歴",
}


class DocumentError(DxplanError):
    """A document that cannot be made as asked (an unknown kind, a year outside the plan, a
    plan without what the document shows)."""


@dataclass(frozen=True)
class Frame:
    """What every page of a document shows: whose plan, which document, for which year."""

    kind: Kind
    municipality: str
    plan_title: str
    fy: int
    draft: bool
    title: str
    made_on: date

    @property
    def made_on_text(self) -> str:
        """The date the document was made, as the plans print it (令和6年5月15日)."""
        return wareki_date(self.made_on.isoformat())


class MissingDocumentError(DocumentError, NotFoundError):
    """The plan has nothing for a document of that kind (no revisions, no published figures)."""


# --- Fiscal years ---------------------------------------------------------------------------------


def plan_period(doc: Mapping[str, Any]) -> tuple[int, int]:
    """The first and last fiscal year of the plan."""
    period = doc["plan"]["period"]
    return int(period["start_fy"]), int(period["end_fy"])


def resolve_fy(doc: Mapping[str, Any], fy: int | None, today: date) -> int:
    """The year asked for, checked against the plan's period; without one, the current fiscal
    year, or the plan's last year if its period is over (its first if not begun)."""
    start, end = plan_period(doc)
    if fy is None:
        current = today.year if today.month >= 4 else today.year - 1
        return min(max(current, start), end)
    if not start <= fy <= end:
        raise DocumentError(
            f"fiscal year {fy} is outside the plan's period {start}–{end} "
            f"({format_wareki(start)}〜{format_wareki(end)}); give --fy between {start} and {end}"
        )
    return fy


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


# --- Initiatives ----------------------------------------------------------------------------------


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


def _initiatives(
    doc: Mapping[str, Any], fy: int, progress: Progress | None
) -> list[dict[str, Any]]:
    sections = {s["code"]: s for s in doc.get("sections") or []}
    years = [y for y in plan_years(doc["plan"]) if int(y) <= fy] or plan_years(doc["plan"])
    items = doc.get("initiatives") or []
    out = []
    for done, item in enumerate(items, 1):
        out.append(initiative_view(item, sections, years, fy))
        if progress:
            progress(done, len(items))
    return out


def sheets_content(doc: Mapping[str, Any], fy: int, progress: Progress | None) -> dict[str, Any]:
    """The initiative sheets: one per initiative, with the plan's whole period as columns."""
    sections = {s["code"]: s for s in doc.get("sections") or []}
    years = plan_years(doc["plan"])
    items = doc.get("initiatives") or []
    sheets = []
    for done, item in enumerate(items, 1):
        sheets.append(initiative_view(item, sections, years, fy))
        if progress:
            progress(done, len(items))
    return {"sheets": sheets, "years": years}


def progress_content(doc: Mapping[str, Any], fy: int, progress: Progress | None) -> dict[str, Any]:
    """The progress report: the index table, grouped into 重点取組事項 and 取組事項 where the
    plan marks priorities, then each initiative's purpose, activities, results by year,
    計画 / 実績 phases and goals with their verdicts."""
    views = _initiatives(doc, fy, progress)
    groups: list[tuple[str, list[dict[str, Any]]]]
    if any(v["item"].get("priority") for v in views):
        groups = [
            ("重点取組事項", [v for v in views if v["item"].get("priority")]),
            ("取組事項", [v for v in views if not v["item"].get("priority")]),
        ]
    else:
        groups = [("取組事項", views)]
    goals = [g for v in views for g in v["item"].get("goals") or []]
    scales = doc["plan"].get("scales") or {}
    labels = [s["label"] for s in scales.get("achievement") or DEFAULT_SCALES["achievement"]]
    counted = Counter(g["achievement"] for g in goals if g.get("achievement"))
    verdicts = {label: counted[label] for label in labels if counted[label]}
    verdicts |= {label: n for label, n in counted.items() if label not in verdicts}
    return {
        "groups": [(i, name, rows) for i, (name, rows) in enumerate(groups, 1) if rows],
        "initiatives": views,
        "goal_count": len(goals),
        "verdicts": verdicts,
        "years": views[0]["years"] if views else [],
        "code_chars": max((len(str(v["item"].get("code") or "")) for v in views), default=2),
    }


# --- Summary --------------------------------------------------------------------------------------


@dataclass
class FigureTable:
    """Published figures laid out as the document printed them: rows × columns, each cell the
    printed text and value beside the value recomputed from the items (None: not recomputed)."""

    name: str
    columns: list[str] = field(default_factory=list)
    rows: list[str] = field(default_factory=list)
    cells: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)

    def cell(self, row: str, column: str) -> dict[str, Any] | None:
        """The figure at (row, column), if the document printed one."""
        return self.cells.get((row, column))

    @property
    def recomputed(self) -> bool:
        """Does any cell have a recomputed value?"""
        return any(c["computed"] is not None for c in self.cells.values())


def _place(name: str) -> tuple[str, str, str]:
    parts = name.split("/")
    if len(parts) == 1:
        return "その他の公表数値", name, "値"
    if len(parts) == 2:
        return parts[0], parts[1], "値"
    return "/".join(parts[:-2]), parts[-2], parts[-1]


def row_label(key: str) -> str:
    """A row key as printed: a fiscal year as 「令和2年度」."""
    if re.fullmatch(r"[0-9]{4}", key):
        return format_wareki(int(key))
    return key


def _places(text: str) -> int:
    match = re.search(r"[0-9]\.([0-9]+)", text)
    return len(match.group(1)) if match else 0


def _share(numerator: int | Decimal, denominator: int | Decimal, text: str) -> Decimal | None:
    if not denominator:
        return None
    exponent = Decimal(1).scaleb(-_places(text))
    return percentage(numerator, denominator).quantize(exponent, rounding=ROUND_HALF_UP)


def _yearly_fiscal(facts: PlanFacts, year: int, viewpoint: str | None) -> Decimal | None:
    items = [i for i in facts.items if viewpoint is None or i.viewpoint == viewpoint]
    yearly = [i.fiscal_effects[year, year] for i in items if (year, year) in i.fiscal_effects]
    if not any((year, year) in i.fiscal_effects for i in facts.items):
        return None  # the items give totals over several years only
    return sum((v or Decimal(0) for v in yearly), Decimal(0))


def recompute(facts: PlanFacts, name: str, text: str = "") -> Decimal | None:
    """The figure's value recomputed from the plan's items, where the name says how (seed 002's
    progress, achievement and fiscal-effect tables) and the items carry what it counts (as
    `evaluation.consistency` compares them); None otherwise."""
    parts = name.split("/")
    labels = facts.progress_labels
    if parts[0] in ("進捗状況", "進捗率") and len(parts) == 3 and parts[1].isdigit():
        tally = progress_tally(facts.items, int(parts[1]))
        if not tally.activities:
            return None  # no activity of the year has a status: nothing to count
        counts = {
            "事業数": tally.initiatives,
            "取組活動数": tally.activities,
            "・".join(labels[:2]): tally.on_track(labels),
        } | {label: tally.by_status.get(label, 0) for label in labels}
        if parts[2] == "進捗率":
            return _share(tally.on_track(labels), tally.activities, text)
        return Decimal(counts[parts[2]]) if parts[2] in counts else None
    if parts[0] == "達成状況" and any(item.goals for item in facts.items):
        goals = goal_tally(facts.items, facts.end_fy)
        if parts[1:] == ["達成するべき事項の合計数"]:
            return Decimal(goals.total)
        if len(parts) == 3 and parts[1] in facts.achievement_labels:
            count = goals.by_achievement.get(parts[1], 0)
            if parts[2] == "件数":
                return Decimal(count)
            if parts[2] == "割合":
                return _share(count, goals.total, text)
        return None
    if not any(item.fiscal_effects for item in facts.items):
        return None
    if parts[0] == "財政健全化効果額" and len(parts) == 2:
        if parts[1] == "合計":
            return fiscal_total(facts.items)
        return _yearly_fiscal(facts, int(parts[1]), None) if parts[1].isdigit() else None
    if parts[0] == "取組結果" and len(parts) == 4 and parts[3] == "財政健全化効果額":
        if parts[2] == "計":
            return fiscal_total(facts.items, parts[1])
        return _yearly_fiscal(facts, int(parts[2]), parts[1]) if parts[2].isdigit() else None
    return None


def figure_tables(doc: Mapping[str, Any], facts: PlanFacts) -> list[FigureTable]:
    """The plan's published figures as tables, in the order the document printed them."""
    tables: dict[str, FigureTable] = {}
    for figure in doc.get("published_figures") or []:
        table_name, row, column = _place(figure["name"])
        table = tables.setdefault(table_name, FigureTable(table_name))
        if row not in table.rows:
            table.rows.append(row)
        if column not in table.columns:
            table.columns.append(column)
        table.cells[(row, column)] = {
            "name": figure["name"],
            "text": figure.get("text") or "",
            "value": figure.get("value"),
            "computed": recompute(facts, figure["name"], figure.get("text") or ""),
            "where": figure.get("where") or "",
        }
    return list(tables.values())


# The published figures that the summary tables (evaluation.tables, seed 002's layout) show beside
# the values computed from the items; the summary lists the others as printed.
SUMMARY_TABLE_FIGURES: Final = frozenset(
    {"進捗状況", "進捗率", "達成状況", "財政健全化効果額", "取組結果"}
)


def summary_content(
    doc: Mapping[str, Any],
    fy: int,
    progress: Progress | None,
    overrides: Mapping[tuple[str, int], str] | None = None,
) -> dict[str, Any]:
    """The summary: seed 002's summary tables computed from the items with the printed figures
    beside them (the same data and markup as the 集計表 page; `overrides` the people's verdicts
    on indicators, (uid, fy) → label), the plan's other printed figures with what the items
    give, and the consistency check's findings as an appendix."""
    facts = facts_from_package(doc)
    report: CheckReport = check_plan(facts)
    tables = summary_tables(doc, fy, overrides)
    if progress:
        progress(1, 1)
    others = [
        t for t in figure_tables(doc, facts) if t.name.split("/")[0] not in SUMMARY_TABLE_FIGURES
    ]
    return {
        "summary": tables,
        "tables": others,
        "all_tables": figure_tables(doc, facts),
        "report": report,
        "findings": report.findings,
    }


def revisions_content(doc: Mapping[str, Any], fy: int, progress: Progress | None) -> dict[str, Any]:
    """The 改訂履歴 table: each adopted revision with the changes it lists."""
    rows = []
    for revision in doc.get("revisions") or []:
        changes = revision.get("changes") or []
        rows.append(
            {
                "date": wareki_date(str(revision.get("date") or "")),
                "version": revision.get("version") or "",
                "note": revision.get("note") or "",
                "changes": changes,
            }
        )
    return {"revisions": rows}


BUILDERS: dict[Kind, Callable[[Mapping[str, Any], int, Progress | None], dict[str, Any]]] = {
    Kind.SHEETS: sheets_content,
    Kind.PROGRESS: progress_content,
    Kind.SUMMARY: summary_content,
    Kind.REVISIONS: revisions_content,
}


_BARE = {"uid", "code", "section", "title", "note"}


def available_kinds(doc: Mapping[str, Any]) -> list[Kind]:
    """The documents the plan has the data for."""
    items = doc.get("initiatives") or []
    out = []
    if any(set(item) - _BARE for item in items):  # not only a list of titles (seed 003)
        out.append(Kind.SHEETS)
    if any(i.get("results") or i.get("goals") for i in items):
        out.append(Kind.PROGRESS)
    if doc.get("published_figures"):
        out.append(Kind.SUMMARY)
    if doc.get("revisions"):
        out.append(Kind.REVISIONS)
    return out


def document_title(kind: Kind, fy: int) -> str:
    """The document's title as the seeds name them: 「令和5年度 取組結果」."""
    if kind is Kind.REVISIONS:
        return KIND_TITLES[kind]
    return f"{format_wareki(fy)} {KIND_TITLES[kind]}"


def content(
    doc: Mapping[str, Any],
    kind: Kind,
    fy: int,
    progress: Progress | None = None,
    overrides: Mapping[tuple[str, int], str] | None = None,
) -> dict[str, Any]:
    """What the document of that kind says; DocumentError if the plan has nothing for it.
    `overrides`: the people's verdicts on indicators, (uid, fy) → label (for the summary)."""
    if kind not in available_kinds(doc):
        what = {
            Kind.SHEETS: "no initiatives with more than their titles",
            Kind.PROGRESS: "no results or goals",
            Kind.SUMMARY: "no published figures",
            Kind.REVISIONS: "no revision history (改訂履歴)",
        }[kind]
        raise MissingDocumentError(
            f"plan {doc['plan']['id']!r} has {what}: no {kind.value} document"
        )
    if kind is Kind.SUMMARY:
        return summary_content(doc, fy, progress, overrides)
    return BUILDERS[kind](doc, fy, progress)
