"""Pure rules of the reporting round: transitions, the reminder schedule, status against
indicators, the years a yearly field belongs to."""

from __future__ import annotations

import datetime
import doctest
from datetime import date, timedelta

import pytest

from dxplan.fiscal import JST
from dxplan.reporting import rules
from dxplan.reporting.daily import next_run
from dxplan.reporting.labels import SUBMISSION_STATE_LABELS
from dxplan.reporting.locks import field_years
from dxplan.reporting.rules import (
    Reminder,
    ReminderSchedule,
    RoundState,
    SubmissionAction,
    SubmissionState,
    TransitionError,
    approval_blockers,
    editable_by_department,
    next_submission_state,
    parse_schedule,
    reminder_due,
    status_disagreement,
)

S = SubmissionState
A = SubmissionAction


def test_the_docstring_examples_hold() -> None:
    assert doctest.testmod(rules).failed == 0


@pytest.mark.parametrize(
    ("state", "action", "after"),
    [
        (S.NOT_SUBMITTED, A.SUBMIT, S.SUBMITTED),
        (S.RETURNED, A.SUBMIT, S.SUBMITTED),
        (S.SUBMITTED, A.RETURN, S.RETURNED),
        (S.ACCEPTED, A.RETURN, S.RETURNED),
        (S.SUBMITTED, A.ACCEPT, S.ACCEPTED),
    ],
)
def test_an_open_round_moves_a_submission_as_the_workflow_says(
    state: SubmissionState, action: SubmissionAction, after: SubmissionState
) -> None:
    assert next_submission_state(RoundState.OPEN, state, action) is after


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (S.SUBMITTED, A.SUBMIT),
        (S.ACCEPTED, A.SUBMIT),
        (S.NOT_SUBMITTED, A.RETURN),
        (S.RETURNED, A.RETURN),
        (S.NOT_SUBMITTED, A.ACCEPT),
        (S.RETURNED, A.ACCEPT),
        (S.ACCEPTED, A.ACCEPT),
    ],
)
def test_other_moves_are_refused_with_the_states_that_would_allow_them(
    state: SubmissionState, action: SubmissionAction
) -> None:
    with pytest.raises(TransitionError, match=f"いまは{SUBMISSION_STATE_LABELS[state]}"):
        next_submission_state(RoundState.OPEN, state, action)


def test_nothing_moves_in_an_approved_round() -> None:
    with pytest.raises(TransitionError, match="確定しています"):
        next_submission_state(RoundState.APPROVED, S.SUBMITTED, A.RETURN)


def test_a_round_is_approvable_when_every_department_is_accepted() -> None:
    assert approval_blockers([("a", S.ACCEPTED), ("b", S.ACCEPTED)]) == []
    assert approval_blockers([("a", S.ACCEPTED), ("b", S.SUBMITTED), ("c", S.RETURNED)]) == [
        "b",
        "c",
    ]


def test_editors_may_edit_until_they_submit_and_again_after_a_return() -> None:
    assert [editable_by_department(s) for s in S] == [True, False, True, False]
    assert editable_by_department(None)


DUE = date(2025, 5, 31)


def _due_days(schedule: ReminderSchedule, days: range) -> list[tuple[int, str]]:
    """The days on which a reminder goes out when `dxplan remind` runs every day: the first day
    each scheduled point (its key) is due, as the e-mail log keeps each key once."""
    out: list[tuple[int, str]] = []
    sent: set[str] = set()
    for offset in days:
        found = reminder_due(DUE, DUE + timedelta(days=offset), schedule)
        if found is not None and found.key not in sent:
            sent.add(found.key)
            out.append((offset, found.key))
    return out


def test_reminders_go_out_7_and_1_days_before_then_every_7_days_while_overdue() -> None:
    assert _due_days(ReminderSchedule(), range(-30, 30)) == [
        (-7, "before-7"),
        (-1, "before-1"),
        (1, "overdue-1"),
        (8, "overdue-8"),
        (15, "overdue-15"),
        (22, "overdue-22"),
        (29, "overdue-29"),
    ]


def test_a_day_missed_is_caught_up_with_the_days_counted_from_that_day() -> None:
    # Nothing ran from 7 days before to 5 days before: the 7-day reminder goes out on day -4,
    # saying 4 days are left; the next point (1 day before) follows as scheduled.
    assert _due_days(ReminderSchedule(), range(-4, 3)) == [
        (-4, "before-7"),
        (-1, "before-1"),
        (1, "overdue-1"),
    ]
    late = reminder_due(DUE, DUE + timedelta(days=-4), ReminderSchedule())
    assert late == Reminder("before", "before-7", 4)
    assert reminder_due(DUE, DUE, ReminderSchedule()) == Reminder("before", "before-1", 0)
    assert reminder_due(DUE, DUE + timedelta(days=10), ReminderSchedule()) == Reminder(
        "overdue", "overdue-8", 10
    )
    assert reminder_due(DUE, DUE + timedelta(days=-8), ReminderSchedule()) is None


def test_the_schedule_is_configurable_and_zero_stops_overdue_reminders() -> None:
    schedule = parse_schedule("14, 3", 0)
    assert schedule == ReminderSchedule((14, 3), 0)
    assert _due_days(schedule, range(-30, 30)) == [(-14, "before-14"), (-3, "before-3")]
    assert parse_schedule("", 2).before == ()
    with pytest.raises(ValueError, match="positive"):
        parse_schedule("7,0", 7)


@pytest.mark.parametrize(
    ("statuses", "met", "disagree"),
    [
        (["済"], [False], True),
        (["概ね順調", "済"], [True, False], True),
        (["済"], [True, True], False),
        (["遅れ"], [True], True),
        (["未着手", "済"], [True, True], True),
        (["遅れ"], [True, False], False),
        (["遅れ"], [], False),
        ([], [False], False),
        (["休止"], [True], False),
        (["A"], [False], False),
    ],
)
def test_status_and_indicators_disagree_when_good_status_misses_or_poor_status_meets(
    statuses: list[str], met: list[bool], disagree: bool
) -> None:
    assert (status_disagreement(statuses, met) is not None) is disagree


def test_a_yearly_field_belongs_to_the_year_in_its_path_and_a_goal_to_the_latest_round() -> None:
    fields = ["indicators[0].actuals.2023", "activities[1].status.2021-2022", "results.2024"]
    assert field_years(fields, None) == {2021, 2022, 2023, 2024}
    assert field_years(["goals[0].achievement"], 2025) == {2025}
    assert field_years(["goals[0].note"], None) == set()


def test_the_daily_reminder_job_runs_next_at_its_time_of_japan() -> None:
    at = datetime.time(8, 30)
    utc = datetime.UTC
    # 23:00 UTC is 08:00 the next day in Japan: the job runs half an hour later.
    assert next_run(datetime.datetime(2025, 5, 23, 23, 0, tzinfo=utc), at) == datetime.datetime(
        2025, 5, 24, 8, 30, tzinfo=JST
    )
    # 00:00 UTC is 09:00 in Japan: today's run has passed, the next is tomorrow's.
    assert next_run(datetime.datetime(2025, 5, 24, 0, 0, tzinfo=utc), at) == datetime.datetime(
        2025, 5, 25, 8, 30, tzinfo=JST
    )
