"""Editing an initiative on its edit page: a department reports its yearly fields (actuals,
statuses, results, indicator actuals, goal verdicts); the DX division, inside an open revision,
changes the plan too (titles, overviews, targets, terminations). Every write goes through
`editing.services.update_initiative` (permission, version, audit)."""

from __future__ import annotations

import copy
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from dxplan.accounts.context import Context
from dxplan.accounts.rules import Actor, Change
from dxplan.audit.services import FieldChange
from dxplan.documents.presentation import figure_text, plan_years
from dxplan.editing.services import update_initiative
from dxplan.fiscal import fiscal_year_of
from dxplan.plans.models import Initiative
from dxplan.plans.package.form import FormOptions, initiative_form, plan_info_form
from dxplan.plans.package.typed_figures import typed_figure
from dxplan.reporting.queries import locked_years
from dxplan.revisions.queries import open_revision_summary
from dxplan.web.common import (
    PostedForm,
    Refusal,
    answer_form,
    editable_initiative,
    initiative_url,
    may,
    posted_version,
    readable_initiative,
    require_login,
)
from dxplan.web.deps import DbSession, PageActor
from dxplan.web.rendering import render
from dxplan.web.security import check_form_csrf
from dxplan.web.views.sheet import sheet_context

router = APIRouter(include_in_schema=False)

EDIT = "/municipalities/{code}/plans/{plan_id}/initiatives/{initiative_code}/edit"


def _report_year(info: dict[str, Any], asked: str | None, today: date) -> str:
    years = plan_years(info)
    if asked in years:
        return str(asked)
    current = str(fiscal_year_of(today))
    if current in years:
        return current
    return years[-1] if years else current


def _scale_labels(initiative: Initiative) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {"progress": [], "achievement": []}
    for label in sorted(initiative.plan.scale_labels, key=lambda s: s.rank):
        out[label.scale.value].append(label.label)
    return out


def _edit_page(
    request: Request,
    session: Session,
    actor: Actor,
    initiative: Initiative,
    fy: str | None,
    refusal: Refusal | None = None,
) -> Response:
    """The edit form on the initiative's current values (again, with why not, after a refusal)."""
    plan = initiative.plan
    code, plan_id = plan.municipality.code, plan.slug
    context = sheet_context(session, actor, code, plan_id, initiative)
    context["fy"] = _report_year(context["plan"], fy, date.today()) if refusal is None else fy
    context["labels"] = _scale_labels(initiative)
    if refusal is not None:
        context["stale"] = refusal.stale
        context["problems"] = None if refusal.stale else refusal.problems
    context["locked_years"] = locked_years(session, initiative.plan_id)
    status = refusal.status if refusal else 200
    return render(request, "editing/edit.html", context, status_code=status)


@router.get(EDIT)
def edit_page(
    request: Request,
    session: DbSession,
    actor: PageActor,
    code: str,
    plan_id: str,
    initiative_code: str,
    fy: Annotated[str | None, Query(max_length=9)] = None,
) -> Response:
    """The form that reports or edits the initiative for a fiscal year."""
    if actor is None:
        return require_login(request)
    initiative = editable_initiative(session, actor, code, plan_id, initiative_code)
    return _edit_page(request, session, actor, initiative, fy)


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
        if text != figure_text(old):
            _set_year(indicator, "actuals", fy, typed_figure(text, indicator.get("unit")))
        if plan_fields:
            old_target = (indicator.get("targets") or {}).get(fy)
            target = posted(f"indicator-{j}-target")
            if target != figure_text(old_target):
                _set_year(indicator, "targets", fy, typed_figure(target, indicator.get("unit")))
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


@router.post(EDIT)
def edit_submit(
    request: Request,
    session: DbSession,
    actor: PageActor,
    data: PostedForm,
    code: str,
    plan_id: str,
    initiative_code: str,
) -> Response:
    """Save the edit form through `update_initiative`, or show it again with why not."""
    check_form_csrf(request, data)
    if actor is None:
        return require_login(request)
    initiative = editable_initiative(session, actor, code, plan_id, initiative_code)
    plan_fields = may(actor, Change.EDIT_PLAN, code, initiative) and (
        open_revision_summary(session, code, plan_id) is not None
    )
    info = plan_info_form(initiative.plan, FormOptions())
    fy = _report_year(info, str(data.get("fy") or ""), date.today())
    current = initiative_form(initiative, FormOptions())
    form = _edited_form(current, data, fy, plan_fields)

    def change() -> list[FieldChange]:
        reason = data.get("reason")
        return update_initiative(
            session,
            Context(actor, code),
            plan_id,
            initiative.code,
            form,
            posted_version(data),
            reason=reason.strip() or None if isinstance(reason, str) else None,
        )

    def saved(changes: list[FieldChange]) -> tuple[str, str]:
        message = (
            f"{len(changes)}件の変更を保存しました。" if changes else "変更はありませんでした。"
        )
        return message, initiative_url(code, plan_id, form.get("code") or initiative_code)

    def again(refusal: Refusal) -> Response:
        """The edit form again, on the current values, with why the change was not saved."""
        shown = readable_initiative(session, actor, code, plan_id, initiative_code)
        return _edit_page(request, session, actor, shown, fy, refusal)

    return answer_form(request, session, change, saved=saved, again=again, target="取組")
