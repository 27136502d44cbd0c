"""The reporting round in the API (`/api/v1/…/rounds`): its status as JSON, and the actions
(open, submit, return, accept, approve) with the same services and permissions as the pages and
the CLI. Only the municipality's own users see a round (others: 404); writes need a token."""

from __future__ import annotations

import enum
from typing import Annotated

from fastapi import APIRouter, Path
from sqlalchemy.orm import Session

from dxplan.accounts.context import Context
from dxplan.accounts.rules import Actor
from dxplan.fiscal import today_in_japan
from dxplan.reporting.queries import round_dashboard
from dxplan.reporting.services import (
    accept_report,
    approve_round,
    open_round,
    return_report,
    submit_report,
)
from dxplan.web.api.common import (
    OPTIONAL_AUTH,
    PREFIX,
    REQUIRED_AUTH,
    Code,
    PlanId,
    error_responses,
    writer,
)
from dxplan.web.api.schemas import Approval, Decision, OpenRound, RoundStatus
from dxplan.web.deps import ApiActor, DbSession

router = APIRouter(prefix=PREFIX, tags=["rounds"])

ROUNDS = "/municipalities/{code}/plans/{plan_id}/rounds"
FiscalYear = Annotated[int, Path(ge=1900, le=2200, description="the fiscal year (年度)")]
DepartmentId = Annotated[int, Path(ge=1, le=2**31 - 1, description="the department's id")]


class Action(enum.StrEnum):
    SUBMIT = "submit"
    RETURN = "return"
    ACCEPT = "accept"


def _status(
    session: Session, actor: Actor | None, code: str, plan_id: str, fiscal_year: int
) -> RoundStatus:
    board = round_dashboard(session, actor, code, plan_id, fiscal_year, today=today_in_japan())
    return RoundStatus.model_validate(board.as_json())


@router.get(
    ROUNDS + "/{fiscal_year}",
    openapi_extra={"security": OPTIONAL_AUTH},
    responses=error_responses(401, 404, 422),
)
def get_round(
    session: DbSession, actor: ApiActor, code: Code, plan_id: PlanId, fiscal_year: FiscalYear
) -> RoundStatus:
    """The round of the plan for a fiscal year (the municipality's own users only)."""
    return _status(session, actor, code, plan_id, fiscal_year)


@router.post(
    ROUNDS,
    status_code=201,
    openapi_extra={"security": REQUIRED_AUTH},
    responses=error_responses(400, 401, 403, 404, 422),
)
def post_round(
    session: DbSession, actor: ApiActor, code: Code, plan_id: PlanId, body: OpenRound
) -> RoundStatus:
    """Open the plan's round of a fiscal year (DX division, admin)."""
    context = Context(writer(actor), code)
    open_round(session, context, plan_id, body.fiscal_year, body.due_date)
    session.commit()
    return _status(session, actor, code, plan_id, body.fiscal_year)


@router.post(
    ROUNDS + "/{fiscal_year}/departments/{department_id}/{action}",
    openapi_extra={"security": REQUIRED_AUTH},
    responses=error_responses(400, 401, 403, 404, 412, 422),
)
def post_decision(
    session: DbSession,
    actor: ApiActor,
    code: Code,
    plan_id: PlanId,
    fiscal_year: FiscalYear,
    department_id: DepartmentId,
    action: Action,
    body: Decision,
) -> RoundStatus:
    """Submit a department's report (its editors, DX division), return it with a comment or
    accept it (DX division, admin)."""
    context = Context(writer(actor), code)
    version = body.row_version
    if action is Action.SUBMIT:
        submit_report(
            session, context, plan_id, fiscal_year, department_id, expected_version=version
        )
    elif action is Action.RETURN:
        return_report(
            session,
            context,
            plan_id,
            fiscal_year,
            department_id,
            body.comment or "",
            expected_version=version,
        )
    else:
        accept_report(
            session, context, plan_id, fiscal_year, department_id, expected_version=version
        )
    session.commit()
    return _status(session, actor, code, plan_id, fiscal_year)


@router.post(
    ROUNDS + "/{fiscal_year}/approve",
    openapi_extra={"security": REQUIRED_AUTH},
    responses=error_responses(400, 401, 403, 404, 412, 422),
)
def post_approval(
    session: DbSession,
    actor: ApiActor,
    code: Code,
    plan_id: PlanId,
    fiscal_year: FiscalYear,
    body: Approval,
) -> RoundStatus:
    """Approve the round once every report is accepted (committee, admin): the year is locked."""
    context = Context(writer(actor), code)
    approve_round(session, context, plan_id, fiscal_year, expected_version=body.row_version)
    session.commit()
    return _status(session, actor, code, plan_id, fiscal_year)
