"""Accounts: adding users with their roles and departments, and API tokens, each audited;
logging in (with throttling) and turning a session's user or a bearer token into an Actor.

Passwords are hashed with argon2 (argon2-cffi), tokens stored as their SHA-256: neither is ever in
the audit trail.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from dxplan.accounts.models import ApiToken, LoginFailure, User, UserDepartment, UserRole
from dxplan.accounts.rules import Actor, Change, Role, Verdict, decide
from dxplan.audit import services as audit
from dxplan.audit.models import utcnow
from dxplan.audit.services import FieldChange
from dxplan.errors import DxplanError, InvalidChangeError, NotFoundError, PermissionDeniedError
from dxplan.problems import Problem, quoted
from dxplan.tenancy.models import Municipality

MIN_PASSWORD_LENGTH = 12
# Throttling: this many failed logins for one login name within the window lock it for the rest
# of the window (whoever tries, from wherever: the name is what an attacker guesses against).
MAX_LOGIN_FAILURES = 5
LOGIN_WINDOW = timedelta(minutes=15)


def _hasher() -> PasswordHasher:
    """argon2id with the library's recommended parameters; the test suite sets
    DXPLAN_CHEAP_PASSWORD_HASHES=1 for argon2's cheapest profile (never in production)."""
    cheap = os.environ.get("DXPLAN_CHEAP_PASSWORD_HASHES") == "1"
    if cheap and os.environ.get("DXPLAN_ENVIRONMENT") != "production":
        return PasswordHasher.from_parameters(profiles.CHEAPEST)
    return PasswordHasher()


_HASHER = _hasher()

# One address, no display name: reminders are sent to it as is.
_EMAIL = re.compile(r"[^@\s<>,;\"]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}")
# A hash to verify against when the login does not exist, so that the answer takes as long.
_DUMMY_HASH = _HASHER.hash("not a password of anyone's")


class LoginRefusedError(DxplanError):
    """A login that failed: unknown user, wrong password, inactive, or throttled."""

    def __init__(self, message: str, *, throttled: bool = False) -> None:
        super().__init__(message)
        self.throttled = throttled


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
    email: str | None = None,
) -> User:
    """A new user of a municipality with roles (and departments, for a department editor), and
    the e-mail address reminders of reporting rounds go to (optional)."""
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
    if email is not None and not _EMAIL.fullmatch(email):
        problems.append(
            Problem(
                "email", quoted(email), "name@example.jp のようなメールアドレス", "メールアドレス"
            )
        )
    if problems:
        raise InvalidChangeError(problems)
    by_name = {d.name: d for d in municipality.departments}
    user = User(
        municipality=municipality,
        login=login,
        email=email,
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
            *([FieldChange("email", None, email)] if email else []),
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
) -> list[Problem]:
    problems: list[Problem] = []
    if not login or len(login) > 100 or not login.isprintable() or login.strip() != login:
        problems.append(
            Problem(
                "login", quoted(login), "前後に空白のない1〜100文字（制御文字を除く）", "ログインID"
            )
        )
    elif session.scalar(select(User.id).where(User.login == login)) is not None:
        problems.append(
            Problem("login", quoted(login), "まだ使われていないログインID", "ログインID")
        )
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(_short_password(password))
    if not roles:
        problems.append(Problem("role", "（なし）", "少なくとも一つの役割", "役割"))
    known = {d.name for d in municipality.departments}
    for name in names:
        if name not in known:
            expected = f"{municipality.name}の課（計画に記載のある課）"
            problems.append(Problem("department", quoted(name), expected, "所属課"))
    if Role.DEPARTMENT_EDITOR in roles and not names:
        problems.append(Problem("department", "（なし）", "担当課編集者が担当する課", "所属課"))
    return problems


def _short_password(password: str) -> Problem:
    found = f"{len(password)}文字"
    return Problem("password", found, f"{MIN_PASSWORD_LENGTH}文字以上", "パスワード")


