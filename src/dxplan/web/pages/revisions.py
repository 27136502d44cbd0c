"""Revisions on the pages: the 改訂履歴 table, the open revision in which the DX division changes
the plan (new initiatives and sections, moved sections; targets, titles and terminations on the
edit page) and its adoption. The plan as it stood at a revision, and the diff between two, are
`web.pages.as_of`'s.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from dxplan.accounts.context import Context
from dxplan.accounts.rules import Actor, Change, decide
from dxplan.editing.sections import add_section, move_section
from dxplan.editing.services import add_initiative
from dxplan.errors import InvalidChangeError
from dxplan.plans.queries import find_plan
from dxplan.problems import Problem, quoted
from dxplan.revisions.queries import (
    plan_revisions,
    revisions_with_snapshot,
)
from dxplan.revisions.services import (
    adopt_revision,
    discard_revision,
    open_revision,
    update_open_revision,
)
from dxplan.web.common import (
    PostedForm,
    Refusal,
    answer_form,
    plan_url,
    posted_version,
    readable_plan,
    require_login,
)
from dxplan.web.deps import DbSession, PageActor, may_read
from dxplan.web.rendering import render
from dxplan.web.security import check_form_csrf, posted

router = APIRouter(include_in_schema=False)

PLAN = "/municipalities/{code}/plans/{plan_id}"


@router.get(PLAN + "/revisions", response_class=HTMLResponse)
def revisions_page(
    request: Request, session: DbSession, actor: PageActor, code: str, plan_id: str
) -> Response:
    """改訂履歴, and the open revision with its forms."""
    return _revisions_page(request, session, actor, code, plan_id)


def _revisions_page(
    request: Request,
    session: Session,
    actor: Actor | None,
    code: str,
    plan_id: str,
    refusal: Refusal | None = None,
) -> Response:
    plan = readable_plan(session, actor, code, plan_id)
    revisions = plan_revisions(session, code, plan_id)
    adopted = [r for r in revisions if r.state == "adopted"]
    reads_drafts = may_read(actor, code, False)
    current = next((r for r in revisions if r.state == "open"), None) if reads_drafts else None
    full = find_plan(session, code, plan_id, initiatives=False) if current else None
    context = {
        "plan": plan,
        "code": code,
        "plan_url": plan_url(code, plan_id),
        "adopted": adopted,
        "current": current,
        "snapshots": revisions_with_snapshot(session, plan),
        "may_revise": actor is not None and decide(actor, Change.REVISE, code).allowed,
        "sections": sorted(full.sections, key=lambda s: s.position) if full else [],
        "problems": refusal.problems if refusal else None,
    }
    status = refusal.status if refusal else 200
    return render(request, "revisions/revisions.html", context, status_code=status)


def _act(
    request: Request,
    session: Session,
    actor: Actor | None,
    data: FormData,
    target: tuple[str, str],
    action: Callable[[Context], str],
) -> Response:
    """Run one revision action for the page: commit and go back, or show why not."""
    check_form_csrf(request, data)
    code, plan_id = target
    if actor is None:
        return require_login(request)
    readable_plan(session, actor, code, plan_id)

    def again(refusal: Refusal) -> Response:
        return _revisions_page(request, session, actor, code, plan_id, refusal)

    return answer_form(
        request,
        session,
        lambda: action(Context(actor, code)),
        saved=lambda message: (message, f"{plan_url(code, plan_id)}/revisions"),
        again=again,
        target="改訂",
    )


@router.post(PLAN + "/revisions/open")
def open_submit(
    request: Request,
    session: DbSession,
    actor: PageActor,
    data: PostedForm,
    code: str,
    plan_id: str,
) -> Response:
    """Open a revision of the plan."""

    def action(context: Context) -> str:
        opened = open_revision(
            session,
            context,
            plan_id,
            date=posted(data, "date"),
            version=posted(data, "version") or None,
            summary=posted(data, "summary") or None,
        )
        return f"改訂「{opened.version or opened.date}」を開始しました。"

    return _act(request, session, actor, data, (code, plan_id), action)


@router.post(PLAN + "/revisions/{revision_uid}/update")
def update_submit(
    request: Request,
    session: DbSession,
    actor: PageActor,
    data: PostedForm,
    code: str,
    plan_id: str,
    revision_uid: str,
) -> Response:
    """Change the open revision's date, version and summaries."""

    def action(context: Context) -> str:
        summaries = {
            key.removeprefix("change-"): posted(data, key) or None
            for key in data
            if key.startswith("change-")
        }
        update_open_revision(
            session,
            context,
            plan_id,
            revision_uid,
            expected_version=posted_version(data),
            date=posted(data, "date"),
            version=posted(data, "version") or None,
            summary=posted(data, "summary") or None,
            change_summaries=summaries,
        )
        return "改訂の内容を保存しました。"

    return _act(request, session, actor, data, (code, plan_id), action)


