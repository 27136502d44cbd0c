"""The HTML pages: the public portal (anyone reads published plans) and the staff pages
(login, editing an initiative's yearly report and, for the DX division, the plan itself).

Every write goes through the service functions (permission, version, audit); handlers only
read forms, call a service, and commit.
"""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from dxplan.accounts.context import Context
from dxplan.accounts.rules import Actor, Change, decide
from dxplan.accounts.services import LoginRefusedError, log_in
from dxplan.audit.queries import target_history
from dxplan.documents import presentation as shown
from dxplan.editing.services import update_initiative
from dxplan.errors import (
    InvalidChangeError,
    InvalidQueryError,
    NotFoundError,
    PermissionDeniedError,
    StaleVersionError,
)
from dxplan.evaluation.checks import check_loaded_plan
from dxplan.evaluation.queries import initiative_evaluations
from dxplan.evaluation.rules import plan_scales
from dxplan.figures import parse_figure
from dxplan.fiscal import fiscal_year_of
from dxplan.plans.departments import municipality_departments
from dxplan.plans.models import Initiative
from dxplan.plans.package.form import (
    FormOptions,
    initiative_form,
    plan_info_form,
    plan_to_package,
    section_form,
)
from dxplan.plans.queries import (
    find_initiative,
    find_plan,
    glossary_for_plan,
    predecessors,
    visible_plan_summaries,
)
from dxplan.plans.search import SearchHit, search
from dxplan.problems import Problem, quoted
from dxplan.reporting.queries import department_rounds, locked_years
from dxplan.reporting.rules import RoundState
from dxplan.reporting.worklist import department_initiatives
from dxplan.revisions.queries import open_revision_summary
from dxplan.web import views
from dxplan.web.deps import DbSession, PageActor, may_read
from dxplan.web.rendering import render
from dxplan.web.security import CSRF_FIELD, check_csrf, check_form_csrf
from dxplan.web.workbook_forms import may_download, workbook_forms

router = APIRouter(include_in_schema=False)

CsrfField = Annotated[str | None, Form(alias=CSRF_FIELD)]


def plan_url(code: str, plan_id: str) -> str:
    return f"/municipalities/{code}/plans/{quote(plan_id, safe='')}"


def initiative_url(code: str, plan_id: str, initiative_code: str) -> str:
    return f"{plan_url(code, plan_id)}/initiatives/{quote(initiative_code, safe='')}"


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def require_login(request: Request) -> RedirectResponse:
    """To the login page, and back here afterwards."""
    return redirect(f"/login?next={quote(str(request.url.path))}")


def _safe_next(target: str | None) -> str:
    """Only a path of this site (no scheme, no host, no //)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


# --- logging in and out ---------------------------------------------------------------------


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, actor: PageActor, next: str | None = None) -> Response:
    return render(request, "accounts/login.html", {"next": _safe_next(next), "error": None})


@router.post("/login", response_class=HTMLResponse)
def login_submit(
    request: Request,
    session: DbSession,
    csrf: CsrfField = None,
    login: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    check_csrf(request, csrf)
    remote = request.client.host if request.client else None
    try:
        actor = log_in(session, login.strip(), password, remote=remote)
    except LoginRefusedError as exc:
        session.commit()  # the failure counts towards throttling
        if exc.throttled:
            error = (
                "ログインの失敗が続いたため、このIDは一時的にロックされています。"
                "15分ほど待ってから、もう一度お試しください。"
            )
        else:
            error = "ログインIDまたはパスワードが正しくありません。"
        context = {"next": _safe_next(next), "error": error, "login": login}
        status = 429 if exc.throttled else 401
        return render(request, "accounts/login.html", context, status_code=status)
    session.commit()
    request.session.clear()  # a new session on login (no fixation)
    request.session["user_id"] = int(actor.id.removeprefix("user:"))
    return redirect(_safe_next(next))


@router.post("/logout")
def logout(request: Request, csrf: CsrfField = None) -> Response:
    check_csrf(request, csrf)
    request.session.clear()
    return redirect("/")


# --- public pages ---------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: DbSession, actor: PageActor) -> Response:
    plans = visible_plan_summaries(session, actor)
    municipalities: dict[tuple[str, str], list[Any]] = {}
    for summary in plans:
        key = (summary.municipality_code, summary.municipality_name)
        municipalities.setdefault(key, []).append(summary)
    return render(request, "plans/home.html", {"municipalities": municipalities})


def _readable_plan_doc(
    session: Session, actor: Actor | None, code: str, plan_id: str
) -> dict[str, Any]:
    plan = find_plan(session, code, plan_id)
    if plan is None or not may_read(actor, code, plan.public):
        raise NotFoundError(f"no plan {plan_id!r} of municipality {code}")
    doc = plan_to_package(plan, FormOptions(ids=True))
    doc["_public"] = plan.public
    return doc


class PlanFilters:
    """The plan page's filter and sort, from its query string (a dependency)."""

    def __init__(
        self,
        section: Annotated[str, Query(max_length=100)] = "",
        department: Annotated[str, Query(max_length=200)] = "",
        flag: Annotated[str, Query(max_length=40)] = "",
        status: Annotated[str, Query(max_length=100)] = "",
        achievement: Annotated[str, Query(max_length=100)] = "",
        sort: Annotated[str, Query(max_length=20)] = "code",
    ) -> None:
        sort = sort if sort in views.SORT_KEYS else "code"
        self.filters = views.Filters(section, department, flag, status, achievement, sort)


