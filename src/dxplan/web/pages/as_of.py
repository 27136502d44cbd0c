"""The plan as it stood at an adopted revision (the plan page, each initiative sheet and the
package, from the revision's snapshot), and what changed between two adopted revisions.
"""

from __future__ import annotations

import json
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from dxplan.accounts.rules import Actor
from dxplan.errors import NotFoundError
from dxplan.revisions.queries import RevisionSummary, plan_as_of, plan_revisions, revision_diff
from dxplan.web.common import initiative_url, plan_url, readable_plan, revision_url
from dxplan.web.deps import DbSession, PageActor
from dxplan.web.rendering import render
from dxplan.web.views.files import download
from dxplan.web.views.plan import Filtered, plan_page_context
from dxplan.web.views.sheet import sheet_from_package

router = APIRouter(include_in_schema=False)

PLAN = "/municipalities/{code}/plans/{plan_id}"


def _as_of(
    session: Session, actor: Actor | None, code: str, plan_id: str, revision_uid: str
) -> tuple[dict[str, Any], RevisionSummary]:
    readable_plan(session, actor, code, plan_id)
    revisions = {r.uid: r for r in plan_revisions(session, code, plan_id)}
    revision = revisions.get(revision_uid)
    if revision is None or revision.state != "adopted":
        raise NotFoundError(f"no adopted revision {revision_uid!r} of plan {plan_id!r}")
    return plan_as_of(session, code, plan_id, revision_uid), revision


@router.get(PLAN + "/revisions/diff", response_class=HTMLResponse)
def diff_page(
    request: Request,
    session: DbSession,
    actor: PageActor,
    code: str,
    plan_id: str,
    old: Annotated[str, Query(alias="from", max_length=36)] = "",
    new: Annotated[str, Query(alias="to", max_length=36)] = "",
) -> Response:
    """What changed between two adopted revisions."""
    plan = readable_plan(session, actor, code, plan_id)
    revisions = {r.uid: r for r in plan_revisions(session, code, plan_id) if r.state == "adopted"}
    if old not in revisions or new not in revisions:
        raise NotFoundError("choose two adopted revisions of the plan")
    base = revision_url(code, plan_id, new)
    context = {
        "plan": plan,
        "plan_url": plan_url(code, plan_id),
        "old": revisions[old],
        "new": revisions[new],
        "diff": revision_diff(session, code, plan_id, old, new),
        "link": lambda c: f"{base}/initiatives/{quote(c)}",
    }
    return render(request, "revisions/diff.html", context)


@router.get(PLAN + "/revisions/{revision_uid}", response_class=HTMLResponse)
def as_of_page(
    request: Request,
    session: DbSession,
    actor: PageActor,
    code: str,
    plan_id: str,
    revision_uid: str,
    query: Filtered,
) -> Response:
    """The plan as it stood at an adopted revision."""
    doc, revision = _as_of(session, actor, code, plan_id, revision_uid)
    base = revision_url(code, plan_id, revision_uid)
    context = plan_page_context(doc | {"_public": True}, code, base, query.filters)
    context |= {"as_of": revision, "current_url": plan_url(code, plan_id)}
    return render(request, "plans/plan.html", context)


@router.get(PLAN + "/revisions/{revision_uid}/package.json")
def as_of_package(
    session: DbSession, actor: PageActor, code: str, plan_id: str, revision_uid: str
) -> Response:
    """The plan package as it stood at an adopted revision."""
    doc, _ = _as_of(session, actor, code, plan_id, revision_uid)
    body = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    return download(body.encode(), f"{plan_id}-{revision_uid}.json", "application/json")


@router.get(PLAN + "/revisions/{revision_uid}/initiatives/{initiative_code}")
def as_of_initiative(
    request: Request,
    session: DbSession,
    actor: PageActor,
    code: str,
    plan_id: str,
    revision_uid: str,
    initiative_code: str,
) -> Response:
    """An initiative sheet as it stood at an adopted revision."""
    doc, revision = _as_of(session, actor, code, plan_id, revision_uid)
    item = next((i for i in doc["initiatives"] if i["code"] == initiative_code), None)
    if item is None:
        raise NotFoundError(f"no initiative {initiative_code!r} at revision {revision_uid!r}")
    base = revision_url(code, plan_id, revision_uid)
    context = sheet_from_package(doc, item) | {
        "code": code,
        "plan_url": base,
        "as_of": revision,
        "current_url": initiative_url(code, plan_id, initiative_code),
        "link": lambda other: f"{base}/initiatives/{quote(other, safe='')}",
    }
    return render(request, "revisions/as_of_initiative.html", context)
