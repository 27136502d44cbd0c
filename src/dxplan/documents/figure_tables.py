"""The published figures of the summary document laid out as tables, as the plan printed them,
each cell beside the value recomputed from the items where the figure's name says how (seed
002's progress, achievement and fiscal-effect tables). Pure (no database, no rendering).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from dxplan.evaluation.facts import PlanFacts
from dxplan.evaluation.tallies import fiscal_total, goal_tally, percentage, progress_tally
from dxplan.wareki import format_wareki


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
