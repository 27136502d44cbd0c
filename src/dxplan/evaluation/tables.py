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
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from dxplan.evaluation.facts import ItemFacts, PlanFacts, PrintedFigure, facts_from_package
from dxplan.evaluation.rules import (
    LabelTally,
    Scale,
    evaluate_indicator,
    plan_scales,
    progress_rate,
    series_from_package,
    tally_labels,
)
from dxplan.evaluation.tallies import fiscal_total, goal_tally, percentage, progress_tally, quantize
from dxplan.figures import parse_figure
from dxplan.wareki import format_wareki

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


@dataclass(frozen=True)
class RollupRow:
    """One group (a section or a department) in one fiscal year."""

    name: str
    initiatives: int
    statuses: dict[str, int]
    rate: Decimal | None
    goals: LabelTally
    indicators: LabelTally
    fiscal: Decimal | None

    @property
    def rate_text(self) -> str | None:
        return None if self.rate is None else f"{quantize(self.rate, 1, truncate=False)}%"


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


# --- Reading the facts ----------------------------------------------------------------------------


class _Printed:
    def __init__(self, figures: Iterable[PrintedFigure]) -> None:
        self.figures = {f.name: f for f in figures}

    def cell(self, name: str, computed: Decimal | int | None, kind: CellKind = "count") -> Cell:
        figure = self.figures.get(name)
        value = None if computed is None else Decimal(computed)
        if figure is None:
            return Cell(value, kind=kind, unit="千円" if kind == "amount" else "")
        unit = "" if kind == "percent" else (parse_figure(figure.text).unit or "")
        if kind == "count" and unit not in ("", "事業"):
            unit = ""
        return Cell(value, figure.text, figure.value, kind, unit)


def _effect(item: ItemFacts, fy: int) -> Decimal | None:
    """An initiative's fiscal effect of one year (None: it gives none for that year alone)."""
    if (fy, fy) not in item.fiscal_effects:
        return None
    return item.fiscal_effects[fy, fy] or Decimal(0)


def _yearly(items: Iterable[ItemFacts], fy: int) -> Decimal | None:
    """The fiscal effects of one year added up; None when no initiative gives one for it."""
    amounts = [a for item in items if (a := _effect(item, fy)) is not None]
    return sum(amounts, Decimal(0)) if amounts else None


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


def _progress(
    facts: PlanFacts, years: list[int], scale: Scale, printed: _Printed
) -> list[ProgressRow]:
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


def _achievement(
    facts: PlanFacts, scale: Scale, printed: _Printed
) -> tuple[Cell, list[AchievementRow], dict[str, int]]:
    """達成状況: the goals due within the plan's period (`consistency.goal_tally`) by verdict;
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


def _fiscal(facts: PlanFacts, years: list[int], printed: _Printed) -> list[tuple[str, Cell]]:
    rows = [
        (str(fy), printed.cell(f"財政健全化効果額/{fy}", _yearly(facts.items, fy), "amount"))
        for fy in years
    ]
    has = any(item.fiscal_effects for item in facts.items)
    total = fiscal_total(facts.items) if has else None
    rows.append(("合計", printed.cell("財政健全化効果額/合計", total, "amount")))
    return rows


def _viewpoints(facts: PlanFacts, years: list[int], printed: _Printed) -> list[Viewpoint]:
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
                    printed.cell(f"{p}/{fy}/財政健全化効果額", _yearly(mine, fy), "amount"),
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


# --- Roll-ups -------------------------------------------------------------------------------------


def _rollup(
    name: str,
    items: Sequence[ItemFacts],
    fy: int,
    scales: Mapping[str, Scale],
    overrides: Mapping[tuple[str, int], str],
) -> RollupRow:
    progress = scales["progress"]
    tally = progress_tally(items, fy)
    by_status = {label: tally.by_status.get(label, 0) for label in progress.labels}
    goals = [
        goal.achievement
        for item in items
        for goal in item.goals
        if goal.target_fy is None or goal.target_fy == fy
    ]
    indicators = []
    for item in items:
        for indicator in item.indicators:
            due, verdict = indicator_verdict(indicator, fy, scales["achievement"], overrides)
            if due:
                indicators.append(verdict)
    return RollupRow(
        name,
        len(items),
        by_status,
        progress_rate(by_status, progress),
        tally_labels(goals, scales["achievement"]),
        tally_labels(indicators, scales["achievement"]),
        _yearly(items, fy),
    )


def indicator_verdict(
    indicator: Mapping[str, Any],
    fy: int,
    scale: Scale,
    overrides: Mapping[tuple[str, int], str],
) -> tuple[bool, str | None]:
    """Whether an indicator is evaluated in `fy` (a target and an actual that compare, or a
    person's verdict), and its final label: a person's verdict where recorded (`overrides` by
    indicator uid and year), else the computed one (None: it awaits a person's)."""
    uid = indicator.get("uid")
    if uid is not None and (uid, fy) in overrides:
        return True, overrides[uid, fy]
    evaluation = evaluate_indicator(series_from_package(indicator), fy, scale)
    if evaluation.outcome in ("no_target", "no_actual", "incomparable"):
        return False, None
    return True, evaluation.label


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
    printed = _Printed(facts.figures)
    years = list(range(facts.start_fy, facts.end_fy + 1))
    total, achievement, apart = _achievement(facts, scales["achievement"], printed)
    overrides = overrides or {}
    sections = {s["code"]: s["title"] for s in doc.get("sections") or []}
    by_section = [
        _rollup(f"{code} {title}", [i for i in items if i.section == code], fy, scales, overrides)
        for code, title in sections.items()
        if any(i.section == code for i in items)
    ]
    # 取組結果 per 取組の視点: where the document prints it, or the items have fiscal effects
    by_viewpoint = any(n.startswith("取組結果/") for n in printed.figures) or any(
        i.fiscal_effects for i in items
    )
    departments = sorted({d for i in items for d in i.lead_departments})
    by_department = [
        _rollup(name, [i for i in items if name in i.lead_departments], fy, scales, overrides)
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
        progress=_progress(facts, years, scales["progress"], printed),
        achievement_total=total,
        achievement=achievement,
        achievement_apart=apart,
        fiscal=_fiscal(facts, years, printed),
        viewpoints=_viewpoints(facts, years, printed) if by_viewpoint else [],
        by_section=by_section,
        by_department=by_department,
        plan_row=_rollup("計画全体", items, fy, scales, overrides),
    )