@router.post(PLAN + "/revisions/{revision_uid}/adopt")
def adopt_submit(
    request: Request,
    session: DbSession,
    actor: PageActor,
    data: PostedForm,
    code: str,
    plan_id: str,
    revision_uid: str,
) -> Response:
    """Adopt the open revision."""

    def action(context: Context) -> str:
        adopted = adopt_revision(
            session, context, plan_id, revision_uid, expected_version=posted_version(data)
        )
        return f"改訂「{adopted.version or adopted.date}」を確定し、改訂履歴に加えました。"

    return _act(request, session, actor, data, (code, plan_id), action)


@router.post(PLAN + "/revisions/{revision_uid}/discard")
def discard_submit(
    request: Request,
    session: DbSession,
    actor: PageActor,
    data: PostedForm,
    code: str,
    plan_id: str,
    revision_uid: str,
) -> Response:
    """Discard the open revision."""

    def action(context: Context) -> str:
        discard_revision(
            session, context, plan_id, revision_uid, expected_version=posted_version(data)
        )
        return "改訂を取り消しました。"

    return _act(request, session, actor, data, (code, plan_id), action)


def _names(text: str) -> list[str]:
    """Department names as typed: separated by 、 , or new lines."""
    return [n.strip() for n in re.split(r"[、,，\n]", text) if n.strip()]


@router.post(PLAN + "/revisions/initiatives")
def add_initiative_submit(
    request: Request,
    session: DbSession,
    actor: PageActor,
    data: PostedForm,
    code: str,
    plan_id: str,
) -> Response:
    """Add an initiative in the open revision."""

    def action(context: Context) -> str:
        form: dict[str, Any] = {"code": posted(data, "code"), "title": posted(data, "title")}
        for field in ("lead_departments", "related_departments"):
            if names := _names(posted(data, field)):
                form[field] = names
        for field in ("overview", "aims"):
            if text := posted(data, field).replace("\r\n", "\n"):
                form[field] = text
        form["new_in_revision"] = True
        added = add_initiative(session, context, plan_id, form, posted(data, "section"))
        return f"取組「{added['code']} {added['title']}」を追加しました。"

    return _act(request, session, actor, data, (code, plan_id), action)


@router.post(PLAN + "/revisions/sections")
def add_section_submit(
    request: Request,
    session: DbSession,
    actor: PageActor,
    data: PostedForm,
    code: str,
    plan_id: str,
) -> Response:
    """Add a section in the open revision."""

    def action(context: Context) -> str:
        form = {
            "code": posted(data, "code"),
            "title": posted(data, "title"),
            "level": posted(data, "level") or None,
            "parent": posted(data, "parent") or None,
        }
        added = add_section(session, context, plan_id, form)
        return f"区分「{added['code']} {added['title']}」を追加しました。"

    return _act(request, session, actor, data, (code, plan_id), action)


@router.post(PLAN + "/revisions/sections/move")
def move_section_submit(
    request: Request,
    session: DbSession,
    actor: PageActor,
    data: PostedForm,
    code: str,
    plan_id: str,
) -> Response:
    """Move a section in the open revision."""

    def action(context: Context) -> str:
        section = posted(data, "section")
        plan = find_plan(session, code, plan_id, initiatives=False)
        stored = next((s for s in plan.sections if s.code == section), None) if plan else None
        if stored is None:
            found = quoted(section)
            raise InvalidChangeError([Problem("section", found, "計画の区分のコード", "区分")])
        parent = posted(data, "parent") or None
        move_section(
            session, context, plan_id, section, parent=parent, expected_version=stored.row_version
        )
        return f"区分「{section}」を移動しました。"

    return _act(request, session, actor, data, (code, plan_id), action)
