"""The REST API, `/api/v1`: municipalities, plans (as plan packages), initiatives (read, and
changed with JSON Merge Patch), departments, a plan's history, its revisions and its published
documents (PDF, xlsx).

Anyone reads what is published; a bearer token (`dxplan token create`) reads its municipality's
drafts as well and writes what its roles allow. Everything goes through the same queries and
services as the pages and the CLI; handlers only translate HTTP.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, Header, Path, Query, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException

from dxplan.accounts.context import Context
from dxplan.accounts.rules import Actor, Change, Verdict, decide
from dxplan.documents.build import MEDIA_TYPES, Format
from dxplan.documents.content import Kind
from dxplan.editing.services import update_initiative
from dxplan.errors import (
    InvalidChangeError,
    NotFoundError,
    PermissionDeniedError,
    StaleVersionError,
)
from dxplan.evaluation.queries import IndicatorYear, initiative_evaluations
from dxplan.evaluation.services import record_indicator_verdict
from dxplan.interchange.exporter import export_package
from dxplan.interchange.reading import parse_package_bytes
from dxplan.plans.departments import municipality_departments
from dxplan.plans.models import Initiative, Plan
from dxplan.plans.package.form import (
    FormOptions,
    initiative_form,
    plan_info_form,
    revision_form,
    section_form,
)
from dxplan.plans.package.validation import initiative_problems
from dxplan.plans.queries import (
    find_initiative,
    find_plan,
    plan_history,
    plan_row,
    plan_summaries,
    successor_codes,
)
from dxplan.problems import Problem
from dxplan.web import api_schemas as schemas
from dxplan.web.deps import ApiActor, DbSession, UnauthenticatedError, may_read
from dxplan.web.document_pages import api_document
from dxplan.web.merge_patch import merge_patch

PREFIX = "/api/v1"
MERGE_PATCH = "application/merge-patch+json"
BEARER = "bearerAuth"
# Reads work without a token (published data) or with one (drafts too); writes need one.
OPTIONAL_AUTH: list[dict[str, list[str]]] = [{}, {BEARER: []}]
REQUIRED_AUTH: list[dict[str, list[str]]] = [{BEARER: []}]
MAX_ENTRY_ID = 2**31 - 1  # the audit entry id column is a 32-bit integer

router = APIRouter(prefix=PREFIX, tags=["api"])

Code = Annotated[
    str,
    Path(
        pattern=r"^[0-9]{6}$",
        description="the municipality's 全国地方公共団体コード",
        examples=["142115"],
    ),
]
PlanId = Annotated[
    str,
    Path(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=200, examples=["hadano-ict-plan"]),
]
InitiativeCode = Annotated[
    str,
    Path(
        pattern=r"^[0-9A-Za-z()]+(-[0-9A-Za-z()]+)*$",
        max_length=100,
        description="the initiative's code, percent-encoded in the URL: 1-1-%281%29",
        examples=["1-1-(1)"],
    ),
]

_DESCRIPTIONS = {
    304: "Not modified: the ETag given in If-None-Match is still the initiative's",
    400: "The body is not JSON that can be read (problems say where)",
    401: "The bearer token is missing (writes), malformed, unknown or revoked",
    403: "The token's user may read but not make this change (the detail names the field)",
    404: "No such thing, another municipality's (for a write), or a draft the reader may not read",
    412: "If-Match is not the initiative's current ETag: someone changed it (current_version)",
    415: f"The body is not {MERGE_PATCH}",
    422: "The request, or the initiative it would make, is not valid (problems say where)",
    428: "If-Match is missing: send the ETag of the initiative as read",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI responses of these error statuses (the problem body every error has)."""
    return {
        status: {"model": schemas.ErrorBody, "description": _DESCRIPTIONS[status]}
        for status in statuses
    }


def _json(schema: dict[str, Any], description: str, **extra: Any) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}} | extra


_ETAG = {
    "ETag": {
        "description": 'the initiative\'s version as a strong entity tag: "7"',
        "schema": {"type": "string"},
        "required": True,
    }
}


def _readable_plan(session: Session, actor: Actor | None, code: str, plan_id: str) -> Plan:
    plan = plan_row(session, code, plan_id)
    if plan is None or not may_read(actor, code, plan.public):
        raise NotFoundError(f"no plan {plan_id!r} of municipality {code}")
    return plan


def _readable_initiative(
    session: Session, actor: Actor | None, code: str, plan_id: str, initiative_code: str
) -> Initiative:
    initiative = find_initiative(session, code, plan_id, initiative_code)
    if initiative is None or not may_read(actor, code, initiative.plan.public):
        raise NotFoundError(f"no initiative {initiative_code!r} in plan {plan_id!r} of {code}")
    return initiative