Filtered = Annotated[PlanFilters, Depends()]


def plan_page_context(
    doc: dict[str, Any], code: str, base_url: str, filters: views.Filters
) -> dict[str, Any]:
    """The plan page of a package (the plan as it stands, or as it stood at a revision)."""
    all_initiatives = doc.get("initiatives") or []
    return {
        "doc": doc,
        "plan": doc["plan"],
        "code": code,
        "plan_url": base_url,
        "tree": views.section_tree(doc),
        "initiatives": views.filter_initiatives(doc, filters),
        "filters": filters,
        "department_names": sorted({d for i in all_initiatives for d in shown.departments(i)}),
        "status_labels": sorted({s for i in all_initiatives if (s := shown.latest_status(i))}),
        "achievement_labels": sorted({a for i in all_initiatives for a in shown.achievements(i)}),
        "sections": doc.get("sections") or [],
        "level_names": list(dict.fromkeys(s.get("level") for s in doc.get("sections") or [])),
    }


@router.get("/municipalities/{code}/plans/{plan_id}", response_class=HTMLResponse)
def plan_page(
    request: Request,
    session: DbSession,
    actor: PageActor,
    code: str,
    plan_id: str,
    query: Filtered,
) -> Response:
    doc = _readable_plan_doc(session, actor, code, plan_id)
    context = plan_page_context(doc, code, plan_url(code, plan_id), query.filters)
    period = doc["plan"]["period"]
    years = (period["start_fy"], period["end_fy"])
    context["workbook"] = workbook_forms(actor, code, plan_id, years)
    return render(request, "plans/plan.html", context)


@router.get("/municipalities/{code}/plans/{plan_id}/package.json")
def plan_package(session: DbSession, actor: PageActor, code: str, plan_id: str) -> Response:
    doc = _readable_plan_doc(session, actor, code, plan_id)
    doc.pop("_public")
    body = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    return _download(body.encode(), f"{plan_id}.json", "application/json")


@router.get("/municipalities/{code}/plans/{plan_id}/initiatives.csv")
def initiatives_csv(session: DbSession, actor: PageActor, code: str, plan_id: str) -> Response:
    doc = _readable_plan_doc(session, actor, code, plan_id)
    return _download(views.initiatives_csv(doc), f"{plan_id}-initiatives.csv", "text/csv")


@router.get("/municipalities/{code}/plans/{plan_id}/indicators.csv")
def indicators_csv(session: DbSession, actor: PageActor, code: str, plan_id: str) -> Response:
    doc = _readable_plan_doc(session, actor, code, plan_id)
    return _download(views.indicators_csv(doc), f"{plan_id}-indicators.csv", "text/csv")


def _download(body: bytes, filename: str, media_type: str) -> Response:
    charset = "; charset=utf-8" if media_type.startswith("text/") else ""
    return Response(
        body,
        media_type=media_type + charset,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"},
    )


def _readable_initiative(
    session: Session, actor: Actor | None, code: str, plan_id: str, initiative_code: str
) -> Initiative:
    initiative = find_initiative(session, code, plan_id, initiative_code)
    if initiative is None or not may_read(actor, code, initiative.plan.public):
        raise NotFoundError(f"no initiative {initiative_code!r} in plan {plan_id!r}")
    return initiative


