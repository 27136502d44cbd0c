"""Writing an update workbook: the yearly fields of a fiscal year, with stable ids in hidden
columns, the current values, the plan's scale labels as drop-downs, every cell but the editable
ones locked, and (in a very hidden sheet) the metadata and each editable cell's exported value,
against which import tells a change made meanwhile by someone else."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.orm import Session

from dxplan.accounts.context import Context, authorize
from dxplan.accounts.rules import Change
from dxplan.errors import NotFoundError
from dxplan.plans.models import Plan
from dxplan.plans.package.form import FormOptions, initiative_form
from dxplan.plans.parts import ScaleKind
from dxplan.plans.queries import find_plan
from dxplan.wareki import format_wareki
from dxplan.workbooks.layout import (
    ACTIVITIES,
    CELL_LIMIT,
    FIRST_ROW,
    FORMAT,
    GOALS,
    GUIDE_SHEET,
    HEADER_ROW,
    INDICATORS,
    LABELS_SHEET,
    META_SHEET,
    RESULTS,
    FieldKind,
    SheetLayout,
    field_value,
    figure_text,
)
from dxplan.workbooks.scope import InitiativeRows, departments_of, workbook_rows

LOCKED_FILL = PatternFill("solid", fgColor="EDEDED")
HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")
EDITABLE_FILL = PatternFill("solid", fgColor="FFFFFF")
META_KEYS = (
    "format",
    "municipality",
    "plan",
    "plan_uid",
    "fiscal_year",
    "department",
    "exported_at",
    "exported_by",
)
ORIGINALS_HEADER = ("sheet", "row", "column", "initiative_uid", "item_uid", "value")
ORIGINALS_ROW = len(META_KEYS) + 3
"""The header row of the originals table in the metadata sheet."""


@dataclass(frozen=True)
class Scope:
    """The plan, fiscal year and department (None: the whole plan) of a workbook."""

    plan: Plan
    fy: int
    department: str | None


def resolve_scope(
    session: Session, context: Context, plan_id: str, fy: int, department: int | str | None
) -> Scope:
    """The plan (loaded) and the department of a workbook, for a reader of the plan's drafts:
    NotFoundError for another municipality's plan, an unknown department or a year outside the
    plan's period."""
    authorize(context, Change.READ_DRAFT)
    plan = find_plan(session, context.municipality_code, plan_id)
    if plan is None:
        raise NotFoundError(f"no plan {plan_id!r} for municipality {context.municipality_code}")
    if not plan.start_fy <= fy <= plan.end_fy:
        raise NotFoundError(
            f"no update workbook of {plan_id!r} for fiscal year {fy}: "
            f"the plan runs from {plan.start_fy} to {plan.end_fy}"
        )
    name = None
    if department is not None:
        found = [
            d.name
            for d in plan.municipality.departments
            if d.id == department or d.name == department
        ]
        if not found:
            raise NotFoundError(
                f"no department {department!r} in municipality {context.municipality_code}"
            )
        name = found[0]
    return Scope(plan, fy, name)


