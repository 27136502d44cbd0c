"""Changing initiatives, as staff do on the edit page, through the API, a workbook or the CLI:
one validated write path.

Every change is checked as a package import checks an initiative (`plans.package.validation`:
the format's fields, lengths and characters, codes, year keys, units and figures, successor
cycles), then judged for permission on what it changes, at the row version the writer read,
inside the plan's open revision for the plan's own fields, within a reporting round's lock for
the yearly ones, and recorded in the audit trail; all in the caller's transaction, all or
nothing. The edit page, the API, the workbook and the CLI therefore refuse the same changes
with the same messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from dxplan.accounts.context import Context, authorize
from dxplan.accounts.rules import Change
from dxplan.audit import services as audit
from dxplan.audit.services import FieldChange
from dxplan.editing.plan_state import EditedPlan
from dxplan.errors import InvalidChangeError, PermissionDeniedError
from dxplan.plans.field_labels import initiative_field_label
from dxplan.plans.models import Initiative, Plan, Revision, Section
from dxplan.plans.package.form import FormOptions, initiative_form
from dxplan.plans.rules import yearly_field
from dxplan.plans.writing.batches import new_initiative
from dxplan.problems import Problem, quoted
from dxplan.revisions.changelog import refresh_changes


@dataclass(frozen=True)
class InitiativeEdit:
    """One initiative's new package form, and the row version it was made from."""

    code: str
    form: dict[str, Any]
    expected_version: int


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

    InvalidChangeError lists every problem of the form (each with its field's Japanese label);
    a stale `expected_version` raises StaleVersionError with the current form. Permission is
    judged on what changes, not on what is sent: a department editor may change only the yearly
    fields of its departments' initiatives. A change beyond the yearly fields (a target, a title,
    a termination …) is made inside the plan's open revision, else InvalidChangeError.

    A yearly field of a fiscal year whose reporting round was approved (locked) changes only as
    a correction by the DX division with a `reason` (recorded as "initiative.correct"); while a
    round is open, an editor cannot change the year once its department submitted
    (`reporting.locks`).
    """
    edit = InitiativeEdit(code, form, expected_version)
    return update_initiatives(session, context, plan_id, [edit], reason=reason)[0]


def update_initiatives(
    session: Session,
    context: Context,
    plan_id: str,
    edits: Sequence[InitiativeEdit],
    *,
    reason: str | None = None,
) -> list[list[FieldChange]]:
    """Make several initiatives of one plan say what their forms say, all or nothing, on the
    plan loaded once: a constant number of SQL statements however many are edited.

    Each is checked, authorized, versioned and audited as `update_initiative` does; every
    problem of every form is listed before anything is written (each problem's `subject` is
    the initiative's code). Returns each initiative's changes, in the order of `edits`.
    """
    state = EditedPlan.load(session, context, plan_id, [e.code for e in edits])
    edited = [(state.initiative(e.code), e) for e in edits]
    for initiative, edit in edited:
        state.check_version(initiative, edit.expected_version)
    forms = [{"uid": initiative.uid, **edit.form} for initiative, edit in edited]
    problems: list[Problem] = []
    for (initiative, _), form in zip(edited, forms, strict=True):
        problems += state.problems(initiative, form, forms)
    if problems:
        raise InvalidChangeError(problems)
    results = [
        _write(state, initiative, form, reason)
        for (initiative, _), form in zip(edited, forms, strict=True)
    ]
    session.flush()
    state.new_versions()
    if state.revision_used:
        assert state.revision is not None
        refresh_changes(session, state.revision)
    return results


def _write(
    state: EditedPlan, initiative: Initiative, form: dict[str, Any], reason: str | None
) -> list[FieldChange]:
    """Write one checked form: permission on what changed, the lock, the revision, the audit."""
    context = state.context
    writer = state.writer()
    writer.write(initiative, form, initiative.position)
    writer.link(initiative, form, state.ids)
    if not writer.changes:
        return []
    department_ids = [link.department_id for link in initiative.departments]
    structural = [c.field for c in writer.changes if not yearly_field(c.field)]
    if structural:
        try:
            authorize(context, Change.EDIT_PLAN)
        except PermissionDeniedError as exc:
            label = initiative_field_label(structural[0], form)
            raise PermissionDeniedError(f"{label}を変更できません。{exc}") from None
    else:
        authorize(context, Change.REPORT, department_ids)
    state.changed.append(initiative)  # one new version, given after the flush
    yearly = [c.field for c in writer.changes if yearly_field(c.field)]
    corrected = state.locks.guard(
        context.actor, context.municipality_code, department_ids, yearly, reason
    )
    revision: Revision | None = None
    if structural:
        revision = state.open_revision(initiative_field_label(structural[0], form))
    audit.record(
        state.session,
        actor_id=context.actor.id,
        action="initiative.correct" if corrected else "initiative.update",
        target_type="initiative",
        target_uid=initiative.uid,
        target_key=f"{context.municipality_code}/{state.plan.slug}/{initiative.code}",
        municipality_id=state.plan.municipality_id,
        changes=writer.changes,
        detail={"reason": (reason or "").strip(), "fiscal_years": corrected} if corrected else None,
        revision_uid=revision.uid if revision is not None else None,
    )
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
    The form is checked as `update_initiative` checks a change.

    Returns the new initiative's package form, with its new `uid`.
    """
    state = EditedPlan.load(session, context, plan_id, [])
    authorize(context, Change.EDIT_PLAN)
    revision = state.open_revision("取組の追加")
    item = {**form, "section": section_code}
    item.pop("uid", None)
    sections = state.sections
    if section_code not in sections:
        expected = "計画の区分のコード"
        raise InvalidChangeError([Problem("section", quoted(section_code), expected, "区分")])
    problems = state.problems(None, item, [item])
    if problems:
        raise InvalidChangeError(problems)
    position = _make_room(session, state.plan, sections[section_code])
    initiative = new_initiative(state.plan, item, position, sections)
    session.add(initiative)  # after the queries above: inserted once, as written
    writer = state.writer()
    writer.write(initiative, item, position)
    writer.link(initiative, item, state.ids)
    audit.record(
        session,
        actor_id=context.actor.id,
        action="initiative.create",
        target_type="initiative",
        target_uid=initiative.uid,
        target_key=f"{context.municipality_code}/{state.plan.slug}/{initiative.code}",
        municipality_id=state.plan.municipality_id,
        changes=writer.changes,
        revision_uid=revision.uid,
    )
    session.flush()
    refresh_changes(session, revision)
    return initiative_form(initiative, FormOptions())


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
