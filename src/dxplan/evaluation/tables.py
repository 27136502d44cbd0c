"""The summary tables (集計表) of a plan as seed 002 prints them, and roll-ups by section and
department, computed from a plan's package form. Pure (standard library only).

Tables (`summary_tables`):

- 進捗状況 per fiscal year: 事業数, 取組活動数 and the activities by status, with 進捗率
  ((済 + 概ね順調) ÷ 取組活動数; the statuses flagged `on_track` on other scales).
- 達成状況: the goals due within the plan's period by verdict, with their shares of the goals
  due (a verdict outside the order, such as 評価できない, counted apart and not in the shares).
- 財政健全化効果額 per fiscal year and in total, and per 取組の視点 (top-level section).
- 取組結果 per 取組の視点 and year: 取組事業数, 追加事業数, 終了事業数, 財政健全化効果額.

Every cell holds the value the items give (None where they give nothing: a plan transcribed
with totals only) beside the figure the document prints (the published figure of the name
`evaluation.consistency` documents), and says whether the two differ. A year's 事業数 is the number
of initiatives with an activity status that year where the year has statuses at all, else of
those whose period covers the year (an initiative without a period runs through the plan's).
追加事業数 counts initiatives whose period starts in the year (after the plan's first year),
終了事業数 those whose period ends in it (before the plan's last year).

The tables' rows are built in `evaluation.table_rows`, the roll-ups in `evaluation.rollups`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dxplan.evaluation.facts import facts_from_package
from dxplan.evaluation.rollups import RollupRow, rollup
from dxplan.evaluation.rules import plan_scales
from dxplan.evaluation.table_rows import (
    AchievementRow,
    Cell,
    PrintedCells,
    ProgressRow,
    Viewpoint,
    achievement_rows,
    fiscal_rows,
    progress_rows,
    viewpoint_rows,
)
from dxplan.wareki import format_wareki


@dataclass(frozen=True)
class SummaryTables:
    """The plan's summary tables and roll-ups: plain data for pages and documents."""

    title: str
    years: list[int]
    fy: int
    progress_labels: list[str]
    on_track_labels: list[str]
    achievement_labels: list[str]
    apart_labels: list[str]
    progress: list[ProgressRow]
    achievement_total: Cell
    achievement: list[AchievementRow]
    achievement_apart: dict[str, int]
    fiscal: list[tuple[str, Cell]]
    viewpoints: list[Viewpoint]
    by_section: list[RollupRow] = field(default_factory=list)
    by_department: list[RollupRow] = field(default_factory=list)
    plan_row: RollupRow | None = None

    def year_label(self, key: int | str) -> str:
        """A fiscal year as the plans print it: 2023 → "2023年度（令和5年度）"; "計" stays."""
        try:
            fy = int(key)
        except ValueError:
            return str(key)
        return f"{fy}年度（{format_wareki(fy)}）"

    @property
    def differences(self) -> int:
        """How many printed figures differ from what the items give."""
        cells = [c for row in self.progress for c in _progress_cells(row)]
        cells += [
            self.achievement_total,
            *(c for r in self.achievement for c in (r.count, r.share)),
        ]
        cells += [cell for _, cell in self.fiscal]
        cells += [
            c
            for v in self.viewpoints
            for y in v.years
            for c in (y.initiatives, y.added, y.ended, y.fiscal)
        ]
        return sum(c.differs for c in cells)

    @property
    def shows_progress(self) -> bool:
        """Is there a status count to show, from the items or printed?"""
        return any(_shown(c) for row in self.progress for c in _progress_cells(row)[1:])

    @property
    def shows_achievement(self) -> bool:
        return _shown(self.achievement_total)

    @property
    def shows_fiscal(self) -> bool:
        return any(_shown(cell) for _, cell in self.fiscal)


def _shown(cell: Cell) -> bool:
    return cell.computed is not None or cell.printed is not None


def _progress_cells(row: ProgressRow) -> list[Cell]:
    return [row.initiatives, row.activities, *row.statuses.values(), row.on_track, row.rate]


def default_year(start_fy: int, end_fy: int, today_fy: int) -> int:
    """The year the roll-ups show by default: the current fiscal year within the plan's
    period, else the plan's last year (or first, before it starts)."""
    return min(max(today_fy, start_fy), end_fy)


def summary_tables(
    doc: Mapping[str, Any],
    fy: int,
    overrides: Mapping[tuple[str, int], str] | None = None,
) -> SummaryTables:
    """The summary tables of a plan package, with roll-ups for fiscal year `fy`; `overrides`
    are the people's verdicts on indicators (uid, fy) → label."""
    facts = facts_from_package(doc)
    scales = plan_scales(doc["plan"])
    items = facts.items
    printed = PrintedCells(facts.figures)
    years = list(range(facts.start_fy, facts.end_fy + 1))
    total, achievement, apart = achievement_rows(facts, scales["achievement"], printed)
    overrides = overrides or {}
    sections = {s["code"]: s["title"] for s in doc.get("sections") or []}
    by_section = [
        rollup(f"{code} {title}", [i for i in items if i.section == code], fy, scales, overrides)
        for code, title in sections.items()
        if any(i.section == code for i in items)
    ]
    # 取組結果 per 取組の視点: where the document prints it, or the items have fiscal effects
    by_viewpoint = any(n.startswith("取組結果/") for n in printed.figures) or any(
        i.fiscal_effects for i in items
    )
    departments = sorted({d for i in items for d in i.lead_departments})
    by_department = [
        rollup(name, [i for i in items if name in i.lead_departments], fy, scales, overrides)
        for name in departments
    ]
    return SummaryTables(
        title=doc["plan"]["title"],
        years=years,
        fy=fy,
        progress_labels=scales["progress"].labels,
        on_track_labels=scales["progress"].on_track_labels,
        achievement_labels=scales["achievement"].ordered_labels,
        apart_labels=scales["achievement"].apart_labels,
        progress=progress_rows(facts, years, scales["progress"], printed),
        achievement_total=total,
        achievement=achievement,
        achievement_apart=apart,
        fiscal=fiscal_rows(facts, years, printed),
        viewpoints=viewpoint_rows(facts, years, printed) if by_viewpoint else [],
        by_section=by_section,
        by_department=by_department,
        plan_row=rollup("計画全体", items, fy, scales, overrides),
    )