def _may(actor: Actor | None, change: Change, code: str, initiative: Initiative) -> bool:
    ids = [link.department_id for link in initiative.departments]
    return actor is not None and decide(actor, change, code, ids).allowed


def _sheet_context(
    session: Session, actor: Actor | None, code: str, plan_id: str, initiative: Initiative
) -> dict[str, Any]:
    plan = initiative.plan
    item = initiative_form(initiative, FormOptions(ids=True))
    info = plan_info_form(plan, FormOptions())
    history = target_history(session, initiative.uid, limit=50)
    sections = {s.code: section_form(s, FormOptions()) for s in plan.sections}
    may_edit_plan = _may(actor, Change.EDIT_PLAN, code, initiative)
    revision = open_revision_summary(session, code, plan_id) if may_edit_plan else None
    earlier = predecessors(session, initiative)
    glossary_url = f"{plan_url(code, plan_id)}/glossary"
    terms = glossary_for_plan(session, code, plan_id)
    return views.sheet_parts(info, sections, item) | {
        "glossary": {e.term: f"{glossary_url}#term-{e.position}" for e in terms},
        "code": code,
        "plan_url": plan_url(code, plan_id),
        "version": initiative.row_version,
        "department_ids": {d.name: d.id for d in plan.municipality.departments},
        "history": history,
        "predecessors": earlier,
        "may_report": _may(actor, Change.REPORT, code, initiative),
        "may_edit_plan": may_edit_plan,
        "revision": revision,
        # the plan itself changes only inside an open revision
        "plan_fields": revision is not None,
        "initiative_url": initiative_url(code, plan_id, initiative.code),
        "link": lambda other: initiative_url(code, plan_id, other),
    }


@router.get("/municipalities/{code}/plans/{plan_id}/initiatives/{initiative_code}")
def initiative_page(
    request: Request,
    session: DbSession,
    actor: PageActor,
    code: str,
    plan_id: str,
    initiative_code: str,
) -> Response:
    initiative = _readable_initiative(session, actor, code, plan_id, initiative_code)
    context = _sheet_context(session, actor, code, plan_id, initiative)
    context |= evaluation_context(session, actor, initiative)
    return render(request, "plans/initiative.html", context)


def evaluation_context(
    session: Session, actor: Actor | None, initiative: Initiative
) -> dict[str, Any]:
    """The sheet's indicator evaluations (computed and people's verdicts), the achievement
    scale's labels and whether the reader may give a verdict (`web.evaluation_pages`)."""
    scale = plan_scales(plan_info_form(initiative.plan, FormOptions()))["achievement"]
    code = initiative.plan.municipality.code
    return {
        "evaluations": initiative_evaluations(session, initiative),
        "evaluation_labels": scale.labels,
        "may_evaluate": _may(actor, Change.REPORT, code, initiative),
    }


# --- editing ------------------------------------------------------------------------------


def _editable(
    session: Session, actor: Actor | None, code: str, plan_id: str, initiative_code: str
) -> Initiative:
    initiative = _readable_initiative(session, actor, code, plan_id, initiative_code)
    if actor is not None and actor.municipality_code != code and not actor.system:
        # another municipality's: nothing is written there, as if it did not exist
        raise NotFoundError(f"no initiative {initiative_code!r} in plan {plan_id!r} to edit")
    if not (
        _may(actor, Change.REPORT, code, initiative)
        or _may(actor, Change.EDIT_PLAN, code, initiative)
    ):
        raise PermissionDeniedError("この取組を編集する権限がありません。")
    return initiative


def _report_year(info: dict[str, Any], asked: str | None, today: date) -> str:
    years = shown.plan_years(info)
    if asked in years:
        return str(asked)
    current = str(fiscal_year_of(today))
    if current in years:
        return current
    return years[-1] if years else current


@router.get("/municipalities/{code}/plans/{plan_id}/initiatives/{initiative_code}/edit")
def edit_page(
    request: Request,
    session: DbSession,
    actor: PageActor,
    code: str,
    plan_id: str,
    initiative_code: str,
    fy: Annotated[str | None, Query(max_length=9)] = None,
) -> Response:
    if actor is None:
        return require_login(request)
    initiative = _editable(session, actor, code, plan_id, initiative_code)
    context = _sheet_context(session, actor, code, plan_id, initiative)
    context["fy"] = _report_year(context["plan"], fy, date.today())
    context["labels"] = _scale_labels(initiative)
    context["locked_years"] = locked_years(session, initiative.plan_id)
    return render(request, "editing/edit.html", context)


