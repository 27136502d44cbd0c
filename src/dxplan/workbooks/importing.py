"""Importing a filled-in update workbook: every cell is checked, every problem is reported with
its sheet, row, column, the value found and what was expected, and only a workbook without any
is applied, each initiative through `editing.services.update_initiative` (permission, row version,
audit) in the caller's transaction, plus one `workbook.import` audit entry for the whole file.

Per-field staleness: the workbook keeps the value each editable cell was exported with. A cell
the workbook changes whose field someone else changed meanwhile (its stored value is no longer
the exported one) is a problem, like any other: the import stops and nothing is changed, so that
nobody's change is silently overwritten. A cell the workbook leaves as exported changes nothing,
whatever the field holds now.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from dxplan.accounts.context import Context, authorize
from dxplan.accounts.rules import Change, decide
from dxplan.audit import services as audit
from dxplan.audit.services import FieldChange
from dxplan.editing.services import InitiativeEdit, update_initiatives
from dxplan.errors import DxplanError, InvalidChangeError, NotFoundError
from dxplan.plans.models import Initiative, Plan
from dxplan.plans.package.form import FormOptions, initiative_form
from dxplan.plans.queries import find_plan
from dxplan.problems import Problem, printable, quoted, shown
from dxplan.workbooks.layout import (
    SHEETS,
    FieldKind,
    field_path,
)
from dxplan.workbooks.problems import CellProblem, WorkbookError, cell_problem
from dxplan.workbooks.reading import Edit, open_workbook, read_meta, read_sheet


@dataclass(frozen=True)
class InitiativeUpdate:
    """What an import changed in one initiative."""

    code: str
    title: str
    changes: list[FieldChange]


@dataclass(frozen=True)
class ImportReport:
    """What an import did: per initiative, the fields changed (old → new)."""

    source: str
    plan_id: str
    fiscal_year: int
    department: str | None
    cells: int
    updates: list[InitiativeUpdate] = field(default_factory=list)

    @property
    def changed_fields(self) -> int:
        return sum(len(u.changes) for u in self.updates)


def import_update_workbook(
    session: Session,
    context: Context,
    plan_id: str,
    data: bytes,
    *,
    source_name: str,
    reason: str | None = None,
) -> ImportReport:
    """Check every cell of an update workbook and, when nothing is wrong, apply every change in
    the caller's transaction (WorkbookError listing every problem otherwise; nothing written).

    `reason` is kept in the import's audit entry and passed on to `update_initiative`: a change
    to a year whose reporting round is approved (locked) is a correction, which needs it.
    """
    authorize(context, Change.READ_DRAFT)
    plan = find_plan(session, context.municipality_code, plan_id)
    if plan is None:
        raise NotFoundError(f"no plan {plan_id!r} for municipality {context.municipality_code}")
    authorize(context, Change.REPORT, context.actor.department_ids)  # one who reports at all
    book = open_workbook(data, source_name)
    meta = read_meta(book, source_name, context.municipality_code, plan)
    fy = int(meta.values["fiscal_year"])
    forms = {i.uid: initiative_form(i, FormOptions(ids=True)) for i in plan.initiatives}
    problems: list[CellProblem] = []
    edits: list[Edit] = []
    cells = 0
    for layout in SHEETS:
        found, checked = read_sheet(book, layout, meta, fy, forms, edits)
        problems += found
        cells += checked
    if problems:
        raise WorkbookError(source_name, problems)
    by_initiative: dict[str, list[Edit]] = defaultdict(list)
    for edit in edits:
        by_initiative[edit.initiative_uid].append(edit)
    rows = {i.uid: i for i in plan.initiatives}
    problems = list(_permission_problems(context, by_initiative, rows))
    if problems:
        raise WorkbookError(source_name, problems)
    department = _short(meta.values.get("department")) or None
    report = ImportReport(source_name, plan.slug, fy, department, cells)
    edited = [
        (initiative, by_initiative[initiative.uid])
        for initiative in plan.initiatives  # in plan order
        if initiative.uid in by_initiative
    ]
    for (initiative, _), changes in zip(
        edited, _apply(session, context, plan, edited, forms, fy, source_name, reason), strict=True
    ):
        if changes:
            report.updates.append(InitiativeUpdate(initiative.code, initiative.title, changes))
    if not report.updates:
        return report  # nothing changed, nothing to record
    audit.record(
        session,
        actor_id=context.actor.id,
        action="workbook.import",
        target_type="plan",
        target_uid=plan.uid,
        target_key=f"{context.municipality_code}/{plan.slug}",
        municipality_id=plan.municipality_id,
        detail={
            "source": _short(source_name),
            "fiscal_year": fy,
            "department": department,
            "exported_at": _short(meta.values.get("exported_at")),
            "exported_by": _short(meta.values.get("exported_by")),
            "cells": cells,
            "initiatives": [u.code for u in report.updates],
            "changed": report.changed_fields,
            "reason": reason,
        },
    )
    session.flush()
    return report


def _short(value: Any, limit: int = 200) -> str | None:
    """A value read from the file, as the audit trail keeps it: a text of at most `limit`."""
    return None if value is None else printable(str(value))[:limit]


def _place_problem(edit: Edit, found: str, expected: str) -> CellProblem:
    sheet, row, letter, header = edit.problem_place
    return cell_problem(sheet, row, letter, header, found, expected)


def _permission_problems(
    context: Context, by_initiative: dict[str, list[Edit]], rows: dict[str, Initiative]
) -> Iterator[CellProblem]:
    for uid, edits in by_initiative.items():
        initiative = rows[uid]
        ids = [link.department_id for link in initiative.departments]
        decision = decide(context.actor, Change.REPORT, context.municipality_code, ids)
        if not decision.allowed:
            for edit in edits:
                yield _place_problem(
                    edit,
                    shown(edit.checked.text),
                    f"変更しないこと：取組 {initiative.code} を報告する権限がありません"
                    "（担当課編集者は、自課が主管・関係・実施する取組だけを報告できます）",
                )


def _set_year(owner: dict[str, Any], name: str, key: str, value: Any) -> None:
    mapping = dict(owner.get(name) or {})
    if value is None:
        mapping.pop(key, None)
    else:
        mapping[key] = value
    if mapping:
        owner[name] = mapping
    else:
        owner.pop(name, None)


def _edited(current: dict[str, Any], edits: list[Edit], fy: int) -> dict[str, Any]:
    """The initiative's package form with the workbook's changes applied (nothing else)."""
    form = copy.deepcopy(current)
    key = str(fy)
    for edit in edits:
        value = edit.checked.value
        if edit.kind is FieldKind.RESULT:
            _set_year(form, "results", key, value)
            continue
        if edit.kind is FieldKind.ACTIVITY_ACTUAL:
            _set_year(form["activities"][edit.index], "actual", key, value)
        elif edit.kind is FieldKind.ACTIVITY_STATUS:
            _set_year(form["activities"][edit.index], "status", key, value)
        elif edit.kind is FieldKind.INDICATOR_ACTUAL:
            _set_year(form["indicators"][edit.index], "actuals", key, value)
        elif edit.kind is FieldKind.GOAL_ACHIEVEMENT:
            form["goals"][edit.index]["achievement"] = value
        elif value is None:
            form["goals"][edit.index].pop("note", None)
        else:
            form["goals"][edit.index]["note"] = value
    return form


def _edit_at(edits: list[Edit], path: str, fy: int) -> Edit:
    """The edit a problem's path (`$.indicators[1].actuals.2023.value`) is about, else the first."""
    for edit in edits:
        own = "$." + field_path(edit.kind, edit.index, fy)
        if path == own or path.startswith(own + ".") or path.startswith(own + "["):
            return edit
    return edits[0]


