"""What each document says, worked out from a plan's package form: plain dicts and lists that the
PDF templates and the Excel writer both lay out. Pure (no database, no rendering).

A document is cut at a fiscal year `fy`: results, actual phases, statuses and actuals of later
years are left out, and goals due later are shown without a verdict.

What a sheet or a progress page shows of one initiative is worked out in
`documents.initiatives`, the summary's tables of published figures in `documents.figure_tables`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, Final

from dxplan.documents.figure_tables import figure_tables
from dxplan.documents.initiatives import initiative_view
from dxplan.documents.labels import KIND_TITLES
from dxplan.documents.presentation import plan_years, wareki_date
from dxplan.errors import DxplanError, NotFoundError
from dxplan.evaluation.consistency import check_plan
from dxplan.evaluation.facts import facts_from_package
from dxplan.evaluation.findings import CheckReport
from dxplan.evaluation.tables import summary_tables
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


# --- Initiatives ----------------------------------------------------------------------------------


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
