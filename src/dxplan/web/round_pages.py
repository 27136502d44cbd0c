"""The reporting round (実績報告) on the pages: the plan's rounds and the form that opens one, the
round's dashboard with the actions the logged-in user may take (submit, return with a comment,
accept, approve), all forms with CSRF tokens and row versions.

Rounds are internal work: only the municipality's own users see them (another's: 404).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from dxplan.accounts.context import Context
from dxplan.accounts.rules import Actor, Change, decide
from dxplan.errors import InvalidChangeError, StaleVersionError
from dxplan.fiscal import today_in_japan
from dxplan.problems import Problem, quoted
from dxplan.reporting.queries import plan_rounds, readable_plan, round_dashboard
from dxplan.reporting.rules import SubmissionState
from dxplan.reporting.services import (
    accept_report,
    approve_round,
    open_round,
    return_report,
    submit_report,
)
from dxplan.web.deps import DbSession, PageActor
from dxplan.web.pages import PostedForm, plan_url, posted_version, redirect, require_login
from dxplan.web.rendering import render
from dxplan.web.security import check_form_csrf, posted

router = APIRouter(include_in_schema=False)

PLAN = "/municipalities/{code}/plans/{plan_id}"


def round_url(code: str, plan_id: str, fiscal_year: int) -> str:
    """The page of a plan's round of a fiscal year."""
    return f"{plan_url(code, plan_id)}/rounds/{fiscal_year}"


def _may(
    actor: Actor | None, change: Change, code: str, department_ids: list[int] | None = None
) -> bool:
    return actor is not None and decide(actor, change, code, department_ids or ()).allowed


@router.get(PLAN + "/rounds", response_class=HTMLResponse)
def rounds_page(
    request: Request, session: DbSession, actor: PageActor, code: str, plan_id: str
) -> Response:
    return _rounds_page(request, session, actor, code, plan_id)


def _rounds_page(
    request: Request,
    session: Session,
    actor: Actor | None,
    code: str,
    plan_id: str,
    *,
    problems: list[Problem] | None = None,
) -> Response:
    if actor is None:
        return require_login(request)
    plan = readable_plan(session, actor, code, plan_id)
    context = {
        "plan": plan,
        "plan_url": plan_url(code, plan_id),
        "rounds": plan_rounds(session, actor, code, plan_id),
        "may_run": _may(actor, Change.RUN_ROUND, code),
        "years": list(range(plan.start_fy, plan.end_fy + 1)),
        "problems": problems,
    }
    return render(request, "reporting/rounds.html", context, status_code=422 if problems else 200)


@router.post(PLAN + "/rounds")
def open_submit(
    request: Request,
    session: DbSession,
    actor: PageActor,
    data: PostedForm,
    code: str,
    plan_id: str,
) -> Response:
    check_form_csrf(request, data)
    if actor is None:
        return require_login(request)
    readable_plan(session, actor, code, plan_id)
    fy_text, due_text = posted(data, "fiscal_year"), posted(data, "due_date")
    problems: list[Problem] = []
    if not (fy_text.isascii() and fy_text.isdigit() and len(fy_text) == 4):
        expected = "西暦4桁の年度を選んでください"
        problems.append(Problem("fiscal_year", quoted(fy_text), expected, "年度"))
    try:
        due = date.fromisoformat(due_text)
    except ValueError:
        expected = "YYYY-MM-DD の形の日付を入力してください"
        problems.append(Problem("due_date", quoted(due_text), expected, "提出期限"))
    try:
        if problems:
            raise InvalidChangeError(problems)
        open_round(session, Context(actor, code), plan_id, int(fy_text), due)
    except InvalidChangeError as exc:
        session.rollback()
        return _rounds_page(request, session, actor, code, plan_id, problems=exc.problems)
    session.commit()
    request.session["flash"] = f"{fy_text}年度の実績報告を開始しました。"
    return redirect(round_url(code, plan_id, int(fy_text)))


