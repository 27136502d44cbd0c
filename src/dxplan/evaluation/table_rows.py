"""The rows of the summary tables (集計表): 進捗状況 per year, 達成状況 by verdict, 財政健全化効果額
per year and 取組結果 per 取組の視点, each cell the value the items give beside the figure the
document prints (see `evaluation.tables`), built from what the check reads (`evaluation.facts`).
Pure (standard library only).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from dxplan.evaluation.facts import ItemFacts, PlanFacts, PrintedFigure
from dxplan.evaluation.rules import Scale, progress_rate
from dxplan.evaluation.tallies import (
    fiscal_total,
    goal_tally,
    percentage,
    progress_tally,
    quantize,
    yearly_fiscal,
)
from dxplan.figures import parse_figure

CellKind = Literal["count", "percent", "amount"]


@dataclass(frozen=True)
class Cell:
    """A figure of a table: what the items give and what the document prints (either may be
    missing). `differs` when both are there and disagree (a share at the printed decimals)."""

    computed: Decimal | None
    printed: str | None = None
    printed_value: Decimal | None = None
    kind: CellKind = "count"
    unit: str = ""

    @property
    def computed_text(self) -> str | None:
        """The computed value as the document would print it."""
        if self.computed is None:
            return None
        if self.kind == "percent":
            return f"{self._rounded(self.computed)}%"
        value = self.computed
        if value == value.to_integral_value():
            return f"{int(value):,}{self.unit}"
        return f"{value.normalize():,f}{self.unit}"

    def _rounded(self, value: Decimal) -> Decimal:
        places = 1
        if self.printed is not None and "." not in self.printed:
            places = 0
        return quantize(value, places, truncate=False)

    @property
    def differs(self) -> bool:
        if self.computed is None or self.printed is None:
            return False
        printed = self.printed_value if self.printed_value is not None else Decimal(0)
        if self.kind == "percent":
            return self._rounded(self.computed) != printed
        if "約" in self.printed and printed:
            digits = len(str(int(printed))) - len(str(int(printed)).rstrip("0"))
            approx = quantize(self.computed.scaleb(-digits), 0, truncate=False).scaleb(digits)
            return approx != printed
        return self.computed != printed


@dataclass(frozen=True)
class ProgressRow:
    fy: int
    initiatives: Cell
    activities: Cell
    statuses: dict[str, Cell]
    on_track: Cell
    rate: Cell


@dataclass(frozen=True)
class AchievementRow:
    label: str
    count: Cell
    share: Cell


@dataclass(frozen=True)
class ViewpointYear:
    key: str  # a fiscal year, or "計"
    initiatives: Cell
    added: Cell
    ended: Cell
    fiscal: Cell


@dataclass(frozen=True)
class Viewpoint:
    title: str
    years: list[ViewpointYear]


# --- Reading the facts ----------------------------------------------------------------------------


class PrintedCells:
    """The published figures by name, each made into a cell beside the value computed for it."""

    def __init__(self, figures: Iterable[PrintedFigure]) -> None:
        self.figures = {f.name: f for f in figures}

    def cell(self, name: str, computed: Decimal | int | None, kind: CellKind = "count") -> Cell:
        """The cell of that name: `computed` beside the figure printed under it, if any."""
        figure = self.figures.get(name)
        value = None if computed is None else Decimal(computed)
        if figure is None:
            return Cell(value, kind=kind, unit="千円" if kind == "amount" else "")
        unit = "" if kind == "percent" else (parse_figure(figure.text).unit or "")
        if kind == "count" and unit not in ("", "事業"):
            unit = ""
        return Cell(value, figure.text, figure.value, kind, unit)


def _period(item: ItemFacts, facts: PlanFacts) -> tuple[int, int]:
    return item.period or (facts.start_fy, facts.end_fy)


def _running(
    items: Sequence[ItemFacts], fy: int, facts: PlanFacts, with_statuses: bool
) -> list[ItemFacts]:
    """The initiatives of a year: with an activity status (where the year has statuses at
    all), else those whose period covers it."""
    if with_statuses:
        return [i for i in items if i.statuses(fy)]
    return [i for i in items if _period(i, facts)[0] <= fy <= _period(i, facts)[1]]


# --- The tables -----------------------------------------------------------------------------------


def progress_rows(
    facts: PlanFacts, years: list[int], scale: Scale, printed: PrintedCells
) -> list[ProgressRow]:
    """進捗状況 and 進捗率 of each year: 事業数, 取組活動数, the activities by status, the rate."""
    rows = []
    items = facts.items
    on_track_name = "・".join(scale.on_track_labels)
    for fy in years:
        tally = progress_tally(items, fy)
        has = bool(tally.activities)
        by_status = {label: tally.by_status.get(label, 0) for label in scale.labels}
        activities = sum(by_status[label] for label in scale.ordered_labels) if has else None
        on_track = sum(by_status[label] for label in scale.on_track_labels) if has else None
        p = f"進捗状況/{fy}"
        rate = progress_rate(by_status, scale) if has else None
        initiatives = len(_running(items, fy, facts, has)) if items else None
        rows.append(
            ProgressRow(
                fy,
                printed.cell(f"{p}/事業数", initiatives),
                printed.cell(f"{p}/取組活動数", activities),
                {
                    label: printed.cell(f"{p}/{label}", by_status[label] if has else None)
                    for label in scale.labels
                },
                printed.cell(f"進捗率/{fy}/{on_track_name}", on_track),
                printed.cell(f"進捗率/{fy}/進捗率", rate, "percent"),
            )
        )
    return rows


def achievement_rows(
    facts: PlanFacts, scale: Scale, printed: PrintedCells
) -> tuple[Cell, list[AchievementRow], dict[str, int]]:
    """達成状況: the goals due within the plan's period (`tallies.goal_tally`) by verdict;
    shares of those not outside the order."""
    goals = goal_tally(facts.items, facts.end_fy)
    apart = {
        label: n for label, n in goals.by_achievement.items() if label not in scale.ordered_labels
    }
    for label in scale.apart_labels:
        apart.setdefault(label, 0)
    total = goals.total - sum(apart.values())
    has = bool(goals.total)
    rows = [
        AchievementRow(
            label,
            printed.cell(
                f"達成状況/{label}/件数", goals.by_achievement.get(label, 0) if has else None
            ),
            printed.cell(
                f"達成状況/{label}/割合",
                percentage(goals.by_achievement.get(label, 0), total) if total else None,
                "percent",
            ),
        )
        for label in scale.ordered_labels
    ]
    total_cell = printed.cell("達成状況/達成するべき事項の合計数", total if has else None)
    return total_cell, rows, apart


def fiscal_rows(
    facts: PlanFacts, years: list[int], printed: PrintedCells
) -> list[tuple[str, Cell]]:
    """財政健全化効果額 of each year, then 合計."""
    rows = [
        (str(fy), printed.cell(f"財政健全化効果額/{fy}", yearly_fiscal(facts.items, fy), "amount"))
        for fy in years
    ]
    has = any(item.fiscal_effects for item in facts.items)
    total = fiscal_total(facts.items) if has else None
    rows.append(("合計", printed.cell("財政健全化効果額/合計", total, "amount")))
    return rows


def viewpoint_rows(facts: PlanFacts, years: list[int], printed: PrintedCells) -> list[Viewpoint]:
    """取組結果 per 取組の視点 (the items' and the printed ones), each year and 計."""
    items = facts.items
    names = list(dict.fromkeys(item.viewpoint for item in items))
    printed_names = [
        n.split("/")[1] for n in printed.figures if n.startswith("取組結果/") and n.count("/") >= 3
    ]
    names += [n for n in dict.fromkeys(printed_names) if n not in names]
    has_fiscal = any(i.fiscal_effects for i in items)
    out = []
    for name in names:
        mine = [i for i in items if i.viewpoint == name]
        p = f"取組結果/{name}"
        rows = []
        for fy in years:
            has = any(i.statuses(fy) for i in items)
            added = sum(_period(i, facts)[0] == fy for i in mine) if fy > facts.start_fy else 0
            ended = sum(_period(i, facts)[1] == fy for i in mine) if fy < facts.end_fy else 0
            rows.append(
                ViewpointYear(
                    str(fy),
                    printed.cell(f"{p}/{fy}/取組事業数", len(_running(mine, fy, facts, has))),
                    printed.cell(f"{p}/{fy}/追加事業数", added),
                    printed.cell(f"{p}/{fy}/終了事業数", ended),
                    printed.cell(f"{p}/{fy}/財政健全化効果額", yearly_fiscal(mine, fy), "amount"),
                )
            )
        in_period = [
            i
            for i in mine
            if _period(i, facts)[0] <= facts.end_fy and _period(i, facts)[1] >= facts.start_fy
        ]
        rows.append(
            ViewpointYear(
                "計",
                printed.cell(f"{p}/計/取組事業数", len(in_period)),
                printed.cell(f"{p}/計/追加事業数", sum(_count(r.added) for r in rows)),
                printed.cell(f"{p}/計/終了事業数", sum(_count(r.ended) for r in rows)),
                printed.cell(
                    f"{p}/計/財政健全化効果額",
                    fiscal_total(items, name) if has_fiscal else None,
                    "amount",
                ),
            )
        )
        out.append(Viewpoint(name, rows))
    return out


def _count(cell: Cell) -> Decimal:
    return cell.computed or Decimal(0)
