"""`dxplan round …` and `dxplan remind` on the demo data, with a real SMTP server."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from dxplan.accounts.models import User
from dxplan.cli import cli
from dxplan.db import create_db_engine
from dxplan.reporting.models import EmailLog
from dxplan.settings import get_settings
from smtp_support import Mailbox, smtp_server

__all__ = ["smtp_server"]

HADANO, PLAN = "142115", "hadano-ict-plan"
EDITOR = "図書館"  # the department of the demo user 142115-editor


def run(database_url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--database-url", database_url, *args], catch_exceptions=False)


@pytest.fixture
def demo_url(database_url: str, engine: Engine) -> str:
    result = run(database_url, "demo")
    assert result.exit_code == 0, result.output
    return database_url


def _round(url: str, *args: str) -> Result:
    return run(url, "round", *args[:1], HADANO, PLAN, "--fy", "2024", *args[1:])


def test_a_round_from_the_command_line(demo_url: str) -> None:
    opened = _round(demo_url, "open", "--due", "2025-05-31")
    assert opened.exit_code == 0, opened.output
    assert opened.output.startswith("opened the 2024 round of hadano-ict-plan, due 2025-05-31")
    status = json.loads(_round(demo_url, "status", "--json", "--date", "2025-06-01").stdout)
    library = next(d for d in status["departments"] if d["name"] == EDITOR)
    assert library["state"] == "not_submitted"
    assert library["overdue"]
    assert status["counts"]["not_submitted"] == len(status["departments"])
    returned = _round(demo_url, "return", "--department", EDITOR, "--comment", "x")
    assert returned.exit_code == 1
    assert "差戻しできるのは提出済・承認済の報告です（いまは未提出）" in returned.output
    assert _round(demo_url, "submit", "--department", EDITOR).output == f"{EDITOR}: submitted\n"
    assert _round(demo_url, "return", "--department", EDITOR).exit_code == 1  # no comment
    result = _round(demo_url, "return", "--department", EDITOR, "--comment", "根拠を追記")
    assert result.output == f"{EDITOR}: returned\n"
    text = _round(demo_url, "status").stdout
    assert f"  returned      {EDITOR}  missing" in text
    assert "(根拠を追記)" in text
    refused = _round(demo_url, "approve")
    assert refused.exit_code == 1
    assert "すべての課の報告が承認済みになると承認できます" in refused.output
    for department in status["departments"]:
        name = department["name"]
        assert _round(demo_url, "submit", "--department", name).exit_code == 0
    for department in status["departments"]:
        assert _round(demo_url, "accept", "--department", department["name"]).exit_code == 0
    approved = _round(demo_url, "approve")
    assert approved.output == "approved the 2024 round of hadano-ict-plan: 2024 is locked\n"
    assert json.loads(_round(demo_url, "status", "--json").stdout)["state"] == "approved"


def test_remind_needs_an_smtp_server(demo_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DXPLAN_SMTP_HOST", raising=False)
    get_settings.cache_clear()
    result = run(demo_url, "remind")
    assert result.exit_code == 1
    assert result.output.startswith("error: no SMTP server: set DXPLAN_SMTP_HOST")


def test_remind_sends_each_reminder_once_to_the_editors_of_waiting_departments(
    demo_url: str, smtp_server: Mailbox
) -> None:
    _round(demo_url, "open", "--due", "2025-05-31")
    _round(demo_url, "submit", "--department", "デジタル推進課")
    assert run(demo_url, "remind", "--date", "2025-05-20").output.startswith("0 reminders sent")
    first = run(demo_url, "remind", "--date", "2025-05-24")
    assert first.exit_code == 0, first.output
    assert "142115-editor@example.jp" in first.output
    assert "1 reminders sent, 0 failed" in first.output
    [message] = smtp_server.messages
    assert message["To"] == "142115-editor@example.jp"
    assert message["From"] == "dx@example.jp"
    assert (
        message["Subject"]
        == "【dxplan】秦野市ICT推進計画 個別事業一覧 2024年度実績報告の提出期限まであと7日です"
    )
    body = message.get_content()
    assert "図書館 ご担当者様" in body
    assert "2025-05-31" in body
    assert "/municipalities/142115/plans/hadano-ict-plan/rounds/2024" in body
    again = run(demo_url, "remind", "--date", "2025-05-24")
    assert again.output.startswith("0 reminders sent")
    assert len(smtp_server.messages) == 1
    late = run(demo_url, "remind", "--date", "2025-06-01")
    assert "提出期限を1日過ぎています" in late.output
    assert len(smtp_server.messages) == 2
    engine = create_db_engine(demo_url)
    try:
        with Session(engine) as session:
            log = session.scalars(select(EmailLog).order_by(EmailLog.id)).all()
    finally:
        engine.dispose()
    assert [(e.recipient, e.kind, e.reminder_key, e.outcome) for e in log] == [
        ("142115-editor@example.jp", "reminder_before", "before-7", "sent"),
        ("142115-editor@example.jp", "reminder_overdue", "overdue-1", "sent"),
    ]


def test_a_reminder_that_cannot_be_sent_is_logged_as_failed(
    demo_url: str, smtp_server: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    _round(demo_url, "open", "--due", "2025-05-31")
    monkeypatch.setenv("DXPLAN_SMTP_PORT", "1")  # nothing listens there
    get_settings.cache_clear()
    result = run(demo_url, "remind", "--date", "2025-05-30")
    assert result.exit_code == 1
    assert "0 reminders sent, 1 failed" in result.output
    engine = create_db_engine(demo_url)
    try:
        with Session(engine) as session:
            [entry] = session.scalars(select(EmailLog)).all()
    finally:
        engine.dispose()
    assert entry.outcome == "failed"
    assert entry.error


def test_user_add_takes_an_email_address_and_refuses_a_bad_one(demo_url: str) -> None:
    args = ["user", "add", "katsuta", "--municipality", HADANO, "--role", "department_editor"]
    password = "a long enough password\n"
    bad = CliRunner().invoke(
        cli,
        ["--database-url", demo_url, *args, "--department", EDITOR, "--email", "katsuta"],
        input=password,
    )
    assert bad.exit_code == 1
    assert "email（メールアドレス）：「katsuta」" in bad.output
    good = CliRunner().invoke(
        cli,
        ["--database-url", demo_url, *args, "--department", EDITOR, "--email", "k@example.jp"],
        input=password,
    )
    assert good.exit_code == 0, good.output
    engine = create_db_engine(demo_url)
    try:
        with Session(engine) as session:
            email = session.scalars(select(User.email).where(User.login == "katsuta")).one()
    finally:
        engine.dispose()
    assert email == "k@example.jp"
