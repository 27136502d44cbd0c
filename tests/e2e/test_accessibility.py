"""Every page type passes axe-core's WCAG 2.1 A and AA rules, for the public and for staff.

axe is injected into the page, which the Content-Security-Policy (script-src 'self') forbids:
these tests alone bypass it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Page, StorageState

from dxplan.interchange.importer import import_package
from dxplan.plans.queries import plan_row

from browser_support import PLAN, ROOT, Site, log_in, new_context
from support import SYSTEM, load_demo_package
from web_support import HADANO

pytestmark = pytest.mark.e2e

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
EDITOR, DX = f"{HADANO}-department_editor", f"{HADANO}-dx_division"
SHEET = f"{PLAN}/initiatives/1-1-%281%29"
OWN_SHEET = f"{PLAN}/initiatives/1-1-%282%29"  # led by the editor's department
OTHER_SHEET = f"{PLAN}/initiatives/1-2-%281%29"

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


REFORM = "hiratsuka-reform-plan-2020-2023"


def _reform_check(page: Page, site: Site) -> None:
    """数値の検算 of 平塚市's reform plan (seed 002), whose findings fill the table."""
    with site.sessions.begin() as session:
        if plan_row(session, "142034", REFORM) is None:
            doc = load_demo_package(REFORM)
            import_package(session, doc, source="t", actor=SYSTEM, publish=True)
    page.goto(f"/municipalities/142034/plans/{REFORM}/check")


PUBLIC: dict[str, Visit] = {
    "home": _go("/"),
    "plan": _go(PLAN),
    "plan-filtered": _go(f"{PLAN}?department={quote('戸籍住民課')}&sort=status"),
    "initiative": _go(SHEET),
    "department": _department,
    "check": _reform_check,
    "login": _go("/login"),
    "login-error": _failed_login,
    "not-found": _go("/no/such/page"),
}
CASES: list[tuple[str | None, str, Visit]] = [
    *((None, name, visit) for name, visit in PUBLIC.items()),
    (None, "forbidden", _forbidden_form_post),
    *((DX, name, visit) for name, visit in PUBLIC.items() if not name.startswith("login")),
    (DX, "edit-plan", _go(f"{SHEET}/edit?fy=2023")),
    (EDITOR, "initiative", _go(OWN_SHEET)),
    (EDITOR, "edit-report", _go(f"{OWN_SHEET}/edit?fy=2024")),
    (EDITOR, "forbidden", _go(f"{OTHER_SHEET}/edit")),
]


@pytest.fixture(scope="module")
def logged_in(browser: Browser, site: Site) -> dict[str, StorageState]:
    """Each staff user's cookies, logged in once."""
    states: dict[str, StorageState] = {}
    for login in (DX, EDITOR):
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
    ("login", "path"),
    [(None, PLAN), (None, SHEET), (EDITOR, f"{OWN_SHEET}/edit?fy=2024")],
    ids=["plan", "initiative", "edit-report"],
)
def test_page_on_a_phone_has_no_wcag_violations(
    browser: Browser,
    site: Site,
    logged_in: dict[str, StorageState],
    login: str | None,
    path: str,
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
        page.goto(path)
        violations = _axe_violations(page)
        assert not violations, f"{page.url}\n{describe(violations)}"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page is {width}px wide on a 390px screen"
    finally:
        context.close()
