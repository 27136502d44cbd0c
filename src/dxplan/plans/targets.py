"""Whether an indicator met its target: the comparison a target states or implies, the verdict on
the latest year with both figures, and the tally of a plan's indicators (pure).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from dxplan.figures import convert

Span = tuple[int, int]
"""A fiscal year or an inclusive span of them, as (start_fy, end_fy): FY2023 is (2023, 2023)."""


COMPARISONS: Final = frozenset({">=", "<=", ">", "<", "="})


@dataclass(frozen=True)
class Measure:
    """A numeric figure of an indicator (baseline, target or actual): its value in its unit (the
    figure's own unit, else the indicator's) and the comparison its text states, if any."""

    value: Decimal
    unit: str | None = None
    op: str | None = None


def _in_unit(measure: Measure, unit: str | None) -> Decimal | None:
    return convert(measure.value, measure.unit, unit)


def target_comparison(
    target: Measure, *, baseline: Measure | None = None, targets: Sequence[Measure] = ()
) -> str:
    """The comparison an actual must pass to meet `target`: ">=", "<=", ">", "<" or "=".

    1. The comparison the target states: 以上 ">=", 以下 / 以内 "<=", 超 ">", 未満 "<", or
       "=" (exactly; given as the figure's `op`, no text implies it).
    2. Else a target below the baseline (現状値) is a reduction ("<="), above it a rise (">=").
    3. Else targets that fall from every year to the next (`targets`: the indicator's numeric
       targets in year order, such as 4分7秒 then 4分1秒) are a reduction ("<=").
    4. Else a target of zero is a ceiling ("<="): インシデント 0件 is met by none, not by any.
    5. Else the target is a level to reach (">=").
    """
    if target.op is not None:
        if target.op not in COMPARISONS:
            raise ValueError(f"op must be one of {sorted(COMPARISONS)}, got {target.op!r}")
        return target.op
    goal = target.value
    start = _in_unit(baseline, target.unit) if baseline is not None else None
    if start is not None and start != goal:
        return "<=" if goal < start else ">="
    series = [_in_unit(item, target.unit) for item in targets]
    if len(series) >= 2 and all(
        earlier is not None and later is not None and later < earlier
        for earlier, later in itertools.pairwise(series)
    ):
        return "<="
    return "<=" if goal == 0 else ">="


def target_met(target: Measure, actual: Measure, comparison: str) -> bool | None:
    """Does `actual` meet `target` under `comparison` (see `target_comparison`)?

    None when the actual's unit does not convert to the target's (件 against 手続): the two
    cannot be compared. Units that convert are compared exactly: 8割 against 80 %, 1時間 against
    3600 秒.
    """
    value = _in_unit(actual, target.unit)
    if value is None:
        return None
    goal = target.value
    if comparison == ">=":
        return value >= goal
    if comparison == "<=":
        return value <= goal
    if comparison == ">":
        return value > goal
    if comparison == "<":
        return value < goal
    if comparison == "=":
        return value == goal
    raise ValueError(f"comparison must be one of {sorted(COMPARISONS)}, got {comparison!r}")


@dataclass(frozen=True)
class TargetVerdict:
    """Whether an indicator met its target in one fiscal year (or span)."""

    start_fy: int
    end_fy: int
    met: bool


def latest_verdict(
    targets: Mapping[Span, Measure],
    actuals: Mapping[Span, Measure],
    baseline: Measure | None = None,
) -> TargetVerdict | None:
    """The verdict on the latest fiscal year (or span) for which an indicator has both a numeric
    target and a numeric actual; None if it has none, or their units do not convert.

    Textual targets and actuals ("完了", "-") are not passed in: they have no value to compare.
    """
    both = sorted((span for span in targets if span in actuals), key=lambda s: (s[1], s[0]))
    if not both:
        return None
    span = both[-1]
    series = [targets[key] for key in sorted(targets, key=lambda s: (s[1], s[0]))]
    target = targets[span]
    comparison = target_comparison(target, baseline=baseline, targets=series)
    met = target_met(target, actuals[span], comparison)
    return None if met is None else TargetVerdict(span[0], span[1], met)


@dataclass(frozen=True)
class TargetTally:
    """How many indicators met the target of their latest fiscal year with an actual.

    `counted` indicators have a numeric target and actual in a same year; `met` of them met it;
    `year` is the latest fiscal year among those counted (None when none is).
    """

    met: int
    counted: int
    year: int | None

    @property
    def share(self) -> float | None:
        """met ÷ counted, or None when nothing is counted."""
        return self.met / self.counted if self.counted else None


def tally(verdicts: Iterable[TargetVerdict | None]) -> TargetTally:
    """The tally of indicators' latest verdicts (None: an indicator that is not counted)."""
    counted = [verdict for verdict in verdicts if verdict is not None]
    return TargetTally(
        met=sum(verdict.met for verdict in counted),
        counted=len(counted),
        year=max((verdict.end_fy for verdict in counted), default=None),
    )
