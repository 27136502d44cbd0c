"""Helpers for the update-workbook tests: the seed plans loaded, workbooks read and filled in
as staff would in Excel."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dxplan.accounts.context import Context
from dxplan.accounts.rules import Actor, Role
from dxplan.db import unit_of_work
from dxplan.interchange.exporter import export_package
from dxplan.interchange.importer import import_package
from dxplan.tenancy.models import Department, Municipality
from dxplan.workbooks.export import export_update_workbook
from dxplan.workbooks.importing import ImportReport, import_update_workbook

from support import SYSTEM, load_demo_package

HIRATSUKA, HADANO = "142034", "142115"
RESULTS_PLAN = "hiratsuka-dx-action-plan-results"  # seed 000: phases, results, goal verdicts
HADANO_PLAN = "hadano-ict-plan"  # seed 001: indicators with targets
DX = Actor.user(101, HIRATSUKA, [Role.DX_DIVISION], name="dx")
HADANO_DX = Actor.user(201, HADANO, [Role.DX_DIVISION], name="hadano-dx")


def load_plans(sessions: sessionmaker[Session]) -> None:
    """Seeds 000 (平塚市) and 001 (秦野市), as drafts."""
    with unit_of_work(sessions) as session:
        for plan_id in (RESULTS_PLAN, HADANO_PLAN):
            import_package(session, load_demo_package(plan_id), source="t", actor=SYSTEM)


def department_id(sessions: sessionmaker[Session], code: str, name: str) -> int:
    with sessions() as session:
        return session.scalars(
            select(Department.id)
            .join(Municipality, Department.municipality_id == Municipality.id)
            .where(Municipality.code == code, Department.name == name)
        ).one()


def editor(sessions: sessionmaker[Session], code: str, department: str) -> Actor:
    """A department editor of `department`."""
    return Actor.user(
        301, code, [Role.DEPARTMENT_EDITOR], [department_id(sessions, code, department)], "editor"
    )


def export(
    sessions: sessionmaker[Session],
    actor: Actor = DX,
    code: str = HIRATSUKA,
    plan_id: str = RESULTS_PLAN,
    fy: int = 2023,
    department: str | None = None,
) -> bytes:
    with unit_of_work(sessions) as session:
        return export_update_workbook(session, Context(actor, code), plan_id, fy, department)


def import_(
    sessions: sessionmaker[Session],
    data: bytes,
    actor: Actor = DX,
    code: str = HIRATSUKA,
    plan_id: str = RESULTS_PLAN,
    reason: str | None = None,
) -> ImportReport:
    with unit_of_work(sessions) as session:
        return import_update_workbook(
            session, Context(actor, code), plan_id, data, source_name="更新.xlsx", reason=reason
        )


def package(
    sessions: sessionmaker[Session], code: str = HIRATSUKA, plan_id: str = RESULTS_PLAN
) -> Any:
    with unit_of_work(sessions) as session:
        return export_package(session, code, plan_id)


def open_book(data: bytes) -> Any:
    return load_workbook(io.BytesIO(data))


def header_column(sheet: Worksheet, header: str) -> int:
    """The column number of the header that starts with `header`."""
    for cell in sheet[1]:
        if isinstance(cell.value, str) and cell.value.startswith(header):
            return int(cell.column)
    raise KeyError(header)


def find_row(sheet: Worksheet, code: str, text: str | None = None) -> int:
    """The row of initiative `code` (column C) whose item (column F) starts with `text`."""
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, 3).value != code:
            continue
        if text is None or str(sheet.cell(row, 6).value or "").startswith(text):
            return row
    raise KeyError((sheet.title, code, text))


def filled(data: bytes, edits: dict[tuple[str, str, str | None, str], Any]) -> bytes:
    """The workbook with cells set: (sheet, initiative code, item text or None, header) → value."""
    book = open_book(data)
    for (sheet_name, code, text, header), value in edits.items():
        sheet = book[sheet_name]
        sheet.cell(find_row(sheet, code, text), header_column(sheet, header), value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
