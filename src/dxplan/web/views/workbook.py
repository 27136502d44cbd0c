"""The update workbook (更新用Excel) on the web: who sees its download and upload forms on the
plan and department pages, the years offered, and the workbook as a file (for the pages and the
API alike)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi.responses import Response
from sqlalchemy.orm import Session

from dxplan.accounts.context import Context
from dxplan.accounts.rules import Actor, Change, decide
from dxplan.errors import NotFoundError
from dxplan.fiscal import fiscal_year_of, today_in_japan
from dxplan.plans.queries import plan_row
from dxplan.web.common import plan_url
from dxplan.web.views.files import download
from dxplan.workbooks.export import export_update_workbook
from dxplan.workbooks.reading import MAX_FILE_BYTES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_MB = MAX_FILE_BYTES // (1024 * 1024)


def default_year(start_fy: int, end_fy: int, today: date | None = None) -> int:
    """The fiscal year a workbook is for unless another is asked: the current one, else the
    plan's nearest year."""
    return min(max(fiscal_year_of(today or today_in_japan()), start_fy), end_fy)


def may_download(actor: Actor | None, code: str) -> bool:
    """Anyone of the municipality who reads its drafts may download an update workbook."""
    return actor is not None and decide(actor, Change.READ_DRAFT, code).allowed


def may_upload(actor: Actor | None, code: str, department_ids: list[int] | None = None) -> bool:
    """Those who report (editors for their departments, the DX division, admins) may upload."""
    if actor is None:
        return False
    ids = department_ids if department_ids is not None else list(actor.department_ids)
    return decide(actor, Change.REPORT, code, ids).allowed


def workbook_forms(
    actor: Actor | None,
    code: str,
    plan_id: str,
    years: tuple[int, int],
    department_id: int | None = None,
) -> dict[str, Any] | None:
    """What the download and upload forms of a plan (or a department) need; None where the
    reader may not download."""
    if not may_download(actor, code):
        return None
    ids = [department_id] if department_id is not None else None
    return {
        "action": f"{plan_url(code, plan_id)}/workbook",
        "years": list(range(years[0], years[1] + 1)),
        "fy": default_year(*years),
        "department_id": department_id,
        "upload": may_upload(actor, code, ids),
        "max_mb": MAX_MB,
    }


def workbook_file(
    session: Session,
    actor: Actor,
    code: str,
    plan_id: str,
    fy: int | None,
    department: int | str | None,
) -> Response:
    """The update workbook of the plan, or of a department of it (by id on the pages, by name in
    the API), for a fiscal year (default: `default_year`), as an attachment."""
    if fy is None:
        if decide(actor, Change.READ_DRAFT, code).allowed:
            plan = plan_row(session, code, plan_id)
            if plan is None:
                raise NotFoundError(f"no plan {plan_id!r} of municipality {code}")
            fy = default_year(plan.start_fy, plan.end_fy)
        else:
            fy = fiscal_year_of(date.today())  # refused below as not found
    data = export_update_workbook(session, Context(actor, code), plan_id, fy, department)
    numbered = f"-{department}" if isinstance(department, int) and department else ""
    return download(data, f"{plan_id}-{fy}{numbered}-update.xlsx", XLSX)
