"""The plan as data: every object of a plan package, as SQLAlchemy 2 typed models.

Children carry a `position` so that the order of the source document is kept. Per-year
values are keyed by an inclusive span of fiscal years (start_fy, end_fy): a single year has
start_fy == end_fy; "2020-2023" is one figure for four years together.

Tenant integrity is in the schema: rows that point across the tree carry the plan (or the
municipality) they belong to, and composite foreign keys make the database refuse a row that
points into another plan or municipality (a status of another plan's scale, a lead department
of another city). Plans, sections, initiatives, activities, indicators and goals have a stable
`uid`. The plan, its sections, initiatives, revisions and their lists have a `row_version` for
optimistic locking; the parts of an initiative (`plans.parts`) are versioned with it: a change
to any of them is a new version of the initiative.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
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
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dxplan.db import Base, BatchInserted, Identified, Versioned, value_enum
from dxplan.plans.parts import (
    OP_KNOWN,
    Activity,
    FigureColumns,
    FiscalEffect,
    Goal,
    Indicator,
    InitiativeDepartment,
    InitiativeResult,
    NullableJSON,
    ScaleLabel,
    same_plan,
)
from dxplan.tenancy.models import Municipality


class PlanKind(enum.StrEnum):
    POLICY = "policy"
    ACTION_PLAN = "action_plan"
    PROGRESS_REPORT = "progress_report"
    REFORM_PLAN = "reform_plan"


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

    municipality: Mapped[Municipality] = relationship()
    scale_labels: Mapped[list[ScaleLabel]] = relationship(
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


class Section(Identified, BatchInserted, Versioned, Base):
    """A node of the plan's tree (基本方針, 事業推進計画, 方針 …), of any depth."""

    __tablename__ = "section"
    __table_args__ = (
        UniqueConstraint("plan_id", "code"),
        UniqueConstraint("id", "plan_id"),
        same_plan(["parent_id", "plan_id"], "section", ondelete="CASCADE"),
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


class Initiative(Identified, BatchInserted, Versioned, Base):
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
        same_plan(["section_id", "plan_id"], "section"),
        same_plan(["successor_id", "plan_id"], "initiative"),
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


class PublishedFigure(FigureColumns, BatchInserted, Versioned, Base):
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


class RevisionChange(BatchInserted, Versioned, Base):
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


class GlossaryEntry(BatchInserted, Versioned, Base):
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
