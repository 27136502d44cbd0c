"""The plan as data: every object of a plan package, as SQLAlchemy 2 typed models.

Children carry a `position` so that the order of the source document is kept. Per-year
values are keyed by an inclusive span of fiscal years (start_fy, end_fy): a single year has
start_fy == end_fy; "2020-2023" is one figure for four years together.

Tenant integrity is in the schema: rows that point across the tree carry the plan (or the
municipality) they belong to, and composite foreign keys make the database refuse a row that
points into another plan or municipality (a status of another plan's scale, a lead department
of another city). Plans, sections, initiatives, activities, indicators and goals have a stable
`uid`; every editable row has a `row_version` for optimistic locking.
"""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dxplan.db import Base, ExactDecimal, Identified, Versioned, value_enum
from dxplan.tenancy.models import Department, Municipality

# The comparisons a figure may state: 以上, 以下, 超, 未満, or exactly ("=").
OP_KNOWN = "op IN ('>=', '<=', '>', '<', '=')"

# JSON that stores Python None as SQL NULL, so "absent" and "empty list" stay distinct.
NullableJSON = JSON(none_as_null=True)


def _same_plan(columns: list[str], table: str, ondelete: str | None = None) -> ForeignKeyConstraint:
    """A composite foreign key (x_id, plan_id) → table(id, plan_id): the target is in the same
    plan. Checked at commit, so that a whole plan can be deleted in one statement."""
    return ForeignKeyConstraint(
        columns,
        [f"{table}.id", f"{table}.plan_id"],
        ondelete=ondelete,
        deferrable=True,
        initially="DEFERRED",
    )


class PlanKind(enum.StrEnum):
    POLICY = "policy"
    ACTION_PLAN = "action_plan"
    PROGRESS_REPORT = "progress_report"
    REFORM_PLAN = "reform_plan"


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


class ChangeKind(enum.StrEnum):
    NEW = "new"
    MODIFIED = "modified"
    TERMINATED = "terminated"


class RevisionState(enum.StrEnum):
    """A revision is open while the plan is being changed, adopted once it is decided."""

    OPEN = "open"
    ADOPTED = "adopted"


