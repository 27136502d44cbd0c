"""The revision workflow (改訂): open a revision, change the plan inside it, adopt it.

Each use case checks permission (Change.REVISE) and the row version where the caller holds one,
writes, and records its audit entry, in the caller's transaction. At most one revision of a plan
is open; on adoption it lists the changes made in it (one per initiative or section, with a
generated Japanese summary), keeps a snapshot of the plan's package form, and becomes part of
the plan's revision history (the package's `revisions`).
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from dxplan.accounts.context import Context, authorize
from dxplan.accounts.rules import Change
from dxplan.audit import services as audit
from dxplan.audit.models import utcnow
from dxplan.audit.services import FieldChange
from dxplan.db import new_uid
from dxplan.errors import InvalidChangeError, NotFoundError, StaleVersionError
from dxplan.plans.models import Plan, Revision, RevisionState
from dxplan.plans.package.form import adopted_revisions, plan_to_package
from dxplan.plans.queries import find_plan, plan_row
from dxplan.plans.snapshots import pack
from dxplan.problems import Problem, quoted
from dxplan.revisions.changelog import find_open_revision, refresh_changes
from dxplan.revisions.queries import RevisionSummary, revision_summary
from dxplan.revisions.rules import revision_date_problem

_FIELDS = (("date", "date"), ("version", "version"), ("summary", "note"))


def _plan(session: Session, context: Context, plan_id: str, *, loaded: bool = False) -> Plan:
    """The plan acted on (everything in it loaded with `loaded`), once REVISE is allowed."""
    code = context.municipality_code
    plan = find_plan(session, code, plan_id) if loaded else plan_row(session, code, plan_id)
    authorize(context, Change.READ_DRAFT)  # another municipality's: not found, whatever exists
    if plan is None:
        raise NotFoundError(f"no plan {plan_id!r} for municipality {code}")
    authorize(context, Change.REVISE)
    return plan


def _revision(plan: Plan, revision_uid: str | None, expected_version: int | None) -> Revision:
    """The plan's open revision (by uid, or the one there is), at the version expected."""
    open_ones = [r for r in plan.revisions if r.state is RevisionState.OPEN]
    found = [r for r in plan.revisions if r.uid == revision_uid] if revision_uid else open_ones
    if not found:
        what = f"revision {revision_uid!r}" if revision_uid else "open revision"
        raise NotFoundError(f"no {what} of plan {plan.slug!r}")
    revision = found[0]
    if revision.state is not RevisionState.OPEN:
        shown = revision.version or revision.date
        adopted = f"{quoted(shown)}（確定済み）"
        raise InvalidChangeError([Problem("revision", adopted, "改訂中の改訂", "改訂")])
    if expected_version is not None and revision.row_version != expected_version:
        raise StaleVersionError(
            f"revision {revision.version or revision.date} of plan {plan.slug}",
            expected_version,
            revision.row_version,
            {"date": revision.date, "version": revision.version, "summary": revision.note},
        )
    return revision


def _check(plan: Plan, date: str, version: str | None, summary: str | None) -> None:
    adopted = adopted_revisions(plan)
    problems = []
    problem = revision_date_problem(date, adopted[-1].date if adopted else None)
    if problem:
        problems.append(Problem("date", quoted(date), problem, "改訂日"))
    if version is not None and (not version.strip() or len(version) > 100 or "\n" in version):
        expected = "改行を含まない1〜100文字"
        problems.append(Problem("version", quoted(version), expected, "版数"))
    if summary is not None and len(summary) > 100_000:
        found = f"{len(summary):,}文字"
        problems.append(Problem("summary", found, "100,000文字以内", "改訂の概要"))
    if problems:
        raise InvalidChangeError(problems)


def _record(
    session: Session,
    context: Context,
    plan: Plan,
    revision: Revision,
    action: str,
    changes: list[FieldChange],
) -> None:
    audit.record(
        session,
        actor_id=context.actor.id,
        action=action,
        target_type="revision",
        target_uid=revision.uid,
        target_key=f"{context.municipality_code}/{plan.slug}/revisions/{revision.uid}",
        municipality_id=plan.municipality_id,
        changes=changes or None,
    )


