"""The open revision of a plan, and the list of changes it records.

The plan itself (not its yearly results) changes only inside its open revision: each such
change's audit entry names the revision (`AuditEntry.revision_uid`), and the revision's changes,
one per initiative or section, are generated again from those entries after every change,
keeping the summaries written by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from dxplan.audit.models import AuditEntry
from dxplan.errors import InvalidChangeError
from dxplan.plans.models import (
    ChangeKind,
    Initiative,
    Plan,
    Revision,
    RevisionChange,
    RevisionState,
    Section,
)
from dxplan.plans.parts import Indicator
from dxplan.plans.writing.initiative import touch
from dxplan.problems import Problem
from dxplan.revisions.summaries import (
    NEW_INITIATIVE,
    initiative_summary,
    net_changes,
    section_summary,
    termination_summary,
)


def find_open_revision(session: Session, plan: Plan) -> Revision | None:
    """The plan's open revision, or None (one query)."""
    return session.scalar(
        select(Revision).where(Revision.plan_id == plan.id, Revision.state == RevisionState.OPEN)
    )


def no_open_revision(what: str) -> InvalidChangeError:
    """The refusal of a change to the plan itself (`what`, in words) made outside a revision."""
    found = "改訂中でない計画の内容の変更"
    expected = "改訂の中での変更（計画の内容を変えるには、まず改訂を開始してください）"
    return InvalidChangeError([Problem("revision", found, expected, what)])


def require_open_revision(session: Session, plan: Plan, what: str) -> Revision:
    """The plan's open revision; InvalidChangeError naming what was changed when it has none."""
    revision = find_open_revision(session, plan)
    if revision is None:
        raise no_open_revision(what)
    return revision


@dataclass
class _Subject:
    """What the entries of one revision did to one initiative or section."""

    target_type: str
    created: bool = False
    recorded: list[list[dict[str, Any]]] = field(default_factory=list)


@dataclass(frozen=True)
class _Generated:
    subject_uid: str
    initiative_code: str | None
    title: str
    kind: ChangeKind
    summary: str


def refresh_changes(session: Session, revision: Revision) -> None:
    """Generate the revision's changes again from its audit entries (a constant number of
    queries); a summary written by hand stays as it is."""
    subjects = _subjects(session, revision)
    generated = _initiatives(session, subjects) + _sections(session, subjects)
    order = list(subjects)
    generated.sort(key=lambda g: order.index(g.subject_uid))
    current = {c.subject_uid: c for c in revision.changes}
    wanted = {g.subject_uid for g in generated}
    for stale in [c for c in revision.changes if c.subject_uid not in wanted]:
        revision.changes.remove(stale)
    for position, item in enumerate(generated):
        row = current.get(item.subject_uid)
        if row is None:
            row = RevisionChange(subject_uid=item.subject_uid, summary_edited=False)
            revision.changes.append(row)
        row.position = position
        row.initiative_code = item.initiative_code
        row.title = item.title
        row.kind = item.kind
        if not row.summary_edited:
            row.summary = item.summary
    revision.changes.sort(key=lambda c: c.position)
    touch(revision)
    session.flush()


def _subjects(session: Session, revision: Revision) -> dict[str, _Subject]:
    """The initiatives and sections the revision's entries changed, in the order first changed."""
    statement = (
        select(AuditEntry.target_type, AuditEntry.target_uid, AuditEntry.action, AuditEntry.changes)
        .where(AuditEntry.revision_uid == revision.uid)
        .order_by(AuditEntry.id)
    )
    subjects: dict[str, _Subject] = {}
    for target_type, uid, action, changes in session.execute(statement):
        if uid is None:
            continue
        subject = subjects.setdefault(uid, _Subject(target_type))
        subject.created = subject.created or action.endswith(".create")
        subject.recorded.append(changes or [])
    return subjects


def _initiatives(session: Session, subjects: dict[str, _Subject]) -> list[_Generated]:
    uids = [uid for uid, s in subjects.items() if s.target_type == "initiative"]
    if not uids:
        return []
    successor = aliased(Initiative)
    rows = session.execute(
        select(
            Initiative.uid,
            Initiative.code,
            Initiative.title,
            Initiative.terminated,
            Initiative.termination_reason,
            successor.code,
        )
        .outerjoin(successor, Initiative.successor_id == successor.id)
        .where(Initiative.uid.in_(uids))
    ).all()
    nets = {uid: net_changes(subjects[uid].recorded) for uid in uids}
    names = _indicator_names(session, [c for net in nets.values() for c in net])
    generated = []
    for uid, code, title, terminated, reason, successor_code in rows:
        net = nets[uid]
        if subjects[uid].created:
            kind, summary = ChangeKind.NEW, NEW_INITIATIVE
        elif terminated and any(c["field"] == "terminated" for c in net):
            kind, summary = ChangeKind.TERMINATED, termination_summary(reason, successor_code)
        else:
            kind, summary = ChangeKind.MODIFIED, initiative_summary(net, names)
            if not summary:
                continue
        generated.append(_Generated(uid, code, title, kind, summary))
    return generated


def _indicator_names(session: Session, changes: Sequence[dict[str, Any]]) -> dict[str, str]:
    uids = {c["uid"] for c in changes if c.get("uid") and c["field"].startswith("indicators[")}
    if not uids:
        return {}
    statement = select(Indicator.uid, Indicator.name).where(Indicator.uid.in_(uids))
    return {row.uid: row.name for row in session.execute(statement)}


def _sections(session: Session, subjects: dict[str, _Subject]) -> list[_Generated]:
    uids = [uid for uid, s in subjects.items() if s.target_type == "section"]
    if not uids:
        return []
    parent = aliased(Section)
    rows = session.execute(
        select(Section.uid, Section.code, Section.title, parent.code)
        .outerjoin(parent, Section.parent_id == parent.id)
        .where(Section.uid.in_(uids))
    ).all()
    generated = []
    for uid, code, title, parent_code in rows:
        subject = subjects[uid]
        net = net_changes(subject.recorded)
        if not subject.created and not net:
            continue
        summary = section_summary(
            code,
            title,
            added=subject.created,
            parent=parent_code,
            reparented=any(c["field"] == "parent" for c in net),
        )
        kind = ChangeKind.NEW if subject.created else ChangeKind.MODIFIED
        generated.append(_Generated(uid, None, title, kind, summary))
    return generated
