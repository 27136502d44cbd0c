"""Accounts: adding users with their roles and departments, and API tokens; each audited.

Only what the command line needs today; the web application adds login on top. Passwords are
hashed with argon2 (argon2-cffi), tokens stored as their SHA-256: neither is ever in the audit
trail.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable

from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from dxplan.accounts.models import ApiToken, User, UserDepartment, UserRole
from dxplan.accounts.rules import Actor, Change, Role, Verdict, decide
from dxplan.audit import services as audit
from dxplan.audit.services import FieldChange
from dxplan.errors import InvalidChangeError, NotFoundError, PermissionDeniedError
from dxplan.tenancy.models import Municipality

MIN_PASSWORD_LENGTH = 12
_HASHER = PasswordHasher()


def _authorize(actor: Actor, municipality_code: str) -> None:
    decision = decide(actor, Change.MANAGE_USERS, municipality_code)
    if decision.verdict is Verdict.NOT_FOUND:
        raise NotFoundError(f"no municipality {municipality_code}")
    if decision.verdict is Verdict.FORBIDDEN:
        raise PermissionDeniedError(decision.reason)


def add_user(
    session: Session,
    actor: Actor,
    *,
    login: str,
    municipality_code: str,
    password: str,
    roles: Iterable[Role],
    department_names: Iterable[str] = (),
) -> User:
    """A new user of a municipality with roles (and departments, for a department editor)."""
    _authorize(actor, municipality_code)
    roles = sorted(set(roles))
    names = list(dict.fromkeys(department_names))
    municipality = session.scalar(
        select(Municipality)
        .where(Municipality.code == municipality_code)
        .options(selectinload(Municipality.departments))
    )
    if municipality is None:
        raise NotFoundError(f"no municipality {municipality_code} (import one of its plans first)")
    problems = _problems(session, login, password, roles, names, municipality)
    if problems:
        raise InvalidChangeError(problems)
    by_name = {d.name: d for d in municipality.departments}
    user = User(
        municipality=municipality,
        login=login,
        password_hash=_HASHER.hash(password),
        roles=[UserRole(role=role) for role in roles],
        departments=[UserDepartment(department=by_name[name]) for name in names],
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        action="user.create",
        target_type="user",
        target_key=f"{municipality_code}/{login}",
        municipality_id=municipality.id,
        changes=[
            FieldChange("login", None, login),
            FieldChange("roles", None, [role.value for role in roles]),
            FieldChange("departments", None, names or None),
        ],
    )
    return user


def _problems(
    session: Session,
    login: str,
    password: str,
    roles: list[Role],
    names: list[str],
    municipality: Municipality,
) -> list[tuple[str, str, str]]:
    problems: list[tuple[str, str, str]] = []
    if not login or len(login) > 100 or not login.isprintable() or login.strip() != login:
        problems.append(("login", repr(login), "1 to 100 printable characters"))
    elif session.scalar(select(User.id).where(User.login == login)) is not None:
        problems.append(("login", repr(login), "a login not yet taken"))
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(
            ("password", f"{len(password)} characters", f"at least {MIN_PASSWORD_LENGTH}")
        )
    if not roles:
        problems.append(("role", "none", "at least one role"))
    known = {d.name for d in municipality.departments}
    for name in names:
        if name not in known:
            expected = f"a department of {municipality.name} (one its plans name)"
            problems.append(("department", repr(name), expected))
    if Role.DEPARTMENT_EDITOR in roles and not names:
        problems.append(("department", "none", "a department editor's department(s)"))
    return problems


def hash_token(token: str) -> str:
    """The stored form of a bearer token."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, actor: Actor, login: str) -> str:
    """A new bearer token for the user (shown once; stored as its hash)."""
    user = session.scalar(select(User).join(User.municipality).where(User.login == login))
    if user is None:
        raise NotFoundError(f"no user {login!r}")
    _authorize(actor, user.municipality.code)
    token = secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=hash_token(token)))
    audit.record(
        session,
        actor_id=actor.id,
        action="token.create",
        target_type="user",
        target_key=f"{user.municipality.code}/{login}",
        municipality_id=user.municipality_id,
    )
    session.flush()
    return token
