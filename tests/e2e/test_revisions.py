"""A revision of the plan, end to end in the browser: the DX division opens one on the 改訂履歴
page, adds an initiative, raises a target and ends an initiative on their edit pages, adopts it;
the public then sees it in the 改訂履歴, in the diff between two revisions and in the plan as it
stood. A department editor is offered none of it.

In a module of its own: its tests change the module's data (the plan gets a revision).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from browser_support import PLAN, log_in
from web_support import HADANO

pytestmark = pytest.mark.e2e

REVISIONS = f"{PLAN}/revisions"
RAISED = f"{PLAN}/initiatives/1-1-%282%29"  # スマート窓口の導入: 利用率 55% in 2025
ENDED = f"{PLAN}/initiatives/1-1-%284%29"  # マイナンバーカードの図書館カード利用の検討


def test_a_department_editor_is_not_offered_a_revision_and_is_refused_one(page: Page) -> None:
    log_in(page, f"{HADANO}-department_editor")
    page.goto(REVISIONS)
    expect(page.get_by_role("heading", level=1)).to_have_text("改訂履歴")
    expect(page.get_by_role("button", name="改訂を開始する")).to_have_count(0)
    expect(page.locator(f"form[action$='{REVISIONS}/open']")).to_have_count(0)
    expect(page.get_by_text("作業中の改訂")).to_have_count(0)

    # The form forged into the page (with the session's own CSRF token): the 403 page.
    page.evaluate(
        """action => {
            const form = document.createElement("form");
            form.method = "post";
            form.action = action;
            const token = document.querySelector("input[name=csrf_token]").cloneNode();
            const date = document.createElement("input");
            Object.assign(date, {name: "date", value: "2026-04"});
            form.append(token, date);
            document.body.append(form);
            form.submit();
        }""",
        f"{REVISIONS}/open",
    )
    page.wait_for_url(f"**{REVISIONS}/open")
    expect(page).to_have_title("この操作は許可されていません | dxplan 自治体DX推進計画")
    expect(page.get_by_role("heading", level=1)).to_have_text("この操作は許可されていません")
    page.goto(REVISIONS)
    expect(page.get_by_text("作業中の改訂")).to_have_count(0)  # nothing was opened


def test_the_dx_division_revises_the_plan_and_the_public_sees_the_revision(page: Page) -> None:
    log_in(page, f"{HADANO}-dx_division")
    page.goto(REVISIONS)

    # Open a revision.
    page.get_by_label("改定日").fill("2026-04")
    page.get_by_label("版（例：第3.0版）").fill("第3.0版")
    page.get_by_label("改訂の概要").fill("窓口のデジタル化を進めるための改訂")
    page.get_by_role("button", name="改訂を開始する").click()
    expect(page.get_by_role("status")).to_have_text("改訂「第3.0版」を開始しました。")
    expect(page.get_by_role("heading", name="作業中の改訂")).to_contain_text("第3.0版")
    expect(page.get_by_text("まだ変更はありません。")).to_be_visible()

    # Add an initiative with the form inside its <details>.
    adding = page.locator("details", has=page.get_by_text("取組を追加する", exact=True).first)
    adding.locator("summary").click()
    adding.get_by_label("区分").select_option("1-1")
    adding.get_by_label("番号（例：1-2-(9)）").fill("1-1-(9)")
    adding.get_by_label("取組名").fill("書かない窓口の導入")
    adding.get_by_label("主管課").fill("戸籍住民課、デジタル推進課")
    adding.get_by_label("概要").fill("申請書を書かずに手続ができる窓口を導入します。")
    adding.get_by_role("button", name="取組を追加する").click()
    expect(page.get_by_role("status")).to_have_text(
        "取組「1-1-(9) 書かない窓口の導入」を追加しました。"
    )
    changes = page.get_by_role("table", name="この改訂での変更")
    expect(changes.get_by_role("row", name="1-1-(9)")).to_contain_text("新規")

    # Raise a target on the initiative's edit page: the plan's fields are offered in a revision.
    page.goto(f"{RAISED}/edit?fy=2025")
    expect(page.get_by_text("作業中の改訂「第3.0版（令和8年4月）」に記録されます")).to_be_visible()
    target = page.get_by_label("目標値")
    expect(target).to_have_value("55%")
    target.fill("90%")
    page.get_by_role("button", name="保存する").click()
    page.wait_for_url(f"**{RAISED}")
    expect(page.get_by_role("status")).to_have_text("1件の変更を保存しました。")

    # End another, naming the new one as its successor.
    page.goto(f"{ENDED}/edit?fy=2025")
    page.get_by_label("計画終了の理由").fill("電子図書館に統合したため")
    page.get_by_label("後継の取組の番号").fill("1-1-(9)")
    page.get_by_role("button", name="保存する").click()
    page.wait_for_url(f"**{ENDED}")
    # terminated, its reason and its successor
    expect(page.get_by_role("status")).to_have_text("3件の変更を保存しました。")

    # The open revision lists the three changes; adopt it.
    page.goto(REVISIONS)
    expect(page.get_by_role("table", name="この改訂での変更（3件）")).to_be_visible()
    page.get_by_role("button", name="この改訂を確定する").click()
    expect(page.get_by_role("status")).to_have_text(
        "改訂「第3.0版」を確定し、改訂履歴に加えました。"
    )
    expect(page.get_by_text("作業中の改訂")).to_have_count(0)
    page.get_by_role("button", name="ログアウト").click()
    page.wait_for_url(lambda url: url.endswith("/"))

    # The public 改訂履歴: the new revision with its three changes.
    page.goto(REVISIONS)
    expect(page.get_by_role("link", name="職員ログイン")).to_be_visible()
    history = page.get_by_role("table", name="改訂履歴")
    newest = history.locator("tbody th").last  # the newest revision comes last (.last below)
    expect(newest).to_contain_text("令和8年4月")
    expect(newest).to_contain_text("第3.0版")
    added_row = (
        history.get_by_role("row")
        .filter(has=page.get_by_role("link", name="1-1-(9)", exact=True))
        .last
    )
    expect(added_row).to_contain_text("新規")
    expect(added_row).to_contain_text("書かない窓口の導入")
    ended_row = (
        history.get_by_role("row")
        .filter(has=page.get_by_role("link", name="1-1-(4)", exact=True))
        .last
    )
    expect(ended_row).to_contain_text("終了")
    expect(ended_row).to_contain_text("後継: 1-1-(9)")
    expect(ended_row).to_contain_text("電子図書館に統合したため")
    raised_row = (
        history.get_by_role("row")
        .filter(has=page.get_by_role("link", name="1-1-(2)", exact=True))
        .last
    )
    expect(raised_row).to_contain_text("指標『利用率』の2025年度目標値を 55% → 90% に変更")

    # The diff between the revision before and the new one.
    comparing = page.get_by_role("heading", name="改訂の間の変更を比べる")
    expect(comparing).to_be_visible()
    expect(page.get_by_label("比較先")).to_contain_text("第3.0版")
    page.get_by_role("button", name="比べる").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("改訂の比較")
    expect(page.get_by_role("heading", name="追加された取組（1件）")).to_be_visible()
    expect(page.get_by_role("link", name="1-1-(9) 書かない窓口の導入")).to_be_visible()
    expect(page.get_by_role("heading", name="終了した取組（1件）")).to_be_visible()
    ended = page.get_by_role("listitem").filter(has_text="1-1-(4)")
    expect(ended).to_contain_text("マイナンバーカードの図書館カード利用の検討")
    expect(ended).to_contain_text("計画終了：電子図書館に統合したため")
    expect(ended).to_contain_text("後継：1-1-(9)")
    targets = page.get_by_role("table", name="変更された目標値")
    row = targets.get_by_role("row").filter(has_text="1-1-(2)")
    expect(row.get_by_role("rowheader")).to_have_text("1-1-(2) 利用率")
    expect(row.get_by_role("cell")).to_have_text(["2025年度（令和7年度）", "55%", "90%"])
    expect(ended.get_by_role("link", name="1-1-(9)")).to_be_visible()  # the successor

    # The plan as it stood at the new revision, and the new initiative's sheet then.
    page.goto(REVISIONS)
    page.get_by_role("link", name="この時点の計画").last.click()
    expect(page.get_by_text("令和8年4月 第3.0版 の時点の計画です")).to_be_visible()
    initiatives = page.get_by_role("table", name="取組一覧")
    link = initiatives.get_by_role("link", name="書かない窓口の導入")
    expect(link).to_be_visible()
    link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("書かない窓口の導入")
    expect(page.get_by_text("第3.0版 の時点の内容です")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(
        "申請書を書かずに手続ができる窓口を導入します。"
    )
