"""Every page type passes axe-core's WCAG 2.1 A and AA rules, for the public and for staff.

axe is injected into the page, which the Content-Security-Policy (script-src 'self') forbids:
these tests alone bypass it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Page, StorageState

from dxplan.accounts.context import Context
from dxplan.editing.services import add_initiative, update_initiative
from dxplan.interchange.importer import import_package
from dxplan.plans.package.form import FormOptions, initiative_form
from dxplan.plans.queries import find_initiative, plan_row
from dxplan.reporting.queries import plan_rounds
from dxplan.reporting.services import open_round, submit_report
from dxplan.revisions.services import adopt_revision, open_revision
from dxplan.web.views.workbook import XLSX
from dxplan.workbooks.export import export_update_workbook
from workbook_support import filled

from browser_support import PLAN, ROOT, Site, log_in, new_context
from support import SYSTEM, load_demo_package
from web_support import HADANO, ISEHARA

pytestmark = pytest.mark.e2e

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
EDITOR, DX = f"{HADANO}-department_editor", f"{HADANO}-dx_division"
ISEHARA_DX = f"{ISEHARA}-dx_division"
SHEET = f"{PLAN}/initiatives/1-1-%281%29"
OWN_SHEET = f"{PLAN}/initiatives/1-1-%282%29"  # led by the editor's department
OTHER_SHEET = f"{PLAN}/initiatives/1-2-%281%29"
REVISIONS = f"{PLAN}/revisions"
# 伊勢原市's plan (a draft) is the one with an open revision; 秦野市's has none open
ISEHARA_PLAN = f"/municipalities/{ISEHARA}/plans/isehara-ict-action-plan"
ISEHARA_REVISIONS = f"{ISEHARA_PLAN}/revisions"

Visit = Callable[[Page, Site], None]


def _go(path: str) -> Visit:
    def visit(page: Page, site: Site) -> None:
        page.goto(path)

    return visit


def _department(page: Page, site: Site) -> None:
    page.goto(f"/municipalities/{HADANO}/departments/{site.department_id('戸籍住民課')}")


def _failed_login(page: Page, site: Site) -> None:
    page.goto("/login")
    page.get_by_label("ログインID").fill("no-such-user")
    page.get_by_label("パスワード").fill("not the password")
    page.get_by_role("button", name="ログイン").click()
    page.get_by_role("alert").wait_for()


def _forbidden_form_post(page: Page, site: Site) -> None:
    """A form sent without its CSRF token: the 403 page, for someone not logged in."""
    page.goto("/login")
    page.locator("input[name=csrf_token]").evaluate("input => input.remove()")
    page.get_by_label("ログインID").fill("no-such-user")
    page.get_by_label("パスワード").fill("not the password")
    page.get_by_role("button", name="ログイン").click()
    page.get_by_text("エラーコード: 403").wait_for()


def _search_too_long(page: Page, site: Site) -> None:
    page.goto("/search")
    page.get_by_label("検索語").fill("窓口" * 101)
    page.get_by_role("button", name="検索").click()
    page.get_by_role("alert").wait_for()


def _open_details(page: Page) -> None:
    """Every <details> of the page opened, as someone filling in its forms would."""
    page.locator("details").evaluate_all("all => all.forEach(d => { d.open = true; })")


def _open_revision(page: Page, site: Site) -> None:
    page.goto(ISEHARA_REVISIONS)
    page.get_by_role("heading", name="作業中の改訂").wait_for()
    _open_details(page)


def _diff(page: Page, site: Site) -> None:
    """The diff between the imported plan and the revision adopted since."""
    page.goto(REVISIONS)
    page.get_by_role("button", name="比べる").click()
    page.get_by_role("heading", name="追加された取組（1件）").wait_for()


def _as_of(path: str) -> Visit:
    """A page of the plan as it stood at the revision adopted in the module."""

    def visit(page: Page, site: Site) -> None:
        page.goto(REVISIONS)
        page.get_by_role("link", name="この時点の計画").last.click()
        page.wait_for_url("**/revisions/*")
        if path:
            page.goto(page.url + path)
        page.get_by_text("の時点の").first.wait_for()

    return visit


def _workbook_upload(bad: bool) -> Visit:
    """更新用Excel uploaded from the plan page: with a bad cell (the problems table), or good."""

    def visit(page: Page, site: Site) -> None:
        with site.sessions.begin() as session:
            data = export_update_workbook(session, Context(SYSTEM, HADANO), "hadano-ict-plan", 2023)
        cell = ("評価指標", "1-1-(1)", "その他手続", "実績値")
        data = filled(data, {cell: "30件" if bad else "20手続"})
        page.goto(PLAN)
        page.get_by_label("記入した更新用Excel").set_input_files(
            {"name": "更新.xlsx", "mimeType": XLSX, "buffer": data}
        )
        page.get_by_role("button", name="取り込む").click()
        page.get_by_role("alert" if bad else "status").first.wait_for()

    return visit


REFORM = "hiratsuka-reform-plan-2020-2023"


def _reform_check(page: Page, site: Site) -> None:
    """数値の検算 of 平塚市's reform plan (seed 002), whose findings fill the table."""
    with site.sessions.begin() as session:
        if plan_row(session, "142034", REFORM) is None:
            doc = load_demo_package(REFORM)
            import_package(session, doc, source="t", actor=SYSTEM, publish=True)
    page.goto(f"/municipalities/142034/plans/{REFORM}/check")


