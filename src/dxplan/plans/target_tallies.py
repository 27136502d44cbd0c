"""The tally of targets met of every plan a reader may see, for the home page's headline
figures: for each indicator, the latest fiscal year with both a numeric target and a numeric
actual, read in one query.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from dxplan.accounts.rules import Actor
from dxplan.plans.models import Initiative, Plan
from dxplan.plans.parts import Indicator, IndicatorValue, ValueKind
from dxplan.plans.targets import Measure, Span, TargetTally, latest_verdict, tally
from dxplan.plans.visibility import visible_plans


@dataclass
class _Figures:
    baseline: Measure | None = None
    targets: dict[Span, Measure] = field(default_factory=dict)
    actuals: dict[Span, Measure] = field(default_factory=dict)


def target_tallies(session: Session, reader: Actor | None) -> dict[int, TargetTally]:
    """The tally of targets met of every visible plan, by plan id (one query: the numeric
    figures of the indicators that have a numeric actual)."""
    measured = select(IndicatorValue.indicator_id).where(
        IndicatorValue.kind == ValueKind.ACTUAL, IndicatorValue.value.is_not(None)
    )
    statement = (
        select(
            Initiative.plan_id,
            Indicator.id,
            Indicator.unit,
            IndicatorValue.kind,
            IndicatorValue.start_fy,
            IndicatorValue.end_fy,
            IndicatorValue.value,
            IndicatorValue.unit,
            IndicatorValue.op,
        )
        .join(Indicator, IndicatorValue.indicator_id == Indicator.id)
        .join(Initiative, Indicator.initiative_id == Initiative.id)
        .join(Plan, Initiative.plan_id == Plan.id)
        .where(visible_plans(reader))
        .where(IndicatorValue.value.is_not(None), Indicator.id.in_(measured))
    )
    by_plan: dict[int, dict[int, _Figures]] = defaultdict(dict)
    for plan_id, indicator_id, default_unit, kind, start, end, value, unit, op in session.execute(
        statement
    ):
        if value is None:
            continue  # excluded by the query: for the type checker
        found = by_plan[plan_id].setdefault(indicator_id, _Figures())
        measure = Measure(value, unit if unit is not None else default_unit, op)
        if kind is ValueKind.BASELINE:
            found.baseline = measure
        elif start is not None and end is not None:
            per_year = found.targets if kind is ValueKind.TARGET else found.actuals
            per_year[(start, end)] = measure
    return {
        plan_id: tally(latest_verdict(f.targets, f.actuals, f.baseline) for f in figures.values())
        for plan_id, figures in by_plan.items()
    }
