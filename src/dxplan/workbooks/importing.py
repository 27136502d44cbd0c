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
import io
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.orm import Session

from dxplan.accounts.context import Context, authorize
from dxplan.accounts.rules import Change, decide
from dxplan.audit import services as audit
from dxplan.audit.services import FieldChange
from dxplan.editing.services import update_initiative
from dxplan.errors import DxplanError, NotFoundError
from dxplan.plans.models import Initiative, Plan
from dxplan.plans.package.form import FormOptions, initiative_form, plan_info_form, section_form
from dxplan.plans.package.validation import initiative_problems
from dxplan.plans.queries import find_plan, successor_codes
from dxplan.problems import Problem, printable, shown
from dxplan.workbooks.cells import CellError, Checked, cell_text, check_value
from dxplan.workbooks.export import META_KEYS, ORIGINALS_ROW, header_texts, scale_labels
from dxplan.workbooks.layout import (
    FIRST_ROW,
    FORMAT,
    HEADER_ROW,
    META_SHEET,
    SHEETS,
    FieldKind,
    SheetLayout,
    field_path,
    field_value,
)

MAX_FILE_BYTES = 5 * 1024 * 1024
"""The largest workbook accepted (the web form says so before anything is read)."""
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
"""The most a workbook may unpack to (an .xlsx is a zip file: no zip bombs)."""
MAX_ROWS = 100_000
UNCHANGED_META = "dxplanで書き出した更新用Excel（隠しシートを変更していないもの）"


@dataclass(frozen=True)
class CellProblem:
    """One thing wrong in a workbook: where (sheet, row, column letter and header; None where
    the problem is the whole file or sheet), the value found, and what was expected."""

    sheet: str
    row: int | None
    column: str | None
    header: str | None
    found: str
    expected: str

    @property
    def cell(self) -> str:
        """The place as Excel names it: "取組活動!G5", "取組活動!5:5", "取組活動"."""
        if self.row is None:
            return self.sheet or "（ファイル）"
        if self.column is None:
            return f"{self.sheet}!{self.row}:{self.row}"
        return f"{self.sheet}!{self.column}{self.row}"

    def __str__(self) -> str:
        return printable(f"{self.cell}: found {self.found}, expected {self.expected}")


class WorkbookError(DxplanError):
    """A workbook that cannot be imported; nothing of it was written."""

    def __init__(self, source: str, problems: list[CellProblem]) -> None:
        self.source = source
        self.problems = problems
        count = "1 problem" if len(problems) == 1 else f"{len(problems)} problems"
        listed = "; ".join(str(p) for p in problems[:20])
        more = f"; and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(printable(f"{source}: {count}: {listed}{more}"))


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


@dataclass(frozen=True)
class _Edit:
    """A cell the workbook changes: its place, its field, and the new value."""

    problem_place: tuple[str, int, str, str]
    initiative_uid: str
    kind: FieldKind
    index: int | None
    checked: Checked


@dataclass
class _Meta:
    values: dict[str, Any]
    rows: dict[tuple[str, int], tuple[str, str]]
    originals: dict[tuple[str, int, str], str | None]


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
    book = _open(data, source_name)
    meta = _read_meta(book, source_name, context.municipality_code, plan)
    fy = int(meta.values["fiscal_year"])
    forms = {i.uid: initiative_form(i, FormOptions(ids=True)) for i in plan.initiatives}
    labels = scale_labels(plan)
    problems: list[CellProblem] = []
    edits: list[_Edit] = []
    cells = 0
    for layout in SHEETS:
        found, checked = _read_sheet(book, layout, meta, fy, forms, labels, edits)
        problems += found
        cells += checked
    if problems:
        raise WorkbookError(source_name, problems)
    by_initiative: dict[str, list[_Edit]] = defaultdict(list)
    for edit in edits:
        by_initiative[edit.initiative_uid].append(edit)
    rows = {i.uid: i for i in plan.initiatives}
    problems = list(_permission_problems(context, by_initiative, rows))
    if problems:
        raise WorkbookError(source_name, problems)
    department = _short(meta.values.get("department")) or None
    report = ImportReport(source_name, plan.slug, fy, department, cells)
    plan_doc = {
        "plan": plan_info_form(plan, FormOptions(ids=False)),
        "sections": [section_form(s, FormOptions(ids=False)) for s in plan.sections],
    }
    successors = successor_codes(session, plan)
    edited: list[tuple[Initiative, dict[str, Any], list[_Edit]]] = []
    for initiative in plan.initiatives:  # in plan order
        initiative_edits = by_initiative.get(initiative.uid)
        if not initiative_edits:
            continue
        current = forms[initiative.uid]
        form = _edited(current, initiative_edits, fy)
        invalid = initiative_problems(plan_doc, form, current, successors)
        problems += [_form_problem(initiative_edits, p, fy) for p in invalid]
        edited.append((initiative, form, initiative_edits))
    if problems:
        raise WorkbookError(source_name, problems)
    for initiative, form, initiative_edits in edited:
        changes = _apply(
            session, context, plan, initiative, form, initiative_edits, source_name, reason
        )
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


