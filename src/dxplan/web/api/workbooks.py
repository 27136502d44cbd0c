"""The update workbook (更新用Excel) in the API: download a plan's (or a department's, by name)
for a fiscal year, import one filled in, all or nothing; for the municipality's own users."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from dxplan.accounts.context import Context
from dxplan.web.api.common import PREFIX, REQUIRED_AUTH, Code, PlanId, error_responses, writer
from dxplan.web.deps import ApiActor, DbSession
from dxplan.web.views.workbook import MAX_MB, XLSX, workbook_file
from dxplan.workbooks.importing import import_update_workbook
from dxplan.workbooks.problems import WorkbookError
from dxplan.workbooks.reading import MAX_FILE_BYTES

OCTET_STREAM = "application/octet-stream"

router = APIRouter(prefix=PREFIX, tags=["api"])

Year = Annotated[int | None, Query(ge=1900, le=2200)]

_XLSX_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The update workbook (.xlsx)",
        "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
    }
}
_UPLOAD_BODY = {
    "required": True,
    "description": "A filled-in update workbook as exported by GET (at most 5 MB)",
    "content": {
        XLSX: {"schema": {"type": "string", "format": "binary"}},
        OCTET_STREAM: {"schema": {"type": "string", "format": "binary"}},
    },
}


@router.get(
    "/municipalities/{code}/plans/{plan_id}/workbook",
    openapi_extra={"security": REQUIRED_AUTH},
    response_class=Response,
    responses={**_XLSX_RESPONSE, **error_responses(400, 401, 403, 404, 422)},
)
def get_workbook(
    session: DbSession,
    actor: ApiActor,
    code: Code,
    plan_id: PlanId,
    fy: Year = None,
    department: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """The update workbook (更新用Excel) of the plan, or of one department (its name), for a
    fiscal year (default: the current one): for the municipality's own users."""
    user = writer(actor, "an update workbook")
    return workbook_file(session, user, code, plan_id, fy, department)


async def _workbook_body(request: Request) -> bytes:
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_FILE_BYTES:
        raise HTTPException(413, f"send a workbook of at most {MAX_MB} MB")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FILE_BYTES:
            raise HTTPException(413, f"send a workbook of at most {MAX_MB} MB")
    return body


WorkbookBody = Annotated[bytes, Depends(_workbook_body)]


@router.post(
    "/municipalities/{code}/plans/{plan_id}/workbook",
    openapi_extra={"security": REQUIRED_AUTH, "requestBody": _UPLOAD_BODY},
    responses={
        422: {
            "model": error_responses(422)[422]["model"],
            "description": "The workbook has problems (each with its cell); nothing was changed",
        },
        **error_responses(401, 403, 404),
        413: {
            "model": error_responses(422)[422]["model"],
            "description": "The workbook is over 5 MB",
        },
        415: {
            "model": error_responses(415)[415]["model"],
            "description": f"The body is not {XLSX}",
        },
    },
)
def post_workbook(
    request: Request,
    session: DbSession,
    actor: ApiActor,
    body: WorkbookBody,
    code: Code,
    plan_id: PlanId,
    reason: Annotated[str | None, Query(max_length=2000)] = None,
) -> Response:
    """Import a filled-in update workbook, all or nothing: what changed per initiative, or
    (422) every problem with its cell (`path`: "取組活動!H5"), the value found and what was
    expected. `reason`: why a year whose reporting round is approved is corrected (needed then)."""
    user = writer(actor, "an update workbook")
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type not in (XLSX, OCTET_STREAM):
        raise HTTPException(415, f"send the workbook as {XLSX} (or {OCTET_STREAM})")
    name = request.headers.get("x-file-name", "api-upload.xlsx")[:200]
    try:
        report = import_update_workbook(
            session, Context(user, code), plan_id, body, source_name=name, reason=reason
        )
    except WorkbookError as exc:
        session.rollback()
        problems = [
            {"path": p.cell, "found": p.found, "expected": p.expected} for p in exc.problems
        ]
        detail = f"{len(problems)} problems in the workbook; nothing was changed"
        return JSONResponse(
            {
                "status": 422,
                "title": "入力内容に誤りがあります",
                "detail": detail,
                "problems": problems,
            },
            status_code=422,
        )
    session.commit()
    return JSONResponse(
        {
            "plan": report.plan_id,
            "fiscal_year": report.fiscal_year,
            "cells": report.cells,
            "changed": report.changed_fields,
            "initiatives": [
                {
                    "code": u.code,
                    "title": u.title,
                    "changes": [c.as_json() for c in u.changes],
                }
                for u in report.updates
            ],
        }
    )