def _form_problem(edits: list[Edit], problem: Problem, fy: int) -> CellProblem:
    """A problem of an edited initiative, as the service that writes found it, at its cell."""
    edit = _edit_at(edits, problem.path, fy)
    return _place_problem(edit, problem.found, problem.expected)


def _in_book_order(problem: CellProblem) -> tuple[int, int, str]:
    """Sheets in the workbook's order, then rows, then columns."""
    sheets = [layout.name for layout in SHEETS]
    at = sheets.index(problem.sheet) if problem.sheet in sheets else len(sheets)
    return (at, problem.row or 0, problem.column or "")


def _apply(
    session: Session,
    context: Context,
    plan: Plan,
    edited: list[tuple[Initiative, list[Edit]]],
    forms: dict[str, dict[str, Any]],
    fy: int,
    source: str,
    reason: str | None,
) -> list[list[FieldChange]]:
    """Every initiative's changes at once through the service that every page, the API and the
    CLI use (its checks, permission, versions and audit; the plan loaded once); a refusal is a
    problem at the cell it is about."""
    changes = [
        InitiativeEdit(
            initiative.code, _edited(forms[initiative.uid], edits, fy), initiative.row_version
        )
        for initiative, edits in edited
    ]
    by_code = {initiative.code: edits for initiative, edits in edited}
    try:
        return update_initiatives(session, context, plan.slug, changes, reason=reason)
    except InvalidChangeError as exc:
        first = edited[0][1]
        problems = [_form_problem(by_code.get(p.subject or "", first), p, fy) for p in exc.problems]
        raise WorkbookError(source, sorted(problems, key=_in_book_order)) from exc
    except DxplanError as exc:
        at = edited[0][1][0]
        expected = f"保存できる変更（{exc}）"
        problem = _place_problem(at, quoted(at.checked.text), expected)
        raise WorkbookError(source, [problem]) from exc
