"""Reminder e-mails of reporting rounds: to the editors of each department whose report is not
submitted (or was returned), before the due date and while it is overdue, as the schedule says
(`rules.reminder_due`). Each e-mail is recorded in the e-mail log, and a reminder already sent to
an address (same round, department and reminder) is not sent again: running the job twice on a
day, or on a day without a reminder, sends nothing more.

`dxplan remind` runs it for a day; `dxplan serve` once a day when DXPLAN_REMIND_DAILY_AT is set.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from dxplan.accounts.models import User, UserDepartment, UserRole
from dxplan.accounts.rules import Actor, Change, Role, decide
from dxplan.plans.models import Plan
from dxplan.reporting.mail import SmtpConfig, compose, send
from dxplan.reporting.models import EmailLog, ReportingRound, RoundSubmission
from dxplan.reporting.rules import (
    Reminder,
    ReminderSchedule,
    RoundState,
    SubmissionState,
    reminder_due,
)

_WAITING = (SubmissionState.NOT_SUBMITTED, SubmissionState.RETURNED)


@dataclass(frozen=True)
class SentEmail:
    """An e-mail the job sent (or tried to): `error` is None when the server took it."""

    recipient: str
    subject: str
    kind: str
    error: str | None


def _subject(found: ReportingRound, reminder: Reminder) -> str:
    what = f"{found.plan.title} {found.fiscal_year}年度実績報告"
    if reminder.kind == "before" and reminder.days == 0:
        return f"【dxplan】{what}の提出期限は本日です"
    if reminder.kind == "before":
        return f"【dxplan】{what}の提出期限まであと{reminder.days}日です"
    return f"【dxplan】{what}の提出期限を{reminder.days}日過ぎています"


def _body(found: ReportingRound, submission: RoundSubmission, base_url: str) -> str:
    code = found.plan.municipality.code
    department = f"{base_url}/municipalities/{code}/departments/{submission.department_id}"
    returned = submission.state is SubmissionState.RETURNED
    lines = [
        f"{submission.department.name} ご担当者様",
        "",
        f"「{found.plan.title}」の{found.fiscal_year}年度実績報告の"
        f"提出期限は {found.due_date.isoformat()} です。",
        "差し戻された報告を修正のうえ、再提出してください。"
        if returned
        else "まだ提出されていません。実績を入力のうえ、提出してください。",
    ]
    if returned and submission.comment:
        lines += ["", "差戻しの理由：", submission.comment]
    lines += [
        "",
        f"入力と提出：{department}",
        f"報告の状況：{base_url}/municipalities/{code}/plans/{quote(found.plan.slug)}"
        f"/rounds/{found.fiscal_year}",
        "",
        "このメールは dxplan から自動で送信しています。",
    ]
    return "\n".join(lines)


def send_reminders(
    session: Session,
    actor: Actor,
    config: SmtpConfig,
    *,
    today: date,
    schedule: ReminderSchedule,
    base_url: str,
) -> list[SentEmail]:
    """Send the reminders due on `today` for every open round the actor may run (the CLI's
    system actor: all), record each in the e-mail log, and return them (a few queries)."""
    statement = (
        select(ReportingRound)
        .where(ReportingRound.state == RoundState.OPEN)
        .options(
            joinedload(ReportingRound.plan).joinedload(Plan.municipality),
            selectinload(ReportingRound.submissions).selectinload(RoundSubmission.department),
        )
        .order_by(ReportingRound.id)
    )
    due: list[tuple[ReportingRound, RoundSubmission, Reminder]] = []
    for found in session.scalars(statement):
        if not decide(actor, Change.RUN_ROUND, found.plan.municipality.code).allowed:
            continue
        reminder = reminder_due(found.due_date, today, schedule)
        if reminder is None:
            continue
        due += [(found, s, reminder) for s in found.submissions if s.state in _WAITING]
    if not due:
        return []
    editors = _editors(session, {s.department_id for _, s, _ in due})
    already = _already_sent(session, {found.id for found, _, _ in due})
    outgoing: list[tuple[ReportingRound, RoundSubmission, Reminder, str, str]] = []
    for found, submission, reminder in due:
        for address in editors.get(submission.department_id, []):
            key = (found.id, submission.department_id, address, reminder.key)
            if key not in already:
                outgoing.append((found, submission, reminder, address, _subject(found, reminder)))
    messages = [
        compose(config.sender, address, subject, _body(found, submission, base_url))
        for found, submission, _, address, subject in outgoing
    ]
    outcomes = send(config, messages)
    sent = []
    for (found, submission, reminder, address, subject), error in zip(
        outgoing, outcomes, strict=True
    ):
        session.add(
            EmailLog(
                municipality_id=found.plan.municipality_id,
                round_id=found.id,
                department_id=submission.department_id,
                recipient=address,
                subject=subject,
                kind=f"reminder_{reminder.kind}",
                reminder_key=reminder.key,
                outcome="sent" if error is None else "failed",
                error=error,
            )
        )
        sent.append(SentEmail(address, subject, f"reminder_{reminder.kind}", error))
    session.flush()
    return sent


def _editors(session: Session, department_ids: set[int]) -> dict[int, list[str]]:
    """The e-mail addresses of the active department editors of each department."""
    statement = (
        select(UserDepartment.department_id, User.email)
        .join(User, UserDepartment.user_id == User.id)
        .join(UserRole, UserRole.user_id == User.id)
        .where(
            UserDepartment.department_id.in_(department_ids),
            UserRole.role == Role.DEPARTMENT_EDITOR,
            User.active.is_(True),
            User.email.is_not(None),
        )
        .order_by(User.email)
    )
    found: dict[int, list[str]] = defaultdict(list)
    for department_id, email in session.execute(statement):
        if email is not None and email not in found[department_id]:
            found[department_id].append(email)
    return found


def _already_sent(
    session: Session, round_ids: set[int]
) -> set[tuple[int | None, int | None, str, str | None]]:
    statement = select(
        EmailLog.round_id, EmailLog.department_id, EmailLog.recipient, EmailLog.reminder_key
    ).where(EmailLog.round_id.in_(round_ids), EmailLog.outcome == "sent")
    return {(r, d, a, k) for r, d, a, k in session.execute(statement)}