def _managed_user(session: Session, actor: Actor, login: str) -> User:
    """The user `actor` may manage (MANAGE_USERS in its municipality), by login."""
    user = session.scalar(select(User).join(User.municipality).where(User.login == login))
    if user is None:
        raise NotFoundError(f"no user {login!r}")
    _authorize(actor, user.municipality.code)
    return user


def _record_user_change(session: Session, actor: Actor, user: User, action: str) -> None:
    audit.record(
        session,
        actor_id=actor.id,
        action=action,
        target_type="user",
        target_key=f"{user.municipality.code}/{user.login}",
        municipality_id=user.municipality_id,
    )
    session.flush()


def set_password(session: Session, actor: Actor, login: str, password: str) -> None:
    """Give a user a new password (MIN_PASSWORD_LENGTH or more); its failed logins are forgiven."""
    user = _managed_user(session, actor, login)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidChangeError([_short_password(password)])
    user.password_hash = _HASHER.hash(password)
    session.execute(delete(LoginFailure).where(LoginFailure.login == login))
    _record_user_change(session, actor, user, "user.password")


def hash_token(token: str) -> str:
    """The stored form of a bearer token."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, actor: Actor, login: str) -> str:
    """A new bearer token for the user (shown once; stored as its hash)."""
    user = _managed_user(session, actor, login)
    token = secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=hash_token(token)))
    _record_user_change(session, actor, user, "token.create")
    return token


def actor_of(user: User) -> Actor:
    """The Actor a logged-in user acts as (roles and bound departments loaded with the user)."""
    return Actor.user(
        user.id,
        user.municipality.code,
        [r.role for r in user.roles],
        [d.department_id for d in user.departments],
        name=user.login,
    )


def _user_query() -> Select[User]:
    return select(User).options(
        joinedload(User.municipality), selectinload(User.roles), selectinload(User.departments)
    )


def user_actor(session: Session, user_id: int) -> Actor | None:
    """The Actor of an active user by id (a session cookie's), or None."""
    user = session.scalar(_user_query().where(User.id == user_id, User.active.is_(True)))
    return None if user is None else actor_of(user)


def token_actor(session: Session, token: str) -> Actor | None:
    """The Actor of an unrevoked bearer token of an active user, or None."""
    user = session.scalar(
        _user_query()
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(
            ApiToken.token_hash == hash_token(token),
            ApiToken.revoked.is_(False),
            User.active.is_(True),
        )
    )
    return None if user is None else actor_of(user)


def log_in(
    session: Session,
    login: str,
    password: str,
    *,
    remote: str | None = None,
    now: datetime | None = None,
) -> Actor:
    """Check a login and password; the user's Actor, or LoginRefusedError.

    Each failure is recorded; after MAX_LOGIN_FAILURES within LOGIN_WINDOW the login is refused
    even with the right password until the window has passed. A success clears the failures.
    """
    now = now or utcnow()
    login = login[:100]
    since = now - LOGIN_WINDOW
    failures = session.scalar(
        select(func.count())
        .select_from(LoginFailure)
        .where(LoginFailure.login == login, LoginFailure.at > since)
    )
    if failures is not None and failures >= MAX_LOGIN_FAILURES:
        raise LoginRefusedError("too many failed logins", throttled=True)
    user = session.scalar(_user_query().where(User.login == login))
    if not _password_matches(user.password_hash if user else _DUMMY_HASH, password) or (
        user is None or not user.active
    ):
        session.add(LoginFailure(login=login, remote=(remote or "")[:100] or None, at=now))
        session.flush()
        raise LoginRefusedError("wrong login or password")
    session.execute(delete(LoginFailure).where(LoginFailure.login == login))
    audit.record(
        session,
        actor_id=f"user:{user.id}",
        action="user.login",
        target_type="user",
        target_key=f"{user.municipality.code}/{login}",
        municipality_id=user.municipality_id,
    )
    return actor_of(user)


def _password_matches(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
