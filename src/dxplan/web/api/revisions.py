"""The API of revisions: a plan's revision history (改訂履歴), as in the plan package."""

from __future__ import annotations

from fastapi import APIRouter

from dxplan.plans.package.form import revision_form
from dxplan.web.api import schemas
from dxplan.web.api.common import OPTIONAL_AUTH, PREFIX, Code, PlanId, error_responses
from dxplan.web.common import readable_plan
from dxplan.web.deps import ApiActor, DbSession

router = APIRouter(prefix=PREFIX, tags=["api"])


@router.get(
    "/municipalities/{code}/plans/{plan_id}/revisions",
    openapi_extra={"security": OPTIONAL_AUTH},
    response_model_exclude_none=True,
    responses=error_responses(401, 404, 422),
)
def list_revisions(
    session: DbSession, actor: ApiActor, code: Code, plan_id: PlanId
) -> list[schemas.RevisionOut]:
    """The plan's revision history (改訂履歴), as in the plan package."""
    plan = readable_plan(session, actor, code, plan_id, initiatives=False)
    return [schemas.RevisionOut.model_validate(revision_form(r)) for r in plan.revisions]
