"""Recording audit entries; called by every service in the same transaction as its write."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from dxplan.audit.models import AuditEntry


@dataclass(frozen=True)
class FieldChange:
    """One field of a target, from its old to its new value (in the package form).

    `field` is a path inside the target, e.g. "title", "indicators[0].targets.2025";
    `uid` is the stable id of the child object it is in, where that has one.
    """

    field: str
    old: Any
    new: Any
    uid: str | None = None

    def as_json(self) -> dict[str, Any]:
        out = {"field": self.field, "old": _plain(self.old), "new": _plain(self.new)}
        if self.uid is not None:
            out["uid"] = self.uid
        return out


def _plain(value: Any) -> Any:
    """A value as JSON can hold it: exact decimals as numbers, where they fit exactly."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def record(
    session: Session,
    *,
    actor_id: str,
    action: str,
    target_type: str,
    target_key: str,
    municipality_id: int | None,
    target_uid: str | None = None,
    changes: list[FieldChange] | None = None,
    detail: dict[str, Any] | None = None,
    revision_uid: str | None = None,
) -> AuditEntry:
    """Add an audit entry to the current unit of work (`revision_uid`: the open revision the
    change was made in)."""
    entry = AuditEntry(
        actor_id=actor_id,
        action=action,
        target_type=target_type,
        target_uid=target_uid,
        target_key=target_key[:300],
        municipality_id=municipality_id,
        changes=[c.as_json() for c in changes] if changes else None,
        detail=_plain(detail) if detail is not None else None,
        revision_uid=revision_uid,
    )
    session.add(entry)
    return entry
