"""The web application: public pages, staff pages and the REST API in one ASGI app.

`create_app()` builds it from the settings (or a given engine, for tests); `dxplan serve` runs it
with uvicorn.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from dxplan import __version__
from dxplan.db import create_db_engine, session_factory
from dxplan.errors import (
    DxplanError,
    InvalidChangeError,
    NotFoundError,
    PermissionDeniedError,
    StaleVersionError,
)
from dxplan.interchange.errors import PackageError
from dxplan.problems import Problem
from dxplan.settings import Settings, get_settings
from dxplan.web import api, pages
from dxplan.web.deps import UnauthenticatedError, page_actor
from dxplan.web.rendering import render
from dxplan.web.security import SESSION_COOKIE, SecurityHeaders

log = logging.getLogger(__name__)

ROUTERS = (*api.ROUTERS, *pages.ROUTERS)
"""The API's routers and the pages', in the order the application tries them."""
STATIC_DIR = Path(__file__).parent / "static"
DESIGN_TOKENS = Path("@digital-go-jp") / "design-tokens" / "dist"

_STATUS = {
    NotFoundError: 404,
    PermissionDeniedError: 403,
    StaleVersionError: 412,
    InvalidChangeError: 422,
    UnauthenticatedError: 401,
    PackageError: 400,  # a request body that cannot be read as JSON
}
_TITLES = {
    400: "リクエストを読み取れません",
    401: "ログインが必要です",
    403: "この操作は許可されていません",
    404: "ページが見つかりません",
    405: "この方法では利用できません",
    412: "ほかの人が先に更新しました",
    415: "この形式のデータは受け付けられません",
    422: "入力内容に誤りがあります",
    428: "更新の前提条件（If-Match）が必要です",
    500: "システムエラーが発生しました",
}
_MESSAGES = {
    401: "この操作にはログインが必要です。",
    404: "お探しのページは見つかりませんでした。URLをご確認ください。",
    405: "このページはこの方法では利用できません。",
    422: "送信された内容を読み取れませんでした。ページを開き直してから、もう一度お試しください。",
    500: (
        "申し訳ありません。時間をおいてもう一度お試しください。"
        "解決しない場合はデジタル推進担当課へお問い合わせください。"
    ),
}


def create_app(settings: Settings | None = None, *, engine: Engine | None = None) -> FastAPI:
    """The application over `engine` (default: the settings' database)."""
    settings = settings or get_settings()
    engine = engine or create_db_engine(settings.resolved_database_url(), echo=settings.echo_sql)
    app = FastAPI(
        title="dxplan API",
        version=__version__,
        description="自治体DX・ICT推進計画のデータ（計画パッケージ）を読み書きするAPI",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.engine = engine
    app.state.sessions = session_factory(engine)
    app.state.settings = settings
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.resolved_secret_key(),
        session_cookie=SESSION_COOKIE,
        max_age=8 * 60 * 60,
        same_site="lax",
        https_only=False,  # SecurityHeaders marks the cookie Secure whenever served over HTTPS
    )
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    tokens = settings.assets_dir / DESIGN_TOKENS
    if tokens.is_dir():
        app.mount("/assets/design-tokens", StaticFiles(directory=tokens), name="design-tokens")
    else:
        log.warning("design tokens not found at %s: run `make setup`", tokens)
    for router in ROUTERS:
        app.include_router(router)
    api.install_openapi(app)
    _error_handlers(app)
    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


async def _error_response(
    request: Request,
    status: int,
    message: str,
    headers: Mapping[str, str] | None = None,
    **extra: object,
) -> Response:
    if _wants_json(request):
        body: dict[str, object] = {
            "status": status,
            "title": _TITLES.get(status, ""),
            "detail": message,
        }
        body.update(extra)
        headers = dict(headers or {})
        if status == 401:
            headers["WWW-Authenticate"] = "Bearer"
        return JSONResponse(body, status_code=status, headers=headers)
    if status != 500:
        await run_in_threadpool(_known_actor, request)
    return render(
        request,
        "error.html",
        {"status": status, "title": _TITLES.get(status, "エラー"), "message": message},
        status_code=status,
    )


def _allowed_methods(request: Request) -> list[str]:
    """Every method of every route at the request's path (Starlette's own 405 names only the
    first route's, where a path has one route per method)."""
    methods: set[str] = set()
    for router in ROUTERS:
        for route in router.routes:
            if isinstance(route, APIRoute) and route.path_regex.match(request.scope["path"]):
                methods.update(route.methods or ())
    return sorted(methods)


def _known_actor(request: Request) -> None:
    """Who is logged in, for the header of an error page that no route's dependencies reached
    (an unknown URL): the page then shows the same header as every other page."""
    if hasattr(request.state, "actor") or "session" not in request.scope:
        return
    with request.app.state.sessions() as session:
        page_actor(request, session)


def problem_body(problem: Problem) -> dict[str, str]:
    """A problem as the API answers it: the JSON path (or field) beside the Japanese message."""
    return {
        "path": problem.path,
        "label": problem.where,
        "found": problem.found,
        "expected": problem.expected,
        "message": problem.message(),
    }


def _error_handlers(app: FastAPI) -> None:
    async def dxplan_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, DxplanError)
        status = next((code for cls, code in _STATUS.items() if isinstance(exc, cls)), 400)
        message = _MESSAGES.get(status) if status == 404 and not _wants_json(request) else None
        extra: dict[str, object] = {}
        headers: dict[str, str] = {}
        if isinstance(exc, InvalidChangeError | PackageError):
            extra["problems"] = [problem_body(p) for p in exc.problems]
        if isinstance(exc, StaleVersionError):
            extra["current_version"] = exc.current
            headers["ETag"] = f'"{exc.current}"'
        return await _error_response(request, status, message or str(exc), headers, **extra)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        message = _MESSAGES.get(exc.status_code) or str(exc.detail)
        if _wants_json(request):
            message = str(exc.detail)
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(_allowed_methods(request))
        return await _error_response(request, exc.status_code, message, headers)

    async def invalid_request(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        problems = [
            {
                "path": "/".join(str(p) for p in error.get("loc", ())),
                "found": repr(error.get("input"))[:80],
                "expected": error.get("msg", ""),
            }
            for error in exc.errors()
        ]
        message = "the request is not valid"
        if not _wants_json(request):
            message = _MESSAGES[422]
        return await _error_response(request, 422, message, problems=problems)

    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path, exc_info=exc)
        return await _error_response(request, 500, _MESSAGES[500])

    app.add_exception_handler(DxplanError, dxplan_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(Exception, server_error)
