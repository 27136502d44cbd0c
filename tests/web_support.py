"""The web application over the test database, with demo plans and one user per role."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from dxplan.accounts import services as accounts
from dxplan.accounts.rules import Role
from dxplan.accounts.services import add_user, create_token
from dxplan.interchange.importer import import_package
from dxplan.settings import Settings
from dxplan.web.app import create_app

from support import SYSTEM, load_demo_package

PASSWORD = "correct horse battery"
HADANO, ISEHARA = "142115", "142140"
# The editor's department leads 1-1-(1) of 秦野市's plan and not 1-2-(1).
EDITOR_DEPARTMENT = "デジタル推進課"


@dataclass
class Web:
    """A running application, its database and the test users' logins."""

    client: TestClient
    sessions: sessionmaker[Session]
    tokens: dict[str, str]
    """A bearer token of each user, by login."""

    def bearer(self, login: str | None) -> dict[str, str]:
        """The Authorization header of the user's token (none for None: anonymous)."""
        return {} if login is None else {"Authorization": f"Bearer {self.tokens[login]}"}

    def login(self, login: str, password: str = PASSWORD) -> TestClient:
        token = csrf_of(self.client.get("/login").text)
        response = self.client.post(
            "/login", data={"login": login, "password": password, "csrf_token": token}
        )
        assert response.status_code == 303, response.text
        return self.client


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def _users(session: Session) -> dict[str, str]:
    tokens = {}
    for code in (HADANO, ISEHARA):
        for role in Role:
            departments = []
            if role is Role.DEPARTMENT_EDITOR:
                departments = [EDITOR_DEPARTMENT] if code == HADANO else ["市民協働課"]
            add_user(
                session,
                SYSTEM,
                login=f"{code}-{role.value}",
                municipality_code=code,
                password=PASSWORD,
                roles=[role],
                department_names=departments,
            )
            login = f"{code}-{role.value}"
            tokens[login] = create_token(session, SYSTEM, login)
    return tokens


def load_plans_and_users(sessions: sessionmaker[Session]) -> dict[str, str]:
    """秦野市's plan published, 伊勢原市's a draft, the users of both; their tokens by login."""
    # Hashing ten passwords at the production cost takes seconds: tests hash at the cheapest.
    with pytest.MonkeyPatch.context() as patch, sessions.begin() as session:
        patch.setattr(accounts, "_HASHER", PasswordHasher.from_parameters(CHEAPEST))
        import_package(
            session, load_demo_package("hadano-ict-plan"), source="t", actor=SYSTEM, publish=True
        )
        import_package(
            session, load_demo_package("isehara-ict-action-plan"), source="t", actor=SYSTEM
        )
        return _users(session)


def app_settings(data_dir: Path) -> Settings:
    """Settings for a test application (a fixed secret key, data in `data_dir`)."""
    return Settings(secret_key="test-secret-key-of-some-length", data_dir=data_dir)


@pytest.fixture
def web(engine: Engine, sessions: sessionmaker[Session], tmp_path: Path) -> Iterator[Web]:
    """秦野市's plan published, 伊勢原市's a draft; users of both, each with an API token."""
    tokens = load_plans_and_users(sessions)
    app = create_app(app_settings(tmp_path), engine=engine)
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as client:
        yield Web(client, sessions, tokens)
