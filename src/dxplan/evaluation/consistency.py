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
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any, Final, Literal

from dxplan.figures import parse_figure
from dxplan.plans.rules import DEFAULT_SCALES

Severity = Literal["mismatch", "warning"]

MISMATCH: Final = "mismatch"
WARNING: Final = "warning"

_PROGRESS = "進捗状況"
_RATE = "進捗率"
_ACHIEVEMENT = "達成状況"
_FISCAL = "財政健全化効果額"
_VIEWPOINT = "取組結果"
_SUMMARY = "総括"
_YEAR = re.compile(r"^[0-9]{4}$")


@dataclass(frozen=True)
class PrintedFigure:
    """A published figure: its name, its text as printed, the value read from it and the unit
    of that value where it is not the unit printed (約47億円 kept in 千円)."""

    name: str
    text: str
    value: Decimal | None
    unit: str | None = None


@dataclass(frozen=True)
class GoalFacts:
    """A goal's target year (the last of its target period), the first year of that period if
    it has one, and its verdict (None: not evaluated)."""

    target_fy: int | None
    target_start_fy: int | None
    achievement: str | None


@dataclass(frozen=True)
class ItemFacts:
    """An initiative: its code, its top-level section's title (取組の視点), its activities'
    statuses by fiscal year, its goals, and its fiscal effects by period (start, end).

    For the summary tables (`evaluation.tables`) also: its section's code, its lead departments, its
    period (the plan's where it states none) and its indicators in package form.
    """

    code: str
    viewpoint: str
    activity_statuses: Sequence[Mapping[int, str]] = ()
    goals: Sequence[GoalFacts] = ()
    fiscal_effects: Mapping[tuple[int, int], Decimal | None] = field(default_factory=dict)
    section: str = ""
    lead_departments: Sequence[str] = ()
    period: tuple[int, int] | None = None
    indicators: Sequence[Mapping[str, Any]] = ()

    def statuses(self, fy: int) -> list[str]:
        """The statuses its activities have in fiscal year `fy`."""
        return [s[fy] for s in self.activity_statuses if s.get(fy)]


@dataclass(frozen=True)
class PlanFacts:
    """What the check reads: the plan's period, scales (labels best first), items and figures."""

    start_fy: int
    end_fy: int
    progress_labels: Sequence[str]
    achievement_labels: Sequence[str]
    items: Sequence[ItemFacts]
    figures: Sequence[PrintedFigure]
    # The statuses that count as progress (進捗率): flagged `on_track`, else the two best.
    on_track_labels: Sequence[str] = ()

    @property
    def on_track(self) -> list[str]:
        return list(self.on_track_labels or self.progress_labels[:2])


@dataclass(frozen=True)
class Finding:
    """A published figure that does not agree with what it is recomputed from."""

    figure: str
    printed: str
    computed: str
    severity: Severity
    explanation: str
    # The same arithmetic in Japanese, for the pages and the published documents.
    explanation_ja: str = ""


@dataclass(frozen=True)
class How:
    """How a figure is recomputed, in English (`dxplan check`) and in Japanese (pages, PDFs)."""

    en: str
    ja: str

    def __add__(self, other: How) -> How:
        return How(self.en + other.en, self.ja + other.ja)


@dataclass(frozen=True)
class CheckReport:
    """The findings, and how many published figures were compared (agreeing or not)."""

    findings: list[Finding]
    checked: int

    @property
    def mismatches(self) -> int:
        return sum(f.severity == MISMATCH for f in self.findings)


# --- Numbers --------------------------------------------------------------------------------------


def _unit(text: str) -> str:
    """The unit printed after the number ("4,698,997千円" → "千円", "(1事業※)" → "事業")."""
    return parse_figure(text).unit or ""


def _fmt(value: Decimal | int, unit: str = "") -> str:
    number = Decimal(value)
    body = f"{number:,f}" if number != number.to_integral_value() else f"{int(number):,}"
    return body + unit


