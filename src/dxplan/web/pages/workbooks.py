"""The update workbook (更新用Excel) on the pages: download (a plan's, or a department's) for a
fiscal year, upload with the problems listed cell by cell or what was changed. Everything goes
through `dxplan.workbooks` (permission, versions, audit); the API's is `web.api.workbooks`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from starlette.datastructures import FormData, UploadFile

from dxplan.accounts.context import Context
from dxplan.plans.field_labels import initiative_field_label
from dxplan.web.common import initiative_url, plan_url, require_login
from dxplan.web.deps import DbSession, PageActor
from dxplan.web.rendering import render
from dxplan.web.security import check_form_csrf
from dxplan.web.views.workbook import MAX_MB, workbook_file
from dxplan.workbooks.importing import ImportReport, import_update_workbook
from dxplan.workbooks.problems import WorkbookError
from dxplan.workbooks.reading import MAX_FILE_BYTES

_SLACK = 64 * 1024  # the multipart envelope around the file

router = APIRouter(include_in_schema=False)

Year = Annotated[int | None, Query(ge=1900, le=2200)]
DepartmentId = Annotated[int | None, Query(ge=1, le=2**31 - 1)]


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
    return workbook_file(session, actor, code, plan_id, fy, department)


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
        "field_label": lambda field: initiative_field_label(field, {}),
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
