"""Audit entries: who changed what, when, from which value to which."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from dxplan.db import Base, BatchInserted


def utcnow() -> datetime:
    """Now, in UTC."""
    return datetime.now(UTC)


class AuditEntry(BatchInserted, Base):
    """One change: the actor, the municipality, the time, the action, the target (with its
    stable id where it has one) and the old → new value of each changed field.

    Entries are never updated; they are kept when the municipality's plans are replaced.
    """

    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_entry_municipality_at", "municipality_id", "at"),
        Index("ix_audit_entry_target_uid", "target_uid"),
        Index("ix_audit_entry_revision_uid", "revision_uid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipality.id", ondelete="SET NULL")
    )
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor_id: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100))
    target_type: Mapped[str] = mapped_column(String(100))
    target_uid: Mapped[str | None] = mapped_column(String(36))
    target_key: Mapped[str] = mapped_column(String(300))
    # [{"field": "title", "old": …, "new": …}, …] in the package form of the target.
    changes: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON(none_as_null=True))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    # The open revision (of a plan) the change was made in, by its uid; None outside one.
    revision_uid: Mapped[str | None] = mapped_column(String(36))