def _scale_labels(initiative: Initiative) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {"progress": [], "achievement": []}
    for label in sorted(initiative.plan.scale_labels, key=lambda s: s.rank):
        out[label.scale.value].append(label.label)
    return out


def _set_year(mapping_owner: dict[str, Any], field: str, fy: str, value: Any) -> None:
    mapping = dict(mapping_owner.get(field) or {})
    if value in (None, ""):
        mapping.pop(fy, None)
    else:
        mapping[fy] = value
    if mapping:
        mapping_owner[field] = mapping
    else:
        mapping_owner.pop(field, None)


def _figure(text: str) -> dict[str, Any] | None:
    text = text.strip()
    if not text:
        return None
    figure = parse_figure(text)
    out: dict[str, Any] = {"text": text, "value": figure.value}
    if figure.op in (">=", "<="):
        out["op"] = figure.op
    return out


def _edited_form(
    current: dict[str, Any], data: FormData, fy: str, plan_fields: bool
) -> dict[str, Any]:
    """The initiative's package form with the posted fields applied (the rest unchanged)."""
    form = copy.deepcopy(current)

    def posted(name: str) -> str:
        value = data.get(name)
        return value.strip() if isinstance(value, str) else ""

    for i, activity in enumerate(form.get("activities") or []):
        _set_year(activity, "actual", fy, posted(f"activity-{i}-actual"))
        _set_year(activity, "status", fy, posted(f"activity-{i}-status"))
        if plan_fields:
            _set_year(activity, "plan", fy, posted(f"activity-{i}-plan"))
    _set_year(form, "results", fy, posted("result"))
    for j, indicator in enumerate(form.get("indicators") or []):
        old = (indicator.get("actuals") or {}).get(fy)
        text = posted(f"indicator-{j}-actual")
        if text != shown.figure_text(old):
            _set_year(indicator, "actuals", fy, _figure(text))
        if plan_fields:
            old_target = (indicator.get("targets") or {}).get(fy)
            target = posted(f"indicator-{j}-target")
            if target != shown.figure_text(old_target):
                _set_year(indicator, "targets", fy, _figure(target))
    for k, goal in enumerate(form.get("goals") or []):
        for name, key in (("achievement", "achievement"), ("explanation", "note")):
            value = posted(f"goal-{k}-{name}")
            if value:
                goal[key] = value
            else:
                goal.pop(key, None)
    if plan_fields:
        for name in ("title", "overview", "aims"):
            value = posted(name)
            if value:
                form[name] = value.replace("\r\n", "\n")
            elif name != "title":
                form.pop(name, None)
        reason, successor = posted("terminated-reason"), posted("terminated-successor")
        if reason or successor:
            form["terminated"] = {
                k: v for k, v in (("reason", reason), ("successor", successor)) if v
            }
        else:
            form.pop("terminated", None)
    return form


async def posted_form(request: Request) -> FormData:
    """The posted form (read once; the CSRF check and the handler share it)."""
    return await request.form()


PostedForm = Annotated[FormData, Depends(posted_form)]


def posted_version(data: FormData) -> int:
    """The row version a form was shown with (ASCII digits: "²" is a digit to str.isdigit)."""
    text = data.get("row_version")
    if not isinstance(text, str) or not text.isascii() or not text.isdigit() or len(text) > 18:
        expected = "フォームを表示したときの版（ページを開き直してください）"
        raise InvalidChangeError([Problem("row_version", quoted(text), expected, "版")])
    return int(text)