def _own(actor: Actor | None, code: str) -> bool:
    """Is the reader one of the municipality's own users (or a system actor)?"""
    return actor is not None and decide(actor, Change.READ_DRAFT, code).allowed


def etag(initiative: Initiative) -> str:
    """The strong entity tag of an initiative's current version."""
    return f'"{initiative.row_version}"'


def _tags(header: str) -> list[str]:
    return [tag.strip() for tag in header.split(",") if tag.strip()]


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
        200: _json(schemas.ref(""), "The plan package (dxplan-package/1), as `dxplan export`"),
        **error_responses(401, 404, 422),
    },
)
def get_plan(session: DbSession, actor: ApiActor, code: Code, plan_id: PlanId) -> Response:
    """The plan as a plan package, with the stable id (`uid`) of every object."""
    _readable_plan(session, actor, code, plan_id)
    return JSONResponse(export_package(session, code, plan_id))


# --- initiatives ------------------------------------------------------------------------------

INITIATIVE_PATH = "/municipalities/{code}/plans/{plan_id}/initiatives/{initiative_code}"


@router.get(
    INITIATIVE_PATH,
    openapi_extra={"security": OPTIONAL_AUTH},
    response_class=JSONResponse,
    responses={
        200: _json(
            schemas.ref("initiative"), "The initiative as in the plan package", headers=_ETAG
        ),
        304: {"description": _DESCRIPTIONS[304], "headers": _ETAG},
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
    initiative = _readable_initiative(session, actor, code, plan_id, initiative_code)
    tag = etag(initiative)
    if if_none_match is not None:
        tags = {t.removeprefix("W/") for t in _tags(if_none_match)}
        if "*" in tags or tag in tags:
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


_VERSION_TAG = re.compile(r'"([0-9]{1,18})"')


def _expected_version(if_match: str | None, initiative: Initiative, key: str) -> int:
    """The version the client read, from If-Match (428 without it, 412 if it is not current)."""
    if if_match is None:
        raise HTTPException(428, f'send If-Match with the ETag of {key} as read, e.g. "7"')
    tags = _tags(if_match)
    if "*" in tags or etag(initiative) in tags:
        return initiative.row_version
    numbers = [int(match[1]) for t in tags if (match := _VERSION_TAG.fullmatch(t))]
    current = initiative_form(initiative, FormOptions())
    raise StaleVersionError(key, numbers[0] if numbers else 0, initiative.row_version, current)


def _may_write(actor: Actor, code: str, initiative: Initiative) -> bool:
    ids = [link.department_id for link in initiative.departments]
    return any(decide(actor, c, code, ids).allowed for c in (Change.REPORT, Change.EDIT_PLAN))


@router.patch(
    INITIATIVE_PATH,
    openapi_extra={"security": REQUIRED_AUTH, "requestBody": _PATCH_BODY},
    response_class=JSONResponse,
    responses={
        200: _json(schemas.ref("initiative"), "The initiative as changed", headers=_ETAG),
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
    admins anything. The patched initiative is validated as a package would be.
    """
    if actor is None:
        raise UnauthenticatedError("a change needs a bearer token (Authorization: Bearer …)")
    if _media_type(request) != MERGE_PATCH:
        raise HTTPException(415, f"send the change as {MERGE_PATCH}")
    if decide(actor, Change.READ_DRAFT, code).verdict is Verdict.NOT_FOUND:
        raise NotFoundError(f"no initiative {initiative_code!r} in plan {plan_id!r} of {code}")
    initiative = _readable_initiative(session, actor, code, plan_id, initiative_code)
    if not _may_write(actor, code, initiative):
        raise PermissionDeniedError("the token's user may not change this initiative")
    patch = parse_package_bytes(body, "the request body")
    if not isinstance(patch, dict):  # it would replace the whole initiative: never one
        found = {list: "配列", str: "文字列", bool: "真偽値"}.get(type(patch), "数値またはnull")
        wanted = "オブジェクト（取組のJSON Merge Patch）"
        raise InvalidChangeError([Problem("$", found, wanted, "リクエストの本文")])
    key = f"initiative {code}/{plan_id}/{initiative.code}"
    expected = _expected_version(if_match, initiative, key)
    current = initiative_form(initiative, FormOptions(ids=True))
    form = merge_patch(current, patch)
    plan = initiative.plan
    plan_doc = {
        "plan": plan_info_form(plan, FormOptions(ids=False)),
        "sections": [section_form(s, FormOptions(ids=False)) for s in plan.sections],
    }
    problems = initiative_problems(plan_doc, form, current, successor_codes(session, plan))
    if problems:
        raise InvalidChangeError(problems)
    update_initiative(session, Context(actor, code), plan_id, initiative.code, form, expected)
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


# --- departments, history, revisions ----------------------------------------------------------


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
    plan = _readable_plan(session, actor, code, plan_id)
    own = _own(actor, code)
    rows = plan_history(session, plan, limit=limit + 1, before=before)
    entries = [
        schemas.AuditEntryOut(
            id=row.id,
            at=row.at if row.at.tzinfo else row.at.replace(tzinfo=UTC),  # SQLite keeps no zone
            action=row.action,
            target_type=row.target_type,
            target_uid=row.target_uid,
            target_key=row.target_key,
            actor=row.actor_id if own else None,
            changes=[schemas.FieldChangeOut(**c) for c in row.changes or []] or None,
            detail=row.detail if own else None,
        )
        for row in rows[:limit]
    ]
    next_before = entries[-1].id if len(rows) > limit else None
    return schemas.History(entries=entries, next_before=next_before)


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
    plan = find_plan(session, code, plan_id, initiatives=False)
    if plan is None or not may_read(actor, code, plan.public):
        raise NotFoundError(f"no plan {plan_id!r} of municipality {code}")
    return [schemas.RevisionOut.model_validate(revision_form(r)) for r in plan.revisions]


# --- indicator evaluations --------------------------------------------------------------------

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
    initiative = _readable_initiative(session, actor, code, plan_id, initiative_code)
    own = _own(actor, code)
    return [_evaluation_out(y, own) for y in initiative_evaluations(session, initiative)]


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
    if actor is None:
        raise UnauthenticatedError("a change needs a bearer token (Authorization: Bearer …)")
    if decide(actor, Change.READ_DRAFT, code).verdict is Verdict.NOT_FOUND:
        raise NotFoundError(f"no initiative {initiative_code!r} in plan {plan_id!r} of {code}")
    initiative = _readable_initiative(session, actor, code, plan_id, initiative_code)
    record_indicator_verdict(
        session,
        Context(actor, code),
        plan_id,
        initiative.code,
        indicator_uid,
        fy,
        verdict.label,
        verdict.reason,
        verdict.version,
    )
    session.commit()
    changed = _readable_initiative(session, actor, code, plan_id, initiative.code)
    return [_evaluation_out(y, True) for y in initiative_evaluations(session, changed)]


_DOCUMENT_TYPES = {
    media_type: {"schema": {"type": "string", "format": "binary"}}
    for media_type in MEDIA_TYPES.values()
}


@router.get(
    "/municipalities/{code}/plans/{plan_id}/documents/{kind}.{fmt}",
    openapi_extra={"security": OPTIONAL_AUTH},
    response_class=Response,
    responses={
        200: {
            "description": "the document, 「案」 on every page (Content-Disposition names it)",
            "content": _DOCUMENT_TYPES,
        },
        **error_responses(401, 404, 422),
    },
)
def get_document(
    session: DbSession,
    actor: ApiActor,
    code: Code,
    plan_id: PlanId,
    kind: Kind,
    fmt: Format,
    fy: Annotated[
        int | None, Query(ge=1900, le=2200, description="the fiscal year (default: the current)")
    ] = None,
) -> Response:
    """A published document of the plan: sheets (取組シート), progress (取組結果), summary
    (総括) or revisions (改訂履歴), as pdf or xlsx; 404 when the plan has nothing for it."""
    return api_document(session, actor, code, plan_id, kind, fmt, fy)


# --- the OpenAPI document ---------------------------------------------------------------------


def _if_match_required(document: dict[str, Any]) -> None:
    """If-Match is required by a PATCH (428 without it), though read by the handler itself."""
    operation = document["paths"][PREFIX + INITIATIVE_PATH]["patch"]
    for parameter in operation["parameters"]:
        if parameter["name"].lower() == "if-match":
            parameter["required"] = True
            parameter["schema"] = {"type": "string", "maxLength": 1000}
            parameter["description"] = 'the ETag of the initiative as read: "7"'


def install_openapi(app: FastAPI) -> None:
    """Make `/openapi.json` carry the package schema (as `Package…` components) and the bearer
    token scheme, so that clients and schemathesis check packages against the format itself."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            _if_match_required(document)
            components = document.setdefault("components", {})
            components.setdefault("schemas", {}).update(schemas.package_components())
            components["securitySchemes"] = {
                BEARER: {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "a token made by `dxplan token create`",
                }
            }
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
