"""The web application over the test database, with demo plans and one user per role."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from dxplan.accounts.rules import Role
from dxplan.accounts.services import add_user
from dxplan.interchange.importer import import_package
from dxplan.settings import Settings
from dxplan.web.app import create_app

from support import SYSTEM, load_demo_package

PASSWORD = "correct horse battery"
HADANO, ISEHARA = "142115", "142140"
# The 秦野市 editor works in 戸籍住民課, which leads 1-1-(2) (スマート窓口の導入) and has no part
# in 1-2-(1) (SNS等による情報発信, 広報広聴課's).
EDITOR_DEPARTMENT = "戸籍住民課"


@dataclass
class Web:
    """A running application, its database and the test users' logins."""

    client: TestClient
    sessions: sessionmaker[Session]

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


def load_web_data(session: Session) -> None:
    """秦野市's plan published, 伊勢原市's a draft, a user per role in both (`{code}-{role}`)."""
    import_package(
        session, load_demo_package("hadano-ict-plan"), source="t", actor=SYSTEM, publish=True
    )
    import_package(session, load_demo_package("isehara-ict-action-plan"), source="t", actor=SYSTEM)
    _users(session)


def _users(session: Session) -> None:
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


def app_settings(data_dir: Path) -> Settings:
    """Settings of the test application (a fixed secret key; design tokens from node_modules)."""
    return Settings(secret_key="test-secret-key-of-some-length", data_dir=data_dir)


@pytest.fixture
def web(engine: Engine, sessions: sessionmaker[Session], tmp_path: Path) -> Iterator[Web]:
    """秦野市's plan published, 伊勢原市's a draft; users of both."""
    with sessions.begin() as session:
        load_web_data(session)
    app = create_app(app_settings(tmp_path), engine=engine)
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as client:
        yield Web(client, sessions)
