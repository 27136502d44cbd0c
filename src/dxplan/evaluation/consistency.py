"""The consistency check: every published figure of a plan recomputed from its items and from the
other figures it depends on (sums, shares, rates), as findings with the arithmetic. Pure.

The figures are found by their names, in the naming of the reference packages (seed 002):
``進捗状況/{fy}/{事業数|取組活動数|status}``, ``進捗率/{fy}/{進捗率|取組活動数|済・概ね順調}``,
``達成状況/達成するべき事項の合計数``, ``達成状況/{achievement}/{件数|割合}``,
``財政健全化効果額/{fy|合計}``, ``取組結果/{取組の視点}/{fy|計}/{取組事業数|追加事業数|
終了事業数|財政健全化効果額}`` and ``総括/{取組事業数|財政健全化効果額}(…)``; besides, a ``合計``
inside a name is the sum of the figures beside it (``公立園数/合計/…``), and
``公共施設延床面積/{fy}/取組状況…`` is that year's 増加面積 less its 廃止面積. A figure a plan does
not print is not checked; a figure named otherwise is kept but not checked.

Two kinds of finding: a ``mismatch`` is a strict arithmetic disagreement between printed figures
(a total that is not the sum of its printed parts, a share that is not its count over its total,
or a share truncated where the document rounds); a ``warning`` compares a printed figure with what
the transcribed items give, which may count different things (items not all transcribed, or
printed only as totals). A dash ("-") in a count or amount is zero.

This module holds the checks of each kind of figure; what they read is in `evaluation.facts`,
the tallies of the items in `evaluation.tallies`, the findings and the comparing in
`evaluation.findings`.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from typing import Final

from dxplan.evaluation.facts import PlanFacts
from dxplan.evaluation.findings import (
    MISMATCH,
    WARNING,
    Checker,
    CheckReport,
    How,
    decimal_places,
    number_text,
)
from dxplan.evaluation.tallies import fiscal_total, goal_tally, percentage, progress_tally, quantize

_PROGRESS = "進捗状況"
_RATE = "進捗率"
_ACHIEVEMENT = "達成状況"
_FISCAL = "財政健全化効果額"
_VIEWPOINT = "取組結果"
_SUMMARY = "総括"
_YEAR = re.compile(r"^[0-9]{4}$")

_YEARS_ADDED: Final = How("the years added up", "各年度の合計")


def _years(checker: Checker, prefix: str) -> list[str]:
    return sorted({p[0] for p in checker.names(prefix) if p and _YEAR.match(p[0])})


def _check_progress(checker: Checker, facts: PlanFacts) -> None:
    labels = list(facts.progress_labels)
    on_track = "・".join(facts.on_track)
    for year in sorted(set(_years(checker, _PROGRESS)) | set(_years(checker, _RATE))):
        p, r = f"{_PROGRESS}/{year}", f"{_RATE}/{year}"
        status_names = [f"{p}/{label}" for label in labels]
        checker.total(
            f"{p}/取組活動数", status_names, how=How("the statuses added up", "各進捗状況の合計")
        )
        checker.total(
            f"{r}/{on_track}",
            [f"{p}/{label}" for label in facts.on_track],
            how=How(f"{on_track} in {_PROGRESS}", f"{_PROGRESS}の{on_track}"),
        )
        checker.total(
            f"{r}/取組活動数",
            [f"{p}/取組活動数"],
            how=How(f"取組活動数 in {_PROGRESS}", f"{_PROGRESS}の取組活動数"),
        )
        checker.share(f"{r}/{_RATE}", f"{r}/{on_track}", f"{r}/取組活動数")
        tally = progress_tally(facts.items, int(year))
        if not tally.activities:
            continue  # no activity of the year transcribed with a status: nothing to count
        counted = How(
            f"counted from the {tally.activities} activities transcribed with a status",
            f"進捗状況のある取組活動 {tally.activities}件から数えた値",
        )
        for name, computed in [
            (f"{p}/取組活動数", tally.activities),
            (f"{p}/事業数", tally.initiatives),
            *((f"{p}/{label}", tally.by_status.get(label, 0)) for label in labels),
        ]:
            if (figure := checker.get(name)) is not None:
                checker.compare(figure, computed, counted, WARNING)
        rate = checker.get(f"{r}/{_RATE}")
        printed_counts = (checker.value(f"{r}/取組活動数"), checker.value(f"{r}/{on_track}"))
        item_counts = (Decimal(tally.activities), Decimal(tally.on_track(facts.on_track)))
        if rate is not None and rate.value is not None and printed_counts != item_counts:
            places = decimal_places(rate.text)
            checker.compare(
                rate,
                quantize(percentage(item_counts[1], item_counts[0]), places, truncate=False),
                How(
                    f"({on_track}) ÷ 取組活動数 of the activities transcribed: "
                    f"{item_counts[1]} ÷ {item_counts[0]}",
                    f"取組活動の（{on_track}）÷ 取組活動数：{item_counts[1]} ÷ {item_counts[0]}",
                ),
                WARNING,
            )


def _check_achievement(checker: Checker, facts: PlanFacts) -> None:
    total_name = f"{_ACHIEVEMENT}/達成するべき事項の合計数"
    labels = list(facts.achievement_labels)
    counts = [f"{_ACHIEVEMENT}/{label}/件数" for label in labels]
    checker.total(
        total_name, counts, how=How("the verdicts' counts added up", "評価ごとの件数の合計")
    )
    for label in labels:
        checker.share(f"{_ACHIEVEMENT}/{label}/割合", f"{_ACHIEVEMENT}/{label}/件数", total_name)
    if not any(item.goals for item in facts.items):
        return
    tally = goal_tally(facts.items, facts.end_fy)
    due = How(
        f"counted from the goals due by FY{facts.end_fy} "
        "(target year, or first year of the target period)",
        f"{facts.end_fy}年度までに目標年度（目標期間の初年度）を迎える達成するべき事項から数えた値",
    )
    if (figure := checker.get(total_name)) is not None:
        checker.compare(figure, tally.total, due, WARNING)
    for label, name in zip(labels, counts, strict=True):
        if (figure := checker.get(name)) is not None:
            checker.compare(figure, tally.by_achievement.get(label, 0), due, WARNING)


def _check_fiscal(checker: Checker, facts: PlanFacts) -> None:
    years = _years(checker, _FISCAL)
    total = f"{_FISCAL}/合計"
    checker.total(total, [f"{_FISCAL}/{y}" for y in years], how=_YEARS_ADDED)
    for name in checker.figures:
        same = name.startswith(f"{_FISCAL}/") and name != total and "合計" in name
        if same or name.startswith(f"{_SUMMARY}/{_FISCAL}"):
            checker.total(name, [total], how=How(f"as in {total}", f"{total}と同じ値"))
    viewpoints = sorted({p[0] for p in checker.names(_VIEWPOINT) if p})
    for kind in ("取組事業数", "財政健全化効果額"):
        for year in years or _years(checker, _VIEWPOINT):
            parts = [f"{_VIEWPOINT}/{v}/{year}/{kind}" for v in viewpoints]
            target = f"{_FISCAL}/{year}" if kind == _FISCAL else f"{_PROGRESS}/{year}/事業数"
            checker.total(
                target,
                parts,
                how=How(
                    f"the 取組の視点' {kind} of FY{year} added up",
                    f"{year}年度の取組の視点ごとの{kind}の合計",
                ),
            )
    for viewpoint in viewpoints:
        v = f"{_VIEWPOINT}/{viewpoint}"
        v_years = [p[1] for p in checker.names(v) if len(p) > 1 and _YEAR.match(p[1])]
        for kind in ("追加事業数", "終了事業数", "財政健全化効果額"):
            parts = [f"{v}/{y}/{kind}" for y in sorted(set(v_years))]
            checker.total(f"{v}/計/{kind}", parts, how=_YEARS_ADDED)
    checker.total(
        total,
        [f"{_VIEWPOINT}/{v}/計/{_FISCAL}" for v in viewpoints],
        how=How("the 取組の視点 added up", "取組の視点ごとの合計"),
    )
    _check_fiscal_items(checker, facts, viewpoints)


def _check_fiscal_items(checker: Checker, facts: PlanFacts, viewpoints: list[str]) -> None:
    items = [i for i in facts.items if i.fiscal_effects]
    if not items:
        return
    how = How(
        f"the fiscal effects of the {len(items)} initiatives that have one added up",
        f"財政健全化効果額のある取組 {len(items)}件の効果額の合計",
    )
    for name in [
        f"{_FISCAL}/合計",
        *(n for n in checker.figures if n.startswith(f"{_SUMMARY}/{_FISCAL}")),
    ]:
        if (figure := checker.get(name)) is not None:
            checker.compare(figure, fiscal_total(facts.items), how, WARNING)
    for viewpoint in viewpoints:
        figure = checker.get(f"{_VIEWPOINT}/{viewpoint}/計/{_FISCAL}")
        if figure is not None:
            checker.compare(
                figure,
                fiscal_total(facts.items, viewpoint),
                how + How(f" in {viewpoint}", f"（{viewpoint}）"),
                WARNING,
            )
    for year in _years(checker, _FISCAL):
        fy = int(year)
        yearly = [i for i in items if (fy, fy) in i.fiscal_effects]
        if not yearly:
            continue  # the items give totals over several years only
        every: list[str | None] = [None, *viewpoints]
        for one in every:
            name = f"{_FISCAL}/{year}" if one is None else f"{_VIEWPOINT}/{one}/{year}/{_FISCAL}"
            in_view = [i for i in yearly if one is None or i.viewpoint == one]
            if (figure := checker.get(name)) is not None:
                amount = sum((i.fiscal_effects[fy, fy] or Decimal(0) for i in in_view), Decimal(0))
                where = f" in {one}" if one else ""
                where_ja = f"{one}の" if one else ""
                checker.compare(
                    figure,
                    amount,
                    How(
                        f"the FY{year} fiscal effects of the {len(in_view)} initiatives{where} "
                        "added up",
                        f"{where_ja}取組 {len(in_view)}件の{year}年度の財政健全化効果額の合計",
                    ),
                    WARNING,
                )


def _check_initiative_counts(checker: Checker, facts: PlanFacts) -> None:
    """Printed numbers of initiatives against the initiatives transcribed."""
    if not facts.items:
        return
    per_viewpoint = Counter(item.viewpoint for item in facts.items)
    for name in checker.figures:
        parts = name.split("/")
        if parts[0] == _SUMMARY and parts[1].startswith("取組事業数"):
            checker.compare(
                checker.figures[name],
                len(facts.items),
                How("the initiatives transcribed", "計画の取組の数"),
                WARNING,
            )
        elif parts[0] == _VIEWPOINT and parts[2:] == ["計", "取組事業数"]:
            checker.compare(
                checker.figures[name],
                per_viewpoint.get(parts[1], 0),
                How(f"the initiatives transcribed under {parts[1]}", f"{parts[1]}の取組の数"),
                WARNING,
            )
        elif parts[0] == _VIEWPOINT and parts[3:] == ["取組事業数"] and _YEAR.match(parts[2]):
            items = [item for item in facts.items if item.viewpoint == parts[1]]
            tally = progress_tally(items, int(parts[2]))
            if any(progress_tally(facts.items, int(parts[2])).by_status.values()):
                checker.compare(
                    checker.figures[name],
                    tally.initiatives,
                    How(
                        f"the initiatives under {parts[1]} with an activity status in FY{parts[2]}",
                        f"{parts[1]}の取組のうち{parts[2]}年度に取組活動の進捗状況があるものの数",
                    ),
                    WARNING,
                )


def _check_named_totals(checker: Checker) -> None:
    """A 合計 inside a name (公立園数/合計/「見直し」前) is the sum of the figures whose names
    differ from it in that part only (公立園数/保育所/「見直し」前, 公立園数/幼稚園/…)."""
    for name in list(checker.figures):
        parts = name.split("/")
        for index, part in enumerate(parts[:-1]):
            if part != "合計" or index == 0:
                continue
            siblings = [
                other
                for other in checker.figures
                if (o := other.split("/"))[:index] == parts[:index]
                and o[index + 1 :] == parts[index + 1 :]
                and len(o) == len(parts)
                and o[index] != "合計"
            ]
            checker.total(
                name, siblings, how=How("the figures beside it added up", "並びの数値の合計")
            )


def _check_floor_area(checker: Checker) -> None:
    """公共施設延床面積: a year's 取組状況 is its 増加面積 less its 廃止面積 (a 縮減 when
    negative), the period's the years' 増加面積 less their 廃止面積."""
    prefix = "公共施設延床面積"
    years = _years(checker, prefix)
    for name, figure in checker.figures.items():
        parts = name.split("/")
        if (
            parts[0] != prefix
            or len(parts) != 3
            or not parts[2].startswith(("取組状況", "合計", "総延床面積"))
        ):
            continue
        span = years if "-" in parts[1] else [parts[1]] if parts[1] in years else []
        added = [checker.value(f"{prefix}/{y}/増加面積") for y in span]
        removed = [checker.value(f"{prefix}/{y}/廃止面積") for y in span]
        if not span or None in added or None in removed:
            continue
        net = sum((a or Decimal(0) for a in added), Decimal(0)) - sum(
            (r or Decimal(0) for r in removed), Decimal(0)
        )
        reduced = "縮減" in parts[2]
        plus = " + ".join(number_text(a or 0) for a in added)
        minus = " + ".join(number_text(r or 0) for r in removed)
        checker.compare(
            figure,
            -net if reduced else net,
            How(
                f"増加面積 {plus} less 廃止面積 {minus}" + (", as a 縮減" if reduced else ""),
                f"増加面積 {plus} − 廃止面積 {minus}" + ("（縮減として）" if reduced else ""),
            ),
            MISMATCH,
        )


def check_plan(facts: PlanFacts) -> CheckReport:
    """Recompute every published figure the check knows from the items and the other figures."""
    checker = Checker(facts.figures)
    _check_progress(checker, facts)
    _check_achievement(checker, facts)
    _check_fiscal(checker, facts)
    _check_initiative_counts(checker, facts)
    _check_named_totals(checker)
    _check_floor_area(checker)
    checker.judge_shares()
    return CheckReport(checker.findings, len(checker.compared))