def _reform_summary(page: Page, site: Site) -> None:
    """集計表 of 平塚市's reform plan (seed 002): printed beside computed, differences marked."""
    _reform_check(page, site)
    page.goto(f"/municipalities/142034/plans/{REFORM}/summary?fy=2023")


def _evaluation_forms(page: Page, site: Site) -> None:
    """The initiative sheet with its indicator verdict forms opened."""
    page.goto(OWN_SHEET)
    _open_details(page)


def _with_round(path: str | None) -> Visit:
    """A page with 秦野市's 2024 reporting round open (every <details> opened); None: the
    department page of 戸籍住民課, which shows the round's 提出する form."""

    def visit(page: Page, site: Site) -> None:
        with site.sessions.begin() as session:
            if not plan_rounds(session, SYSTEM, HADANO, "hadano-ict-plan"):
                due = datetime.date(2025, 5, 31)
                open_round(session, Context(SYSTEM, HADANO), "hadano-ict-plan", 2024, due)
                submit_report(session, Context(SYSTEM, HADANO), "hadano-ict-plan", 2024, "図書館")
        if path is None:
            _department(page, site)
        else:
            page.goto(path)
        _open_details(page)

    return visit


PUBLIC: dict[str, Visit] = {
    "home": _go("/"),
    "plan": _go(PLAN),
    "plan-filtered": _go(f"{PLAN}?department={quote('戸籍住民課')}&sort=status"),
    "initiative": _go(SHEET),
    "department": _department,
    "check": _reform_check,
    "summary": _reform_summary,
    "summary-plan": _go(f"{PLAN}/summary"),
    "login": _go("/login"),
    "login-error": _failed_login,
    "not-found": _go("/no/such/page"),
    "search": _go(f"/search?q={quote('窓口')}"),
    "search-too-long": _search_too_long,
    "municipality": _go(f"/municipalities/{HADANO}"),
    "revisions": _go(REVISIONS),
    "documents": _go(f"{PLAN}/documents"),
    "diff": _diff,
    "plan-as-of": _as_of(""),
    "initiative-as-of": _as_of("/initiatives/1-1-%289%29"),
}
CASES: list[tuple[str | None, str, Visit]] = [
    *((None, name, visit) for name, visit in PUBLIC.items()),
    (None, "forbidden", _forbidden_form_post),
    *((DX, name, visit) for name, visit in PUBLIC.items() if not name.startswith("login")),
    (DX, "edit-plan", _go(f"{SHEET}/edit?fy=2023")),
    (DX, "rounds", _with_round(f"{PLAN}/rounds")),
    (DX, "round", _with_round(f"{PLAN}/rounds/2024")),
    (EDITOR, "department-round", _with_round(None)),
    (DX, "workbook-problems", _workbook_upload(bad=True)),
    (DX, "workbook-imported", _workbook_upload(bad=False)),
    (EDITOR, "initiative", _go(OWN_SHEET)),
    (EDITOR, "initiative-evaluation", _evaluation_forms),
    (EDITOR, "edit-report", _go(f"{OWN_SHEET}/edit?fy=2024")),
    (EDITOR, "forbidden", _go(f"{OTHER_SHEET}/edit")),
    (EDITOR, "department", _department),
    (EDITOR, "revisions", _go(REVISIONS)),
    (ISEHARA_DX, "glossary-draft", _go(f"{ISEHARA_PLAN}/glossary")),
    (ISEHARA_DX, "revisions-open", _open_revision),
]


