"""People's verdicts on indicators (評価) and the plan's summary tables: the write use case
(`record_indicator_verdict`: permission, row version, audit entry) and the reads that pages
and documents use (`initiative_evaluations`, `plan_summary`). The arithmetic is pure, in
`evaluation.rules` and `evaluation.tables`.

Who may give a verdict: whoever may report the initiative's yearly fields (`Change.REPORT`):
a department editor for the initiatives its departments lead, take part in or implement, the
DX division and admins for every initiative of their municipality.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dxplan.evaluation.models import IndicatorEvaluation
from dxplan.evaluation.rules import Evaluation, evaluate_indicator, plan_scales, series_from_package
from dxplan.evaluation.tables import SummaryTables, summary_tables
from dxplan.plans.models import Initiative, Plan
from dxplan.plans.package.form import FormOptions, indicator_form, plan_info_form, plan_to_package
from dxplan.plans.parts import Indicator


@dataclass(frozen=True)
class IndicatorYear:
    """An indicator in a fiscal year on the sheet: the computed evaluation, and a person's
    verdict where one was given (the final label is the person's, else the computed one)."""

    indicator_uid: str
    name: str
    fy: int
    evaluation: Evaluation
    override: IndicatorEvaluation | None

    @property
    def final_label(self) -> str | None:
        return self.override.label if self.override is not None else self.evaluation.label


def verdicts_by_indicator_year(
    session: Session, indicator_ids: list[int]
) -> dict[tuple[int, int], IndicatorEvaluation]:
    if not indicator_ids:
        return {}
    rows = session.scalars(
        select(IndicatorEvaluation).where(IndicatorEvaluation.indicator_id.in_(indicator_ids))
    )
    return {(row.indicator_id, row.fy): row for row in rows}


def initiative_evaluations(session: Session, initiative: Initiative) -> list[IndicatorYear]:
    """Each indicator of an initiative in each fiscal year it has a target for, evaluated on
    the plan's achievement scale, with the people's verdicts (one query)."""
    scale = plan_scales(plan_info_form(initiative.plan, FormOptions()))["achievement"]
    overrides = verdicts_by_indicator_year(session, [i.id for i in initiative.indicators])
    out = []
    for indicator in initiative.indicators:
        series = series_from_package(indicator_form(indicator, FormOptions()))
        for fy in sorted({end for _, end in series.targets}):
            evaluation = evaluate_indicator(series, fy, scale)
            if evaluation.outcome == "no_target":
                continue
            out.append(
                IndicatorYear(
                    indicator.uid,
                    indicator.name,
                    fy,
                    evaluation,
                    overrides.get((indicator.id, fy)),
                )
            )
    return out


def plan_summary_of(session: Session, plan: Plan, fy: int) -> SummaryTables:
    """The summary tables and roll-ups of a plan loaded with everything in it
    (`queries.find_plan`), with the people's verdicts (one more query)."""
    doc = plan_to_package(plan, FormOptions(ids=True))
    return summary_tables(doc, fy, verdict_overrides(session, plan))


def verdict_overrides(session: Session, plan: Plan) -> dict[tuple[str, int], str]:
    """The people's verdicts on the plan's indicators: (indicator uid, fy) → label (one query)."""
    rows = session.execute(
        select(Indicator.uid, IndicatorEvaluation.fy, IndicatorEvaluation.label)
        .join(Indicator, Indicator.id == IndicatorEvaluation.indicator_id)
        .where(IndicatorEvaluation.plan_id == plan.id)
    ).all()
    return {(uid, year): label for uid, year, label in rows}
