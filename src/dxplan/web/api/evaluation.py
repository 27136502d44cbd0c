"""The API of evaluation: an initiative's indicators evaluated in each fiscal year, and a
person's verdict on one (as the initiative sheet's form gives it)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path

from dxplan.accounts.context import Context
from dxplan.evaluation.queries import IndicatorYear, initiative_evaluations
from dxplan.evaluation.services import record_indicator_verdict
from dxplan.web.api import schemas
from dxplan.web.api.common import (
    INITIATIVE_PATH,
    OPTIONAL_AUTH,
    PREFIX,
    REQUIRED_AUTH,
    Code,
    InitiativeCode,
    PlanId,
    error_responses,
    own,
    writer,
)
from dxplan.web.common import readable_initiative, writable_initiative
from dxplan.web.deps import ApiActor, DbSession

router = APIRouter(prefix=PREFIX, tags=["api"])

EVALUATIONS_PATH = INITIATIVE_PATH + "/evaluations"


def _evaluation_out(year: IndicatorYear, own: bool) -> schemas.IndicatorEvaluationOut:
    evaluation, override = year.evaluation, year.override
    return schemas.IndicatorEvaluationOut(
        indicator_uid=year.indicator_uid,
        indicator=year.name,
        fy=year.fy,
        outcome=evaluation.outcome,
        met=evaluation.met,
        rate=None if evaluation.rate is None else format(evaluation.rate.normalize(), "f"),
        computed=evaluation.label,
        final=year.final_label,
        reason=override.reason if override else None,
        version=override.row_version if override else None,
        actor=override.actor if override and own else None,
        at=_aware(override.at) if override else None,
    )


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)  # SQLite keeps no zone


@router.get(
    EVALUATIONS_PATH,
    openapi_extra={"security": OPTIONAL_AUTH},
    responses=error_responses(401, 404, 422),
)
def list_evaluations(
    session: DbSession,
    actor: ApiActor,
    code: Code,
    plan_id: PlanId,
    initiative_code: InitiativeCode,
) -> list[schemas.IndicatorEvaluationOut]:
    """The initiative's indicators evaluated in each fiscal year they have a target for: the
    computed label and rate, and a person's verdict with its reason where one was given."""
    initiative = readable_initiative(session, actor, code, plan_id, initiative_code)
    theirs = own(actor, code)
    return [_evaluation_out(y, theirs) for y in initiative_evaluations(session, initiative)]


@router.put(
    EVALUATIONS_PATH + "/{indicator_uid}/{fy}",
    openapi_extra={"security": REQUIRED_AUTH},
    responses=error_responses(400, 401, 403, 404, 412, 422),
)
def put_evaluation(
    session: DbSession,
    actor: ApiActor,
    code: Code,
    plan_id: PlanId,
    initiative_code: InitiativeCode,
    indicator_uid: Annotated[
        str, Path(max_length=36, examples=["0f8fad5b-d9cb-469f-a165-70867728950e"])
    ],
    fy: Annotated[int, Path(ge=1900, le=2200)],
    verdict: schemas.VerdictIn,
) -> list[schemas.IndicatorEvaluationOut]:
    """Give (label) or withdraw (label null) a person's verdict on an indicator for a fiscal
    year, with a reason; `version` is that of the verdict read (null: there was none). Whoever
    may report the initiative may (see the pages). Answers the initiative's evaluations."""
    user = writer(actor)
    initiative = writable_initiative(session, user, code, plan_id, initiative_code)
    record_indicator_verdict(
        session,
        Context(user, code),
        plan_id,
        initiative.code,
        indicator_uid,
        fy,
        verdict.label,
        verdict.reason,
        verdict.version,
    )
    session.commit()
    changed = readable_initiative(session, user, code, plan_id, initiative.code)
    return [_evaluation_out(y, True) for y in initiative_evaluations(session, changed)]