def open_revision(
    session: Session,
    context: Context,
    plan_id: str,
    *,
    date: str,
    version: str | None = None,
    summary: str | None = None,
) -> RevisionSummary:
    """Open a revision of the plan, in which its structure and planned fields may change.

    InvalidChangeError when the plan already has an open revision, or for a date that is not
    YYYY-MM(-DD) or is before the latest adopted revision's.
    """
    plan = _plan(session, context, plan_id)
    current = find_open_revision(session, plan)
    if current is not None:
        shown = f"{quoted(current.version or current.date)}（改訂中）"
        expected = (
            "改訂中の改訂がない計画（改訂中の改訂を確定するか、取り消してから開始してください）"
        )
        raise InvalidChangeError([Problem("revision", shown, expected, "改訂")])
    _check(plan, date, version, summary)
    revision = Revision(
        uid=new_uid(),
        state=RevisionState.OPEN,
        opened_at=utcnow(),
        position=max((r.position for r in plan.revisions), default=-1) + 1,
        date=date,
        version=version,
        note=summary,
        stated_empty=["changes"],
    )
    plan.revisions.append(revision)
    session.flush()
    created = [FieldChange(name, None, getattr(revision, attr)) for name, attr in _FIELDS]
    _record(session, context, plan, revision, "revision.open", created)
    return revision_summary(revision)


def update_open_revision(
    session: Session,
    context: Context,
    plan_id: str,
    revision_uid: str,
    *,
    expected_version: int,
    date: str,
    version: str | None,
    summary: str | None,
    change_summaries: Mapping[str, str | None] | None = None,
) -> RevisionSummary:
    """Edit the open revision: its date, version, summary, and the summary of each change it
    lists (by the change's `subject_uid`; None or "" gives the generated summary back)."""
    plan = _plan(session, context, plan_id)
    revision = _revision(plan, revision_uid, expected_version)
    _check(plan, date, version, summary)
    changes = []
    for name, attr in _FIELDS:
        new = {"date": date, "version": version, "summary": summary}[name]
        if getattr(revision, attr) != new:
            changes.append(FieldChange(name, getattr(revision, attr), new))
            setattr(revision, attr, new)
    changes += _edit_summaries(revision, change_summaries or {})
    if not changes:
        return revision_summary(revision)
    _record(session, context, plan, revision, "revision.update", changes)
    refresh_changes(session, revision)  # the generated summaries of those given back
    return revision_summary(revision)


def _edit_summaries(revision: Revision, summaries: Mapping[str, str | None]) -> list[FieldChange]:
    by_subject = {c.subject_uid: c for c in revision.changes if c.subject_uid}
    unknown = [uid for uid in summaries if uid not in by_subject]
    if unknown:
        expected = "この改訂の変更内容の一覧にある取組または区分"
        raise InvalidChangeError(
            [Problem("change_summaries", quoted(uid), expected, "変更の概要") for uid in unknown]
        )
    changes = []
    for uid, text in summaries.items():
        row = by_subject[uid]
        edited = bool(text)
        if edited == row.summary_edited and (not edited or text == row.summary):
            continue
        changes.append(FieldChange(f"changes[{row.position}].summary", row.summary, text, uid))
        row.summary_edited = edited
        if edited:
            row.summary = text
    return changes


def discard_revision(
    session: Session,
    context: Context,
    plan_id: str,
    revision_uid: str | None = None,
    *,
    expected_version: int | None = None,
) -> None:
    """Discard the open revision before anything was changed in it (InvalidChangeError if the
    plan was changed in it: those changes are part of the plan now)."""
    plan = _plan(session, context, plan_id)
    revision = _revision(plan, revision_uid, expected_version)
    refresh_changes(session, revision)
    if revision.changes:
        listed = "、".join(c.initiative_code or c.title or "?" for c in revision.changes)
        expected = "まだ何も変更していない改訂（変更がある改訂は取り消さずに確定してください）"
        raise InvalidChangeError([Problem("revision", f"{listed}の変更", expected, "改訂")])
    removed = [FieldChange(name, getattr(revision, attr), None) for name, attr in _FIELDS]
    _record(session, context, plan, revision, "revision.discard", removed)
    plan.revisions.remove(revision)
    session.flush()


def adopt_revision(
    session: Session,
    context: Context,
    plan_id: str,
    revision_uid: str | None = None,
    *,
    expected_version: int | None = None,
) -> RevisionSummary:
    """Adopt the open revision (by uid, or the one there is): its changes become part of the
    plan's revision history, the plan takes its version (版数), and the plan's package form as
    it stands is kept as the revision's snapshot (see `queries.plan_as_of`)."""
    plan = _plan(session, context, plan_id, loaded=True)
    revision = _revision(plan, revision_uid, expected_version)
    refresh_changes(session, revision)
    changes = [FieldChange("state", RevisionState.OPEN.value, RevisionState.ADOPTED.value)]
    revision.state = RevisionState.ADOPTED
    revision.adopted_at = utcnow()
    if revision.version and revision.version != plan.version:
        changes.append(FieldChange("plan.version", plan.version, revision.version))
        plan.version = revision.version
    session.flush()
    revision.snapshot = _snapshot(plan)
    _record(session, context, plan, revision, "revision.adopt", changes)
    session.flush()
    return revision_summary(revision)


def _snapshot(plan: Plan) -> bytes:
    plan.revisions.sort(key=lambda r: r.position)
    return pack(plan_to_package(plan))