def _decimals(text: str) -> int:
    match = re.search(r"[0-9]+\.([0-9]+)", text)
    return len(match[1]) if match else 0


def quantize(value: Decimal, places: int, *, truncate: bool) -> Decimal:
    """A value to `places` decimals, rounded half up (四捨五入) or truncated (切り捨て)."""
    exponent = Decimal(1).scaleb(-places)
    return value.quantize(exponent, rounding=ROUND_DOWN if truncate else ROUND_HALF_UP)


def percentage(numerator: int | Decimal, denominator: int | Decimal) -> Decimal:
    """numerator ÷ denominator in percent, exact to 10 places."""
    return quantize(Decimal(numerator) * 100 / Decimal(denominator), 10, truncate=False)


# --- Tallies from the items -----------------------------------------------------------------------


@dataclass(frozen=True)
class ProgressTally:
    """One fiscal year's activities: how many have a status, by status, in how many initiatives."""

    activities: int
    by_status: dict[str, int]
    initiatives: int

    def on_track(self, labels: Sequence[str]) -> int:
        """済 + 概ね順調: the activities with one of `labels` (the on-track statuses)."""
        return sum(self.by_status.get(label, 0) for label in labels)


def progress_tally(items: Iterable[ItemFacts], fy: int) -> ProgressTally:
    """Status counts, 取組活動数 and 事業数 (initiatives with an activity status) of one year."""
    by_status: Counter[str] = Counter()
    initiatives = 0
    for item in items:
        statuses = item.statuses(fy)
        by_status.update(statuses)
        initiatives += bool(statuses)
    return ProgressTally(sum(by_status.values()), dict(by_status), initiatives)


def goal_in_scope(goal: GoalFacts, end_fy: int) -> bool:
    """Is the goal due within the plan's period? Seed 002 leaves out the goals whose target year
    is after the plan's last year (令和6年度以降); a goal with a target period counts from the
    period's first year (seed 002 evaluates 令和5~8年度 in its 令和5年度 report)."""
    year = goal.target_start_fy if goal.target_start_fy is not None else goal.target_fy
    return year is None or year <= end_fy


@dataclass(frozen=True)
class GoalTally:
    """The goals due within the plan's period: how many, and how many by verdict."""

    total: int
    by_achievement: dict[str, int]


def goal_tally(items: Iterable[ItemFacts], end_fy: int) -> GoalTally:
    """達成状況 from the goals' verdicts (goals due after the plan's period left out)."""
    due = [g for item in items for g in item.goals if goal_in_scope(g, end_fy)]
    return GoalTally(len(due), dict(Counter(g.achievement for g in due if g.achievement)))


def fiscal_total(items: Iterable[ItemFacts], viewpoint: str | None = None) -> Decimal:
    """The items' fiscal effects added up (of one 取組の視点 if given), whatever their periods."""
    return sum(
        (
            value or Decimal(0)
            for item in items
            if viewpoint is None or item.viewpoint == viewpoint
            for value in item.fiscal_effects.values()
        ),
        Decimal(0),
    )


# --- The check ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Share:
    figure: PrintedFigure
    numerator: Decimal
    denominator: Decimal
    numerator_name: str
    denominator_name: str


