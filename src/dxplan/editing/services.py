"""Changing an initiative, as staff do on the edit page, through the API, a workbook or the CLI:
each use case checks permission and the row version, writes, and records its audit entry in
the caller's transaction. The plan itself changes only inside its open revision; a locked year
only as a correction (see `reporting.locks`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from dxplan.accounts.context import Context, authorize
from dxplan.accounts.rules import Change
from dxplan.audit import services as audit
from dxplan.audit.services import FieldChange
from dxplan.errors import (
    InvalidChangeError,
    NotFoundError,
    PermissionDeniedError,
    StaleVersionError,
)
from dxplan.plans.models import Initiative, Plan, Revision, Section
from dxplan.plans.package.form import FormOptions, initiative_form
from dxplan.plans.parts import ScaleKind, ScaleLabel
from dxplan.plans.queries import find_initiative, initiative_codes, plan_row
from dxplan.plans.rules import yearly_field
from dxplan.plans.writing.batches import new_initiative
from dxplan.plans.writing.initiative import InitiativeWriter, touch
from dxplan.problems import Problem, quoted
from dxplan.reporting.locks import guard_yearly_changes
from dxplan.revisions.changelog import refresh_changes, require_open_revision
from dxplan.tenancy.services import Departments


def update_initiative(
    session: Session,
    context: Context,
    plan_id: str,
    code: str,
    form: dict[str, Any],
    expected_version: int,
    *,
    reason: str | None = None,
) -> list[FieldChange]:
    """Make an initiative say what its package form `form` says (as from a page or the API).

    Permission is judged on what changes, not on what is sent: a department editor may change
    only the yearly fields of its departments' initiatives. A change beyond the yearly fields
    (a target, a title, a termination …) is made inside the plan's open revision, else
    InvalidChangeError. A stale `expected_version` raises StaleVersionError with the current form.

    A yearly field of a fiscal year whose reporting round was approved (locked) changes only as
    a correction by the DX division with a `reason` (recorded as "initiative.correct"); while a
    round is open, an editor cannot change the year once its department submitted (reporting.locks).
    """
    initiative = find_initiative(session, context.municipality_code, plan_id, code)
    authorize(context, Change.READ_DRAFT)  # another municipality's: not found, whatever exists
    if initiative is None:
        raise NotFoundError(f"no initiative {code!r} in plan {plan_id!r}")
    plan = initiative.plan
    key = f"{plan.municipality.code}/{plan.slug}/{initiative.code}"
    if initiative.row_version != expected_version:
        raise StaleVersionError(
            f"initiative {key}",
            expected_version,
            initiative.row_version,
            initiative_form(initiative, FormOptions()),
        )
    department_ids = [link.department_id for link in initiative.departments]
    form = {**form, "uid": initiative.uid}
    codes = initiative_codes(session, plan)
    if form.get("code") != initiative.code and form.get("code") in codes:
        expected = "計画のほかの取組で使われていないコード"
        raise InvalidChangeError(
            [Problem("$.code", quoted(form.get("code")), expected, "取組のコード")]
        )
    departments = Departments(session, plan.municipality, context.actor.id)
    writer = InitiativeWriter(session, departments, _sections(plan), _labels(plan))
    writer.write(initiative, form, initiative.position)
    named = {initiative.code: initiative}
    successor = (form.get("terminated") or {}).get("successor")
    if successor in codes:
        named[successor] = session.get_one(Initiative, codes[successor])
    writer.link(initiative, form, named)
    if not writer.changes:
        return []
    structural = [c.field for c in writer.changes if not yearly_field(c.field)]
    if structural:
        try:
            authorize(context, Change.EDIT_PLAN)
        except PermissionDeniedError as exc:
            raise PermissionDeniedError(f"{structural[0]}: {exc}") from None
    else:
        authorize(context, Change.REPORT, department_ids)
    touch(initiative)  # before the queries below flush: one new version
    yearly = [c.field for c in writer.changes if yearly_field(c.field)]
    corrected = guard_yearly_changes(
        session, context.actor, context.municipality_code, plan.id, department_ids, yearly, reason
    )
    revision: Revision | None = None
    if structural:
        revision = require_open_revision(session, plan, structural[0])
    audit.record(
        session,
        actor_id=context.actor.id,
        action="initiative.correct" if corrected else "initiative.update",
        target_type="initiative",
        target_uid=initiative.uid,
        target_key=key,
        municipality_id=plan.municipality_id,
        changes=writer.changes,
        detail={"reason": (reason or "").strip(), "fiscal_years": corrected} if corrected else None,
        revision_uid=revision.uid if revision is not None else None,
    )
    session.flush()
    if revision is not None:
        refresh_changes(session, revision)
    return writer.changes


def add_initiative(
    session: Session,
    context: Context,
    plan_id: str,
    form: dict[str, Any],
    section_code: str,
) -> dict[str, Any]:
    """Add an initiative, given as its package form, to a section of the plan, inside the
    plan's open revision (else InvalidChangeError); it comes after the section's last one.

    Returns the new initiative's package form, with its new `uid`.
    """
    plan = plan_row(session, context.municipality_code, plan_id)
    authorize(context, Change.READ_DRAFT)
    if plan is None:
        raise NotFoundError(f"no plan {plan_id!r} for municipality {context.municipality_code}")
    authorize(context, Change.EDIT_PLAN)
    revision = require_open_revision(session, plan, "initiatives")
    item = {**form, "section": section_code}
    item.pop("uid", None)
    codes = initiative_codes(session, plan)
    _check_new_initiative(item, codes)
    sections = _sections(plan)
    if section_code not in sections:
        expected = "計画の区分のコード"
        raise InvalidChangeError([Problem("section", quoted(section_code), expected, "区分")])
    departments = Departments(session, plan.municipality, context.actor.id)
    writer = InitiativeWriter(session, departments, sections, _labels(plan))
    successor = (item.get("terminated") or {}).get("successor")
    named = {successor: session.get_one(Initiative, codes[successor])} if successor in codes else {}
    position = _make_room(session, plan, sections[section_code])
    initiative = new_initiative(plan, item, position, sections)
    session.add(initiative)  # after the queries above: inserted once, as written
    writer.write(initiative, item, position)
    writer.link(initiative, item, named)
    audit.record(
        session,
        actor_id=context.actor.id,
        action="initiative.create",
        target_type="initiative",
        target_uid=initiative.uid,
        target_key=f"{context.municipality_code}/{plan.slug}/{initiative.code}",
        municipality_id=plan.municipality_id,
        changes=writer.changes,
        revision_uid=revision.uid,
    )
    session.flush()
    refresh_changes(session, revision)
    return initiative_form(initiative, FormOptions())


def _check_new_initiative(item: dict[str, Any], codes: dict[str, int]) -> None:
    code, title = item.get("code"), item.get("title")
    problems = []
    if not isinstance(code, str) or not code.strip() or len(code) > 100 or code in codes:
        expected = "計画のほかの取組で使われていない1〜100文字のコード"
        problems.append(Problem("$.code", quoted(code), expected, "取組のコード"))
    if not isinstance(title, str) or not title.strip():
        problems.append(Problem("$.title", quoted(title), "取組の名称", "取組の名称"))
    if problems:
        raise InvalidChangeError(problems)


def _make_room(session: Session, plan: Plan, section: Section) -> int:
    """The position after the section's last initiative (else after all of them), the
    initiatives from there on moved one down (a plain statement: no new versions)."""
    in_section = select(func.max(Initiative.position)).where(
        Initiative.plan_id == plan.id, Initiative.section_id == section.id
    )
    last = session.scalar(in_section)
    if last is None:
        last = session.scalar(
            select(func.max(Initiative.position)).where(Initiative.plan_id == plan.id)
        )
    position = -1 if last is None else last
    position += 1
    session.connection().execute(
        update(Initiative)
        .where(Initiative.plan_id == plan.id, Initiative.position >= position)
        .values(position=Initiative.position + 1)
    )
    return position


def _sections(plan: Plan) -> dict[str, Section]:
    return {s.code: s for s in plan.sections}


def _labels(plan: Plan) -> dict[tuple[ScaleKind, str], ScaleLabel]:
    return {(label.scale, label.label): label for label in plan.scale_labels}
