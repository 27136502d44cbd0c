"""Evaluation: an indicator's achievement in a fiscal year as a label of the plan's own
achievement scale, and the progress rate of a year's activities. Pure (standard library only).

How an indicator is evaluated for fiscal year `fy` (`evaluate_indicator`):

1. Its target for `fy` (the figure keyed by that year, else by a span ending in it). None, or a
   dash ("-"): nothing to evaluate (`no_target`). A target without a value (完了, 策定, 実施 …):
   a person judges it (`needs_person`).
2. Its actual for `fy` likewise: none is `no_actual`; a text without a value is `needs_person`.
   A cumulative indicator (`cumulative: true`, 累計) compares the running total up to `fy` with
   the target of `fy`: its actuals are each year's own amount (新規分), added up from the
   baseline (現状値, where it has a value; actuals of the baseline's year or earlier are in it).
3. The comparison is the target's own (以上 ≥, 以下 ≤, 超 >, 未満 <, "=" exactly) or, when the
   text states none, the one `rules.target_comparison` infers (a target below the baseline, of
   falling targets or of zero is a ceiling: lower is better). Units convert (`figures.convert`:
   8割 against 80%, 1時間 against 3600秒); units that do not are `incomparable`.
4. The achievement rate (達成率, in %): actual ÷ target for a level to reach, target ÷ actual
   for a ceiling (lower is better), the smaller of the two for "="; none when a figure is
   negative or zero where it would divide (the verdict then rests on met / not met alone).
5. The label (`Scale.choose`): when labels of the scale carry a `threshold` (the least rate for
   that label, e.g. 順調 ≥ 80, やや遅れ ≥ 60, 遅れ below), the best label whose threshold the rate
   reaches; a label without a threshold below thresholded ones takes every lower rate, and a best
   label without one is given only to a target met. Without thresholds: the best label when the
   target is met, the worst ordered label when it is not (a partial verdict such as 一部未達成
   needs thresholds or a person). Labels outside the order (`ordered: false`, 評価できない,
   対象外) are never chosen by computation: a person gives them, and tallies count them apart.

A person may override the computed label with a reason (`evaluation.services`); both are kept.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from dxplan.evaluation.labels import OUTCOME_LABELS
from dxplan.evaluation.tallies import percentage, quantize
from dxplan.figures import convert, is_dash
from dxplan.plans.rules import DEFAULT_SCALES
from dxplan.plans.targets import Measure, Span, target_comparison

Outcome = Literal["computed", "needs_person", "no_target", "no_actual", "incomparable"]

# --- Scales ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScaleEntry:
    """A label of a scale: its rank (1 = best), the least achievement rate (%) that earns it,
    whether it is on the scale's order (評価できない / 対象外 are not), and, on a progress
    scale, whether it counts as on track (進捗) for the progress rate."""

    label: str
    rank: int
    threshold: Decimal | None = None
    ordered: bool = True
    on_track: bool = False


@dataclass(frozen=True)
class Scale:
    """A plan's scale (progress or achievement), its entries in any order."""

    entries: tuple[ScaleEntry, ...]

    @property
    def ordered(self) -> list[ScaleEntry]:
        """The entries on the order, best first."""
        return sorted((e for e in self.entries if e.ordered), key=lambda e: e.rank)

    @property
    def labels(self) -> list[str]:
        """Every label, ordered ones best first, then those outside the order."""
        apart = sorted((e for e in self.entries if not e.ordered), key=lambda e: e.rank)
        return [e.label for e in self.ordered + apart]

    @property
    def ordered_labels(self) -> list[str]:
        return [e.label for e in self.ordered]

    @property
    def apart_labels(self) -> list[str]:
        """The labels outside the order (評価できない, 対象外), counted apart."""
        return [label for label in self.labels if label not in self.ordered_labels]

    @property
    def on_track_labels(self) -> list[str]:
        """The statuses that count as progress (進捗率's numerator): those flagged `on_track`,
        else the two best ordered ones (seed 002's 済 and 概ね順調)."""
        flagged = [e.label for e in self.ordered if e.on_track]
        return flagged or self.ordered_labels[:2]

    def choose(self, met: bool, rate: Decimal | None) -> str | None:
        """The label computation gives (see the module's docstring); None on an empty order."""
        order = self.ordered
        if not order:
            return None
        if rate is not None and any(e.threshold is not None for e in order):
            for index, entry in enumerate(order):
                if entry.threshold is None:
                    if index == 0:
                        if met:
                            return entry.label
                        continue
                    return entry.label
                if rate >= entry.threshold:
                    return entry.label
            return order[-1].label
        return order[0].label if met else order[-1].label


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def scale_from_package(entries: Sequence[Mapping[str, Any]]) -> Scale:
    """A scale from its package form (`plan.scales.<kind>`, FORMAT.md): rank by position."""
    return Scale(
        tuple(
            ScaleEntry(
                label=str(entry["label"]),
                rank=rank,
                threshold=_decimal(entry.get("threshold")),
                ordered=not entry.get("outside_order", False),
                on_track=bool(entry.get("on_track", False)),
            )
            for rank, entry in enumerate(entries, start=1)
        )
    )


