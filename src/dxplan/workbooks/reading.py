"""Reading a filled-in update workbook: the file (an .xlsx within limits), its hidden sheet of
what was exported, and every editable cell of its data sheets, each checked against the value it
was exported with; the cells that change become edits, what is wrong becomes problems.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from dxplan.plans.models import Plan
from dxplan.problems import shown
from dxplan.workbooks.cells import CellError, Checked, cell_text, check_value
from dxplan.workbooks.export import META_KEYS, ORIGINALS_ROW, header_texts
from dxplan.workbooks.layout import (
    FIRST_ROW,
    FORMAT,
    HEADER_ROW,
    META_SHEET,
    FieldKind,
    SheetLayout,
    field_value,
)
from dxplan.workbooks.problems import CellProblem, WorkbookError, cell_problem, file_problem

MAX_FILE_BYTES = 5 * 1024 * 1024
"""The largest workbook accepted (the web form says so before anything is read)."""


MAX_UNPACKED_BYTES = 200 * 1024 * 1024
"""The most a workbook may unpack to (an .xlsx is a zip file: no zip bombs)."""


MAX_ROWS = 100_000


UNCHANGED_META = "dxplanで書き出した更新用Excel（隠しシートを変更していないもの）"


@dataclass(frozen=True)
class Edit:
    """A cell the workbook changes: its place, its field, and the new value."""

    problem_place: tuple[str, int, str, str]
    initiative_uid: str
    kind: FieldKind
    index: int | None
    checked: Checked


@dataclass
class Meta:
    values: dict[str, Any]
    rows: dict[tuple[str, int], tuple[str, str]]
    originals: dict[tuple[str, int, str], str | None]


def open_workbook(data: bytes, source: str) -> Workbook:
    """The workbook of the bytes, or WorkbookError: not an .xlsx, too large, or unpacking to
    more than MAX_UNPACKED_BYTES."""
    if len(data) > MAX_FILE_BYTES:
        raise file_problem(
            source,
            f"{MAX_FILE_BYTES // (1024 * 1024)}MB以下の更新用Excel",
            f"{len(data):,} bytes",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise file_problem(source, "展開して200MB以下の更新用Excel")
        return load_workbook(io.BytesIO(data), data_only=True)
    except WorkbookError:
        raise
    except Exception:  # openpyxl raises many kinds on a file that is not a workbook
        raise file_problem(source, "dxplanで書き出した更新用Excel（.xlsx）") from None


def read_meta(book: Workbook, source: str, municipality_code: str, plan: Plan) -> Meta:
    if META_SHEET not in book.sheetnames:
        raise file_problem(source, "dxplanで書き出した更新用Excel（隠しシート _dxplan があるもの）")
    sheet = book[META_SHEET]
    values: dict[str, Any] = {}
    for number, key in enumerate(META_KEYS, start=1):
        if sheet.cell(number, 1).value != key:
            raise file_problem(
                source, "dxplanで書き出した更新用Excel（隠しシートを変更していないもの）"
            )
        values[key] = sheet.cell(number, 2).value
    if values["format"] != FORMAT:
        raise file_problem(source, f"形式 {FORMAT} の更新用Excel", shown(values["format"]))
    mine = (municipality_code, plan.slug)
    theirs = (str(values["municipality"]), str(values["plan"]))
    if theirs != mine:
        raise file_problem(
            source,
            f"{municipality_code} の計画 {plan.slug} の更新用Excel",
            f"{theirs[0]} の計画 {theirs[1]} の更新用Excel",
        )
    if values["plan_uid"] != plan.uid:
        raise file_problem(
            source,
            "今の計画から書き出した更新用Excel（書き出し直してください）",
            f"同じID {plan.slug} の別の計画の更新用Excel",
        )
    fy = values["fiscal_year"]
    if not isinstance(fy, int) or not plan.start_fy <= fy <= plan.end_fy:
        raise file_problem(
            source, f"計画期間（{plan.start_fy}〜{plan.end_fy}年度）の年度", shown(fy)
        )
    rows: dict[tuple[str, int], tuple[str, str]] = {}
    originals: dict[tuple[str, int, str], str | None] = {}
    for entry in sheet.iter_rows(min_row=ORIGINALS_ROW + 1, max_col=6, values_only=True):
        name, row, column, initiative_uid, item_uid, value = entry
        if name is None:
            continue
        if not isinstance(row, int):
            raise file_problem(
                source, "dxplanで書き出した更新用Excel（隠しシートを変更していないもの）"
            )
        rows[(str(name), row)] = (str(initiative_uid or ""), str(item_uid or ""))
        originals[(str(name), row, str(column))] = _normal(value)
    return Meta(values, rows, originals)


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


def read_sheet(
    book: Workbook,
    layout: SheetLayout,
    meta: Meta,
    fy: int,
    forms: dict[str, dict[str, Any]],
    edits: list[Edit],
) -> tuple[list[CellProblem], int]:
    """The problems of one data sheet, and how many editable cells it has; its changes go to
    `edits`."""
    name = layout.name
    if name not in book.sheetnames:
        return [cell_problem(name, None, None, None, "シートがありません", f"シート「{name}」")], 0
    sheet = book[name]
    problems = list(_header_problems(sheet, layout, fy))
    if problems:
        return problems, 0
    exported = sorted(row for sheet_name, row in meta.rows if sheet_name == name)
    last = max([sheet.max_row, *exported])
    if last > MAX_ROWS:
        return [cell_problem(name, None, None, None, f"{last}行", f"{MAX_ROWS:,}行以下")], 0
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
                    cell_problem(
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
                cell_problem(
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
            problem = _read_cell(layout, column.key, number, row, meta, fy, forms, edits)
            if problem is not None:
                problems.append(problem)
    return problems, cells


def _header_problems(sheet: Worksheet, layout: SheetLayout, fy: int) -> Iterator[CellProblem]:
    for number, expected in enumerate(header_texts(layout, fy), start=1):
        found = sheet.cell(HEADER_ROW, number).value
        if found != expected:
            column = layout.columns[number - 1]
            yield cell_problem(
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
    meta: Meta,
    fy: int,
    forms: dict[str, dict[str, Any]],
    edits: list[Edit],
) -> CellProblem | None:
    column = next(c for c in layout.columns if c.key == key)
    assert column.field is not None
    letter = layout.letter(key)
    raw = row[layout.index(key) - 1]

    def problem(found: str, expected: str) -> CellProblem:
        return cell_problem(layout.name, number, letter, column.header, found, expected)

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
    checked = check_value(column.field, text, unit)
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
    edits.append(Edit(place, initiative_uid, column.field, index, checked))
    return None