class _Checker:
    def __init__(self, figures: Iterable[PrintedFigure]) -> None:
        self.figures = {f.name: f for f in figures}
        self.findings: list[Finding] = []
        self.compared: set[str] = set()
        self.shares: list[_Share] = []

    def get(self, name: str) -> PrintedFigure | None:
        return self.figures.get(name)

    def value(self, name: str) -> Decimal | None:
        figure = self.figures.get(name)
        if figure is None:
            return None
        return figure.value if figure.value is not None else Decimal(0)

    def names(self, prefix: str) -> list[list[str]]:
        return [n.split("/")[1:] for n in self.figures if n.startswith(prefix + "/")]

    def total(
        self, name: str, parts: Sequence[str], *, how: How, severity: Severity = MISMATCH
    ) -> None:
        """The figure `name` against the sum of the printed figures `parts` (those printed)."""
        figure = self.get(name)
        present = [p for p in parts if p in self.figures]
        if figure is None or not present:
            return
        values = [self.value(p) or Decimal(0) for p in present]
        terms = " + ".join(_fmt(v) for v in values)
        self.compare(
            figure,
            sum(values, Decimal(0)),
            How(f"{how.en}: {terms}", f"{how.ja}：{terms}"),
            severity,
        )

    def compare(
        self, figure: PrintedFigure, computed: Decimal | int, how: How, severity: Severity
    ) -> None:
        """A printed figure against a computed value: equal, or within 約's precision."""
        self.compared.add(figure.name)
        printed = figure.value if figure.value is not None else Decimal(0)
        computed = Decimal(computed)
        unit = figure.unit or _unit(figure.text)
        if "約" in figure.text and printed:
            digits = len(str(int(abs(printed)))) - len(str(int(abs(printed))).rstrip("0"))
            if quantize(computed.scaleb(-digits), 0, truncate=False).scaleb(digits) == printed:
                return
        elif printed == computed:
            return
        self.findings.append(
            Finding(
                figure.name,
                figure.text,
                _fmt(computed, unit),
                severity,
                f"{how.en} = {_fmt(computed, unit)}, printed {figure.text}",
                f"{how.ja} ＝ {_fmt(computed, unit)}（掲載 {figure.text}）",
            )
        )

    def share(self, name: str, numerator_name: str, denominator_name: str) -> None:
        figure = self.get(name)
        numerator, denominator = self.value(numerator_name), self.value(denominator_name)
        if figure is None or figure.value is None or numerator is None or not denominator:
            return
        self.shares.append(_Share(figure, numerator, denominator, numerator_name, denominator_name))

    def judge_shares(self) -> None:
        """Each share against its count ÷ total, rounded as the document's other shares are.

        A document rounds half up (四捨五入) unless at least two of its other shares are printed
        truncated, and more of them truncated than rounded: one truncated share is an error, not
        the document's way (only the shares where the two ways differ tell).
        """
        styles = [self._style(s) for s in self.shares]
        for index, share in enumerate(self.shares):
            others = Counter(style for i, style in enumerate(styles) if i != index and style)
            truncates = others["truncated"] >= 2 and others["truncated"] > others["rounded"]
            self._judge(share, truncates)

    @staticmethod
    def _style(share: _Share) -> str | None:
        """ "rounded" or "truncated" where the two differ and the printed share is one of them."""
        exact = percentage(share.numerator, share.denominator)
        places = _decimals(share.figure.text)
        rounded = quantize(exact, places, truncate=False)
        truncated = quantize(exact, places, truncate=True)
        if rounded == truncated:
            return None
        return {rounded: "rounded", truncated: "truncated"}.get(share.figure.value or Decimal(-1))

    def _judge(self, share: _Share, truncates: bool) -> None:
        self.compared.add(share.figure.name)
        exact = percentage(share.numerator, share.denominator)
        places = max(_decimals(share.figure.text), 1) if exact % 1 else 0
        printed = share.figure.value
        rounded = quantize(exact, places, truncate=False)
        truncated = quantize(exact, places, truncate=True)
        expected = truncated if truncates else rounded
        if printed == expected:
            return
        way = "truncated" if truncates else "rounded"
        way_ja = "切り捨て" if truncates else "四捨五入"
        division = f"{_fmt(share.numerator)} ÷ {_fmt(share.denominator)}"
        exact_text = f"{quantize(exact, 2, truncate=False)}%"
        how = f"{division} = {exact_text} ({way} {expected}%), printed {share.figure.text}"
        how_ja = f"{division} ＝ {exact_text}（{way_ja}で {expected}%）、掲載 {share.figure.text}"
        if printed == truncated:
            how += ": truncated where the document rounds"
            how_ja += "：ほかの割合は四捨五入なのに、切り捨てで掲載"
        elif printed == rounded:
            how += ": rounded where the document truncates"
            how_ja += "：ほかの割合は切り捨てなのに、四捨五入で掲載"
        self.findings.append(
            Finding(share.figure.name, share.figure.text, f"{expected}%", MISMATCH, how, how_ja)
        )