def export_update_workbook(
    session: Session,
    context: Context,
    plan_id: str,
    fy: int,
    department: int | str | None = None,
    *,
    now: datetime | None = None,
) -> bytes:
    """The update workbook (.xlsx) of a plan's yearly fields for fiscal year `fy`: of the
    initiatives of `department` (its id or name), else of the whole plan. Anyone of the
    municipality who may read its drafts may export it (a constant number of queries)."""
    scope = resolve_scope(session, context, plan_id, fy, department)
    plan = scope.plan
    forms = [initiative_form(i, FormOptions(ids=True)) for i in plan.initiatives]
    rows = workbook_rows(forms, (plan.start_fy, plan.end_fy), fy, scope.department)
    labels = scale_labels(plan)
    book = Workbook()
    guide = book.active
    assert guide is not None
    guide.title = GUIDE_SHEET
    meta = book.create_sheet(META_SHEET)
    label_sheet = book.create_sheet(LABELS_SHEET)
    ranges = _write_labels(label_sheet, labels)
    originals: list[tuple[Any, ...]] = []
    for layout in (ACTIVITIES, INDICATORS, GOALS, RESULTS):
        sheet = book.create_sheet(layout.name)
        data = _sheet_rows(layout, rows, fy)
        _write_sheet(sheet, layout, data, fy, ranges, labels)
        for offset, row in enumerate(data):
            number = FIRST_ROW + offset
            for column in layout.editable:
                value = _clipped(row[column.key])
                originals.append(
                    (
                        layout.name,
                        number,
                        layout.letter(column.key),
                        row["initiative_uid"],
                        row["item_uid"] or "",
                        value or "",
                    )
                )
    moment = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    values = {
        "format": FORMAT,
        "municipality": context.municipality_code,
        "plan": plan.slug,
        "plan_uid": plan.uid,
        "fiscal_year": fy,
        "department": scope.department or "",
        "exported_at": moment,
        "exported_by": context.actor.id,
    }
    _write_meta(meta, values, originals)
    _write_guide(guide, plan, scope, moment, rows)
    book.move_sheet(GUIDE_SHEET, offset=-book.index(guide))
    book.active = book.index(book[ACTIVITIES.name])
    book.security = WorkbookProtection(lockStructure=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def scale_labels(plan: Plan) -> dict[FieldKind, list[str]]:
    """The labels of the plan's progress and achievement scales, best first, by the field
    that takes them."""
    progress = [s for s in plan.scale_labels if s.scale is ScaleKind.PROGRESS]
    achievement = [s for s in plan.scale_labels if s.scale is ScaleKind.ACHIEVEMENT]
    return {
        FieldKind.ACTIVITY_STATUS: [s.label for s in sorted(progress, key=lambda s: s.rank)],
        FieldKind.GOAL_ACHIEVEMENT: [s.label for s in sorted(achievement, key=lambda s: s.rank)],
    }


def _write_labels(sheet: Worksheet, labels: dict[FieldKind, list[str]]) -> dict[FieldKind, str]:
    """The scale labels in columns of the labels sheet; the range each drop-down lists."""
    sheet.sheet_state = "veryHidden"
    ranges = {}
    for number, (kind, names) in enumerate(labels.items(), start=1):
        letter = get_column_letter(number)
        sheet.cell(1, number, str(kind))
        for offset, name in enumerate(names):
            sheet.cell(2 + offset, number, name)
        last = max(2, 1 + len(names))
        ranges[kind] = f"{quote_sheetname(LABELS_SHEET)}!${letter}$2:${letter}${last}"
    return ranges


def _sheet_rows(
    layout: SheetLayout, rows: Sequence[InitiativeRows], fy: int
) -> list[dict[str, Any]]:
    """The values of each row of a data sheet, by column key (editable ones as cells show them)."""
    out: list[dict[str, Any]] = []
    key = str(fy)
    for item in rows:
        form = item.form
        common = {
            "initiative_uid": form["uid"],
            "code": form["code"],
            "title": form["title"],
            "departments": "、".join(departments_of(form)),
        }
        if layout is RESULTS:
            out.append(
                common | {"item_uid": None, "result": field_value(FieldKind.RESULT, form, fy)}
            )
            continue
        if layout is ACTIVITIES:
            for i in item.activities:
                activity = form["activities"][i]
                out.append(
                    common
                    | {
                        "item_uid": activity["uid"],
                        "activity": activity["title"],
                        "plan": (activity.get("plan") or {}).get(key),
                        "actual": field_value(FieldKind.ACTIVITY_ACTUAL, activity, fy),
                        "status": field_value(FieldKind.ACTIVITY_STATUS, activity, fy),
                    }
                )
        elif layout is INDICATORS:
            for j in item.indicators:
                indicator = form["indicators"][j]
                out.append(
                    common
                    | {
                        "item_uid": indicator["uid"],
                        "indicator": indicator["name"],
                        "unit": indicator.get("unit"),
                        "target": figure_text((indicator.get("targets") or {}).get(key)),
                        "actual": field_value(FieldKind.INDICATOR_ACTUAL, indicator, fy),
                    }
                )
        else:
            for k in item.goals:
                goal = form["goals"][k]
                target_fy = goal.get("target_fy")
                out.append(
                    common
                    | {
                        "item_uid": goal["uid"],
                        "goal": goal["text"],
                        "target_fy": f"{target_fy}年度" if target_fy else None,
                        "achievement": field_value(FieldKind.GOAL_ACHIEVEMENT, goal, fy),
                        "note": field_value(FieldKind.GOAL_NOTE, goal, fy),
                    }
                )
    return out


def _clipped(value: Any) -> Any:
    """A value as a cell can hold it: a text cut at Excel's limit of characters."""
    if isinstance(value, str) and len(value) > CELL_LIMIT:
        return value[:CELL_LIMIT]
    return value


def _header(layout: SheetLayout, key: str, fy: int) -> str:
    header = layout.header(key)
    if layout is ACTIVITIES and key in ("plan", "actual", "status"):
        return f"{header}（{fy}年度）"
    if layout is INDICATORS and key in ("target", "actual"):
        return f"{header}（{fy}年度）"
    if layout is RESULTS and key == "result":
        return f"{header}（{fy}年度）"
    return header


def header_texts(layout: SheetLayout, fy: int) -> list[str]:
    """The header row of a data sheet of the workbook of `fy`, as export writes it."""
    return [_header(layout, c.key, fy) for c in layout.columns]


def _write_sheet(
    sheet: Worksheet,
    layout: SheetLayout,
    data: list[dict[str, Any]],
    fy: int,
    ranges: dict[FieldKind, str],
    labels: dict[FieldKind, list[str]],
) -> None:
    bold = Font(bold=True)
    for number, (column, text) in enumerate(
        zip(layout.columns, header_texts(layout, fy), strict=True), start=1
    ):
        cell = sheet.cell(HEADER_ROW, number, text)
        cell.font = bold
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        dimension = sheet.column_dimensions[get_column_letter(number)]
        dimension.width = column.width
        dimension.hidden = column.hidden
    last = FIRST_ROW + len(data) - 1
    for offset, row in enumerate(data):
        for number, column in enumerate(layout.columns, start=1):
            value = row.get(column.key)
            clipped = _clipped(value)
            body = sheet.cell(FIRST_ROW + offset, number, clipped)
            body.alignment = Alignment(wrap_text=column.wrap, vertical="top")
            # A text longer than a cell holds is shown cut, and locked: it cannot be edited here.
            if column.editable and clipped == value:
                body.protection = Protection(locked=False)
                body.fill = EDITABLE_FILL
                body.number_format = "@"  # text: "45" stays "45", not a number or a date
            else:
                body.fill = LOCKED_FILL
    for column in layout.editable:
        if column.field in ranges and data:
            names = "、".join(labels[column.field]) or "（なし）"
            validation = DataValidation(
                type="list",
                formula1=ranges[column.field],
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="入力できない値です",
                error=f"{_header(layout, column.key, fy)}は一覧から選んでください：{names}",
                promptTitle=column.header,
                prompt="一覧から選んでください（空欄は未入力）",
                showInputMessage=True,
            )
            letter = layout.letter(column.key)
            validation.add(f"{letter}{FIRST_ROW}:{letter}{last}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = sheet.cell(FIRST_ROW, layout.index("code") + 1).coordinate
    sheet.protection.sheet = True
    sheet.protection.formatRows = False  # row heights may change, for long texts
    sheet.protection.formatColumns = False
    sheet.protection.autoFilter = False
    if data:
        sheet.auto_filter.ref = f"C{HEADER_ROW}:{get_column_letter(len(layout.columns))}{last}"


def _write_meta(sheet: Worksheet, values: dict[str, Any], originals: list[tuple[Any, ...]]) -> None:
    sheet.sheet_state = "veryHidden"
    for number, key in enumerate(META_KEYS, start=1):
        sheet.cell(number, 1, key)
        sheet.cell(number, 2, values[key])
    for number, text in enumerate(ORIGINALS_HEADER, start=1):
        sheet.cell(ORIGINALS_ROW, number, text)
    for offset, row in enumerate(originals, start=1):
        for number, value in enumerate(row, start=1):
            cell = sheet.cell(ORIGINALS_ROW + offset, number, value)
            cell.number_format = "@"
    sheet.protection.sheet = True


def _write_guide(
    sheet: Worksheet, plan: Plan, scope: Scope, moment: str, rows: Sequence[InitiativeRows]
) -> None:
    lines = [
        ("更新用Excel", None),
        ("計画", plan.title),
        ("年度", f"{scope.fy}年度（{format_wareki(scope.fy)}）"),
        ("担当課", scope.department or "全庁（計画のすべての取組）"),
        ("取組の数", f"{len(rows)}件"),
        ("書き出し日時（UTC）", moment),
        (None, None),
        ("入力のしかた", None),
        (None, "白い欄（実績・進捗状況・実績値・達成状況・説明・取組結果）に入力してください。"),
        (None, "灰色の欄は変更できません。進捗状況と達成状況は一覧から選びます。"),
        (None, "実績値は単位を付けて入力できます（例：45%、1,500件）。"),
        (None, "行の追加・削除・並べ替えはしないでください。"),
        (
            None,
            "取り込むと、すべての欄が確認され、誤りが一つでもあれば何も変更されません。"
            "書き出した後にほかの人が変更した欄を変更した場合も取り込めません。",
        ),
    ]
    for number, (key, value) in enumerate(lines, start=1):
        sheet.cell(number, 1, key).font = Font(bold=True)
        cell = sheet.cell(number, 2, value)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 90
    sheet.protection.sheet = True
