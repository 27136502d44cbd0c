"""The API of plans (`/api/v1/municipalities/…`): municipalities, plans as plan packages,
initiatives (read, and changed with JSON Merge Patch), departments and a plan's history."""

from __future__ import annotations

from datetime import UTC
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException

from dxplan.accounts.context import Context
from dxplan.editing.services import update_initiative
from dxplan.errors import InvalidChangeError, NotFoundError
from dxplan.interchange.exporter import export_package
from dxplan.interchange.reading import parse_package_bytes
from dxplan.plans.departments import municipality_departments
from dxplan.plans.package.form import (
    FormOptions,
    initiative_form,
)
from dxplan.plans.queries import (
    find_initiative,
    plan_history,
    plan_summaries,
)
from dxplan.problems import Problem
from dxplan.web.api import schemas
from dxplan.web.api.common import (
    DESCRIPTIONS,
    ETAG_HEADER,
    INITIATIVE_PATH,
    MERGE_PATCH,
    OPTIONAL_AUTH,
    PREFIX,
    REQUIRED_AUTH,
    Code,
    InitiativeCode,
    PlanId,
    error_responses,
    etag,
    expected_version,
    json_content,
    not_modified,
    own,
    writer,
)
from dxplan.web.api.merge_patch import merge_patch
from dxplan.web.common import editable_initiative, readable_initiative, readable_plan
from dxplan.web.deps import ApiActor, DbSession, may_read

MAX_ENTRY_ID = 2**31 - 1  # the audit entry id column is a 32-bit integer

router = APIRouter(prefix=PREFIX, tags=["api"])


def initiative_url(code: str, plan_id: str, initiative_code: str) -> str:
    """The API URL of an initiative, its code percent-encoded."""
    encoded = quote(initiative_code, safe="")
    return f"{PREFIX}/municipalities/{code}/plans/{plan_id}/initiatives/{encoded}"


# --- municipalities and plans ---------------------------------------------------------------


@router.get(
    "/municipalities", openapi_extra={"security": OPTIONAL_AUTH}, responses=error_responses(401)
)
def list_municipalities(session: DbSession, actor: ApiActor) -> list[schemas.Municipality]:
    """The municipalities with at least one plan the reader may read."""
    found: dict[str, schemas.Municipality] = {}
    for s in plan_summaries(session):
        if may_read(actor, s.municipality_code, s.public):
            entry = found.setdefault(
                s.municipality_code,
                schemas.Municipality(
                    code=s.municipality_code,
                    name=s.municipality_name,
                    prefecture=s.municipality_prefecture,
                    plans=0,
                ),
            )
            entry.plans += 1
    return list(found.values())


@router.get(
    "/municipalities/{code}/plans",
    openapi_extra={"security": OPTIONAL_AUTH},
    responses=error_responses(401, 404, 422),
)
def list_plans(session: DbSession, actor: ApiActor, code: Code) -> list[schemas.PlanSummary]:
    """The municipality's plans the reader may read, with their sizes (404 if there are none)."""
    plans = [
        schemas.PlanSummary(
            plan_id=s.plan_id,
            title=s.title,
            kind=s.kind,
            start_fy=s.start_fy,
            end_fy=s.end_fy,
            public=s.public,
            sections=s.sections,
            initiatives=s.initiatives,
            indicators=s.indicators,
        )
        for s in plan_summaries(session, code)
        if may_read(actor, code, s.public)
    ]
    if not plans:
        raise NotFoundError(f"no plan of municipality {code} to read")
    return plans


@router.get(
    "/municipalities/{code}/plans/{plan_id}",
    openapi_extra={"security": OPTIONAL_AUTH},
    response_class=JSONResponse,
    responses={
        200: json_content(
            schemas.ref(""), "The plan package (dxplan-package/1), as `dxplan export`"
        ),
        **error_responses(401, 404, 422),
    },
)
def get_plan(session: DbSession, actor: ApiActor, code: Code, plan_id: PlanId) -> Response:
    """The plan as a plan package, with the stable id (`uid`) of every object."""
    readable_plan(session, actor, code, plan_id)
    return JSONResponse(export_package(session, code, plan_id))


# --- initiatives ------------------------------------------------------------------------------


@router.get(
    INITIATIVE_PATH,
    openapi_extra={"security": OPTIONAL_AUTH},
    response_class=JSONResponse,
    responses={
        200: json_content(
            schemas.ref("initiative"), "The initiative as in the plan package", headers=ETAG_HEADER
        ),
        304: {"description": DESCRIPTIONS[304], "headers": ETAG_HEADER},
        **error_responses(401, 404, 422),
    },
)
def get_initiative(
    session: DbSession,
    actor: ApiActor,
    code: Code,
    plan_id: PlanId,
    initiative_code: InitiativeCode,
    if_none_match: Annotated[str | None, Header(max_length=1000)] = None,
) -> Response:
    """The initiative as in the plan package, with its version as ETag (If-None-Match: 304)."""
    initiative = readable_initiative(session, actor, code, plan_id, initiative_code)
    tag = etag(initiative)
    if not_modified(if_none_match, tag):
        return Response(status_code=304, headers={"ETag": tag})
    form = initiative_form(initiative, FormOptions(ids=True))
    return JSONResponse(form, headers={"ETag": tag})


async def _body(request: Request) -> bytes:
    return await request.body()


Body = Annotated[bytes, Depends(_body)]

