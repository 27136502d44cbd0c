"""Logging in and out (staff only: anyone reads the published plans without logging in)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from dxplan.accounts.services import LoginRefusedError, log_in
from dxplan.web.common import redirect
from dxplan.web.deps import DbSession, PageActor
from dxplan.web.rendering import render
from dxplan.web.security import CSRF_FIELD, check_csrf

router = APIRouter(include_in_schema=False)

CsrfField = Annotated[str | None, Form(alias=CSRF_FIELD)]


def _safe_next(target: str | None) -> str:
    """Only a path of this site (no scheme, no host, no //)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, actor: PageActor, next: str | None = None) -> Response:
    """The staff login form."""
    return render(request, "accounts/login.html", {"next": _safe_next(next), "error": None})


@router.post("/login", response_class=HTMLResponse)
def login_submit(
    request: Request,
    session: DbSession,
    csrf: CsrfField = None,
    login: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Log in (a new session) and go back to `next`; 401 for a wrong ID or password, 429 locked."""
    check_csrf(request, csrf)
    remote = request.client.host if request.client else None
    try:
        actor = log_in(session, login.strip(), password, remote=remote)
    except LoginRefusedError as exc:
        session.commit()  # the failure counts towards throttling
        if exc.throttled:
            error = (
                "ログインの失敗が続いたため、このIDは一時的にロックされています。"
                "15分ほど待ってから、もう一度お試しください。"
            )
        else:
            error = "ログインIDまたはパスワードが正しくありません。"
        context = {"next": _safe_next(next), "error": error, "login": login}
        status = 429 if exc.throttled else 401
        return render(request, "accounts/login.html", context, status_code=status)
    session.commit()
    request.session.clear()  # a new session on login (no fixation)
    request.session["user_id"] = int(actor.id.removeprefix("user:"))
    return redirect(_safe_next(next))


@router.post("/logout")
def logout(request: Request, csrf: CsrfField = None) -> Response:
    """Log out."""
    check_csrf(request, csrf)
    request.session.clear()
    return redirect("/")
