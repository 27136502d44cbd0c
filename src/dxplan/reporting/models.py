"""Stored reporting rounds, each department's submission in a round, and the e-mail log."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dxplan.audit.models import utcnow
from dxplan.db import Base, Identified, Versioned, value_enum
from dxplan.plans.models import Plan
from dxplan.reporting.rules import RoundState, SubmissionState
from dxplan.tenancy.models import Department


class ReportingRound(Identified, Versioned, Base):
    """A reporting round (実績報告) of a plan for one fiscal year, with its due date.

    Open until the committee approves it; approval locks the fiscal year and keeps the plan's
    package form as it then stood (`snapshot`, compressed by plans.snapshots).
    """

    __tablename__ = "reporting_round"
    __table_args__ = (UniqueConstraint("plan_id", "fiscal_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    fiscal_year: Mapped[int] = mapped_column(Integer)
    due_date: Mapped[date] = mapped_column(Date)
    state: Mapped[RoundState] = mapped_column(
        value_enum(RoundState, "round_state"), default=RoundState.OPEN
    )
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    opened_by: Mapped[str] = mapped_column(String(200))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    approved_by: Mapped[str | None] = mapped_column(String(200))
    snapshot: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)

    plan: Mapped[Plan] = relationship()
    submissions: Mapped[list[RoundSubmission]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="RoundSubmission.id"
    )


class RoundSubmission(Versioned, Base):
    """One department's report in a round: not submitted, submitted, returned (with the DX
    division's comment) or accepted, with who did the last of each and when."""

    __tablename__ = "round_submission"
    __table_args__ = (UniqueConstraint("round_id", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("reporting_round.id", ondelete="CASCADE"), index=True
    )
    department_id: Mapped[int] = mapped_column(
        ForeignKey("department.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[SubmissionState] = mapped_column(
        value_enum(SubmissionState, "submission_state"), default=SubmissionState.NOT_SUBMITTED
    )
    comment: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    submitted_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[str | None] = mapped_column(String(200))

    department: Mapped[Department] = relationship()


class EmailLog(Base):
    """An e-mail dxplan sent (or tried to): to whom, what, why, and how it went.

    `reminder_key` names a reminder once per round and department ("before-7", "overdue-8"),
    so that the same reminder is not sent twice.
    """

    __tablename__ = "email_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    round_id: Mapped[int | None] = mapped_column(
        ForeignKey("reporting_round.id", ondelete="SET NULL"), index=True
    )
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("department.id", ondelete="SET NULL")
    )
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))
    reminder_key: Mapped[str | None] = mapped_column(String(100))
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    outcome: Mapped[str] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(Text)
