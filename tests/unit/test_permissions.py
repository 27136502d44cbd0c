"""The permission function, for every role × own / other department × own / other municipality
× kind of change. The expected table is written out, not derived from the code."""

from __future__ import annotations

import itertools

import pytest

from dxplan.accounts.rules import Actor, Change, Role, Verdict, decide

HADANO = "142115"
ISEHARA = "142140"
DIGITAL = 1  # a department of the editor
FINANCE = 2  # a department of someone else

A, F, N = Verdict.ALLOWED, Verdict.FORBIDDEN, Verdict.NOT_FOUND

# For a target of the actor's own municipality: (initiative of own department, of another).
OWN_MUNICIPALITY: dict[tuple[Role, Change], tuple[Verdict, Verdict]] = {
    (Role.ADMIN, Change.READ_DRAFT): (A, A),
    (Role.ADMIN, Change.REPORT): (A, A),
    (Role.ADMIN, Change.EDIT_PLAN): (A, A),
    (Role.ADMIN, Change.IMPORT_PLAN): (A, A),
    (Role.ADMIN, Change.PUBLISH): (A, A),
    (Role.ADMIN, Change.REVISE): (A, A),
    (Role.ADMIN, Change.MANAGE_USERS): (A, A),
    (Role.ADMIN, Change.RUN_ROUND): (A, A),
    (Role.ADMIN, Change.APPROVE_ROUND): (A, A),
    (Role.DX_DIVISION, Change.READ_DRAFT): (A, A),
    (Role.DX_DIVISION, Change.REPORT): (A, A),
    (Role.DX_DIVISION, Change.EDIT_PLAN): (A, A),
    (Role.DX_DIVISION, Change.IMPORT_PLAN): (A, A),
    (Role.DX_DIVISION, Change.PUBLISH): (A, A),
    (Role.DX_DIVISION, Change.REVISE): (A, A),
    (Role.DX_DIVISION, Change.MANAGE_USERS): (F, F),
    (Role.DX_DIVISION, Change.RUN_ROUND): (A, A),
    (Role.DX_DIVISION, Change.APPROVE_ROUND): (F, F),
    (Role.DEPARTMENT_EDITOR, Change.READ_DRAFT): (A, A),
    (Role.DEPARTMENT_EDITOR, Change.REPORT): (A, F),
    (Role.DEPARTMENT_EDITOR, Change.EDIT_PLAN): (F, F),
    (Role.DEPARTMENT_EDITOR, Change.IMPORT_PLAN): (F, F),
    (Role.DEPARTMENT_EDITOR, Change.PUBLISH): (F, F),
    (Role.DEPARTMENT_EDITOR, Change.REVISE): (F, F),
    (Role.DEPARTMENT_EDITOR, Change.MANAGE_USERS): (F, F),
    (Role.DEPARTMENT_EDITOR, Change.RUN_ROUND): (F, F),
    (Role.DEPARTMENT_EDITOR, Change.APPROVE_ROUND): (F, F),
    (Role.COMMITTEE, Change.READ_DRAFT): (A, A),
    (Role.COMMITTEE, Change.REPORT): (F, F),
    (Role.COMMITTEE, Change.EDIT_PLAN): (F, F),
    (Role.COMMITTEE, Change.IMPORT_PLAN): (F, F),
    (Role.COMMITTEE, Change.PUBLISH): (F, F),
    (Role.COMMITTEE, Change.REVISE): (F, F),
    (Role.COMMITTEE, Change.MANAGE_USERS): (F, F),
    (Role.COMMITTEE, Change.RUN_ROUND): (F, F),
    (Role.COMMITTEE, Change.APPROVE_ROUND): (A, A),
    (Role.VIEWER, Change.READ_DRAFT): (A, A),
    (Role.VIEWER, Change.REPORT): (F, F),
    (Role.VIEWER, Change.EDIT_PLAN): (F, F),
    (Role.VIEWER, Change.IMPORT_PLAN): (F, F),
    (Role.VIEWER, Change.PUBLISH): (F, F),
    (Role.VIEWER, Change.REVISE): (F, F),
    (Role.VIEWER, Change.MANAGE_USERS): (F, F),
    (Role.VIEWER, Change.RUN_ROUND): (F, F),
    (Role.VIEWER, Change.APPROVE_ROUND): (F, F),
}

CASES = [
    pytest.param(role, change, municipality, department, id=f"{role}-{change}-{where}-{whose}")
    for (role, change), (municipality, where), (department, whose) in itertools.product(
        OWN_MUNICIPALITY,
        [(HADANO, "own-municipality"), (ISEHARA, "other-municipality")],
        [(DIGITAL, "own-department"), (FINANCE, "other-department")],
    )
]


def test_the_table_covers_every_role_and_change() -> None:
    assert set(OWN_MUNICIPALITY) == set(itertools.product(Role, Change))


@pytest.mark.parametrize(("role", "change", "municipality", "department"), CASES)
def test_permission_table(role: Role, change: Change, municipality: str, department: int) -> None:
    actor = Actor.user(7, HADANO, [role], department_ids=[DIGITAL])
    decision = decide(actor, change, municipality, [department, 99])
    if municipality != HADANO:
        expected = N  # another municipality's target: as if it did not exist
    else:
        own, other = OWN_MUNICIPALITY[role, change]
        expected = own if department == DIGITAL else other
    assert decision.verdict is expected, decision.reason
    assert decision.reason


@pytest.mark.parametrize("change", list(Change))
@pytest.mark.parametrize("municipality", [HADANO, ISEHARA])
def test_the_system_actor_may_do_everything_everywhere(change: Change, municipality: str) -> None:
    assert decide(Actor.system_actor("cli"), change, municipality).allowed


def test_a_department_editor_bound_to_no_department_may_report_on_nothing() -> None:
    actor = Actor.user(8, HADANO, [Role.DEPARTMENT_EDITOR])
    assert decide(actor, Change.REPORT, HADANO, [DIGITAL]).verdict is F


def test_an_editor_who_is_also_dx_division_may_report_on_any_initiative() -> None:
    actor = Actor.user(9, HADANO, [Role.DEPARTMENT_EDITOR, Role.DX_DIVISION], [DIGITAL])
    assert decide(actor, Change.REPORT, HADANO, [FINANCE]).allowed


def test_a_user_without_roles_may_do_nothing() -> None:
    actor = Actor.user(10, HADANO, [])
    assert not any(decide(actor, change, HADANO, [DIGITAL]).allowed for change in Change)


def test_actor_ids_say_who_acts() -> None:
    assert Actor.system_actor("cli").id == "system:cli"
    assert Actor.user(42, HADANO, [Role.VIEWER]).id == "user:42"