def plan_scales(plan: Mapping[str, Any]) -> dict[str, Scale]:
    """The plan's progress and achievement scales from its package form (defaults: seed 002's)."""
    declared = plan.get("scales") or {}
    return {
        kind: scale_from_package(declared.get(kind) or default)
        for kind, default in DEFAULT_SCALES.items()
    }


# --- Indicators -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A target or actual as printed: its text, and its measure when it has a value."""

    text: str
    measure: Measure | None = None


@dataclass(frozen=True)
class IndicatorSeries:
    """What evaluation reads of an indicator: targets and actuals by span, baseline, 累計."""

    targets: Mapping[Span, Figure]
    actuals: Mapping[Span, Figure] = field(default_factory=dict)
    baseline: Measure | None = None
    cumulative: bool = False
    baseline_fy: int | None = None


@dataclass(frozen=True)
class Evaluation:
    """An indicator's evaluation for one fiscal year.

    `actual` is the value compared (the running total for a cumulative indicator) in the
    target's unit; `rate` the achievement rate in % (exact), `label` the computed label.
    """

    fy: int
    outcome: Outcome
    met: bool | None = None
    rate: Decimal | None = None
    label: str | None = None
    comparison: str | None = None
    target: Decimal | None = None
    actual: Decimal | None = None

    @property
    def rate_text(self) -> str | None:
        """The rate to one decimal place, rounded half up (91.49 → "91.5%")."""
        if self.rate is None:
            return None
        return f"{quantize(self.rate, 1, truncate=False)}%"

    @property
    def explanation(self) -> str:
        """How the verdict was reached, in Japanese, for the sheet page."""
        if self.outcome != "computed":
            return OUTCOME_LABELS[self.outcome]
        sign = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}[self.comparison or ">="]
        text = f"実績 {_plain(self.actual)} {sign} 目標 {_plain(self.target)}"
        text += "：達成" if self.met else "：未達成"
        if self.rate is not None:
            text += f"（達成率 {self.rate_text}）"
        return text


def _plain(value: Decimal | None) -> str:
    if value is None:
        return "-"
    return f"{value.normalize():,f}" if value != value.to_integral_value() else f"{int(value):,}"


def _for_year(figures: Mapping[Span, Figure], fy: int) -> Figure | None:
    if (fy, fy) in figures:
        return figures[fy, fy]
    ending = [span for span in figures if span[1] == fy]
    return figures[min(ending)] if ending else None


def _running_total(
    series: IndicatorSeries, fy: int, unit: str | None
) -> Decimal | Literal["text"] | None:
    """The baseline and the yearly actuals up to `fy` added up in `unit` ("text" if an actual
    has no value, None if a unit does not convert)."""
    total = Decimal(0)
    after = -1
    if series.baseline is not None:
        base = convert(series.baseline.value, series.baseline.unit, unit)
        if base is None:
            return None
        total, after = base, series.baseline_fy if series.baseline_fy is not None else -1
    for (start, end), figure in series.actuals.items():
        if end > fy or start <= after or is_dash(figure.text):
            continue
        if figure.measure is None:
            return "text"
        value = convert(figure.measure.value, figure.measure.unit, unit)
        if value is None:
            return None
        total += value
    return total


def achievement_rate(target: Decimal, actual: Decimal, comparison: str) -> Decimal | None:
    """The achievement rate in % (see the module's docstring); None where it is not defined."""
    if target < 0 or actual < 0:
        return None
    if comparison in (">=", ">"):
        return percentage(actual, target) if target else None
    if comparison in ("<=", "<"):
        return percentage(target, actual) if actual else None
    if not target or not actual:
        return Decimal(100) if target == actual else None
    return min(percentage(actual, target), percentage(target, actual))


