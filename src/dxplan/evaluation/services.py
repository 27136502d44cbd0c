"""People's verdicts on indicators (評価): the write use case, with permission, row version, lock
and audit entry.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dxplan.accounts.context import Context, authorize
from dxplan.accounts.rules import Change
from dxplan.audit import services as audit
from dxplan.audit.models import utcnow
from dxplan.audit.services import FieldChange
from dxplan.errors import InvalidChangeError, NotFoundError, StaleVersionError
from dxplan.evaluation.models import IndicatorEvaluation
from dxplan.evaluation.queries import verdicts_by_indicator_year
from dxplan.evaluation.rules import evaluate_indicator, plan_scales, series_from_package
from dxplan.plans.models import Plan
from dxplan.plans.package.form import FormOptions, indicator_form, plan_info_form
from dxplan.plans.queries import find_initiative
from dxplan.problems import Problem, quoted
from dxplan.reporting.locks import guard_yearly_changes

MAX_REASON: Final = 2000
"""The longest reason for a verdict, in characters."""


def record_indicator_verdict(
    session: Session,
    context: Context,
    plan_id: str,
    initiative_code: str,
    indicator_uid: str,
    fy: int,
    label: str | None,
    reason: str,
    expected_version: int | None,
) -> IndicatorEvaluation | None:
    """Give (or, with `label` None, withdraw) a person's verdict on an indicator for `fy`.

    `label` is a label of the plan's achievement scale (one outside the order, such as
    評価できない, too); `reason` is required. The label computed now is kept beside it.
    `expected_version` is the version of the verdict the person saw (None: there was none);
    StaleVersionError when someone has changed it since.
    """
    initiative = find_initiative(session, context.municipality_code, plan_id, initiative_code)
    authorize(context, Change.READ_DRAFT)  # another municipality's: not found, whatever exists
    if initiative is None:
        raise NotFoundError(f"no initiative {initiative_code!r} in plan {plan_id!r}")
    indicator = next((i for i in initiative.indicators if i.uid == indicator_uid), None)
    if indicator is None:
        raise NotFoundError(f"no indicator {indicator_uid!r} in initiative {initiative_code!r}")
    authorize(context, Change.REPORT, [link.department_id for link in initiative.departments])
    plan: Plan = initiative.plan
    scale = plan_scales(plan_info_form(plan, FormOptions()))["achievement"]
    problems = []
    if label is not None and label not in scale.labels:
        expected = "計画の達成状況の区分のいずれか：" + "、".join(scale.labels)
        problems.append(Problem("label", quoted(label), expected, "評価"))
    reason = reason.strip()
    if not reason or len(reason) > MAX_REASON:
        length = f"{len(reason):,}文字" if reason else "（なし）"
        expected = f"1〜{MAX_REASON:,}文字の理由"
        problems.append(Problem("reason", length, expected, "評価の理由"))
    series = series_from_package(indicator_form(indicator, FormOptions()))
    if fy not in {end for _, end in series.targets}:
        expected = "指標に目標値のある年度"
        problems.append(Problem("fy", f"{fy}年度", expected, "年度"))
    if problems:
        raise InvalidChangeError(problems)
    current = verdicts_by_indicator_year(session, [indicator.id]).get((indicator.id, fy))
    key = f"{plan.municipality.code}/{plan.slug}/{initiative.code}/{indicator.name}/{fy}"
    found = current.row_version if current is not None else None
    if found != expected_version:
        values = {"label": current.label, "reason": current.reason} if current else {}
        raise StaleVersionError(f"evaluation {key}", expected_version or 0, found or 0, values)
    evaluation = evaluate_indicator(series, fy, scale)
    old = current.label if current is not None else None
    field = f"indicators[{indicator.position}].evaluations.{fy}"
    # A verdict on a year whose round is approved is a correction (DX division, with the reason);
    # while the department's report is submitted, its editors wait for a return.
    department_ids = [link.department_id for link in initiative.departments]
    corrected = guard_yearly_changes(
        session, context.actor, context.municipality_code, plan.id, department_ids, [field], reason
    )
    changes = [FieldChange(field, old, label, indicator.uid)]
    if label is None:
        if current is not None:
            session.delete(current)
        row = None
    else:
        row = current or IndicatorEvaluation(plan_id=plan.id, indicator_id=indicator.id, fy=fy)
        row.computed_label = evaluation.label
        row.computed_rate = evaluation.rate
        row.label, row.reason = label, reason
        row.actor, row.at = context.actor.id, utcnow()
        if current is None:
            _insert_first(session, row, key, expected_version)
    changes.append(FieldChange(f"{field}.reason", current.reason if current else None, reason))
    audit.record(
        session,
        actor_id=context.actor.id,
        action="indicator.evaluate",
        target_type="initiative",
        target_uid=initiative.uid,
        target_key=key,
        municipality_id=plan.municipality_id,
        changes=changes,
        detail={
            "computed": evaluation.label,
            "rate": _rate(evaluation.rate),
            **({"reason": reason, "fiscal_years": corrected} if corrected else {}),
        },
    )
    session.flush()
    return row


def _insert_first(
    session: Session, row: IndicatorEvaluation, key: str, expected_version: int | None
) -> None:
    """Insert the first verdict on an indicator's year. Two people giving it at the same moment:
    the second finds the first's row (the unique key) and is told, as for a stale version."""
    try:
        with session.begin_nested():  # a savepoint: PostgreSQL's transaction stays usable
            session.add(row)
            session.flush()
    except IntegrityError:
        raise StaleVersionError(f"evaluation {key}", expected_version or 0, 1, {}) from None


def _rate(rate: Decimal | None) -> str | None:
    return None if rate is None else format(rate.normalize(), "f")
