"""The parts of an initiative as rows: its departments, activities and their years, results,
indicators and their values, goals and fiscal effects; and the labels of the plan's scales that
statuses and verdicts use.
"""

from __future__ import annotations

import enum
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dxplan.db import Base, BatchInserted, ExactDecimal, Identified, Versioned, value_enum
from dxplan.tenancy.models import Department

# The comparisons a figure may state: 以上, 以下, 超, 未満, or exactly ("=").
OP_KNOWN = "op IN ('>=', '<=', '>', '<', '=')"


# JSON that stores Python None as SQL NULL, so "absent" and "empty list" stay distinct.
NullableJSON = JSON(none_as_null=True)


def same_plan(columns: list[str], table: str, ondelete: str | None = None) -> ForeignKeyConstraint:
    """A composite foreign key (x_id, plan_id) → table(id, plan_id): the target is in the same
    plan. Checked at commit, so that a whole plan can be deleted in one statement."""
    return ForeignKeyConstraint(
        columns,
        [f"{table}.id", f"{table}.plan_id"],
        ondelete=ondelete,
        deferrable=True,
        initially="DEFERRED",
    )


class ScaleKind(enum.StrEnum):
    PROGRESS = "progress"
    ACHIEVEMENT = "achievement"


class DepartmentRole(enum.StrEnum):
    LEAD = "lead"
    RELATED = "related"
    IMPLEMENTING = "implementing"


class ValueKind(enum.StrEnum):
    BASELINE = "baseline"
    TARGET = "target"
    ACTUAL = "actual"


