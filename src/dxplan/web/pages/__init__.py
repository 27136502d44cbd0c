"""The HTML pages, one module per domain: the public portal (anyone reads published plans) and
the staff pages (logging in, reporting and editing, revisions, rounds, workbooks).

Handlers read forms, call the domains' queries and services and answer; they build no SQL.
"""

from __future__ import annotations

from fastapi import APIRouter

from dxplan.web.pages import (
    accounts,
    as_of,
    documents,
    editing,
    evaluation,
    plans,
    reporting,
    revisions,
    workbooks,
)

ROUTERS: list[APIRouter] = [
    accounts.router,
    plans.router,
    editing.router,
    revisions.router,
    as_of.router,
    evaluation.router,
    reporting.router,
    workbooks.router,
    documents.router,
]
"""Every page router, in the order the application includes them."""