def _met(value: Decimal, goal: Decimal, comparison: str) -> bool:
    return {
        ">=": value >= goal,
        "<=": value <= goal,
        ">": value > goal,
        "<": value < goal,
        "=": value == goal,
    }[comparison]


def evaluate_indicator(series: IndicatorSeries, fy: int, scale: Scale) -> Evaluation:
    """The evaluation of an indicator for fiscal year `fy` on the achievement `scale`."""
    target = _for_year(series.targets, fy)
    if target is None or is_dash(target.text):
        return Evaluation(fy, "no_target")
    actual = _for_year(series.actuals, fy)
    if actual is None or is_dash(actual.text):
        return Evaluation(fy, "no_actual")
    if target.measure is None:
        return Evaluation(fy, "needs_person")
    goal = target.measure
    if series.cumulative:
        total = _running_total(series, fy, goal.unit)
        if total == "text":
            return Evaluation(fy, "needs_person")
        value = total
    elif actual.measure is None:
        return Evaluation(fy, "needs_person")
    else:
        value = convert(actual.measure.value, actual.measure.unit, goal.unit)
    if value is None:
        return Evaluation(fy, "incomparable")
    numeric = [f.measure for _, f in sorted(series.targets.items()) if f.measure is not None]
    comparison = target_comparison(goal, baseline=series.baseline, targets=numeric)
    met = _met(value, goal.value, comparison)
    rate = achievement_rate(goal.value, value, comparison)
    label = scale.choose(met, rate)
    return Evaluation(fy, "computed", met, rate, label, comparison, goal.value, value)


def _span(key: str) -> Span:
    start, _, end = key.partition("-")
    return int(start), int(end or start)


def _figures(doc: Mapping[str, Any] | None, unit: str | None) -> dict[Span, Figure]:
    out: dict[Span, Figure] = {}
    for key, figure in (doc or {}).items():
        if figure is None:
            continue
        value = figure.get("value")
        measure = (
            None
            if value is None
            else Measure(Decimal(str(value)), figure.get("unit") or unit, figure.get("op"))
        )
        out[_span(key)] = Figure(str(figure.get("text", "")), measure)
    return out


def series_from_package(indicator: Mapping[str, Any]) -> IndicatorSeries:
    """An indicator's series from its package form (FORMAT.md)."""
    unit = indicator.get("unit")
    baseline = indicator.get("baseline")
    base = None
    if baseline and baseline.get("value") is not None:
        base = Measure(Decimal(str(baseline["value"])), baseline.get("unit") or unit)
    return IndicatorSeries(
        targets=_figures(indicator.get("targets"), unit),
        actuals=_figures(indicator.get("actuals"), unit),
        baseline=base,
        cumulative=bool(indicator.get("cumulative")),
        baseline_fy=baseline.get("fy") if baseline else None,
    )


def indicator_years(series: IndicatorSeries) -> list[int]:
    """The fiscal years an indicator has a target for (the last year of a span)."""
    return sorted({end for _, end in series.targets})


# --- Tallies --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LabelTally:
    """Verdicts counted by label: the ordered labels with their shares of `total` (the verdicts
    on the order), those outside the order apart, and how many have no verdict yet."""

    counts: dict[str, int]
    apart: dict[str, int]
    total: int
    pending: int = 0

    def share(self, label: str) -> Decimal | None:
        """A label's share of the ordered verdicts in % (exact), None when there are none."""
        return percentage(self.counts.get(label, 0), self.total) if self.total else None


def tally_labels(labels: Iterable[str | None], scale: Scale) -> LabelTally:
    """Count verdicts (None: not given yet) on `scale`; a label not on the scale counts apart."""
    found = Counter(labels)
    pending = found.pop(None, 0)
    ordered = scale.ordered_labels
    counts = {label: found.get(label, 0) for label in ordered}
    apart = {label: n for label, n in found.items() if label is not None and label not in ordered}
    for label in scale.apart_labels:
        apart.setdefault(label, 0)
    return LabelTally(counts, apart, sum(counts.values()), pending)


def progress_rate(by_status: Mapping[str, int], scale: Scale) -> Decimal | None:
    """進捗率 in % (exact): the on-track statuses ÷ the activities with an ordered status."""
    ordered = scale.ordered_labels
    activities = sum(by_status.get(label, 0) for label in ordered)
    if not activities:
        return None
    return percentage(sum(by_status.get(label, 0) for label in scale.on_track_labels), activities)
