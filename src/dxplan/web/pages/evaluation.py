"""Evaluation on the pages: the plan's summary tables (集計表) with roll-ups by section and
department, the consistency check of its printed figures (数値の検算), and a person's verdict on
an indicator for a fiscal year (from the initiative sheet), which overrides the computed one
with a reason.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from dxplan.accounts.context import Context
from dxplan.errors import InvalidChangeError
from dxplan.evaluation.checks import check_loaded_plan
from dxplan.evaluation.queries import plan_summary_of
from dxplan.evaluation.services import record_indicator_verdict
from dxplan.evaluation.tables import default_year
from dxplan.fiscal import fiscal_year_of
from dxplan.problems import Problem, quoted
from dxplan.web.common import (
    PostedForm,
    Refusal,
    answer_form,
    initiative_url,
    plan_url,
    readable_initiative,
    readable_plan,
    require_login,
)
from dxplan.web.deps import DbSession, PageActor
from dxplan.web.rendering import render
from dxplan.web.security import check_form_csrf
from dxplan.web.views.sheet import evaluation_context, sheet_context

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
    plan = readable_plan(session, actor, code, plan_id, initiatives=True)
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


@router.get(PLAN + "/check", response_class=HTMLResponse)
def check_page(
    request: Request, session: DbSession, actor: PageActor, code: str, plan_id: str
) -> Response:
    """数値の検算: the consistency check's findings on the plan's published figures."""
    plan = readable_plan(session, actor, code, plan_id, initiatives=True)
    context = {
        "plan": plan,
        "plan_url": plan_url(code, plan_id),
        "report": check_loaded_plan(plan),
        "figures": len(plan.published_figures),
    }
    return render(request, "evaluation/check.html", context)


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
    initiative = readable_initiative(session, actor, code, plan_id, initiative_code)

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

    def change() -> None:
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

    def saved(_: None) -> tuple[str, str]:
        message = "評価を保存しました。" if label else "評価を取り消しました。"
        return message, initiative_url(code, plan_id, initiative.code) + "#evaluations"

    def again(refusal: Refusal) -> Response:
        """The initiative sheet again, with the verdict's form open and why it was not saved."""
        shown = readable_initiative(session, actor, code, plan_id, initiative_code)
        context = sheet_context(session, actor, code, plan_id, shown)
        context |= evaluation_context(session, actor, shown)
        context |= {"evaluation_target": target, "evaluation_problems": refusal.problems}
        return render(request, "plans/initiative.html", context, status_code=refusal.status)

    return answer_form(request, session, change, saved=saved, again=again, target="評価")
