"""Browser tests: the web application served by uvicorn over the test database, driven by
headless Chromium (Debian's /usr/bin/chromium; `scripts/test` installs it when it is missing).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from dxplan.db import session_factory
from dxplan.tenancy.models import Department, Municipality
from dxplan.web.app import create_app
from dxplan.web.background import serve_in_background

from support import ROOT, empty_tables
from web_support import HADANO, PASSWORD, app_settings, load_web_data

CHROMIUM = Path("/usr/bin/chromium")  # Debian's (scripts/ensure-debian --test)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PLAN = f"/municipalities/{HADANO}/plans/hadano-ict-plan"

__all__ = ["PLAN", "ROOT", "Site", "browser", "context", "log_in", "new_context", "page", "site"]


@dataclass
class Site:
    """The running application: its base URL and the database behind it."""

    url: str
    sessions: sessionmaker[Session]

    def department_id(self, name: str, code: str = HADANO) -> int:
        with self.sessions() as session:
            found = session.scalar(
                select(Department.id)
                .join(Municipality, Department.municipality_id == Municipality.id)
                .where(Municipality.code == code, Department.name == name)
            )
        assert found is not None, name
        return found


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium, once per run."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} not found: the browser tests need Debian's chromium "
            "(scripts/test installs it; or apt-get install chromium)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def site(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The application over the test database with 秦野市's plan published, 伊勢原市's a draft
    and a user per role in both; one per test module (its tests share the data)."""
    empty_tables(engine)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        load_web_data(session)
    app = create_app(app_settings(tmp_path_factory.mktemp("web")), engine=engine)
    try:
        with serve_in_background(app) as url:
            yield Site(url, sessions)
    finally:
        empty_tables(engine)


def new_context(browser: Browser, site: Site, **options: Any) -> BrowserContext:
    """A fresh browser profile (no cookies) on the site, in Japanese."""
    context = browser.new_context(base_url=site.url, locale="ja-JP", **options)
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def context(browser: Browser, site: Site) -> Iterator[BrowserContext]:
    context = new_context(browser, site)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def log_in(page: Page, login: str, password: str = PASSWORD) -> None:
    """Log in through the login form (by filling it; the keyboard walk is a test of its own)."""
    page.goto("/login")
    page.get_by_label("ログインID").fill(login)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(lambda url: "/login" not in url)