_PATCH_BODY = {
    "required": True,
    "description": (
        "A JSON Merge Patch (RFC 7396) over the initiative as GET gives it: an object sets or "
        "merges, null removes, an array replaces the whole list (give an activity, indicator "
        "or goal its `uid` to keep it, leave it out for a new one)."
    ),
    "content": {
        MERGE_PATCH: {
            "schema": {"type": "object", "description": "a merge patch over PackageInitiative"},
            "example": {"results": {"2023": "窓口での案内を開始しました。"}, "note": None},
        }
    },
}


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").partition(";")[0].strip().lower()


@router.patch(
    INITIATIVE_PATH,
    openapi_extra={"security": REQUIRED_AUTH, "requestBody": _PATCH_BODY},
    response_class=JSONResponse,
    responses={
        200: json_content(
            schemas.ref("initiative"), "The initiative as changed", headers=ETAG_HEADER
        ),
        **error_responses(400, 401, 403, 404, 412, 415, 422, 428),
    },
)
def patch_initiative(
    request: Request,
    session: DbSession,
    actor: ApiActor,
    body: Body,
    code: Code,
    plan_id: PlanId,
    initiative_code: InitiativeCode,
    if_match: Annotated[str | None, Header(max_length=1000)] = None,
) -> Response:
    """Change an initiative with a JSON Merge Patch over its package form, If-Match its ETag.

    A department editor may change the yearly fields (actual phases, statuses, results,
    indicator actuals, goal verdicts) of its departments' initiatives; the DX division and
    admins anything. The patched initiative is checked by the service that writes, as a
    package import checks it: every problem is answered with its JSON path and Japanese label.
    """
    user = writer(actor)
    if _media_type(request) != MERGE_PATCH:
        raise HTTPException(415, f"send the change as {MERGE_PATCH}")
    refusal = "このトークンの利用者は、この取組を変更できません。"
    initiative = editable_initiative(session, user, code, plan_id, initiative_code, refusal=refusal)
    patch = parse_package_bytes(body, "the request body")
    if not isinstance(patch, dict):  # it would replace the whole initiative: never one
        found = {list: "配列", str: "文字列", bool: "真偽値"}.get(type(patch), "数値またはnull")
        wanted = "オブジェクト（取組のJSON Merge Patch）"
        raise InvalidChangeError([Problem("$", found, wanted, "リクエストの本文")])
    key = f"initiative {code}/{plan_id}/{initiative.code}"
    expected = expected_version(if_match, initiative, key)
    form = merge_patch(initiative_form(initiative, FormOptions(ids=True)), patch)
    update_initiative(session, Context(user, code), plan_id, initiative.code, form, expected)
    try:
        session.commit()
    except StaleDataError:  # changed by another request between our read and our write
        session.rollback()
        raise HTTPException(412, f"{key} was changed by someone else meanwhile") from None
    changed = find_initiative(session, code, plan_id, form["code"])
    assert changed is not None
    return JSONResponse(
        initiative_form(changed, FormOptions(ids=True)),
        headers={
            "ETag": etag(changed),
            "Content-Location": initiative_url(code, plan_id, changed.code),
        },
    )


# --- departments, history ---------------------------------------------------------------------


@router.get(
    "/municipalities/{code}/departments",
    openapi_extra={"security": OPTIONAL_AUTH},
    responses=error_responses(401, 404, 422),
)
def list_departments(
    session: DbSession, actor: ApiActor, code: Code
) -> list[schemas.DepartmentSummary]:
    """The municipality's departments with how many initiatives of the plans the reader may read
    each has in each role (its own users see every department); 404 if nothing is readable."""
    return [
        schemas.DepartmentSummary(
            id=d.id,
            name=d.name,
            initiatives=d.initiatives,
            lead=d.lead,
            related=d.related,
            implementing=d.implementing,
        )
        for d in municipality_departments(session, actor, code)
    ]


@router.get(
    "/municipalities/{code}/plans/{plan_id}/history",
    openapi_extra={"security": OPTIONAL_AUTH},
    responses=error_responses(401, 404, 422),
)
def plan_history_page(
    session: DbSession,
    actor: ApiActor,
    code: Code,
    plan_id: PlanId,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    before: Annotated[int | None, Query(ge=1, le=MAX_ENTRY_ID)] = None,
) -> schemas.History:
    """The audit entries of the plan and its initiatives, newest first, a page at a time.

    Anyone who may read the plan sees what changed and when; who changed it (`actor`) and the
    details of imports (`detail`) only the municipality's own users see.
    """
    plan = readable_plan(session, actor, code, plan_id)
    theirs = own(actor, code)
    rows = plan_history(session, plan, limit=limit + 1, before=before)
    entries = [
        schemas.AuditEntryOut(
            id=row.id,
            at=row.at if row.at.tzinfo else row.at.replace(tzinfo=UTC),  # SQLite keeps no zone
            action=row.action,
            target_type=row.target_type,
            target_uid=row.target_uid,
            target_key=row.target_key,
            actor=row.actor_id if theirs else None,
            changes=[schemas.FieldChangeOut(**c) for c in row.changes or []] or None,
            detail=row.detail if theirs else None,
        )
        for row in rows[:limit]
    ]
    next_before = entries[-1].id if len(rows) > limit else None
    return schemas.History(entries=entries, next_before=next_before)


def patch_operation(document: dict[str, Any]) -> dict[str, Any]:
    """The PATCH of an initiative in the OpenAPI document."""
    operation: dict[str, Any] = document["paths"][PREFIX + INITIATIVE_PATH]["patch"]
    return operation