class ScaleLabel(BatchInserted, Versioned, Base):
    """One label of a plan's evaluation scale; rank 1 is the best.

    `threshold` is the least achievement rate (%) that earns the label when an indicator is
    evaluated (順調 ≥ 80); `ordered` is false for a label outside the order (評価できない,
    対象外), never computed and counted apart; `on_track` marks the progress statuses that
    count as progress for 進捗率 (none marked: the two best). See `evaluation.rules`.
    """

    __tablename__ = "scale_label"
    __table_args__ = (
        UniqueConstraint("plan_id", "scale", "label"),
        UniqueConstraint("plan_id", "scale", "rank"),
        UniqueConstraint("id", "plan_id"),
        CheckConstraint("rank >= 1", name="rank_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    scale: Mapped[ScaleKind] = mapped_column(value_enum(ScaleKind, "scale_kind"))
    rank: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(100))
    definition: Mapped[str | None] = mapped_column(Text)
    threshold: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    ordered: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    on_track: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class InitiativeDepartment(BatchInserted, Base):
    """A department in one role of an initiative: lead, related or implementing.

    One row per department and role, in the order the document lists them. The department and
    the initiative are of the same municipality (composite foreign keys).
    """

    __tablename__ = "initiative_department"
    __table_args__ = (
        UniqueConstraint("initiative_id", "role", "department_id"),
        ForeignKeyConstraint(
            ["initiative_id", "municipality_id"],
            ["initiative.id", "initiative.municipality_id"],
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(
            ["department_id", "municipality_id"],
            ["department.id", "department.municipality_id"],
            deferrable=True,
            initially="DEFERRED",
        ),
        Index("ix_initiative_department_department_role", "department_id", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(Integer)
    initiative_id: Mapped[int] = mapped_column(Integer, index=True)
    department_id: Mapped[int] = mapped_column(Integer)
    role: Mapped[DepartmentRole] = mapped_column(value_enum(DepartmentRole, "department_role"))
    position: Mapped[int] = mapped_column(Integer)

    department: Mapped[Department] = relationship(
        primaryjoin="foreign(InitiativeDepartment.department_id) == Department.id"
    )


class Activity(Identified, BatchInserted, Base):
    """An activity of an initiative's schedule (年度ごとの取組 / 取組スケジュール)."""

    __tablename__ = "activity"
    __table_args__ = (
        UniqueConstraint("id", "plan_id"),
        same_plan(["initiative_id", "plan_id"], "initiative", ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(Integer)
    initiative_id: Mapped[int] = mapped_column(Integer, index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    stated_empty: Mapped[list[str] | None] = mapped_column(NullableJSON)

    years: Mapped[list[ActivityYear]] = relationship(
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(ActivityYear.start_fy, ActivityYear.end_fy)",
    )


class ActivityYear(BatchInserted, Base):
    """An activity in one fiscal year: planned (計画) and actual (実績) phase, status (進捗状況).

    The status is a label of the same plan's progress scale (composite foreign key).
    """

    __tablename__ = "activity_year"
    __table_args__ = (
        UniqueConstraint("activity_id", "start_fy", "end_fy"),
        CheckConstraint("start_fy <= end_fy", name="period_order"),
        same_plan(["activity_id", "plan_id"], "activity", ondelete="CASCADE"),
        same_plan(["status_id", "plan_id"], "scale_label"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(Integer)
    activity_id: Mapped[int] = mapped_column(Integer, index=True)
    start_fy: Mapped[int] = mapped_column(Integer)
    end_fy: Mapped[int] = mapped_column(Integer)
    planned: Mapped[str | None] = mapped_column(Text)
    actual: Mapped[str | None] = mapped_column(Text)
    status_id: Mapped[int | None] = mapped_column(Integer, index=True)

    status: Mapped[ScaleLabel | None] = relationship(
        primaryjoin="foreign(ActivityYear.status_id) == ScaleLabel.id"
    )


class InitiativeResult(BatchInserted, Base):
    """The narrative of what an initiative did in a fiscal year (or a span of years)."""

    __tablename__ = "initiative_result"
    __table_args__ = (
        UniqueConstraint("initiative_id", "start_fy", "end_fy"),
        CheckConstraint("start_fy <= end_fy", name="period_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiative.id", ondelete="CASCADE"), index=True
    )
    start_fy: Mapped[int] = mapped_column(Integer)
    end_fy: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)


class Indicator(Identified, BatchInserted, Base):
    """An indicator (評価指標 / KPI) of an initiative."""

    __tablename__ = "indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiative.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(String(100))
    cumulative: Mapped[bool | None] = mapped_column(Boolean)
    rationale: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    # Maps the document states as empty (e.g. "actuals": {}).
    stated_empty: Mapped[list[str] | None] = mapped_column(NullableJSON)

    values: Mapped[list[IndicatorValue]] = relationship(
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(IndicatorValue.kind, IndicatorValue.start_fy, IndicatorValue.end_fy)",
    )


class FigureColumns:
    """A figure as printed: the source text, its parsed value and comparison, a note."""

    text: Mapped[str] = mapped_column(Text)
    value: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    unit: Mapped[str | None] = mapped_column(String(100))
    op: Mapped[str | None] = mapped_column(String(2))
    note: Mapped[str | None] = mapped_column(Text)


class IndicatorValue(FigureColumns, BatchInserted, Base):
    """A baseline (現状値), target (目標値) or actual (実績値) of an indicator."""

    __tablename__ = "indicator_value"
    __table_args__ = (
        UniqueConstraint("indicator_id", "kind", "start_fy", "end_fy"),
        CheckConstraint("start_fy <= end_fy", name="period_order"),
        CheckConstraint(OP_KNOWN, name="op_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ValueKind] = mapped_column(value_enum(ValueKind, "value_kind"))
    # A baseline may have no stated year; targets and actuals always have one.
    start_fy: Mapped[int | None] = mapped_column(Integer)
    end_fy: Mapped[int | None] = mapped_column(Integer)


class Goal(Identified, BatchInserted, Base):
    """A goal (目標 / 達成するべき事項) with its target year and achievement verdict.

    The verdict is a label of the same plan's achievement scale (composite foreign key).
    """

    __tablename__ = "goal"
    __table_args__ = (
        CheckConstraint("target_start_fy <= target_end_fy", name="period_order"),
        same_plan(["initiative_id", "plan_id"], "initiative", ondelete="CASCADE"),
        same_plan(["achievement_id", "plan_id"], "scale_label"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(Integer)
    initiative_id: Mapped[int] = mapped_column(Integer, index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    target_fy: Mapped[int | None] = mapped_column(Integer)
    target_start_fy: Mapped[int | None] = mapped_column(Integer)
    target_end_fy: Mapped[int | None] = mapped_column(Integer)
    achievement_id: Mapped[int | None] = mapped_column(Integer, index=True)
    note: Mapped[str | None] = mapped_column(Text)

    achievement: Mapped[ScaleLabel | None] = relationship(
        primaryjoin="foreign(Goal.achievement_id) == ScaleLabel.id"
    )


class FiscalEffect(FigureColumns, BatchInserted, Base):
    """財政健全化効果額: money saved or raised, per fiscal year or span (thousand yen)."""

    __tablename__ = "fiscal_effect"
    __table_args__ = (
        UniqueConstraint("initiative_id", "start_fy", "end_fy"),
        CheckConstraint("start_fy <= end_fy", name="period_order"),
        CheckConstraint(OP_KNOWN, name="op_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiative.id", ondelete="CASCADE"), index=True
    )
    start_fy: Mapped[int] = mapped_column(Integer)
    end_fy: Mapped[int] = mapped_column(Integer)
