"""文書の出力: a plan's published documents (initiative sheets, progress report, summary,
改訂履歴) as PDF and Excel, for whoever may read the plan (the API gives the same files)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from dxplan.documents.build import Format, build, year_locked
from dxplan.documents.content import Kind, available_kinds, plan_period, resolve_fy
from dxplan.documents.presentation import fy_label
from dxplan.web.common import plan_url
from dxplan.web.deps import DbSession, PageActor
from dxplan.web.rendering import render
from dxplan.web.views.files import document_download
from dxplan.web.views.plan import readable_plan_doc

router = APIRouter(include_in_schema=False)

Year = Annotated[int | None, Query(ge=1900, le=2200)]


@router.get("/municipalities/{code}/plans/{plan_id}/documents", response_class=HTMLResponse)
def documents_page(
    request: Request, session: DbSession, actor: PageActor, code: str, plan_id: str, fy: Year = None
) -> Response:
    """文書の出力: download links for each document the plan has the data for, in each format."""
    doc = readable_plan_doc(session, actor, code, plan_id)
    start, end = plan_period(doc)
    year = fy if fy is not None and start <= fy <= end else resolve_fy(doc, None, date.today())
    context = {
        "plan": doc["plan"],
        "plan_url": plan_url(code, plan_id),
        "kinds": available_kinds(doc),
        "formats": list(Format),
        "fy": year,
        "final": year_locked(session, code, plan_id, year),
        "years": [(y, fy_label(str(y))) for y in range(start, end + 1)],
    }
    return render(request, "documents/documents.html", context)


@router.get("/municipalities/{code}/plans/{plan_id}/documents/{kind}.{fmt}")
def document_file(
    session: DbSession,
    actor: PageActor,
    code: str,
    plan_id: str,
    kind: Kind,
    fmt: Format,
    fy: Year = None,
) -> Response:
    """A document of the plan: final for a locked year (its round approved), else marked 「案」."""
    return document_download(build(session, code, plan_id, kind, fmt, fy=fy, reader=actor))