@router.get(PLAN + "/rounds/{fiscal_year}", response_class=HTMLResponse)
def round_page(
    request: Request,
    session: DbSession,
    actor: PageActor,
    code: str,
    plan_id: str,
    fiscal_year: int,
) -> Response:
    return _round_page(request, session, actor, code, plan_id, fiscal_year)


def _round_page(
    request: Request,
    session: Session,
    actor: Actor | None,
    code: str,
    plan_id: str,
    fiscal_year: int,
    *,
    problems: list[Problem] | None = None,
    status_code: int = 200,
) -> Response:
    if actor is None:
        return require_login(request)
    board = round_dashboard(session, actor, code, plan_id, fiscal_year, today=today_in_japan())
    context: dict[str, Any] = {
        "board": board,
        "code": code,
        "plan_url": plan_url(code, plan_id),
        "round_url": round_url(code, plan_id, fiscal_year),
        "states": list(SubmissionState),
        "may_run": _may(actor, Change.RUN_ROUND, code),
        "may_approve": _may(actor, Change.APPROVE_ROUND, code),
        "may_submit": lambda department_id: _may(actor, Change.REPORT, code, [department_id]),
        "problems": problems,
    }
    return render(request, "reporting/round.html", context, status_code=status_code)


def _act(
    request: Request,
    session: Session,
    actor: Actor | None,
    data: FormData,
    target: tuple[str, str, int],
    action: Callable[[Context], str],
) -> Response:
    """Run one action of the round for the page: commit and go back, or show why not."""
    check_form_csrf(request, data)
    code, plan_id, fiscal_year = target
    if actor is None:
        return require_login(request)
    readable_plan(session, actor, code, plan_id)
    try:
        message = action(Context(actor, code))
    except (InvalidChangeError, StaleVersionError) as exc:
        session.rollback()
        problems = getattr(exc, "problems", None) or [
            ("報告", "ほかの人が先に更新しました", "最新の状態を確認してやり直してください")
        ]
        return _round_page(
            request, session, actor, code, plan_id, fiscal_year, problems=problems, status_code=422
        )
    session.commit()
    request.session["flash"] = message
    back = posted(data, "back")
    if back.isascii() and back.isdigit():  # the department page the form was on
        return redirect(f"/municipalities/{code}/departments/{back}")
    return redirect(round_url(code, plan_id, fiscal_year))


@router.post(PLAN + "/rounds/{fiscal_year}/departments/{department_id}/{action}")
def department_action(
    request: Request,
    session: DbSession,
    actor: PageActor,
    data: PostedForm,
    code: str,
    plan_id: str,
    fiscal_year: int,
    department_id: int,
    action: str,
) -> Response:
    def act(context: Context) -> str:
        version = posted_version(data)
        if action == "submit":
            done = submit_report(
                session, context, plan_id, fiscal_year, department_id, expected_version=version
            )
            return f"{done.department.name}の{fiscal_year}年度の実績を提出しました。"
        if action == "return":
            done = return_report(
                session,
                context,
                plan_id,
                fiscal_year,
                department_id,
                posted(data, "comment"),
                expected_version=version,
            )
            return f"{done.department.name}の報告を差し戻しました。"
        if action == "accept":
            done = accept_report(
                session, context, plan_id, fiscal_year, department_id, expected_version=version
            )
            return f"{done.department.name}の報告を承認しました。"
        expected = "提出、差戻し、承認のいずれか"
        raise InvalidChangeError([Problem("action", quoted(action), expected, "操作")])

    return _act(request, session, actor, data, (code, plan_id, fiscal_year), act)


@router.post(PLAN + "/rounds/{fiscal_year}/approve")
def approve_submit(
    request: Request,
    session: DbSession,
    actor: PageActor,
    data: PostedForm,
    code: str,
    plan_id: str,
    fiscal_year: int,
) -> Response:
    def act(context: Context) -> str:
        approve_round(session, context, plan_id, fiscal_year, expected_version=posted_version(data))
        return f"{fiscal_year}年度の実績報告を承認し、確定しました。"

    return _act(request, session, actor, data, (code, plan_id, fiscal_year), act)
