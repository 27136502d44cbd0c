"""Reads about a plan's revisions (改訂): their summaries with the changes they list, the plan as it
stood at one, and what changed between two.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from dxplan.errors import NotFoundError
from dxplan.plans.models import (
    Plan,
    Revision,
    RevisionState,
)
from dxplan.plans.queries import plan_row
from dxplan.plans.snapshots import unpack
from dxplan.revisions.diff import PackageDiff, diff_packages
from dxplan.tenancy.models import Municipality


@dataclass(frozen=True)
class RevisionChangeSummary:
    """One change a revision lists. `subject_uid` is the initiative (or, with no
    `initiative_code`, the section) it is about; None for an imported change."""

    subject_uid: str | None
    initiative_code: str | None
    title: str | None
    kind: str
    summary: str | None
    summary_edited: bool


@dataclass(frozen=True)
class RevisionSummary:
    """A revision of a plan (open or adopted) with its changes; `summary` is its note."""

    uid: str
    state: str
    date: str
    version: str | None
    summary: str | None
    opened_at: datetime | None
    adopted_at: datetime | None
    row_version: int
    changes: list[RevisionChangeSummary]


def _utc(moment: datetime | None) -> datetime | None:
    """A stored time in UTC (SQLite gives it back without its zone)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def revision_summary(revision: Revision) -> RevisionSummary:
    """The plain data of a revision row (its changes loaded)."""
    return RevisionSummary(
        uid=revision.uid,
        state=revision.state.value,
        date=revision.date,
        version=revision.version,
        summary=revision.note,
        opened_at=_utc(revision.opened_at),
        adopted_at=_utc(revision.adopted_at),
        row_version=revision.row_version,
        changes=[
            RevisionChangeSummary(
                subject_uid=c.subject_uid,
                initiative_code=c.initiative_code,
                title=c.title,
                kind=c.kind.value,
                summary=c.summary,
                summary_edited=c.summary_edited,
            )
            for c in revision.changes
        ],
    )


def _revisions(session: Session, municipality_code: str, plan_id: str) -> list[Revision]:
    plan = plan_row(session, municipality_code, plan_id)
    if plan is None:
        raise NotFoundError(f"no plan {plan_id!r} for municipality {municipality_code}")
    statement = (
        select(Revision)
        .where(Revision.plan_id == plan.id)
        .order_by(Revision.position)
        .options(selectinload(Revision.changes))
    )
    return list(session.scalars(statement))


def plan_revisions(session: Session, municipality_code: str, plan_id: str) -> list[RevisionSummary]:
    """The plan's revisions, oldest first, the open one (if any) last; NotFoundError if there is
    no such plan. Three queries."""
    return [revision_summary(r) for r in _revisions(session, municipality_code, plan_id)]


def find_revision(
    session: Session, municipality_code: str, plan_id: str, revision_uid: str
) -> RevisionSummary:
    """One revision of the plan by its uid; NotFoundError if there is none."""
    found = [r for r in _revisions(session, municipality_code, plan_id) if r.uid == revision_uid]
    if not found:
        raise NotFoundError(f"no revision {revision_uid!r} of plan {plan_id!r}")
    return revision_summary(found[0])


def open_revision_summary(
    session: Session, municipality_code: str, plan_id: str
) -> RevisionSummary | None:
    """The plan's open revision with the changes it lists so far, or None."""
    rows = _revisions(session, municipality_code, plan_id)
    found = [r for r in rows if r.state is RevisionState.OPEN]
    return revision_summary(found[0]) if found else None


def revisions_with_snapshot(session: Session, plan: Plan) -> set[str]:
    """The uids of the plan's revisions that keep the plan as it stood (one statement)."""
    statement = select(Revision.uid).where(
        Revision.plan_id == plan.id, Revision.snapshot.is_not(None)
    )
    return set(session.scalars(statement))


def plan_as_of(
    session: Session, municipality_code: str, plan_id: str, revision_uid: str
) -> dict[str, Any]:
    """The plan's package form as it stood at a revision (taken at its adoption, or from the
    package imported when it was the latest); NotFoundError if there is none."""
    statement = (
        select(Revision.snapshot)
        .join(Revision.plan)
        .join(Plan.municipality)
        .where(
            Municipality.code == municipality_code,
            Plan.slug == plan_id,
            Revision.uid == revision_uid,
        )
    )
    found = session.execute(statement).one_or_none()
    if found is None:
        raise NotFoundError(f"no revision {revision_uid!r} of plan {plan_id!r}")
    if found[0] is None:
        raise NotFoundError(
            f"revision {revision_uid!r} of plan {plan_id!r} has no snapshot of the plan "
            "(it was stored before dxplan kept them; import the package of that revision)"
        )
    return unpack(found[0])


def revision_diff(
    session: Session, municipality_code: str, plan_id: str, old_uid: str, new_uid: str
) -> PackageDiff:
    """What changed in the plan from one revision to another (see `diff.diff_packages`)."""
    return diff_packages(
        plan_as_of(session, municipality_code, plan_id, old_uid),
        plan_as_of(session, municipality_code, plan_id, new_uid),
    )
