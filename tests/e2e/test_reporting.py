"""A department's yearly report, end to end in the browser: logging in with the keyboard, the
report form, the public page, the 403 page, and two people editing the same initiative."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from browser_support import PLAN, Site, log_in, new_context
from web_support import HADANO, PASSWORD

pytestmark = pytest.mark.e2e

SHEET = f"{PLAN}/initiatives/1-1-%282%29"  # 戸籍住民課 leads it: the editor's department
OTHER = f"{PLAN}/initiatives/1-2-%281%29"  # 広報広聴課's


def _tab_to(page: Page, selector: str, presses: int = 30) -> None:
    """Press Tab until the element is focused (as someone without a mouse would)."""
    target = page.locator(selector)
    for _ in range(presses):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{selector} never got the focus with Tab")


def test_an_editor_logs_in_with_the_keyboard_reports_and_the_public_sees_it(page: Page) -> None:
    page.goto(SHEET)
    _tab_to(page, "a:text('職員ログイン')")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login?next=" in url)
    _tab_to(page, "#login")
    page.keyboard.type(f"{HADANO}-department_editor")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{SHEET}")
    expect(page.locator(".who")).to_contain_text(f"{HADANO}-department_editor（担当課編集者）")

    page.get_by_role("link", name="実績を報告する").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("実績の報告")
    page.get_by_label("報告する年度").select_option("2024")
    page.get_by_role("button", name="年度を切り替える").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2024年度")
    expect(page.get_by_label("取組名")).to_have_count(0)  # the plan itself is not the editor's

    page.locator("#activity-0-status").select_option("概ね順調")
    page.locator("#activity-0-actual").fill("「書かない窓口」システムを導入しました。")
    page.locator("#indicator-0-actual").fill("38%")
    page.get_by_label("取組結果").fill(
        "窓口で申請書を自動で印字し、来庁者の記入の手間を減らしました。"
    )
    page.get_by_role("button", name="保存する").click()
    page.wait_for_url(f"**{SHEET}")
    expect(page.get_by_role("status")).to_have_text("4件の変更を保存しました。")

    page.get_by_role("button", name="ログアウト").click()
    page.wait_for_url(lambda url: url.endswith("/"))
    page.goto(SHEET)
    expect(page.get_by_role("link", name="職員ログイン")).to_be_visible()
    expect(page.get_by_role("link", name="実績を報告する")).to_have_count(0)
    schedule = page.get_by_role("table", name="取組内容ごとの計画・実績・進捗状況")
    row = schedule.get_by_role("row", name="導入方針の決定及び導入")
    expect(row).to_contain_text("進捗：概ね順調")
    expect(row).to_contain_text("実績：「書かない窓口」システムを導入しました。")
    indicator = page.get_by_role("table", name="利用率（単位：%）")
    expect(indicator.get_by_role("row", name="実績値")).to_contain_text("38%")
    results = page.locator(".results")
    expect(results).to_contain_text("2024年度（令和6年度）")
    expect(results).to_contain_text("窓口で申請書を自動で印字し")


def test_an_editor_gets_the_japanese_forbidden_page_for_another_departments_initiative(
    page: Page,
) -> None:
    log_in(page, f"{HADANO}-department_editor")
    response = page.goto(f"{OTHER}/edit")
    assert response is not None
    assert response.status == 403
    expect(page).to_have_title("この操作は許可されていません | dxplan 自治体DX推進計画")
    expect(page.get_by_role("heading", level=1)).to_have_text("この操作は許可されていません")
    expect(page.get_by_role("main")).to_contain_text("この取組を編集する権限がありません。")
    page.goto(OTHER)
    expect(page.get_by_role("link", name="実績を報告する")).to_have_count(0)


def test_a_stale_edit_from_a_second_window_is_refused_with_the_current_values(
    browser: Browser, site: Site
) -> None:
    first, second = new_context(browser, site), new_context(browser, site)
    try:
        mine, theirs = first.new_page(), second.new_page()
        for page in (mine, theirs):
            log_in(page, f"{HADANO}-dx_division")
            page.goto(f"{PLAN}/initiatives/1-1-%281%29/edit?fy=2023")
        theirs.get_by_label("取組結果").fill("先に保存した取組結果です。")
        theirs.get_by_role("button", name="保存する").click()
        expect(theirs.get_by_role("status")).to_have_text("1件の変更を保存しました。")

        mine.get_by_label("取組結果").fill("後から保存しようとした取組結果です。")
        with mine.expect_response(lambda r: r.request.method == "POST") as posted:
            mine.get_by_role("button", name="保存する").click()
        assert posted.value.status == 412
        alert = mine.get_by_role("alert")
        expect(alert).to_contain_text("保存できませんでした。")
        expect(alert).to_contain_text("ほかの人が更新しました")
        expect(mine.get_by_label("取組結果")).to_have_value("先に保存した取組結果です。")

        # Saving again from the refreshed form works: it carries the current version.
        mine.get_by_label("取組結果").fill("確認してから保存した取組結果です。")
        mine.get_by_role("button", name="保存する").click()
        expect(mine.get_by_role("status")).to_have_text("1件の変更を保存しました。")
        expect(mine.locator(".results")).to_contain_text("確認してから保存した取組結果です。")
    finally:
        first.close()
        second.close()
