"""Recording audit entries; called by every write use case in the same transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from dxplan.audit.models import AuditEntry


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    target_type: str,
    target_key: str,
    municipality_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add an audit entry to the current unit of work."""
    entry = AuditEntry(
        actor=actor,
        action=action,
        target_type=target_type,
        target_key=target_key,
        municipality_id=municipality_id,
        detail=detail,
    )
    session.add(entry)
    return entry
