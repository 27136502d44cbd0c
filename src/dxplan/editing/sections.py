"""Changing the plan's tree: a new section, a section moved under another parent or place.

Both are changes to the plan itself, made inside its open revision (else InvalidChangeError),
each with its audit entry linked to the revision. Sections keep the order of the package
(`position`, plan-wide, each section after its parent); positions that merely shift are written
by a plain statement, without a new version of the section.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from dxplan.accounts.context import Context, authorize
from dxplan.accounts.rules import Change
from dxplan.audit import services as audit
from dxplan.audit.services import FieldChange
from dxplan.db import new_uid
from dxplan.errors import InvalidChangeError, NotFoundError, StaleVersionError
from dxplan.plans.models import Plan, Revision, Section
from dxplan.plans.package.form import FormOptions, section_form
from dxplan.plans.queries import plan_row
from dxplan.problems import Problem, quoted
from dxplan.revisions.changelog import refresh_changes, require_open_revision

_OPTIONAL = ("level", "description", "note")


def _plan(session: Session, context: Context, plan_id: str) -> Plan:
    plan = plan_row(session, context.municipality_code, plan_id)
    authorize(context, Change.READ_DRAFT)
    if plan is None:
        raise NotFoundError(f"no plan {plan_id!r} for municipality {context.municipality_code}")
    authorize(context, Change.EDIT_PLAN)
    return plan


def _tree_order(plan: Plan) -> list[Section]:
    """The sections in the order of the package, linked to their parents without queries."""
    sections = sorted(plan.sections, key=lambda s: s.position)
    by_id = {s.id: s for s in sections}
    for section in sections:
        set_committed_value(section, "parent", by_id.get(section.parent_id or 0))
    return sections


def _subtree(sections: list[Section], root: Section) -> list[Section]:
    """The section and every section under it, in order."""
    inside = {id(root)}
    found = []
    for section in sections:
        if id(section) in inside or (section.parent is not None and id(section.parent) in inside):
            inside.add(id(section))
            found.append(section)
    return found


def _record(
    session: Session,
    context: Context,
    plan: Plan,
    section: Section,
    revision: Revision,
    action: str,
    changes: list[FieldChange],
) -> None:
    audit.record(
        session,
        actor_id=context.actor.id,
        action=action,
        target_type="section",
        target_uid=section.uid,
        target_key=f"{context.municipality_code}/{plan.slug}/sections/{section.code}",
        municipality_id=plan.municipality_id,
        changes=changes,
        revision_uid=revision.uid,
    )
    session.flush()
    refresh_changes(session, revision)


def _renumber(session: Session, sections: list[Section], moved: Section) -> None:
    """Give the sections the positions of their order; shifted ones by a plain statement."""
    shifted = []
    for position, section in enumerate(sections):
        if section.position == position:
            continue
        if section is moved:
            section.position = position  # the moved section's new version
        else:
            shifted.append({"row_id": section.id, "position": position})
            set_committed_value(section, "position", position)
    if shifted:
        statement = (
            update(Section)
            .where(Section.id == bindparam("row_id"))
            .values(position=bindparam("position"))
        )
        session.connection().execute(statement, shifted)


def _insert_at(sections: list[Section], parent: Section | None, index: int | None) -> int:
    """Where a section goes in the order to be the `index`th child of `parent` (None: last)."""
    children = [s for s in sections if s.parent is parent]
    if index is not None and index < len(children):
        return sections.index(children[max(index, 0)])
    if children:
        return sections.index(_subtree(sections, children[-1])[-1]) + 1
    return sections.index(parent) + 1 if parent is not None else len(sections)


def add_section(
    session: Session, context: Context, plan_id: str, form: dict[str, Any]
) -> dict[str, Any]:
    """Add a section, given as its package form (`code`, `title`, `parent` …), as the last child
    of its parent (or the last top-level section), inside the plan's open revision.

    Returns the new section's package form, with its new `uid`.
    """
    plan = _plan(session, context, plan_id)
    revision = require_open_revision(session, plan, "区分")
    sections = _tree_order(plan)
    by_code = {s.code: s for s in sections}
    code, title, parent_code = form.get("code"), form.get("title"), form.get("parent")
    problems = []
    if not isinstance(code, str) or not code.strip() or len(code) > 100 or code in by_code:
        expected = "計画のほかの区分で使われていない1〜100文字のコード"
        problems.append(Problem("code", quoted(code), expected, "区分のコード"))
    if not isinstance(title, str) or not title.strip():
        problems.append(Problem("title", quoted(title), "区分の名称", "区分の名称"))
    if parent_code is not None and parent_code not in by_code:
        expected = "計画の区分のコード（最上位の区分なら空欄）"
        problems.append(Problem("parent", quoted(parent_code), expected, "上位の区分"))
    if problems:
        raise InvalidChangeError(problems)
    parent = by_code.get(parent_code) if parent_code is not None else None
    at = _insert_at(sections, parent, None)
    section = Section(uid=new_uid(), code=code, title=title, parent=parent, position=at)
    for name in _OPTIONAL:
        setattr(section, name, form.get(name))
    plan.sections.append(section)
    sections.insert(at, section)
    _renumber(session, sections, section)
    changes = [FieldChange("code", None, code), FieldChange("title", None, title)]
    changes += [FieldChange("parent", None, parent_code)] if parent_code else []
    changes += [FieldChange(n, None, form[n]) for n in _OPTIONAL if form.get(n) is not None]
    _record(session, context, plan, section, revision, "section.create", changes)
    return section_form(section, FormOptions())


def move_section(
    session: Session,
    context: Context,
    plan_id: str,
    code: str,
    *,
    parent: str | None,
    index: int | None = None,
    expected_version: int,
) -> dict[str, Any]:
    """Move a section (with everything under it) to be the `index`th child (0 first, None
    last) of `parent` (None: the top level), inside the plan's open revision.

    Returns the section's package form. InvalidChangeError for a parent that is the section
    itself or under it; StaleVersionError when the section changed since `expected_version`.
    """
    plan = _plan(session, context, plan_id)
    sections = _tree_order(plan)
    by_code = {s.code: s for s in sections}
    section = by_code.get(code)
    if section is None:
        raise NotFoundError(f"no section {code!r} in plan {plan_id!r}")
    if section.row_version != expected_version:
        raise StaleVersionError(
            f"section {code}",
            expected_version,
            section.row_version,
            section_form(section, FormOptions()),
        )
    revision = require_open_revision(session, plan, "区分")
    subtree = _subtree(sections, section)
    new_parent = by_code.get(parent) if parent is not None else None
    if parent is not None and (new_parent is None or new_parent in subtree):
        expected = f"区分{code}自身でもその下位でもない区分のコード（最上位の区分なら空欄）"
        raise InvalidChangeError([Problem("parent", quoted(parent), expected, "上位の区分")])
    old_parent = section.parent
    old_index = [s for s in sections if s.parent is old_parent].index(section)
    rest = [s for s in sections if s not in subtree]
    at = _insert_at(rest, new_parent, index)
    order = rest[:at] + subtree + rest[at:]
    siblings = [s for s in order if s is section or s.parent is new_parent]
    if order == sections and new_parent is old_parent:
        return section_form(section, FormOptions())
    section.parent = new_parent
    _renumber(session, order, section)
    changes = [FieldChange("position", old_index, siblings.index(section))]
    if new_parent is not old_parent:
        old_code = old_parent.code if old_parent else None
        changes.insert(0, FieldChange("parent", old_code, parent))
    _record(session, context, plan, section, revision, "section.move", changes)
    return section_form(section, FormOptions())
