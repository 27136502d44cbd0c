"""Reads of the audit trail."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dxplan.audit.models import AuditEntry


def target_history(session: Session, target_uid: str, *, limit: int = 50) -> list[AuditEntry]:
    """The audit entries of one target (by its stable id), newest first, at most `limit`
    (one statement)."""
    statement = (
        select(AuditEntry)
        .where(AuditEntry.target_uid == target_uid)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    return list(session.scalars(statement))
