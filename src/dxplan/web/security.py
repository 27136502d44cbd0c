"""Response headers every page and API answer carries, the session cookie's Secure flag over
HTTPS, and CSRF tokens for forms (a per-session secret echoed in every form that writes).

The API takes bearer tokens only and never the session cookie, so it needs no CSRF token.
"""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import Request
from starlette.datastructures import FormData
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dxplan.errors import PermissionDeniedError

SESSION_COOKIE = "dxplan_session"
CSRF_FIELD = "csrf_token"

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


class SecurityHeaders:
    """Adds the security headers to every response, and Secure to cookies sent over HTTPS."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    _secure(value) if https and name == b"set-cookie" else (name, value)
                    for name, value in message.get("headers", [])
                ]
                present = {name for name, _ in headers}
                headers += [(n, v) for n, v in _HEADERS if n not in present]
                if https:
                    headers.append(
                        (b"strict-transport-security", b"max-age=31536000; includeSubDomains")
                    )
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _secure(value: bytes) -> tuple[bytes, bytes]:
    if b"; secure" not in value.lower():
        value += b"; Secure"
    return b"set-cookie", value


def csrf_token(request: Request) -> str:
    """This session's CSRF token (made on first use)."""
    session: dict[str, Any] = request.session
    token = session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session[CSRF_FIELD] = token
    return token


def check_csrf(request: Request, sent: str | None) -> None:
    """Refuse a form post whose CSRF token is missing or not this session's."""
    expected = request.session.get(CSRF_FIELD)
    if not isinstance(expected, str) or not sent or not secrets.compare_digest(expected, sent):
        raise PermissionDeniedError(
            "フォームの有効期限が切れたか、不正な送信です。ページを開き直してから、もう一度送信してください。"
        )


def check_form_csrf(request: Request, data: FormData) -> None:
    """Refuse a posted form (already read) whose CSRF token field is missing or not this
    session's (see `check_csrf`)."""
    sent = data.get(CSRF_FIELD)
    check_csrf(request, sent if isinstance(sent, str) else None)


def posted(data: FormData, name: str) -> str:
    """A text field of a posted form, stripped; "" when it is absent or a file."""
    value = data.get(name)
    return value.strip() if isinstance(value, str) else ""
