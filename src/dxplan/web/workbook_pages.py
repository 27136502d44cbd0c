"""The update workbook (更新用Excel) on the web: download (a plan's, or a department's) for a
fiscal year, upload with the problems listed cell by cell or what was changed; and the same in
the REST API. Everything goes through `dxplan.workbooks` (permission, versions, audit)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException

from dxplan.accounts.context import Context
from dxplan.accounts.rules import Actor, Change, decide
from dxplan.errors import NotFoundError
from dxplan.fiscal import fiscal_year_of
from dxplan.plans.labels import changed_field_label
from dxplan.plans.queries import plan_row
from dxplan.web.api import PREFIX, REQUIRED_AUTH, Code, PlanId, error_responses
from dxplan.web.deps import ApiActor, DbSession, PageActor, UnauthenticatedError
from dxplan.web.pages import initiative_url, plan_url, require_login
from dxplan.web.rendering import render
from dxplan.web.security import check_form_csrf
from dxplan.web.workbook_forms import MAX_MB, default_year
from dxplan.workbooks.export import export_update_workbook
from dxplan.workbooks.importing import (
    MAX_FILE_BYTES,
    ImportReport,
    WorkbookError,
    import_update_workbook,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OCTET_STREAM = "application/octet-stream"
_SLACK = 64 * 1024  # the multipart envelope around the file

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix=PREFIX, tags=["api"])

Year = Annotated[int | None, Query(ge=1900, le=2200)]
DepartmentId = Annotated[int | None, Query(ge=1, le=2**31 - 1)]


def _filename(plan_id: str, fy: int, department: int | None) -> str:
    return f"{plan_id}-{fy}{f'-{department}' if department else ''}-update.xlsx"


def _xlsx(data: bytes, filename: str) -> Response:
    return Response(
        data,
        media_type=XLSX,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"},
    )


def _export(
    session: Session, actor: Actor, code: str, plan_id: str, fy: int | None, department: Any
) -> Response:
    context = Context(actor, code)
    if fy is None:
        if decide(actor, Change.READ_DRAFT, code).allowed:
            plan = plan_row(session, code, plan_id)
            if plan is None:
                raise NotFoundError(f"no plan {plan_id!r} of municipality {code}")
            fy = default_year(plan.start_fy, plan.end_fy)
        else:
            fy = fiscal_year_of(date.today())  # refused below as not found
    data = export_update_workbook(session, context, plan_id, fy, department)
    return _xlsx(data, _filename(plan_id, fy, department if isinstance(department, int) else None))


@router.get("/municipalities/{code}/plans/{plan_id}/workbook.xlsx")
def workbook_download(
    request: Request,
    session: DbSession,
    actor: PageActor,
    code: str,
    plan_id: str,
    fy: Year = None,
    department: DepartmentId = None,
) -> Response:
    """更新用Excel of the plan (or a department of it) for a fiscal year."""
    if actor is None:
        return require_login(request)
    return _export(session, actor, code, plan_id, fy, department)


async def uploaded_form(request: Request) -> AsyncIterator[FormData | None]:
    """The posted multipart form, or None when the request is larger than a workbook may be
    (refused before the body is read); its uploaded file is closed after the request."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_FILE_BYTES + _SLACK:
        yield None
        return
    form = await request.form(max_files=1, max_fields=10)
    try:
        yield form
    finally:
        await form.close()


UploadedForm = Annotated[FormData | None, Depends(uploaded_form)]


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("text")
    return "" if value is None else str(value)


def _result_page(
    request: Request,
    code: str,
    plan_id: str,
    *,
    report: ImportReport | None = None,
    error: WorkbookError | None = None,
    message: str | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "code": code,
        "plan_id": plan_id,
        "plan_url": plan_url(code, plan_id),
        "report": report,
        "problems": error.problems if error else None,
        "source": error.source if error else (report.source if report else None),
        "message": message,
        "field_label": changed_field_label,
        "initiative_url": initiative_url,
        "shown": _shown,
    }
    return render(request, "workbooks/import.html", context, status_code=status_code)


@router.post("/municipalities/{code}/plans/{plan_id}/workbook")
def workbook_upload(
    request: Request,
    session: DbSession,
    actor: PageActor,
    data: UploadedForm,
    code: str,
    plan_id: str,
) -> Response:
    """Import a filled-in 更新用Excel: the problems cell by cell, or what was changed."""
    if data is None:
        message = f"ファイルが大きすぎます。{MAX_MB}MB以下の更新用Excelを選んでください。"
        return _result_page(request, code, plan_id, message=message, status_code=413)
    check_form_csrf(request, data)
    if actor is None:
        return require_login(request)
    upload = data.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        message = "取り込む更新用Excel（.xlsx）のファイルを選んでください。"
        return _result_page(request, code, plan_id, message=message, status_code=422)
    content = upload.file.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        message = f"ファイルが大きすぎます。{MAX_MB}MB以下の更新用Excelを選んでください。"
        return _result_page(request, code, plan_id, message=message, status_code=413)
    try:
        reason = data.get("reason")
        report = import_update_workbook(
            session,
            Context(actor, code),
            plan_id,
            content,
            source_name=upload.filename,
            reason=reason.strip() or None if isinstance(reason, str) else None,
        )
    except WorkbookError as exc:
        session.rollback()
        return _result_page(request, code, plan_id, error=exc, status_code=422)
    session.commit()
    return _result_page(request, code, plan_id, report=report)


# --- the REST API ---------------------------------------------------------------------------

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


def _api_actor(actor: Actor | None) -> Actor:
    if actor is None:
        raise UnauthenticatedError(
            "an update workbook needs a bearer token (Authorization: Bearer …)"
        )
    return actor


@api_router.get(
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
    return _export(session, _api_actor(actor), code, plan_id, fy, department)


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


@api_router.post(
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
    user = _api_actor(actor)
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
