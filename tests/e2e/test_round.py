"""A whole reporting round in the browser: the DX division opens it, reminders reach the
editor through a real SMTP server, the editor submits, the DX division returns it with a
comment, the editor fixes and resubmits, the DX division accepts, the committee approves (the
year is locked) and the DX division corrects the locked year with a reason."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from click.testing import CliRunner, Result
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import update

from dxplan.accounts.context import Context
from dxplan.accounts.models import User
from dxplan.cli import cli
from dxplan.reporting.queries import round_dashboard
from dxplan.reporting.services import accept_report, submit_report
from smtp_support import Mailbox, smtp_server

from browser_support import PLAN, Site, log_in, new_context
from support import SYSTEM
from web_support import EDITOR_DEPARTMENT, HADANO

pytestmark = pytest.mark.e2e

__all__ = ["smtp_server"]

EDITOR, DX, COMMITTEE = (f"{HADANO}-{r}" for r in ("department_editor", "dx_division", "committee"))
EDITOR_MAIL = "editor@example.jp"
ROUND = f"{PLAN}/rounds/2024"
SHEET = f"{PLAN}/initiatives/1-1-%282%29"
DUE = datetime.date(2025, 5, 31)
SUBJECT = "秦野市ICT推進計画 個別事業一覧 2024年度実績報告"


def _remind(database_url: str, day: str) -> Result:
    result = CliRunner().invoke(
        cli, ["--database-url", database_url, "remind", "--date", day], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return result


def _as(browser: Browser, site: Site, login: str) -> Iterator[Page]:
    context = new_context(browser, site)
    page = context.new_page()
    log_in(page, login)
    yield page
    context.close()


def _report_actual(page: Page, value: str, reason: str | None = None) -> None:
    page.goto(f"{SHEET}/edit?fy=2024")
    page.locator("#indicator-0-actual").fill(value)
    if reason is not None:
        page.get_by_label("訂正の理由").fill(reason)
    page.get_by_role("button", name="保存する").click()
    page.wait_for_url(f"**{SHEET}")


def test_a_whole_round_with_reminders_return_approval_and_a_correction(
    browser: Browser, site: Site, smtp_server: Mailbox, database_url: str
) -> None:
    with site.sessions.begin() as session:
        session.execute(update(User).where(User.login == EDITOR).values(email=EDITOR_MAIL))
    department = site.department_id(EDITOR_DEPARTMENT)

    # The DX division opens the round from the plan page.
    for dx in _as(browser, site, DX):
        dx.goto(PLAN)
        dx.get_by_role("link", name="実績報告（提出状況）").click()
        dx.get_by_label("年度").select_option("2024")
        dx.get_by_label("提出期限").fill("2025-05-31")
        dx.get_by_role("button", name="実績報告を開始する").click()
        dx.wait_for_url(f"**{ROUND}")
        expect(dx.get_by_role("status")).to_have_text("2024年度の実績報告を開始しました。")
        row = dx.locator(f"#department-{department}")
        expect(row).to_contain_text("未提出")

    # A week before the due date the editor is reminded, once.
    assert "1 reminders sent" in _remind(database_url, "2025-05-24").output
    assert _remind(database_url, "2025-05-24").output.startswith("0 reminders sent")
    assert smtp_server.subjects_to(EDITOR_MAIL) == [f"【dxplan】{SUBJECT}の提出期限まであと7日です"]

    # The editor reports and submits from the department page.
    for editor in _as(browser, site, EDITOR):
        _report_actual(editor, "30%")
        editor.goto(f"/municipalities/{HADANO}/departments/{department}")
        expect(editor.get_by_text("提出期限 2025-05-31")).to_be_visible()
        editor.get_by_role("button", name="実績を提出する").click()
        expect(editor.locator(".notice-success")).to_contain_text("実績を提出しました。")
        expect(editor.locator("#round-hadano-ict-plan-2024")).to_contain_text("提出済")

    # The DX division returns it with a comment.
    for dx in _as(browser, site, DX):
        dx.goto(ROUND)
        dx.get_by_text(f"{EDITOR_DEPARTMENT}の報告を差し戻す").click()
        dx.get_by_label("差し戻す理由").fill("利用率の算定根拠を実績に書いてください。")
        dx.get_by_role("button", name="差し戻す", exact=True).click()
        expect(dx.get_by_role("status")).to_have_text(
            f"{EDITOR_DEPARTMENT}の報告を差し戻しました。"
        )
        expect(dx.locator(f"#department-{department}")).to_contain_text("差戻し")

    # Overdue, returned: the editor is reminded again, with the comment.
    assert "1 reminders sent" in _remind(database_url, "2025-06-01").output
    late = smtp_server.messages[-1]
    assert late["Subject"] == f"【dxplan】{SUBJECT}の提出期限を1日過ぎています"
    assert "利用率の算定根拠を実績に書いてください。" in late.get_content()

    # The editor sees the comment, fixes the report and submits again.
    for editor in _as(browser, site, EDITOR):
        editor.goto(f"/municipalities/{HADANO}/departments/{department}")
        expect(editor.get_by_text("差し戻されました。理由：利用率の算定根拠")).to_be_visible()
        _report_actual(editor, "48%")
        editor.goto(f"/municipalities/{HADANO}/departments/{department}")
        editor.get_by_role("button", name="実績を提出する").click()
        expect(editor.locator("#round-hadano-ict-plan-2024")).to_contain_text("提出済")

    # The DX division accepts it; the other departments' reports are accepted as well.
    for dx in _as(browser, site, DX):
        dx.goto(ROUND)
        dx.get_by_role("button", name=f"{EDITOR_DEPARTMENT}の報告を承認する").click()
        expect(dx.locator(f"#department-{department}")).to_contain_text("承認済")
    with site.sessions.begin() as session:
        board = round_dashboard(session, SYSTEM, HADANO, "hadano-ict-plan", 2024, today=DUE)
        acting = Context(SYSTEM, HADANO)
        for row in board.departments:
            if row.name != EDITOR_DEPARTMENT:
                submit_report(session, acting, "hadano-ict-plan", 2024, row.department_id)
                accept_report(session, acting, "hadano-ict-plan", 2024, row.department_id)

    # The committee approves: the year is locked.
    for committee in _as(browser, site, COMMITTEE):
        committee.goto(ROUND)
        expect(committee.get_by_role("button", name="差し戻す")).to_have_count(0)
        committee.get_by_role("button", name="推進委員会として承認し、確定する").click()
        expect(committee.get_by_role("status")).to_have_text(
            "2024年度の実績報告を承認し、確定しました。"
        )
        expect(committee.locator(".facts")).to_contain_text("確定（推進委員会承認済）")

    # The editor can no longer change 2024; the DX division corrects it with a reason.
    for editor in _as(browser, site, EDITOR):
        editor.goto(f"{SHEET}/edit?fy=2024")
        editor.locator("#indicator-0-actual").fill("50%")
        editor.get_by_role("button", name="保存する").click()
        expect(editor.get_by_role("heading", level=1)).to_contain_text("許可されていません")
    for dx in _as(browser, site, DX):
        dx.goto(f"{SHEET}/edit?fy=2024")
        dx.locator("#indicator-0-actual").fill("50%")
        dx.get_by_role("button", name="保存する").click()
        expect(dx.get_by_role("alert")).to_contain_text("訂正する理由を入力してください")
        _report_actual(dx, "50%", reason="集計に誤りがあったため訂正")
        history = dx.get_by_role("table", name="この取組の変更履歴（新しい順）")
        expect(history).to_contain_text("確定後の訂正理由：集計に誤りがあったため訂正")
        dx.goto(ROUND)
        corrections = dx.get_by_role("table", name="確定後の訂正と理由")
        expect(corrections).to_contain_text("集計に誤りがあったため訂正")
        expect(corrections).to_contain_text("indicators[0].actuals.2024")
        emails = dx.get_by_role("table", name="この実績報告で送信したメール（新しい順）")
        expect(emails.get_by_role("row")).to_have_count(3)  # the header and the two reminders
        expect(emails).to_contain_text(f"{SUBJECT}の提出期限を1日過ぎています")
    assert len(smtp_server.messages) == 2
