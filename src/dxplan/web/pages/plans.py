"""The public pages of the plans: the list of plans, a municipality, a plan (its tree, its
initiatives filtered and sorted, its downloads), an initiative sheet, the glossary and search.

Anyone reads what is published; a municipality's own users read its drafts as well.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from dxplan.errors import InvalidQueryError, NotFoundError
from dxplan.plans.departments import municipality_departments
from dxplan.plans.queries import glossary_for_plan, visible_plan_summaries
from dxplan.plans.search import SearchHit, search
from dxplan.web.common import initiative_url, plan_url, readable_initiative, readable_plan
from dxplan.web.deps import DbSession, PageActor
from dxplan.web.rendering import render
from dxplan.web.views.files import download, indicators_csv, initiatives_csv
from dxplan.web.views.plan import Filtered, plan_page_context, readable_plan_doc
from dxplan.web.views.sheet import evaluation_context, sheet_context
from dxplan.web.views.workbook import workbook_forms

router = APIRouter(include_in_schema=False)

PLAN = "/municipalities/{code}/plans/{plan_id}"


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: DbSession, actor: PageActor) -> Response:
    """The plans the reader may read, by municipality, with their headline figures."""
    plans = visible_plan_summaries(session, actor)
    municipalities: dict[tuple[str, str], list[Any]] = {}
    for summary in plans:
        key = (summary.municipality_code, summary.municipality_name)
        municipalities.setdefault(key, []).append(summary)
    return render(request, "plans/home.html", {"municipalities": municipalities})


@router.get(PLAN, response_class=HTMLResponse)
def plan_page(
    request: Request,
    session: DbSession,
    actor: PageActor,
    code: str,
    plan_id: str,
    query: Filtered,
) -> Response:
    """A plan: its tree, its initiatives filtered and sorted, its downloads."""
    doc = readable_plan_doc(session, actor, code, plan_id)
    context = plan_page_context(doc, code, plan_url(code, plan_id), query.filters)
    period = doc["plan"]["period"]
    years = (period["start_fy"], period["end_fy"])
    context["workbook"] = workbook_forms(actor, code, plan_id, years)
    return render(request, "plans/plan.html", context)


@router.get(PLAN + "/package.json")
def plan_package(session: DbSession, actor: PageActor, code: str, plan_id: str) -> Response:
    """The plan package (JSON) as a download."""
    doc = readable_plan_doc(session, actor, code, plan_id)
    doc.pop("_public")
    body = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    return download(body.encode(), f"{plan_id}.json", "application/json")


@router.get(PLAN + "/initiatives.csv")
def initiatives_csv_file(session: DbSession, actor: PageActor, code: str, plan_id: str) -> Response:
    """The plan's initiatives as CSV."""
    doc = readable_plan_doc(session, actor, code, plan_id)
    return download(initiatives_csv(doc), f"{plan_id}-initiatives.csv", "text/csv")


@router.get(PLAN + "/indicators.csv")
def indicators_csv_file(session: DbSession, actor: PageActor, code: str, plan_id: str) -> Response:
    """The plan's indicators as CSV."""
    doc = readable_plan_doc(session, actor, code, plan_id)
    return download(indicators_csv(doc), f"{plan_id}-indicators.csv", "text/csv")


@router.get(PLAN + "/initiatives/{initiative_code}")
def initiative_page(
    request: Request,
    session: DbSession,
    actor: PageActor,
    code: str,
    plan_id: str,
    initiative_code: str,
) -> Response:
    """An initiative sheet, with its evaluations and history."""
    initiative = readable_initiative(session, actor, code, plan_id, initiative_code)
    context = sheet_context(session, actor, code, plan_id, initiative)
    context |= evaluation_context(session, actor, initiative)
    return render(request, "plans/initiative.html", context)


@router.get(PLAN + "/glossary", response_class=HTMLResponse)
def glossary_page(
    request: Request, session: DbSession, actor: PageActor, code: str, plan_id: str
) -> Response:
    """The plan's glossary (用語解説)."""
    plan = readable_plan(session, actor, code, plan_id, initiatives=False)
    context = {
        "plan": plan,
        "plan_url": plan_url(code, plan_id),
        "entries": glossary_for_plan(session, code, plan_id),
    }
    return render(request, "plans/glossary.html", context)


@router.get("/municipalities/{code}", response_class=HTMLResponse)
def municipality_page(
    request: Request, session: DbSession, actor: PageActor, code: str
) -> Response:
    """A municipality: its plans and departments."""
    departments = municipality_departments(session, actor, code)
    plans = [p for p in visible_plan_summaries(session, actor) if p.municipality_code == code]
    if not plans:
        raise NotFoundError(f"no municipality {code} with plans to show")
    context = {"code": code, "name": plans[0].municipality_name, "plans": plans}
    return render(request, "plans/municipality.html", context | {"departments": departments})


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    session: DbSession,
    actor: PageActor,
    q: Annotated[str, Query(max_length=1000)] = "",
) -> Response:
    """Search the initiatives the reader may read (400 for a query too long)."""
    error = None
    hits: list[SearchHit] = []
    try:
        hits = search(session, actor, q)
    except InvalidQueryError as exc:
        error = "検索語が長すぎます。200文字以内で入力してください。" if len(q) > 200 else str(exc)
    context = {"q": q, "hits": hits, "error": error, "initiative_url": initiative_url}
    return render(request, "plans/search.html", context, status_code=400 if error else 200)
