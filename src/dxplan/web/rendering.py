"""Jinja2 templates (autoescaped) with the helpers and the domains' labels every page uses.

The pages' templates are in one folder per domain (`plans/plan.html`, `_partials/sheet.html`);
the published documents' templates are reached under `@documents/` only (the summary tables are
one partial for the 集計表 page and the PDF), so that no two templates share a name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, select_autoescape

from dxplan.accounts.rules import Role, role_name_ja
from dxplan.audit.labels import action_label
from dxplan.documents import labels as document_labels
from dxplan.documents import presentation
from dxplan.documents.pdf import TEMPLATES as DOCUMENT_TEMPLATES
from dxplan.evaluation import labels as evaluation_labels
from dxplan.plans import labels as plan_labels
from dxplan.reporting import labels as reporting_labels
from dxplan.revisions import labels as revision_labels
from dxplan.web.security import CSRF_FIELD, csrf_token
from dxplan.web.views.text import glossary_linked, highlight

TEMPLATES = Path(__file__).parent / "templates"

env = Environment(
    loader=ChoiceLoader(
        [
            FileSystemLoader(TEMPLATES),
            PrefixLoader({"@documents": FileSystemLoader(DOCUMENT_TEMPLATES)}),
        ]
    ),
    autoescape=select_autoescape(),
)
templates = Jinja2Templates(env=env)
env.globals.update(
    fy_label=presentation.fy_label,
    figure_text=presentation.figure_text,
    flags=presentation.flags,
    latest_status=presentation.latest_status,
    departments_of=presentation.departments,
    achievements=presentation.achievements,
    wareki_date=presentation.wareki_date,
    indicator_marks=presentation.indicator_marks,
    highlight=highlight,
    glossary_linked=glossary_linked,
    CSRF_FIELD=CSRF_FIELD,
    # the domains' labels (each domain's `labels` module)
    FLAG_LABELS=plan_labels.FLAG_LABELS,
    ROLE_LABELS=plan_labels.ROLE_LABELS,
    DEPARTMENT_ROLE_LABELS=plan_labels.DEPARTMENT_ROLE_LABELS,
    MATCH_FIELD_LABELS=plan_labels.MATCH_FIELD_LABELS,
    SORT_LABELS=plan_labels.SORT_LABELS,
    CHANGE_BADGE_LABELS=revision_labels.CHANGE_BADGE_LABELS,
    SEVERITY_LABELS=evaluation_labels.SEVERITY_LABELS,
    ROUND_STATE_LABELS=reporting_labels.ROUND_STATE_LABELS,
    SUBMISSION_STATE_LABELS=reporting_labels.SUBMISSION_STATE_LABELS,
    MISSING_KIND_LABELS=reporting_labels.MISSING_KIND_LABELS,
    EMAIL_OUTCOME_LABELS=reporting_labels.EMAIL_OUTCOME_LABELS,
    KIND_TITLES=document_labels.KIND_TITLES,
    KIND_DESCRIPTIONS=document_labels.KIND_DESCRIPTIONS,
    FORMAT_LABELS=document_labels.FORMAT_LABELS,
)
env.filters["role_ja"] = lambda role: role_name_ja(Role(role))
env.filters["audit_action"] = action_label


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
