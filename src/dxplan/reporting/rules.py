"""Pure rules of the reporting round: state transitions, which reminders are due on a day, and
whether an initiative's statuses and indicators disagree (standard library only)."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from dxplan.figures import is_dash
from dxplan.plans.targets import Span
from dxplan.reporting.labels import SUBMISSION_ACTION_LABELS, SUBMISSION_STATE_LABELS


class RoundState(enum.StrEnum):
    """A round is open until the committee approves it; approval locks the fiscal year."""

    OPEN = "open"
    APPROVED = "approved"


class SubmissionState(enum.StrEnum):
    """Where one department's report in a round stands."""

    NOT_SUBMITTED = "not_submitted"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"


class SubmissionAction(enum.StrEnum):
    """What is done to a department's report."""

    SUBMIT = "submit"
    RETURN = "return"
    ACCEPT = "accept"


# From which states each action may be taken (while the round is open).
_FROM: dict[SubmissionAction, frozenset[SubmissionState]] = {
    SubmissionAction.SUBMIT: frozenset({SubmissionState.NOT_SUBMITTED, SubmissionState.RETURNED}),
    SubmissionAction.RETURN: frozenset({SubmissionState.SUBMITTED, SubmissionState.ACCEPTED}),
    SubmissionAction.ACCEPT: frozenset({SubmissionState.SUBMITTED}),
}
_TO: dict[SubmissionAction, SubmissionState] = {
    SubmissionAction.SUBMIT: SubmissionState.SUBMITTED,
    SubmissionAction.RETURN: SubmissionState.RETURNED,
    SubmissionAction.ACCEPT: SubmissionState.ACCEPTED,
}


class TransitionError(ValueError):
    """An action that the round's or the submission's state does not allow."""


def next_submission_state(
    round_state: RoundState, state: SubmissionState, action: SubmissionAction
) -> SubmissionState:
    """The state a submission moves to by `action`, or TransitionError saying why not (in
    Japanese, as pages show it).

    >>> next_submission_state(RoundState.OPEN, SubmissionState.RETURNED, SubmissionAction.SUBMIT)
    <SubmissionState.SUBMITTED: 'submitted'>
    """
    if round_state is not RoundState.OPEN:
        raise TransitionError("この年度の実績報告は承認され、確定しています")
    if state not in _FROM[action]:
        allowed = "・".join(
            SUBMISSION_STATE_LABELS[s] for s in SubmissionState if s in _FROM[action]
        )
        raise TransitionError(
            f"{SUBMISSION_ACTION_LABELS[action]}できるのは{allowed}の報告です"
            f"（いまは{SUBMISSION_STATE_LABELS[state]}）"
        )
    return _TO[action]


def approval_blockers(states: Iterable[tuple[str, SubmissionState]]) -> list[str]:
    """The departments (names) whose reports are not accepted yet: the round may be approved
    when there are none."""
    return [name for name, state in states if state is not SubmissionState.ACCEPTED]


def editable_by_department(state: SubmissionState | None) -> bool:
    """May a department's editors still change the year's yearly fields? Not while its report
    is submitted or accepted (a return reopens it); yes where it has no submission."""
    return state not in (SubmissionState.SUBMITTED, SubmissionState.ACCEPTED)


# --- Reminders --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderSchedule:
    """When reminders go out: `before` days before the due date (7 and 1 by default), then every
    `overdue_every` days while a report is overdue, from the day after the due date."""

    before: tuple[int, ...] = (7, 1)
    overdue_every: int = 7


@dataclass(frozen=True)
class Reminder:
    """A reminder due on a day: its kind ("before" or "overdue") and a key that names it once
    per round and department (so that it is not sent twice)."""

    kind: str
    key: str
    days: int
    """Days left before the due date (kind "before") or days overdue (kind "overdue")."""


def reminder_due(due: date, today: date, schedule: ReminderSchedule) -> Reminder | None:
    """The reminder due on `today` for a report due on `due`, if any: the latest point of the
    schedule on or before `today` (7 and 1 days before the due date, then the 1st, 8th, 15th …
    day overdue). Its key names that point, so that it goes out once however many days it is
    asked for: a day missed (the server down, `dxplan remind` not run) is caught up on the next
    run, and a round opened after a point still reminds once. `days` are the days left (0: the
    due date is today) or overdue as of `today`.

    >>> reminder_due(date(2025, 5, 31), date(2025, 5, 24), ReminderSchedule())
    Reminder(kind='before', key='before-7', days=7)
    >>> reminder_due(date(2025, 5, 31), date(2025, 5, 26), ReminderSchedule())
    Reminder(kind='before', key='before-7', days=5)
    >>> reminder_due(date(2025, 5, 31), date(2025, 6, 10), ReminderSchedule()).key
    'overdue-8'
    """
    left = (due - today).days
    if left >= 0:
        passed = [point for point in schedule.before if point >= left]
        return Reminder("before", f"before-{min(passed)}", left) if passed else None
    late = -left
    if schedule.overdue_every <= 0:
        return None
    point = late - (late - 1) % schedule.overdue_every
    return Reminder("overdue", f"overdue-{point}", late)


