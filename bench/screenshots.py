"""Screenshots of every page type, at desktop and phone widths, over the demo data.

Loads the demo (as `dxplan demo` does) into a temporary SQLite file, revises 秦野市's plan (one
revision adopted, for the diff and the as-of pages, and one left open, for the DX division's
panel), opens its FY2024 reporting round (one report submitted), serves it, and saves full-page
PNGs into a folder: a way to look at the pages, not a test. Needs Debian's chromium and the
BIZ UD fonts (scripts/ensure-debian --test installs both).

    .venv/bin/python bench/screenshots.py [FOLDER]      (default /tmp/dxplan-shots)
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from playwright.sync_api import Page, sync_playwright
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from dxplan.accounts.context import Context
from dxplan.accounts.models import User, UserDepartment
from dxplan.accounts.rules import Actor
from dxplan.db import create_db_engine, session_factory
from dxplan.demo.users import DEMO_PASSWORD
from dxplan.editing.services import add_initiative, update_initiative
from dxplan.plans.models import Initiative
from dxplan.plans.package.form import FormOptions, initiative_form
from dxplan.plans.parts import DepartmentRole, InitiativeDepartment
from dxplan.plans.queries import find_initiative
from dxplan.reporting.services import open_round, submit_report
from dxplan.revisions.queries import plan_revisions
from dxplan.revisions.services import adopt_revision, open_revision
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
REFORM = "/municipalities/142034/plans/hiratsuka-reform-plan-2020-2023"
ROUND_FY = 2024
GLOSSARY = "/municipalities/142140/plans/isehara-ict-action-plan/glossary"
ACTOR = Actor.system_actor("screenshots")


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


def _change(session: Session, context: Context, code: str, edit: Callable[[Any], None]) -> None:
    initiative = find_initiative(session, CODE, "hadano-ict-plan", code)
    assert initiative is not None, code
    form = initiative_form(initiative, FormOptions())
    edit(form)
    update_initiative(session, context, "hadano-ict-plan", code, form, initiative.row_version)


def _raise_target(form: dict[str, Any]) -> None:
    form["indicators"][0]["targets"]["2025"] = {"text": "90%", "value": 90}


def _end(form: dict[str, Any]) -> None:
    form["terminated"] = {"reason": "電子図書館に統合したため", "successor": "1-1-(9)"}


def _retitle(form: dict[str, Any]) -> None:
    form["title"] = "AIチャットボットによる24時間問合せ対応の拡充"


def revise(engine: Engine) -> tuple[str, str]:
    """秦野市's plan revised (an initiative added, a target raised, one ended: adopted) and a
    second revision left open with two changes; the uids of the two adopted revisions to diff."""
    plan_id = "hadano-ict-plan"
    with session_factory(engine).begin() as session:
        context = Context(ACTOR, CODE)
        open_revision(session, context, plan_id, date="2026-04", version="第3.0版")
        new = {
            "code": "1-1-(9)",
            "title": "書かない窓口の導入",
            "lead_departments": ["戸籍住民課", "デジタル推進課"],
            "overview": "申請書を書かずに手続ができる窓口を導入します。",
            "new_in_revision": True,
        }
        add_initiative(session, context, plan_id, new, "1-1")
        _change(session, context, "1-1-(2)", _raise_target)
        _change(session, context, "1-1-(4)", _end)
        adopt_revision(session, context, plan_id)
        open_revision(
            session,
            context,
            plan_id,
            date="2027-04",
            version="第4.0版",
            summary="問合せ対応の拡充と、行政手続のオンライン化の前倒しのための改訂",
        )
        new = {"code": "1-2-(11)", "title": "窓口のオンライン予約", "new_in_revision": True}
        add_initiative(session, context, plan_id, new, "1-2")
        _change(session, context, "1-2-(1)", _retitle)
        adopted = [r.uid for r in plan_revisions(session, CODE, plan_id) if r.state == "adopted"]
    return adopted[-2], adopted[-1]


def open_demo_round(engine: Engine) -> None:
    """Open the demo plan's reporting round on FY2024 and submit one department's report."""
    context = Context(Actor.system_actor("screenshots"), CODE)
    with session_factory(engine).begin() as session:
        open_round(session, context, "hadano-ict-plan", ROUND_FY, date(ROUND_FY + 1, 5, 31))
        submit_report(session, context, "hadano-ict-plan", ROUND_FY, "図書館")


def take_screenshots(
    base: str,
    folder: Path,
    department: int | None,
    own: str | None,
    compared: tuple[str, str],
) -> None:
    """Every page type at every width, into the folder."""
    old, new = compared
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
        "search": f"/search?q={quote('窓口 申請')}",
        "search-too-long": f"/search?q={quote('窓口' * 101)}",
        "glossary": GLOSSARY,
        "municipality": f"/municipalities/{CODE}",
        "revisions": f"{PLAN}/revisions",
        "diff": f"{PLAN}/revisions/diff?from={old}&to={new}",
        "plan-as-of": f"{PLAN}/revisions/{new}",
        "initiative-as-of": f"{PLAN}/revisions/{new}/initiatives/1-1-%289%29",
        "summary": f"{REFORM}/summary?fy=2023",
        "check": f"{REFORM}/check",
        "documents": f"{PLAN}/documents",
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
            page.goto(f"{PLAN}/revisions")
            shoot(page, folder, "revisions-open", width)
            page.locator("details").evaluate_all("all => all.forEach(d => { d.open = true; })")
            shoot(page, folder, "revisions-open-forms", width)
            page.goto(f"{PLAN}/rounds")
            shoot(page, folder, "rounds", width)
            page.goto(f"{PLAN}/rounds/{ROUND_FY}")
            shoot(page, folder, "round", width)
            page.goto(f"{PLAN}/summary?fy={ROUND_FY}")
            shoot(page, folder, "summary-dx", width)
            page.goto(f"/municipalities/{CODE}/departments/{department}")
            shoot(page, folder, "department-dx-round", width)
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
        compared = revise(engine)
        open_demo_round(engine)
        settings = Settings(data_dir=work, secret_key="screenshots-" + "x" * 20)
        with serve_in_background(create_app(settings, engine=engine)) as base:
            take_screenshots(base, folder, department, own, compared)
        engine.dispose()


if __name__ == "__main__":
    main()
