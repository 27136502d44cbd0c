"""The API of the published documents: a plan's document of a kind, as PDF or xlsx (the same
files as the pages' 文書の出力)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from dxplan.documents.build import MEDIA_TYPES, Format, build
from dxplan.documents.content import DocumentError, Kind, MissingDocumentError
from dxplan.web.api.common import OPTIONAL_AUTH, PREFIX, Code, PlanId, error_responses
from dxplan.web.deps import ApiActor, DbSession
from dxplan.web.views.files import document_download

router = APIRouter(prefix=PREFIX, tags=["api"])

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
    try:
        return document_download(build(session, code, plan_id, kind, fmt, fy=fy, reader=actor))
    except MissingDocumentError:  # 404, as for the plan
        raise
    except DocumentError as exc:  # a year outside the plan's period
        raise HTTPException(422, str(exc)) from exc