def parse_schedule(before: str, overdue_every: int) -> ReminderSchedule:
    """A schedule from its settings: days before as "7,1" (empty: none), and the interval."""
    days = tuple(sorted({int(part) for part in before.split(",") if part.strip()}, reverse=True))
    if any(day <= 0 for day in days) or overdue_every < 0:
        raise ValueError(f"reminder days must be positive, got {before!r} and {overdue_every}")
    return ReminderSchedule(days, overdue_every)


# --- Status and indicators ----------------------------------------------------------------------

GOOD_STATUSES = frozenset({"済", "概ね順調"})
"""Progress statuses that say the initiative went as planned (the default scale's best two)."""
POOR_STATUSES = frozenset({"遅れ", "未着手"})
"""Progress statuses that say it did not."""


def status_disagreement(statuses: Sequence[str], met: Sequence[bool]) -> str | None:
    """Why an initiative's progress statuses of a year and its indicators' verdicts that year
    disagree, in Japanese, or None when they do not.

    Every status 済/概ね順調 while an indicator missed its target; or a status 遅れ/未着手 while
    every indicator (at least one) met it. Statuses of other scales are not judged.

    >>> status_disagreement(["済"], [True, False])
    '進捗状況は「済」ですが、目標値に届かなかった指標が1件あります。'
    """
    if not statuses:
        return None
    missed = sum(1 for verdict in met if not verdict)
    if all(s in GOOD_STATUSES for s in statuses) and missed:
        shown = "・".join(dict.fromkeys(statuses))
        return f"進捗状況は「{shown}」ですが、目標値に届かなかった指標が{missed}件あります。"
    poor = [s for s in statuses if s in POOR_STATUSES]
    if poor and met and not missed:
        shown = "・".join(dict.fromkeys(poor))
        return f"進捗状況は「{shown}」ですが、指標はすべて目標値を達成しています。"
    return None


def year_span(key: str) -> tuple[int, int]:
    """A package's year key ("2023" or "2021-2023") as (start_fy, end_fy)."""
    start, _, end = key.partition("-")
    return int(start), int(end or start)


def covers(start_fy: int | None, end_fy: int | None, fy: int) -> bool:
    """Does the span start_fy..end_fy (inclusive; None: not stated) cover `fy`?"""
    return start_fy is not None and end_fy is not None and start_fy <= fy <= end_fy


def reports_in(
    fy: int, plan: Span, initiative: tuple[int | None, int | None], *, terminated: bool
) -> bool:
    """Does an initiative report in `fy`? Only while its plan covers the year, while its own
    period (where stated) does, and unless it was terminated (【計画終了】)."""
    if terminated or not covers(plan[0], plan[1], fy):
        return False
    start, end = initiative
    return (start is None or start <= fy) and (end is None or fy <= end)


def activity_due(planned: Mapping[Span, str | None], fy: int) -> bool:
    """Is an activity to be reported in `fy`? When its schedule plans a phase for a year or span
    covering `fy`, or when the schedule gives no years at all (the activity runs every year)."""
    spans = [span for span, phase in planned.items() if phase]
    return not spans or any(covers(start, end, fy) for start, end in spans)


def activity_reported(reported: Iterable[Span], fy: int) -> bool:
    """Has an activity been reported in `fy`: an actual phase or a status for a span covering it?
    `reported` are the spans that have one or the other."""
    return any(covers(start, end, fy) for start, end in reported)


def indicator_due(targets: Mapping[Span, str], fy: int) -> bool:
    """Is an actual of an indicator expected in `fy`? When a target (by its text) for a span
    covering `fy` is not a dash ("-": no target that year), or when it has no targets at all."""
    if not targets:
        return True
    return any(
        covers(start, end, fy) and not is_dash(text) for (start, end), text in targets.items()
    )


def goal_due(target_fy: int | None, fy: int) -> bool:
    """Is a verdict on a goal expected in `fy`? From its target year on (a goal with none: every
    year); a goal for FY2025 is not judged in FY2023."""
    return target_fy is None or target_fy <= fy
