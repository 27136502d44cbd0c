"""The download and upload forms of the update workbook (更新用Excel) on the plan and
department pages: who sees which, and the years offered."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from dxplan.accounts.rules import Actor, Change, decide
from dxplan.fiscal import fiscal_year_of, today_in_japan
from dxplan.workbooks.reading import MAX_FILE_BYTES

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
        "action": f"/municipalities/{code}/plans/{quote(plan_id, safe='')}/workbook",
        "years": list(range(years[0], years[1] + 1)),
        "fy": default_year(*years),
        "department_id": department_id,
        "upload": may_upload(actor, code, ids),
        "max_mb": MAX_MB,
    }
