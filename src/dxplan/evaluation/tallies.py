"""The arithmetic the consistency check and the summary tables share: shares in percent, rounding
as the documents do, and the tallies of a plan's items (statuses by year, goals due by verdict,
fiscal effects added up). Pure (standard library only).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from dxplan.evaluation.facts import GoalFacts, ItemFacts


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


def _effect(item: ItemFacts, fy: int) -> Decimal | None:
    """An initiative's fiscal effect of one year (None: it gives none for that year alone)."""
    if (fy, fy) not in item.fiscal_effects:
        return None
    return item.fiscal_effects[fy, fy] or Decimal(0)


def yearly_fiscal(items: Iterable[ItemFacts], fy: int) -> Decimal | None:
    """The fiscal effects of one year added up; None when no initiative gives one for it."""
    amounts = [a for item in items if (a := _effect(item, fy)) is not None]
    return sum(amounts, Decimal(0)) if amounts else None