@pytest.fixture(scope="module")
def revised(site: Site) -> None:
    """秦野市's plan revised once since its import (an initiative added, a target raised, one
    ended), for the diff and the as-of pages; 伊勢原市's with an open revision that has a change."""
    with site.sessions.begin() as session:
        context = Context(SYSTEM, HADANO)
        open_revision(session, context, "hadano-ict-plan", date="2026-04", version="第3.0版")
        new = {"code": "1-1-(9)", "title": "書かない窓口の導入", "new_in_revision": True}
        new["overview"] = "申請書を書かずに手続ができる窓口を導入します。"
        new["lead_departments"] = ["戸籍住民課", "デジタル推進課"]
        add_initiative(session, context, "hadano-ict-plan", new, "1-1")
        for code, change in (("1-1-(2)", "target"), ("1-1-(4)", "end")):
            initiative = find_initiative(session, HADANO, "hadano-ict-plan", code)
            assert initiative is not None
            form = initiative_form(initiative, FormOptions())
            if change == "target":
                form["indicators"][0]["targets"]["2025"] = {"text": "90%", "value": 90}
            else:
                form["terminated"] = {"reason": "電子図書館に統合したため", "successor": "1-1-(9)"}
            version = initiative.row_version
            update_initiative(session, context, "hadano-ict-plan", code, form, version)
        adopt_revision(session, context, "hadano-ict-plan")

        context = Context(SYSTEM, ISEHARA)
        plan_id = "isehara-ict-action-plan"
        open_revision(session, context, plan_id, date="2027-04", version="第2.0版")
        new = {"code": "1-99", "title": "窓口のオンライン予約", "new_in_revision": True}
        add_initiative(session, context, plan_id, new, "1")


@pytest.fixture(scope="module")
def logged_in(browser: Browser, site: Site) -> dict[str, StorageState]:
    """Each staff user's cookies, logged in once."""
    states: dict[str, StorageState] = {}
    for login in (DX, EDITOR, ISEHARA_DX):
        context = new_context(browser, site)
        log_in(context.new_page(), login)
        states[login] = context.storage_state()
        context.close()
    return states


def describe(violations: list[dict[str, Any]]) -> str:
    """axe's violations, one rule a paragraph with the elements it found."""
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"    {violation['helpUrl']}")
        for node in violation["nodes"][:10]:
            lines.append(f"    - {' '.join(map(str, node['target']))}")
            lines.append(f"      {node['html'][:200]}")
            for summary in node.get("failureSummary", "").splitlines():
                lines.append(f"        {summary}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    … and {len(violation['nodes']) - 10} more elements")
    return "\n".join(lines)


def _axe_violations(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(path=AXE)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    violations: list[dict[str, Any]] = result["violations"]
    return violations


@pytest.mark.parametrize(
    ("login", "visit"),
    [pytest.param(login, visit, id=f"{name}-{login or 'public'}") for login, name, visit in CASES],
)
def test_page_has_no_wcag_violations(
    browser: Browser,
    site: Site,
    logged_in: dict[str, StorageState],
    revised: None,
    login: str | None,
    visit: Visit,
) -> None:
    context = new_context(
        browser, site, bypass_csp=True, storage_state=logged_in[login] if login else None
    )
    try:
        page = context.new_page()
        visit(page, site)
        if login:
            assert page.locator(".who").count() == 1, "not logged in"
        violations = _axe_violations(page)
        assert not violations, f"{page.url}\n{describe(violations)}"
    finally:
        context.close()


@pytest.mark.parametrize(
    ("login", "visit"),
    [
        (None, _go(PLAN)),
        (None, _go(SHEET)),
        (EDITOR, _go(f"{OWN_SHEET}/edit?fy=2024")),
        (ISEHARA_DX, _open_revision),
        (None, _go(REVISIONS)),
        (None, _diff),
        (None, _go(f"/municipalities/{HADANO}")),
        (EDITOR, _department),
    ],
    ids=[
        "plan",
        "initiative",
        "edit-report",
        "revisions-open",
        "revisions",
        "diff",
        "municipality",
        "department",
    ],
)
def test_page_on_a_phone_has_no_wcag_violations(
    browser: Browser,
    site: Site,
    logged_in: dict[str, StorageState],
    revised: None,
    login: str | None,
    visit: Visit,
) -> None:
    context = new_context(
        browser,
        site,
        bypass_csp=True,
        storage_state=logged_in[login] if login else None,
        viewport={"width": 390, "height": 844},
    )
    try:
        page = context.new_page()
        visit(page, site)
        violations = _axe_violations(page)
        assert not violations, f"{page.url}\n{describe(violations)}"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page is {width}px wide on a 390px screen"
    finally:
        context.close()