_YEARS_ADDED: Final = How("the years added up", "各年度の合計")


def _years(checker: _Checker, prefix: str) -> list[str]:
    return sorted({p[0] for p in checker.names(prefix) if p and _YEAR.match(p[0])})


def _check_progress(checker: _Checker, facts: PlanFacts) -> None:
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
            places = _decimals(rate.text)
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


def _check_achievement(checker: _Checker, facts: PlanFacts) -> None:
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


def _check_fiscal(checker: _Checker, facts: PlanFacts) -> None:
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


def _check_fiscal_items(checker: _Checker, facts: PlanFacts, viewpoints: list[str]) -> None:
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


def _check_initiative_counts(checker: _Checker, facts: PlanFacts) -> None:
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


def _check_named_totals(checker: _Checker) -> None:
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


def _check_floor_area(checker: _Checker) -> None:
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
        plus = " + ".join(_fmt(a or 0) for a in added)
        minus = " + ".join(_fmt(r or 0) for r in removed)
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
    checker = _Checker(facts.figures)
    _check_progress(checker, facts)
    _check_achievement(checker, facts)
    _check_fiscal(checker, facts)
    _check_initiative_counts(checker, facts)
    _check_named_totals(checker)
    _check_floor_area(checker)
    checker.judge_shares()
    return CheckReport(checker.findings, len(checker.compared))


# --- From a plan package --------------------------------------------------------------------------


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _period(key: str) -> tuple[int, int]:
    start, _, end = key.partition("-")
    return int(start), int(end or start)


def facts_from_package(doc: Mapping[str, Any]) -> PlanFacts:
    """What the check reads, from a plan package (FORMAT.md)."""
    plan = doc["plan"]
    scales = plan.get("scales") or {}
    labels = {
        kind: [s["label"] for s in scales.get(kind) or DEFAULT_SCALES[kind]]
        for kind in ("progress", "achievement")
    }
    sections = {s["code"]: s for s in doc.get("sections") or []}

    def top(code: str) -> str:
        section = sections[code]
        while section.get("parent"):
            section = sections[section["parent"]]
        return str(section["title"])

    items = [
        ItemFacts(
            code=item["code"],
            viewpoint=top(item["section"]),
            activity_statuses=[
                {_period(k)[0]: v for k, v in (a.get("status") or {}).items() if "-" not in k and v}
                for a in item.get("activities") or []
            ],
            goals=[
                GoalFacts(
                    g.get("target_fy"),
                    (g.get("target_period") or {}).get("start_fy"),
                    g.get("achievement"),
                )
                for g in item.get("goals") or []
            ],
            fiscal_effects={
                _period(k): _decimal(v.get("value"))
                for k, v in (item.get("fiscal_effects") or {}).items()
            },
            section=item["section"],
            lead_departments=tuple(item.get("lead_departments") or ()),
            period=(
                (item.get("period") or {}).get("start_fy") or plan["period"]["start_fy"],
                (item.get("period") or {}).get("end_fy") or plan["period"]["end_fy"],
            ),
            indicators=item.get("indicators") or (),
        )
        for item in doc.get("initiatives") or []
    ]
    figures = [
        PrintedFigure(f["name"], f["text"], _decimal(f.get("value")), f.get("unit"))
        for f in doc.get("published_figures") or []
    ]
    return PlanFacts(
        start_fy=plan["period"]["start_fy"],
        end_fy=plan["period"]["end_fy"],
        progress_labels=labels["progress"],
        achievement_labels=labels["achievement"],
        items=items,
        figures=figures,
        on_track_labels=[
            s["label"]
            for s in scales.get("progress") or ()
            if s.get("on_track") and not s.get("outside_order")
        ],
    )