def _file_problem(source: str, expected: str, found: str = "") -> WorkbookError:
    return WorkbookError(source, [CellProblem("", None, None, None, found or source, expected)])


def _open(data: bytes, source: str) -> Workbook:
    """The workbook of the bytes, or WorkbookError: not an .xlsx, too large, or unpacking to
    more than MAX_UNPACKED_BYTES."""
    if len(data) > MAX_FILE_BYTES:
        raise _file_problem(
            source,
            f"{MAX_FILE_BYTES // (1024 * 1024)}MB以下の更新用Excel",
            f"{len(data):,} bytes",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise _file_problem(source, "展開して200MB以下の更新用Excel")
        return load_workbook(io.BytesIO(data), data_only=True)
    except WorkbookError:
        raise
    except Exception:  # openpyxl raises many kinds on a file that is not a workbook
        raise _file_problem(source, "dxplanで書き出した更新用Excel（.xlsx）") from None


def _read_meta(book: Workbook, source: str, municipality_code: str, plan: Plan) -> _Meta:
    if META_SHEET not in book.sheetnames:
        raise _file_problem(
            source, "dxplanで書き出した更新用Excel（隠しシート _dxplan があるもの）"
        )
    sheet = book[META_SHEET]
    values: dict[str, Any] = {}
    for number, key in enumerate(META_KEYS, start=1):
        if sheet.cell(number, 1).value != key:
            raise _file_problem(
                source, "dxplanで書き出した更新用Excel（隠しシートを変更していないもの）"
            )
        values[key] = sheet.cell(number, 2).value
    if values["format"] != FORMAT:
        raise _file_problem(source, f"形式 {FORMAT} の更新用Excel", shown(values["format"]))
    mine = (municipality_code, plan.slug)
    theirs = (str(values["municipality"]), str(values["plan"]))
    if theirs != mine:
        raise _file_problem(
            source,
            f"{municipality_code} の計画 {plan.slug} の更新用Excel",
            f"{theirs[0]} の計画 {theirs[1]} の更新用Excel",
        )
    if values["plan_uid"] != plan.uid:
        raise _file_problem(
            source,
            "今の計画から書き出した更新用Excel（書き出し直してください）",
            f"同じID {plan.slug} の別の計画の更新用Excel",
        )
    fy = values["fiscal_year"]
    if not isinstance(fy, int) or not plan.start_fy <= fy <= plan.end_fy:
        raise _file_problem(
            source, f"計画期間（{plan.start_fy}〜{plan.end_fy}年度）の年度", shown(fy)
        )
    rows: dict[tuple[str, int], tuple[str, str]] = {}
    originals: dict[tuple[str, int, str], str | None] = {}
    for entry in sheet.iter_rows(min_row=ORIGINALS_ROW + 1, max_col=6, values_only=True):
        name, row, column, initiative_uid, item_uid, value = entry
        if name is None:
            continue
        if not isinstance(row, int):
            raise _file_problem(
                source, "dxplanで書き出した更新用Excel（隠しシートを変更していないもの）"
            )
        rows[(str(name), row)] = (str(initiative_uid or ""), str(item_uid or ""))
        originals[(str(name), row, str(column))] = _normal(value)
    return _Meta(values, rows, originals)


def _normal(value: Any) -> str | None:
    """A stored or exported value as a cell's text would read (so that a value with a space at
    its end, left as it was, is not a change)."""
    try:
        return cell_text(str(value) if value is not None else None)
    except CellError:
        return None


def _index(form: dict[str, Any], items: str | None) -> dict[str, int]:
    if items is None:
        return {}
    return {entry["uid"]: i for i, entry in enumerate(form.get(items) or [])}


def _read_sheet(
    book: Workbook,
    layout: SheetLayout,
    meta: _Meta,
    fy: int,
    forms: dict[str, dict[str, Any]],
    labels: dict[FieldKind, list[str]],
    edits: list[_Edit],
) -> tuple[list[CellProblem], int]:
    """The problems of one data sheet, and how many editable cells it has; its changes go to
    `edits`."""
    name = layout.name
    if name not in book.sheetnames:
        return [CellProblem(name, None, None, None, "シートがありません", f"シート「{name}」")], 0
    sheet = book[name]
    problems = list(_header_problems(sheet, layout, fy))
    if problems:
        return problems, 0
    exported = sorted(row for sheet_name, row in meta.rows if sheet_name == name)
    last = max([sheet.max_row, *exported])
    if last > MAX_ROWS:
        return [CellProblem(name, None, None, None, f"{last}行", f"{MAX_ROWS:,}行以下")], 0
    width = len(layout.columns)
    values = {
        number: list(row)
        for number, row in enumerate(
            sheet.iter_rows(min_row=FIRST_ROW, max_row=last, max_col=width, values_only=True),
            start=FIRST_ROW,
        )
    }
    cells = 0
    for number in range(FIRST_ROW, last + 1):
        row = values.get(number) or [None] * width
        ids = (str(row[0] or ""), str(row[1] or ""))
        expected_ids = meta.rows.get((name, number))
        if expected_ids is None:
            if any(v not in (None, "") for v in row):
                problems.append(
                    CellProblem(
                        name,
                        number,
                        None,
                        None,
                        "書き出していない行",
                        "行を追加しないこと（書き出した行だけを読み取ります）",
                    )
                )
            continue
        if ids != expected_ids:
            problems.append(
                CellProblem(
                    name,
                    number,
                    "A",
                    layout.header("initiative_uid"),
                    shown(ids[0] or None) if ids[0] != expected_ids[0] else shown(ids[1] or None),
                    "この行に書き出したID（行の追加・削除・並べ替えをしないこと）",
                )
            )
            continue
        for column in layout.editable:
            cells += 1
            problem = _read_cell(layout, column.key, number, row, meta, fy, forms, labels, edits)
            if problem is not None:
                problems.append(problem)
    return problems, cells


def _header_problems(sheet: Worksheet, layout: SheetLayout, fy: int) -> Iterator[CellProblem]:
    for number, expected in enumerate(header_texts(layout, fy), start=1):
        found = sheet.cell(HEADER_ROW, number).value
        if found != expected:
            column = layout.columns[number - 1]
            yield CellProblem(
                layout.name,
                HEADER_ROW,
                layout.letter(column.key),
                column.header,
                shown(found),
                f"見出し {shown(expected)}（列を変更しないこと）",
            )


def _read_cell(
    layout: SheetLayout,
    key: str,
    number: int,
    row: list[Any],
    meta: _Meta,
    fy: int,
    forms: dict[str, dict[str, Any]],
    labels: dict[FieldKind, list[str]],
    edits: list[_Edit],
) -> CellProblem | None:
    column = next(c for c in layout.columns if c.key == key)
    assert column.field is not None
    letter = layout.letter(key)
    raw = row[layout.index(key) - 1]

    def problem(found: str, expected: str) -> CellProblem:
        return CellProblem(layout.name, number, letter, column.header, found, expected)

    try:
        text = cell_text(raw)
    except CellError as exc:
        return problem(shown(raw), str(exc))
    original = meta.originals.get((layout.name, number, letter))
    if text == original:
        return None  # left as exported: nothing changes, whatever the field holds now
    initiative_uid, item_uid = meta.rows[(layout.name, number)]
    form = forms.get(initiative_uid)
    if form is None:
        return problem(shown(text), "計画にある取組（書き出した後に削除されています）")
    index: int | None = None
    owner = form
    if layout.items is not None:
        indexes = _index(form, layout.items)
        if item_uid not in indexes:
            return problem(shown(text), "取組にある項目（書き出した後に削除されています）")
        index = indexes[item_uid]
        owner = form[layout.items][index]
    unit = owner.get("unit") if column.field is FieldKind.INDICATOR_ACTUAL else None
    try:
        checked = check_value(column.field, text, labels.get(column.field, []), unit)
    except CellError as exc:
        return problem(shown(text), str(exc))
    now = _normal(field_value(column.field, owner, fy))
    if now != original and now != text:
        return problem(
            shown(text),
            "変更しないこと：書き出した後にほかの人がこの欄を変更しています"
            f"（現在：{shown(now) if now is not None else '空欄'}）。Excelを書き出し直してください",
        )
    if now == text:
        return None  # someone else made the same change meanwhile
    place = (layout.name, number, letter, column.header)
    edits.append(_Edit(place, initiative_uid, column.field, index, checked))
    return None


def _place_problem(edit: _Edit, found: str, expected: str) -> CellProblem:
    sheet, row, letter, header = edit.problem_place
    return CellProblem(sheet, row, letter, header, found, expected)


def _permission_problems(
    context: Context, by_initiative: dict[str, list[_Edit]], rows: dict[str, Initiative]
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


def _edited(current: dict[str, Any], edits: list[_Edit], fy: int) -> dict[str, Any]:
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


def _edit_at(edits: list[_Edit], path: str, fy: int) -> _Edit:
    """The edit a problem's path (`$.indicators[1].actuals.2023.value`) is about, else the first."""
    for edit in edits:
        own = "$." + field_path(edit.kind, edit.index, fy)
        if path == own or path.startswith(own + ".") or path.startswith(own + "["):
            return edit
    return edits[0]


def _form_problem(edits: list[_Edit], problem: Problem, fy: int) -> CellProblem:
    """A problem of the changed initiative as a package would be validated, at its cell."""
    edit = _edit_at(edits, problem.path, fy)
    return _place_problem(edit, problem.found, f"{problem.expected} ({problem.path})")


def _apply(
    session: Session,
    context: Context,
    plan: Plan,
    initiative: Initiative,
    form: dict[str, Any],
    edits: list[_Edit],
    source: str,
    reason: str | None,
) -> list[FieldChange]:
    """One initiative's changes through the service that every page, the API and the CLI use."""
    try:
        return update_initiative(
            session,
            context,
            plan.slug,
            initiative.code,
            form,
            initiative.row_version,
            reason=reason,
        )
    except DxplanError as exc:
        raise WorkbookError(
            source,
            [_place_problem(edits[0], shown(edits[0].checked.text), f"保存できる変更（{exc}）")],
        ) from exc
