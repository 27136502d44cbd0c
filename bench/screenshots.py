"""Screenshots of every page type, at desktop and phone widths, over the demo data.

Loads the demo (as `dxplan demo` does) into a temporary SQLite file, serves it, and saves
full-page PNGs into a folder: a way to look at the pages, not a test. Needs Debian's chromium and
the BIZ UD fonts (scripts/ensure-chromium installs both).

    .venv/bin/python bench/screenshots.py [FOLDER]      (default /tmp/dxplan-shots)
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import Page, sync_playwright
from sqlalchemy import Engine, select

from dxplan.accounts.models import User, UserDepartment
from dxplan.db import create_db_engine, session_factory
from dxplan.demo.users import DEMO_PASSWORD
from dxplan.plans.models import DepartmentRole, Initiative, InitiativeDepartment
from dxplan.settings import Settings
from dxplan.tenancy.models import Department, Municipality
from dxplan.web.app import create_app
from dxplan.web.background import serve_in_background

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WIDTHS = {"desktop": 1280, "phone": 390}
CODE = "142115"
PLAN = f"/municipalities/{CODE}/plans/hadano-ict-plan"
SHEET = f"{PLAN}/initiatives/1-1-%281%29"


def load_demo(url: str) -> None:
    """`dxplan demo` on the database."""
    subprocess.run(
        [sys.executable, "-m", "dxplan", "--database-url", url, "demo"],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def log_in(page: Page, login: str) -> None:
    page.goto("/login")
    page.get_by_label("ログインID").fill(login)
    page.get_by_label("パスワード").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(lambda u: "/login" not in u)


def shoot(page: Page, folder: Path, name: str, width: str) -> None:
    path = folder / f"{name}-{width}.png"
    page.screenshot(path=str(path), full_page=True)
    print(path)


def demo_ids(engine: Engine) -> tuple[int | None, str | None]:
    """デジタル推進課's id, and an initiative that the demo editor's department leads."""
    with session_factory(engine)() as session:
        department = session.scalar(
            select(Department.id)
            .join(Municipality, Department.municipality_id == Municipality.id)
            .where(Municipality.code == CODE, Department.name == "デジタル推進課")
        )
        initiative = session.scalar(
            select(Initiative.code)
            .join(InitiativeDepartment, InitiativeDepartment.initiative_id == Initiative.id)
            .join(
                UserDepartment, UserDepartment.department_id == InitiativeDepartment.department_id
            )
            .join(User, User.id == UserDepartment.user_id)
            .where(User.login == f"{CODE}-editor", InitiativeDepartment.role == DepartmentRole.LEAD)
            .order_by(Initiative.position)
        )
    return department, initiative


def take_screenshots(base: str, folder: Path, department: int | None, own: str | None) -> None:
    """Every page type at every width, into the folder."""
    public = {
        "home": "/",
        "plan": PLAN,
        "plan-filtered": f"{PLAN}?department=デジタル推進課&flag=new&sort=title",
        "plan-no-match": f"{PLAN}?department=図書館&flag=priority",
        "initiative": SHEET,
        "initiative-results": "/municipalities/142034/plans/hiratsuka-reform-plan-2020-2023"
        "/initiatives/0701-01",
        "department": f"/municipalities/{CODE}/departments/{department}",
        "login": "/login",
        "not-found": "/no/such/page",
    }
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for width, pixels in WIDTHS.items():
            context = browser.new_context(
                base_url=base, locale="ja-JP", viewport={"width": pixels, "height": 900}
            )
            page = context.new_page()
            for name, path in public.items():
                page.goto(path)
                shoot(page, folder, name, width)
            page.goto("/login")
            page.get_by_label("ログインID").fill("no-such-user")
            page.get_by_label("パスワード").fill("wrong password")
            page.get_by_role("button", name="ログイン").click()
            shoot(page, folder, "login-error", width)
            log_in(page, f"{CODE}-dx")
            page.goto(SHEET)
            shoot(page, folder, "initiative-dx", width)
            page.goto(f"{SHEET}/edit?fy=2023")
            shoot(page, folder, "edit-dx", width)
            context.clear_cookies()
            log_in(page, f"{CODE}-editor")
            page.goto(f"{PLAN}/initiatives/{quote(str(own), safe='')}/edit?fy=2024")
            shoot(page, folder, "edit-editor", width)
            page.goto(f"{SHEET}/edit")
            shoot(page, folder, "forbidden", width)
            context.close()
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=Path("/tmp/dxplan-shots"))
    args = parser.parse_args()
    folder: Path = args.folder
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dxplan-shots-") as tmp:
        work = Path(tmp)
        url = f"sqlite:///{work / 'demo.sqlite3'}"
        load_demo(url)
        engine = create_db_engine(url)
        department, own = demo_ids(engine)
        settings = Settings(data_dir=work, secret_key="screenshots-" + "x" * 20)
        with serve_in_background(create_app(settings, engine=engine)) as base:
            take_screenshots(base, folder, department, own)
        engine.dispose()


if __name__ == "__main__":
    main()
