"""The web application over the test database, with demo plans and one user per role."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from dxplan.accounts.context import Context
from dxplan.accounts.rules import Role
from dxplan.accounts.services import add_user, create_token
from dxplan.interchange.importer import import_package
from dxplan.revisions.services import open_revision
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
    tokens: dict[str, str]
    """A bearer token of each user, by login."""

    def bearer(self, login: str | None) -> dict[str, str]:
        """The Authorization header of the user's token (none for None: anonymous)."""
        return {} if login is None else {"Authorization": f"Bearer {self.tokens[login]}"}

    def open_revision(self, code: str = HADANO, plan_id: str = "hadano-ict-plan") -> str:
        """Open a revision of the plan (as the CLI would), so that the plan itself may change."""
        with self.sessions.begin() as session:
            opened = open_revision(
                session, Context(SYSTEM, code), plan_id, date="2026-12-01", version="第9.0版"
            )
        return opened.uid

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


def load_web_data(session: Session) -> dict[str, str]:
    """秦野市's plan published, 伊勢原市's a draft, a user per role in both (`{code}-{role}`);
    their API tokens by login."""
    import_package(
        session, load_demo_package("hadano-ict-plan"), source="t", actor=SYSTEM, publish=True
    )
    import_package(session, load_demo_package("isehara-ict-action-plan"), source="t", actor=SYSTEM)
    return _users(session)


def load_plans_and_users(sessions: sessionmaker[Session]) -> dict[str, str]:
    """The same in a transaction of its own."""
    with sessions.begin() as session:
        return load_web_data(session)


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


class _FormReader(HTMLParser):
    """The fields a browser would post from the page's first post form to `action`."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.fields: dict[str, str] = {}
        self._in_form = self._done = False
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        wanted = a.get("action", "").endswith(self.action)
        if tag == "form" and a.get("method") == "post" and wanted and not self._done:
            self._in_form = True
        if not self._in_form or ("name" not in a and tag != "option"):
            return
        if tag == "input" and a.get("type") not in ("submit", "button"):
            self.fields[a["name"]] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self.fields[a["name"]] = ""
        elif tag == "select":
            self._select = a["name"]
            self.fields.setdefault(a["name"], "")
        elif tag == "option" and self._select and "selected" in a:
            self.fields[self._select] = a.get("value", "\0")

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data
        if self._select and self.fields.get(self._select) == "\0":
            self.fields[self._select] = data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self._in_form:
            self._in_form, self._done = False, True


def posted_fields(html: str, action: str = "/edit") -> dict[str, str]:
    """What submitting the page's post form to `action` unchanged would send."""
    reader = _FormReader(action)
    reader.feed(html)
    return reader.fields
