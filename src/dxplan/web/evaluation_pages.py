"""Evaluation on the pages: the plan's summary tables (集計表) with roll-ups by section and
department, and a person's verdict on an indicator for a fiscal year (from the initiative
sheet), which overrides the computed one with a reason.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from dxplan.accounts.context import Context
from dxplan.accounts.rules import Actor
from dxplan.errors import InvalidChangeError, NotFoundError, StaleVersionError
from dxplan.evaluation.queries import plan_summary_of
from dxplan.evaluation.services import record_indicator_verdict
from dxplan.evaluation.tables import default_year
from dxplan.fiscal import fiscal_year_of
from dxplan.plans.models import Initiative
from dxplan.plans.queries import find_initiative, find_plan
from dxplan.problems import Problem, quoted
from dxplan.web.deps import DbSession, PageActor, may_read
from dxplan.web.pages import (
    PostedForm,
    _readable_initiative,
    _sheet_context,
    evaluation_context,
    initiative_url,
    plan_url,
    redirect,
    require_login,
)
from dxplan.web.rendering import render
from dxplan.web.security import check_form_csrf

router = APIRouter(include_in_schema=False)

PLAN = "/municipalities/{code}/plans/{plan_id}"


@router.get(PLAN + "/summary", response_class=HTMLResponse)
def summary_page(
    request: Request,
    session: DbSession,
    actor: PageActor,
    code: str,
    plan_id: str,
    fy: Annotated[str | None, Query(max_length=4)] = None,
) -> Response:
    """集計表: seed 002's summary tables computed from the items beside the printed figures,
    and the roll-ups by section and department for a fiscal year."""
    plan = find_plan(session, code, plan_id)
    if plan is None or not may_read(actor, code, plan.public):
        raise NotFoundError(f"no plan {plan_id!r} of municipality {code}")
    years = range(plan.start_fy, plan.end_fy + 1)
    if fy is not None and fy.isascii() and fy.isdigit() and int(fy) in years:
        year = int(fy)
    else:
        year = default_year(plan.start_fy, plan.end_fy, fiscal_year_of(date.today()))
    context = {
        "plan": plan,
        "plan_url": plan_url(code, plan_id),
        "tables": plan_summary_of(session, plan, year),
    }
    return render(request, "evaluation/summary.html", context)


@router.post(PLAN + "/initiatives/{initiative_code}/evaluations")
def evaluation_submit(
    request: Request,
    session: DbSession,
    actor: PageActor,
    data: PostedForm,
    code: str,
    plan_id: str,
    initiative_code: str,
) -> Response:
    """A person's verdict on an indicator for a fiscal year (or its withdrawal)."""
    check_form_csrf(request, data)
    if actor is None:
        return require_login(request)
    initiative = find_initiative(session, code, plan_id, initiative_code)
    if initiative is None or not may_read(actor, code, initiative.plan.public):
        raise NotFoundError(f"no initiative {initiative_code!r} in plan {plan_id!r}")

    def text(name: str, limit: int) -> str:
        value = data.get(name)
        return value.strip()[:limit] if isinstance(value, str) else ""

    uid, fy_text, label = text("indicator", 36), text("fy", 4), text("label", 100)
    version_text = text("row_version", 18)
    problems: list[Problem] = []
    if not (fy_text.isascii() and fy_text.isdigit()):
        problems.append(Problem("fy", quoted(fy_text), "西暦4桁の年度", "年度"))
    if version_text and not (version_text.isascii() and version_text.isdigit()):
        expected = "フォームを表示したときの版（ページを開き直してください）"
        problems.append(Problem("row_version", quoted(version_text), expected, "評価"))
    target = (uid, int(fy_text) if not problems else 0)
    try:
        if problems:
            raise InvalidChangeError(problems)
        record_indicator_verdict(
            session,
            Context(actor, code),
            plan_id,
            initiative.code,
            uid,
            int(fy_text),
            label or None,
            text("reason", 4000),
            int(version_text) if version_text else None,
        )
    except InvalidChangeError as exc:
        return _sheet_again(request, session, actor, initiative, target, exc.problems, 422)
    except StaleVersionError:
        expected = (
            "いまの評価（ほかの人が先に変更しました。内容を確かめてから、もう一度入力してください）"
        )
        stale = [Problem("row_version", "古い版", expected, "評価")]
        return _sheet_again(request, session, actor, initiative, target, stale, 412)
    session.commit()
    request.session["flash"] = "評価を保存しました。" if label else "評価を取り消しました。"
    return redirect(initiative_url(code, plan_id, initiative.code) + "#evaluations")


def _sheet_again(
    request: Request,
    session: Session,
    actor: Actor,
    initiative: Initiative,
    target: tuple[str, int],
    problems: list[Problem],
    status: int,
) -> Response:
    """The initiative sheet again, with the verdict's form open and why it was not saved."""
    session.rollback()
    plan = initiative.plan
    code, plan_id, initiative_code = plan.municipality.code, plan.slug, initiative.code
    initiative = _readable_initiative(session, actor, code, plan_id, initiative_code)
    context = _sheet_context(session, actor, code, plan_id, initiative)
    context |= evaluation_context(session, actor, initiative)
    context |= {"evaluation_target": target, "evaluation_problems": problems}
    return render(request, "plans/initiative.html", context, status_code=status)
