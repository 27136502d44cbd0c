"""An initiative sheet: what it shows of the initiative's package form (a plan as it stands, or
as it stood at a revision), its schedule drawn as SVG, and, for the sheet of the plan as it
stands, its history, predecessors, glossary links, evaluations and who may change it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from dxplan.accounts.rules import Actor, Change
from dxplan.audit.queries import target_history
from dxplan.documents.presentation import fy_label, plan_years, year_keys
from dxplan.evaluation.queries import initiative_evaluations
from dxplan.evaluation.rules import plan_scales
from dxplan.plans.models import Initiative
from dxplan.plans.package.form import FormOptions, initiative_form, plan_info_form, section_form
from dxplan.plans.queries import glossary_for_plan, predecessors
from dxplan.revisions.queries import open_revision_summary
from dxplan.web.common import initiative_url, may, plan_url


def schedule_svg(activities: Sequence[dict[str, Any]], years: Sequence[str]) -> Markup:
    """The schedule as 計画 / 実績 bars per activity and fiscal year, drawn as SVG.

    Decorative for screen readers (aria-hidden): the table beside it says the same in text.
    """
    label_width, col, row, bar = 220, 96, 44, 12
    width = label_width + col * len(years)
    height = 28 + row * len(activities)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="schedule" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}" aria-hidden="true" focusable="false">'
    ]
    for i, key in enumerate(years):
        x = label_width + col * i
        parts.append(
            f'<text x="{x + col / 2}" y="18" text-anchor="middle" class="schedule-year">'
            f"{escape(fy_label(key).split('（')[0])}</text>"
        )
        parts.append(f'<line x1="{x}" y1="24" x2="{x}" y2="{height}" class="schedule-grid"/>')
    for r, activity in enumerate(activities):
        y = 28 + row * r
        title = str(activity.get("title") or "")
        short = title if len(title) <= 14 else title[:13] + "…"
        parts.append(
            f'<text x="4" y="{y + row / 2 + 5}" class="schedule-label">{escape(short)}</text>'
        )
        parts.append(f'<line x1="0" y1="{y}" x2="{width}" y2="{y}" class="schedule-grid"/>')
        for i, key in enumerate(years):
            x = label_width + col * i + 6
            if key in (activity.get("plan") or {}):
                parts.append(
                    f'<rect x="{x}" y="{y + 6}" width="{col - 12}" height="{bar}"'
                    ' class="bar-plan" rx="2"/>'
                )
            if key in (activity.get("actual") or {}):
                parts.append(
                    f'<rect x="{x}" y="{y + 8 + bar}" width="{col - 12}" height="{bar}"'
                    ' class="bar-actual" rx="2"/>'
                )
    parts.append("</svg>")
    return Markup("".join(parts))


def sheet_parts(
    info: dict[str, Any], sections: dict[str, dict[str, Any]], item: dict[str, Any]
) -> dict[str, Any]:
    """What an initiative sheet shows of the initiative's package form `item`, with the plan's
    info and sections (by code) in package form."""
    activities = item.get("activities") or []
    years = plan_years(info)
    years += [k for k in year_keys(activities, "plan", "actual", "status") if k not in years]
    return {
        "plan": info,
        "item": item,
        "section": sections.get(item.get("section") or ""),
        "years": years,
        "schedule": schedule_svg(activities, years),
        "has_schedule": any(a.get(f) for a in activities for f in ("plan", "actual", "status")),
        "indicator_years": year_keys(item.get("indicators") or [], "targets", "actuals"),
        "result_years": year_keys([item], "results", "fiscal_effects"),
    }


def sheet_from_package(doc: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    """An initiative sheet from a whole package (a plan as it stood at a revision)."""
    sections = {s["code"]: s for s in doc.get("sections") or []}
    code = item.get("code")
    earlier = [
        (i["code"], i["title"])
        for i in doc.get("initiatives") or []
        if (i.get("terminated") or {}).get("successor") == code
    ]
    return sheet_parts(doc["plan"], sections, item) | {"predecessors": earlier}


def sheet_context(
    session: Session, actor: Actor | None, code: str, plan_id: str, initiative: Initiative
) -> dict[str, Any]:
    """The sheet of an initiative as it stands, for the reader (and the edit page's form)."""
    plan = initiative.plan
    item = initiative_form(initiative, FormOptions(ids=True))
    info = plan_info_form(plan, FormOptions())
    history = target_history(session, initiative.uid, limit=50)
    sections = {s.code: section_form(s, FormOptions()) for s in plan.sections}
    may_edit_plan = may(actor, Change.EDIT_PLAN, code, initiative)
    revision = open_revision_summary(session, code, plan_id) if may_edit_plan else None
    earlier = predecessors(session, initiative)
    glossary_url = f"{plan_url(code, plan_id)}/glossary"
    terms = glossary_for_plan(session, code, plan_id)
    return sheet_parts(info, sections, item) | {
        "glossary": {e.term: f"{glossary_url}#term-{e.position}" for e in terms},
        "code": code,
        "plan_url": plan_url(code, plan_id),
        "version": initiative.row_version,
        "department_ids": {d.name: d.id for d in plan.municipality.departments},
        "history": history,
        "predecessors": earlier,
        "may_report": may(actor, Change.REPORT, code, initiative),
        "may_edit_plan": may_edit_plan,
        "revision": revision,
        # the plan itself changes only inside an open revision
        "plan_fields": revision is not None,
        "initiative_url": initiative_url(code, plan_id, initiative.code),
        "link": lambda other: initiative_url(code, plan_id, other),
    }


def evaluation_context(
    session: Session, actor: Actor | None, initiative: Initiative
) -> dict[str, Any]:
    """The sheet's indicator evaluations (computed and people's verdicts), the achievement
    scale's labels and whether the reader may give a verdict."""
    scale = plan_scales(plan_info_form(initiative.plan, FormOptions()))["achievement"]
    code = initiative.plan.municipality.code
    return {
        "evaluations": initiative_evaluations(session, initiative),
        "evaluation_labels": scale.labels,
        "may_evaluate": may(actor, Change.REPORT, code, initiative),
    }
