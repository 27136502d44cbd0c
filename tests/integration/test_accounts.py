"""Accounts: users with roles and departments, hashed passwords and tokens, audited; only an
admin (or the command line) manages them, and only in its own municipality."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dxplan.accounts.models import ApiToken, User
from dxplan.accounts.rules import Actor, Role
from dxplan.accounts.services import add_user, create_token, hash_token
from dxplan.audit.models import AuditEntry
from dxplan.db import unit_of_work
from dxplan.errors import InvalidChangeError, NotFoundError, PermissionDeniedError
from dxplan.interchange.importer import import_package

from support import SYSTEM, load_demo_package

HADANO = "142115"
PASSWORD = "correct horse battery"


@pytest.fixture
def hadano(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    with unit_of_work(sessions) as session:
        import_package(session, load_demo_package("hadano-ict-plan"), source="t", actor=SYSTEM)
    return sessions


def _add(sessions: sessionmaker[Session], actor: Actor, **fields: object) -> None:
    values: dict[str, object] = {
        "login": "editor",
        "municipality_code": HADANO,
        "password": PASSWORD,
        "roles": [Role.DEPARTMENT_EDITOR],
        "department_names": ["図書館"],
    } | fields
    with unit_of_work(sessions) as session:
        add_user(session, actor, **values)  # type: ignore[arg-type]


def test_a_user_is_added_with_roles_departments_and_a_hashed_password(
    hadano: sessionmaker[Session],
) -> None:
    _add(hadano, SYSTEM)
    with hadano() as session:
        user = session.scalars(select(User)).one()
        assert [r.role for r in user.roles] == [Role.DEPARTMENT_EDITOR]
        assert [link.department.name for link in user.departments] == ["図書館"]
        assert PASSWORD not in user.password_hash
        assert PasswordHasher().verify(user.password_hash, PASSWORD)
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "user.create")).one()
    assert entry.target_key == f"{HADANO}/editor"
    assert PASSWORD not in str(entry.changes)
    assert entry.changes == [
        {"field": "login", "old": None, "new": "editor"},
        {"field": "roles", "old": None, "new": ["department_editor"]},
        {"field": "departments", "old": None, "new": ["図書館"]},
    ]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"password": "short"}, "password"),
        ({"department_names": ["存在しない課"]}, "department"),
        ({"department_names": []}, "department"),
        ({"roles": []}, "role"),
        ({"login": " spaced "}, "login"),
    ],
)
def test_a_user_that_cannot_be_added_is_refused_with_the_field(
    hadano: sessionmaker[Session], fields: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidChangeError) as caught:
        _add(hadano, SYSTEM, **fields)
    assert [problem.path for problem in caught.value.problems] == [field]
    with hadano() as session:
        assert session.scalars(select(User)).all() == []


def test_a_login_is_taken_once(hadano: sessionmaker[Session]) -> None:
    _add(hadano, SYSTEM)
    with pytest.raises(InvalidChangeError, match="まだ使われていないログインID"):
        _add(hadano, SYSTEM, roles=[Role.VIEWER], department_names=[])


def test_only_an_admin_of_the_municipality_manages_users(hadano: sessionmaker[Session]) -> None:
    dx = Actor.user(1, HADANO, [Role.DX_DIVISION])
    with pytest.raises(PermissionDeniedError):
        _add(hadano, dx)
    stranger = Actor.user(2, "142140", [Role.ADMIN])
    with pytest.raises(NotFoundError):
        _add(hadano, stranger)
    _add(hadano, Actor.user(3, HADANO, [Role.ADMIN]))


def test_a_token_is_shown_once_and_stored_hashed(hadano: sessionmaker[Session]) -> None:
    _add(hadano, SYSTEM)
    with unit_of_work(hadano) as session:
        token = create_token(session, SYSTEM, "editor")
    with hadano() as session:
        stored = session.scalars(select(ApiToken)).one()
    assert len(token) >= 40
    assert stored.token_hash == hash_token(token)
    assert token not in stored.token_hash
    with pytest.raises(NotFoundError), unit_of_work(hadano) as session:
        create_token(session, SYSTEM, "nobody")
