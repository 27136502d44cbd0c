"""文書の出力: a plan's published documents (initiative sheets, progress report, summary,
改訂履歴) as PDF and Excel, for whoever may read the plan; the pages and the API share them."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException

from dxplan.accounts.rules import Actor
from dxplan.documents.build import Document, Format, build, year_locked
from dxplan.documents.content import (
    DocumentError,
    Kind,
    MissingDocumentError,
    available_kinds,
    plan_period,
    resolve_fy,
)
from dxplan.documents.presentation import fy_label
from dxplan.web.deps import DbSession, PageActor
from dxplan.web.pages import _readable_plan_doc, plan_url
from dxplan.web.rendering import render

router = APIRouter(include_in_schema=False)

Year = Annotated[int | None, Query(ge=1900, le=2200)]


def download(document: Document) -> Response:
    """The document as an attachment, its Japanese name in RFC 5987 form beside an ASCII one."""
    disposition = (
        f'attachment; filename="{document.filename}"; '
        f"filename*=UTF-8''{quote(document.display_name, safe='')}"
    )
    return Response(
        document.body,
        media_type=document.media_type,
        headers={"Content-Disposition": disposition},
    )


@router.get("/municipalities/{code}/plans/{plan_id}/documents", response_class=HTMLResponse)
def documents_page(
    request: Request, session: DbSession, actor: PageActor, code: str, plan_id: str, fy: Year = None
) -> Response:
    """文書の出力: download links for each document the plan has the data for, in each format."""
    doc = _readable_plan_doc(session, actor, code, plan_id)
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
def document_download(
    session: DbSession,
    actor: PageActor,
    code: str,
    plan_id: str,
    kind: Kind,
    fmt: Format,
    fy: Year = None,
) -> Response:
    """A document of the plan: final for a locked year (its round approved), else marked 「案」."""
    return download(build(session, code, plan_id, kind, fmt, fy=fy, reader=actor))


def api_document(
    session: DbSession,
    reader: Actor | None,
    code: str,
    plan_id: str,
    kind: Kind,
    fmt: Format,
    fy: int | None,
) -> Response:
    """The API's answer: the document; 404 as for the plan or without the data the document
    shows; 422 for a year outside the plan's period."""
    try:
        return download(build(session, code, plan_id, kind, fmt, fy=fy, reader=reader))
    except MissingDocumentError:
        raise
    except DocumentError as exc:
        raise HTTPException(422, str(exc)) from exc