class Plan(Identified, Versioned, Base):
    """A plan (計画 / アクションプラン / 基本方針 / 取組結果) of one municipality."""

    __tablename__ = "plan"
    __table_args__ = (
        UniqueConstraint("municipality_id", "slug"),
        UniqueConstraint("id", "municipality_id"),
        CheckConstraint("start_fy <= end_fy", name="period_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    slug: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(Text)
    kind: Mapped[PlanKind] = mapped_column(value_enum(PlanKind, "plan_kind"))
    start_fy: Mapped[int] = mapped_column(Integer)
    end_fy: Mapped[int] = mapped_column(Integer)
    published: Mapped[str | None] = mapped_column(String(10))
    version: Mapped[str | None] = mapped_column(String(100))
    upper_plans: Mapped[list[str] | None] = mapped_column(NullableJSON)
    level_names: Mapped[list[str] | None] = mapped_column(NullableJSON)
    source: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    # The scales the plan's document defines; the others are the defaults (seed 002's).
    declared_scales: Mapped[list[str] | None] = mapped_column(NullableJSON)
    # Collections the document states as empty, as opposed to not given (see Initiative).
    stated_empty: Mapped[list[str] | None] = mapped_column(NullableJSON)
    # dxplan's own publication state (not the document's `published` date): a plan is a draft,
    # read only by its municipality's users, until it is made public; then anyone reads it.
    public: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    public_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    municipality: Mapped[Municipality] = relationship(back_populates="plans")
    scale_labels: Mapped[list[ScaleLabel]] = relationship(
        back_populates="plan",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(ScaleLabel.scale, ScaleLabel.rank)",
    )
    sections: Mapped[list[Section]] = relationship(
        back_populates="plan",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Section.position",
    )
    initiatives: Mapped[list[Initiative]] = relationship(
        back_populates="plan",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Initiative.position",
    )
    published_figures: Mapped[list[PublishedFigure]] = relationship(
        back_populates="plan",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="PublishedFigure.position",
    )
    revisions: Mapped[list[Revision]] = relationship(
        back_populates="plan",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Revision.position",
    )
    glossary: Mapped[list[GlossaryEntry]] = relationship(
        back_populates="plan",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="GlossaryEntry.position",
    )


class ScaleLabel(Versioned, Base):
    """One label of a plan's evaluation scale; rank 1 is the best.

    `threshold` is the least achievement rate (%) that earns the label when an indicator is
    evaluated (順調 ≥ 80); `ordered` is false for a label outside the order (評価できない,
    対象外), never computed and counted apart; `on_track` marks the progress statuses that
    count as progress for 進捗率 (none marked: the two best). See `plans.evaluation`.
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

    plan: Mapped[Plan] = relationship(back_populates="scale_labels")


class Section(Identified, Versioned, Base):
    """A node of the plan's tree (基本方針, 事業推進計画, 方針 …), of any depth."""

    __tablename__ = "section"
    __table_args__ = (
        UniqueConstraint("plan_id", "code"),
        UniqueConstraint("id", "plan_id"),
        _same_plan(["parent_id", "plan_id"], "section", ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(Integer, index=True)
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(Text)
    level: Mapped[str | None] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)

    plan: Mapped[Plan] = relationship(back_populates="sections")
    parent: Mapped[Section | None] = relationship(
        primaryjoin="foreign(Section.parent_id) == remote(Section.id)"
    )


class Initiative(Identified, Versioned, Base):
    """An initiative (取組 / 個別事業 / 取組事項): the unit that is planned and evaluated."""

    __tablename__ = "initiative"
    __table_args__ = (
        UniqueConstraint("plan_id", "code"),
        UniqueConstraint("id", "plan_id"),
        UniqueConstraint("id", "municipality_id"),
        CheckConstraint("start_fy <= end_fy", name="period_order"),
        ForeignKeyConstraint(
            ["plan_id", "municipality_id"], ["plan.id", "plan.municipality_id"], ondelete="CASCADE"
        ),
        _same_plan(["section_id", "plan_id"], "section"),
        _same_plan(["successor_id", "plan_id"], "initiative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(Integer)
    plan_id: Mapped[int] = mapped_column(Integer, index=True)
    section_id: Mapped[int] = mapped_column(Integer, index=True)
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(Text)
    overview: Mapped[str | None] = mapped_column(Text)
    aims: Mapped[str | None] = mapped_column(Text)
    # Flags are None where the document does not state them.
    priority: Mapped[bool | None] = mapped_column(Boolean)
    national_dx: Mapped[bool | None] = mapped_column(Boolean)
    new_in_revision: Mapped[bool | None] = mapped_column(Boolean)
    cross_listed: Mapped[bool | None] = mapped_column(Boolean)
    added_fy: Mapped[int | None] = mapped_column(Integer)
    also_listed_as: Mapped[list[str] | None] = mapped_column(NullableJSON)
    references: Mapped[list[str] | None] = mapped_column(NullableJSON)
    start_fy: Mapped[int | None] = mapped_column(Integer)
    end_fy: Mapped[int | None] = mapped_column(Integer)
    terminated: Mapped[bool] = mapped_column(Boolean, default=False)
    termination_reason: Mapped[str | None] = mapped_column(Text)
    successor_id: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    # Collections the document states as empty (a blank 関係課 cell), as opposed to not given.
    stated_empty: Mapped[list[str] | None] = mapped_column(NullableJSON)

    plan: Mapped[Plan] = relationship(back_populates="initiatives")
    section: Mapped[Section] = relationship(
        primaryjoin="foreign(Initiative.section_id) == Section.id"
    )
    # post_update: two initiatives may name each other (A ended into B, B into A).
    successor: Mapped[Initiative | None] = relationship(
        primaryjoin="foreign(Initiative.successor_id) == remote(Initiative.id)", post_update=True
    )
    departments: Mapped[list[InitiativeDepartment]] = relationship(
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(InitiativeDepartment.role, InitiativeDepartment.position)",
    )
    activities: Mapped[list[Activity]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="Activity.position"
    )
    results: Mapped[list[InitiativeResult]] = relationship(
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(InitiativeResult.start_fy, InitiativeResult.end_fy)",
    )
    indicators: Mapped[list[Indicator]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="Indicator.position"
    )
    goals: Mapped[list[Goal]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="Goal.position"
    )
    fiscal_effects: Mapped[list[FiscalEffect]] = relationship(
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(FiscalEffect.start_fy, FiscalEffect.end_fy)",
    )


class InitiativeDepartment(Versioned, Base):
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


class Activity(Identified, Versioned, Base):
    """An activity of an initiative's schedule (年度ごとの取組 / 取組スケジュール)."""

    __tablename__ = "activity"
    __table_args__ = (
        UniqueConstraint("id", "plan_id"),
        _same_plan(["initiative_id", "plan_id"], "initiative", ondelete="CASCADE"),
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


class ActivityYear(Versioned, Base):
    """An activity in one fiscal year: planned (計画) and actual (実績) phase, status (進捗状況).

    The status is a label of the same plan's progress scale (composite foreign key).
    """

    __tablename__ = "activity_year"
    __table_args__ = (
        UniqueConstraint("activity_id", "start_fy", "end_fy"),
        CheckConstraint("start_fy <= end_fy", name="period_order"),
        _same_plan(["activity_id", "plan_id"], "activity", ondelete="CASCADE"),
        _same_plan(["status_id", "plan_id"], "scale_label"),
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


class InitiativeResult(Versioned, Base):
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


class Indicator(Identified, Versioned, Base):
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


class IndicatorEvaluation(Versioned, Base):
    """A person's verdict on an indicator for a fiscal year (評価), overriding the computed one.

    Kept: the label computed when the verdict was given (None: a textual target that only a
    person judges) and its achievement rate, the final label, the reason, who and when. Labels
    are kept as words, as given then, so that the record survives a later change of the scale.
    """

    __tablename__ = "indicator_evaluation"
    __table_args__ = (UniqueConstraint("indicator_id", "fy"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), index=True
    )
    fy: Mapped[int] = mapped_column(Integer)
    computed_label: Mapped[str | None] = mapped_column(String(100))
    computed_rate: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    label: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class FigureColumns:
    """A figure as printed: the source text, its parsed value and comparison, a note."""

    text: Mapped[str] = mapped_column(Text)
    value: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    unit: Mapped[str | None] = mapped_column(String(100))
    op: Mapped[str | None] = mapped_column(String(2))
    note: Mapped[str | None] = mapped_column(Text)


class IndicatorValue(FigureColumns, Versioned, Base):
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


class Goal(Identified, Versioned, Base):
    """A goal (目標 / 達成するべき事項) with its target year and achievement verdict.

    The verdict is a label of the same plan's achievement scale (composite foreign key).
    """

    __tablename__ = "goal"
    __table_args__ = (
        CheckConstraint("target_start_fy <= target_end_fy", name="period_order"),
        _same_plan(["initiative_id", "plan_id"], "initiative", ondelete="CASCADE"),
        _same_plan(["achievement_id", "plan_id"], "scale_label"),
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


class FiscalEffect(FigureColumns, Versioned, Base):
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


class PublishedFigure(FigureColumns, Versioned, Base):
    """A total or rate the document itself prints (summary tables), kept for recomputation."""

    __tablename__ = "published_figure"
    __table_args__ = (CheckConstraint(OP_KNOWN, name="op_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    where: Mapped[str | None] = mapped_column(Text)

    plan: Mapped[Plan] = relationship(back_populates="published_figures")


class Revision(Identified, Versioned, Base):
    """An entry of the plan's revision history (改訂履歴 / 改定履歴).

    An open revision is the one in which the plan is being changed (at most one per plan); it is
    adopted when decided and then appears in the package's `revisions`. `note` is the revision's
    summary; `snapshot` the plan's package form as it stood at the revision.
    """

    __tablename__ = "revision"
    __table_args__ = (
        # At most one open revision per plan, whatever runs concurrently.
        Index(
            "uq_revision_open_plan_id",
            "plan_id",
            unique=True,
            sqlite_where=sql_text("state = 'open'"),
            postgresql_where=sql_text("state = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    date: Mapped[str] = mapped_column(String(10))
    version: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    stated_empty: Mapped[list[str] | None] = mapped_column(NullableJSON)
    state: Mapped[RevisionState] = mapped_column(
        value_enum(RevisionState, "revision_state"),
        default=RevisionState.ADOPTED,
        server_default=RevisionState.ADOPTED.value,
    )
    opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    adopted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A whole package, compressed (plans.snapshots): loaded only when asked for.
    snapshot: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)

    plan: Mapped[Plan] = relationship(back_populates="revisions")
    changes: Mapped[list[RevisionChange]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="RevisionChange.position"
    )


class RevisionChange(Versioned, Base):
    """One change listed in a revision: an initiative added, modified or terminated (or, in a
    revision made in dxplan, a section added or moved).

    `subject_uid` is the initiative or section a change made in dxplan is about (None for an
    imported one); `summary_edited` says its summary was written by hand, not generated.
    """

    __tablename__ = "revision_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(
        ForeignKey("revision.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    initiative_code: Mapped[str | None] = mapped_column(String(100))
    title: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[ChangeKind] = mapped_column(value_enum(ChangeKind, "change_kind"))
    summary: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    subject_uid: Mapped[str | None] = mapped_column(String(36))
    summary_edited: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class GlossaryEntry(Versioned, Base):
    """A term of the plan's glossary (用語解説) with its explanation; each term once per plan."""

    __tablename__ = "glossary_entry"
    __table_args__ = (UniqueConstraint("plan_id", "term"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    term: Mapped[str] = mapped_column(String(200))
    reading: Mapped[str | None] = mapped_column(String(200))
    explanation: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)

    plan: Mapped[Plan] = relationship(back_populates="glossary")