@router.post("/municipalities/{code}/plans/{plan_id}/initiatives/{initiative_code}/edit")
def edit_submit(
    request: Request,
    session: DbSession,
    actor: PageActor,
    data: PostedForm,
    code: str,
    plan_id: str,
    initiative_code: str,
) -> Response:
    check_form_csrf(request, data)
    if actor is None:
        return require_login(request)
    initiative = _editable(session, actor, code, plan_id, initiative_code)
    plan_fields = _may(actor, Change.EDIT_PLAN, code, initiative) and (
        open_revision_summary(session, code, plan_id) is not None
    )
    info = plan_info_form(initiative.plan, FormOptions())
    fy = _report_year(info, str(data.get("fy") or ""), date.today())
    current = initiative_form(initiative, FormOptions())
    form = _edited_form(current, data, fy, plan_fields)
    try:
        reason = data.get("reason")
        changes = update_initiative(
            session,
            Context(actor, code),
            plan_id,
            initiative.code,
            form,
            posted_version(data),
            reason=reason.strip() or None if isinstance(reason, str) else None,
        )
    except StaleVersionError as exc:
        return _edit_again(request, session, actor, (code, plan_id, initiative_code), fy, stale=exc)
    except InvalidChangeError as exc:
        problems = exc.problems
        return _edit_again(request, session, actor, (code, plan_id, initiative_code), fy, problems)
    session.commit()
    request.session["flash"] = (
        f"{len(changes)}件の変更を保存しました。" if changes else "変更はありませんでした。"
    )
    return redirect(initiative_url(code, plan_id, form.get("code") or initiative_code))


def _edit_again(
    request: Request,
    session: Session,
    actor: Actor,
    target: tuple[str, str, str],
    fy: str,
    problems: list[Problem] | None = None,
    stale: StaleVersionError | None = None,
) -> Response:
    """The edit form again, on the current values, with why the change was not saved."""
    session.rollback()
    code, plan_id, initiative_code = target
    initiative = _readable_initiative(session, actor, code, plan_id, initiative_code)
    context = _sheet_context(session, actor, code, plan_id, initiative)
    context |= {"fy": fy, "labels": _scale_labels(initiative), "stale": stale, "problems": problems}
    context["locked_years"] = locked_years(session, initiative.plan_id)
    return render(request, "editing/edit.html", context, status_code=412 if stale else 422)


@router.get("/municipalities/{code}/plans/{plan_id}/glossary", response_class=HTMLResponse)
def glossary_page(
    request: Request, session: DbSession, actor: PageActor, code: str, plan_id: str
) -> Response:
    plan = find_plan(session, code, plan_id, initiatives=False)
    if plan is None or not may_read(actor, code, plan.public):
        raise NotFoundError(f"no plan {plan_id!r} of municipality {code}")
    context = {
        "plan": plan,
        "plan_url": plan_url(code, plan_id),
        "entries": glossary_for_plan(session, code, plan_id),
    }
    return render(request, "plans/glossary.html", context)


@router.get("/municipalities/{code}/plans/{plan_id}/check", response_class=HTMLResponse)
def check_page(
    request: Request, session: DbSession, actor: PageActor, code: str, plan_id: str
) -> Response:
    """数値の検算: the consistency check's findings on the plan's published figures."""
    plan = find_plan(session, code, plan_id)
    if plan is None or not may_read(actor, code, plan.public):
        raise NotFoundError(f"no plan {plan_id!r} of municipality {code}")
    context = {
        "plan": plan,
        "plan_url": plan_url(code, plan_id),
        "report": check_loaded_plan(plan),
        "figures": len(plan.published_figures),
    }
    return render(request, "evaluation/check.html", context)


# --- departments ----------------------------------------------------------------------------


@router.get("/municipalities/{code}", response_class=HTMLResponse)
def municipality_page(
    request: Request, session: DbSession, actor: PageActor, code: str
) -> Response:
    departments = municipality_departments(session, actor, code)
    plans = [p for p in visible_plan_summaries(session, actor) if p.municipality_code == code]
    if not plans:
        raise NotFoundError(f"no municipality {code} with plans to show")
    context = {"code": code, "name": plans[0].municipality_name, "plans": plans}
    return render(request, "plans/municipality.html", context | {"departments": departments})


def _may_report_for(actor: Actor | None, code: str, department_id: int) -> bool:
    return actor is not None and decide(actor, Change.REPORT, code, [department_id]).allowed


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
        "may_submit": _may_report_for(actor, code, worklist.department_id),
        "plan_url": plan_url,
        "initiative_url": initiative_url,
    }
    return render(request, "reporting/department.html", context)


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    session: DbSession,
    actor: PageActor,
    q: Annotated[str, Query(max_length=1000)] = "",
) -> Response:
    error = None
    hits: list[SearchHit] = []
    try:
        hits = search(session, actor, q)
    except InvalidQueryError as exc:
        error = "検索語が長すぎます。200文字以内で入力してください。" if len(q) > 200 else str(exc)
    context = {"q": q, "hits": hits, "error": error, "initiative_url": initiative_url}
    return render(request, "plans/search.html", context, status_code=400 if error else 200)
