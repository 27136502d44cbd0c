"""The reporting round (実績報告) on the pages: the plan's rounds and the form that opens one, the
round's dashboard with the actions the logged-in user may take (submit, return with a comment,
accept, approve), and a department's page with what it still has to report.

Rounds are internal work: only the municipality's own users see them (another's: 404).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from dxplan.accounts.context import Context
from dxplan.accounts.rules import Actor, Change, decide
from dxplan.errors import InvalidChangeError
from dxplan.fiscal import today_in_japan
from dxplan.plans.queries import visible_plan_summaries
from dxplan.problems import Problem, quoted
from dxplan.reporting.queries import (
    department_rounds,
    plan_rounds,
    readable_plan,
    round_dashboard,
)
from dxplan.reporting.rules import RoundState, SubmissionState
from dxplan.reporting.services import (
    accept_report,
    approve_round,
    open_round,
    return_report,
    submit_report,
)
from dxplan.reporting.worklist import department_initiatives
from dxplan.web.common import (
    PostedForm,
    Refusal,
    answer_form,
    department_url,
    initiative_url,
    plan_url,
    posted_version,
    require_login,
    round_url,
)
from dxplan.web.deps import DbSession, PageActor
from dxplan.web.rendering import render
from dxplan.web.security import check_form_csrf, posted
from dxplan.web.views.workbook import may_download, workbook_forms

router = APIRouter(include_in_schema=False)

PLAN = "/municipalities/{code}/plans/{plan_id}"


def _may(
    actor: Actor | None, change: Change, code: str, department_ids: list[int] | None = None
) -> bool:
    return actor is not None and decide(actor, change, code, department_ids or ()).allowed


@router.get(PLAN + "/rounds", response_class=HTMLResponse)
def rounds_page(
    request: Request, session: DbSession, actor: PageActor, code: str, plan_id: str
) -> Response:
    """The plan's reporting rounds, and the form that opens one."""
    if actor is None:
        return require_login(request)
    return _rounds_page(request, session, actor, code, plan_id)


def _rounds_page(
    request: Request,
    session: Session,
    actor: Actor,
    code: str,
    plan_id: str,
    refusal: Refusal | None = None,
) -> Response:
    plan = readable_plan(session, actor, code, plan_id)
    context = {
        "plan": plan,
        "plan_url": plan_url(code, plan_id),
        "rounds": plan_rounds(session, actor, code, plan_id),
        "may_run": _may(actor, Change.RUN_ROUND, code),
        "years": list(range(plan.start_fy, plan.end_fy + 1)),
        "problems": refusal.problems if refusal else None,
    }
    status = refusal.status if refusal else 200
    return render(request, "reporting/rounds.html", context, status_code=status)


@router.post(PLAN + "/rounds")
def open_submit(
    request: Request,
    session: DbSession,
    actor: PageActor,
    data: PostedForm,
    code: str,
    plan_id: str,
) -> Response:
    """Open the plan's round of a fiscal year."""
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

    def change() -> int:
        if problems:
            raise InvalidChangeError(problems)
        open_round(session, Context(actor, code), plan_id, int(fy_text), due)
        return int(fy_text)

    def saved(fiscal_year: int) -> tuple[str, str]:
        return f"{fy_text}年度の実績報告を開始しました。", round_url(code, plan_id, fiscal_year)

    def again(refusal: Refusal) -> Response:
        return _rounds_page(request, session, actor, code, plan_id, refusal)

    return answer_form(request, session, change, saved=saved, again=again, target="実績報告")


@router.get(PLAN + "/rounds/{fiscal_year}", response_class=HTMLResponse)
def round_page(
    request: Request,
    session: DbSession,
    actor: PageActor,
    code: str,
    plan_id: str,
    fiscal_year: int,
) -> Response:
    """A round's dashboard with the actions the user may take."""
    if actor is None:
        return require_login(request)
    return _round_page(request, session, actor, code, plan_id, fiscal_year)


def _round_page(
    request: Request,
    session: Session,
    actor: Actor,
    code: str,
    plan_id: str,
    fiscal_year: int,
    refusal: Refusal | None = None,
) -> Response:
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
        "problems": refusal.problems if refusal else None,
    }
    status = refusal.status if refusal else 200
    return render(request, "reporting/round.html", context, status_code=status)


def _act(
    request: Request,
    session: Session,
    actor: Actor | None,
    data: FormData,
    target: tuple[str, str, int],
    action: Callable[[Context], str],
) -> Response:
    """Run one action of the round for the page: commit and go back (to the department page
    the form was on, else the round's), or show the round's page with why not."""
    check_form_csrf(request, data)
    code, plan_id, fiscal_year = target
    if actor is None:
        return require_login(request)
    readable_plan(session, actor, code, plan_id)

    def saved(message: str) -> tuple[str, str]:
        back = posted(data, "back")
        if back.isascii() and back.isdigit():  # the department page the form was on
            return message, department_url(code, back)
        return message, round_url(code, plan_id, fiscal_year)

    def again(refusal: Refusal) -> Response:
        return _round_page(request, session, actor, code, plan_id, fiscal_year, refusal)

    return answer_form(
        request,
        session,
        lambda: action(Context(actor, code)),
        saved=saved,
        again=again,
        target="報告",
    )


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
    """Submit, return or accept a department's report in the round."""

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
    """Approve the round: the fiscal year is locked."""

    def act(context: Context) -> str:
        approve_round(session, context, plan_id, fiscal_year, expected_version=posted_version(data))
        return f"{fiscal_year}年度の実績報告を承認し、確定しました。"

    return _act(request, session, actor, data, (code, plan_id, fiscal_year), act)


# --- a department's page --------------------------------------------------------------------


@router.get("/municipalities/{code}/departments/{department_id}", response_class=HTMLResponse)
def department_page(
    request: Request,
    session: DbSession,
    actor: PageActor,
    code: str,
    department_id: int,
    fy: Annotated[int | None, Query(ge=1900, le=2200)] = None,
) -> Response:
    """The department's initiatives and what it has to report in a fiscal year: the year asked
    for, else that of an open reporting round it takes part in (the year it is reporting on),
    else the current one."""
    rounds = department_rounds(session, actor, code, department_id)
    if fy is None:
        fy = next((r.fiscal_year for r in rounds if r.round_state is RoundState.OPEN), None)
    worklist = department_initiatives(session, actor, code, department_id, fy=fy)
    periods = {
        p.plan_id: (p.start_fy, p.end_fy)
        for p in visible_plan_summaries(session, actor)
        if p.municipality_code == code
    }
    plan_ids = dict.fromkeys(item.plan_id for item in worklist.items)
    workbooks = {}
    if may_download(actor, code):  # the update workbooks, for the plans' years
        workbooks = {
            plan_id: workbook_forms(actor, code, plan_id, periods[plan_id], worklist.department_id)
            for plan_id in plan_ids
            if plan_id in periods
        }
    spans = [periods[plan_id] for plan_id in plan_ids if plan_id in periods]
    years = sorted({worklist.fiscal_year}.union(*(range(start, end + 1) for start, end in spans)))
    context = {
        "workbooks": workbooks,
        "code": code,
        "worklist": worklist,
        "years": years,
        "rounds": rounds,
        "may_submit": _may(actor, Change.REPORT, code, [worklist.department_id]),
        "plan_url": plan_url,
        "initiative_url": initiative_url,
    }
    return render(request, "reporting/department.html", context)
