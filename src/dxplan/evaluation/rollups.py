"""The roll-ups of the summary tables (集計表): a group of initiatives (the whole plan, a section,
a lead department) in one fiscal year, with its statuses, 進捗率, goal and indicator verdicts
(people's verdicts where recorded) and fiscal effects. Pure (standard library only).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from dxplan.evaluation.facts import ItemFacts
from dxplan.evaluation.rules import (
    LabelTally,
    Scale,
    evaluate_indicator,
    progress_rate,
    series_from_package,
    tally_labels,
)
from dxplan.evaluation.tallies import progress_tally, quantize, yearly_fiscal


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


def rollup(
    name: str,
    items: Sequence[ItemFacts],
    fy: int,
    scales: Mapping[str, Scale],
    overrides: Mapping[tuple[str, int], str],
) -> RollupRow:
    """One group of initiatives in fiscal year `fy` (`overrides`: the people's verdicts)."""
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
        yearly_fiscal(items, fy),
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
