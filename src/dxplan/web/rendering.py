"""Jinja2 templates (autoescaped) with the helpers every page uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from dxplan.accounts.rules import Role, role_name_ja
from dxplan.documents import presentation
from dxplan.web import views
from dxplan.web.security import CSRF_FIELD, csrf_token

# Pages' own templates, then the documents' (partials both render, such as _summary_tables.html).
DOCUMENT_TEMPLATES = Path(presentation.__file__).parent / "templates"
templates = Jinja2Templates(directory=[Path(__file__).parent / "templates", DOCUMENT_TEMPLATES])
env = templates.env
env.globals.update(
    fy_label=presentation.fy_label,
    figure_text=presentation.figure_text,
    flags=presentation.flags,
    FLAG_LABELS=presentation.FLAG_LABELS,
    ROLE_LABELS=presentation.ROLE_LABELS,
    latest_status=presentation.latest_status,
    departments_of=presentation.departments,
    achievements=presentation.achievements,
    wareki_date=presentation.wareki_date,
    highlight=views.highlight,
    indicator_marks=presentation.indicator_marks,
    glossary_linked=views.glossary_linked,
    CSRF_FIELD=CSRF_FIELD,
)
env.filters["role_ja"] = lambda role: role_name_ja(Role(role))


def render(
    request: Request, template: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    """A page: the template with the request, the CSRF token and who is logged in."""
    context = {
        "actor": getattr(request.state, "actor", None),
        "flash": request.session.pop("flash", None),
        **context,
        "csrf_token": csrf_token(request),
    }
    return templates.TemplateResponse(request, template, context, status_code=status_code)
