"""The dxplan command, through click's runner and as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine, func, inspect, make_url, select, text
from sqlalchemy.orm import Session

from dxplan.accounts.models import User
from dxplan.accounts.rules import Role
from dxplan.accounts.services import LoginRefusedError, log_in
from dxplan.audit.models import AuditEntry
from dxplan.cli import cli
from dxplan.db import Base, create_db_engine
from dxplan.demo.users import DEMO_PASSWORD

from support import DEMO_PLAN_IDS, load_demo_package, without_uids

DEMO_PLANS = {
    "hadano-ict-plan": ("142115", 62),
    "hiratsuka-digital-policy": ("142034", 67),
    "hiratsuka-dx-action-plan-results": ("142034", 44),
    "hiratsuka-reform-plan-2020-2023": ("142034", 37),
    "isehara-ict-action-plan": ("142140", 36),
}


def run(database_url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--database-url", database_url, *args], catch_exceptions=False)


@pytest.fixture
def demo_url(database_url: str, engine: Engine) -> str:
    """The test database with the demo loaded (the demo resets it first)."""
    result = run(database_url, "demo")
    assert result.exit_code == 0, result.output
    return database_url


def test_demo_loads_all_five_seed_plans(demo_url: str) -> None:
    result = run(demo_url, "list", "--json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert {row["plan"]: (row["municipality"], row["initiatives"]) for row in rows} == DEMO_PLANS
    assert all(
        set(row) == {"municipality", "plan", "title", "initiatives", "published"} for row in rows
    )
    assert all(row["published"] for row in rows)  # the demo publishes all five
    titles = {row["plan"]: row["title"] for row in rows}
    assert titles["hadano-ict-plan"] == "秦野市ICT推進計画 個別事業一覧"


def test_demo_creates_one_user_per_role_in_each_municipality(demo_url: str) -> None:
    engine = create_db_engine(demo_url)
    try:
        with Session(engine) as session:
            users = session.scalars(select(User)).all()
            roles = {(u.municipality.code, u.roles[0].role.value) for u in users}
            editors = [u for u in users if u.roles[0].role is Role.DEPARTMENT_EDITOR]
            assert all(len(u.departments) == 1 for u in editors)
            assert log_in(session, "142115-editor", DEMO_PASSWORD).department_ids
    finally:
        engine.dispose()
    assert roles == {(code, role.value) for code in ("142034", "142115", "142140") for role in Role}


def test_demo_twice_resets_instead_of_duplicating(demo_url: str) -> None:
    assert run(demo_url, "demo").exit_code == 0
    rows = json.loads(run(demo_url, "list", "--json").stdout)
    assert len(rows) == 5


def test_list_prints_one_line_per_plan_with_counts(demo_url: str) -> None:
    lines = run(demo_url, "list").stdout.splitlines()
    assert len(lines) == 5
    hadano = next(line for line in lines if "hadano-ict-plan" in line)
    assert hadano.startswith("142115 秦野市")
    assert "initiatives 62" in hadano
    assert "indicators 93" in hadano


@pytest.mark.parametrize("plan_id", DEMO_PLAN_IDS)
def test_export_after_demo_gives_the_demo_package_back(demo_url: str, plan_id: str) -> None:
    code, _ = DEMO_PLANS[plan_id]
    result = run(demo_url, "export", "--no-ids", code, plan_id)
    assert result.exit_code == 0
    assert json.loads(result.stdout) == load_demo_package(plan_id)


def test_export_writes_a_file_that_imports_again(demo_url: str, tmp_path: Path) -> None:
    target = tmp_path / "hadano.json"
    result = run(demo_url, "export", "142115", "hadano-ict-plan", "-o", str(target))
    assert result.exit_code == 0
    assert result.stdout == ""
    exported = json.loads(target.read_text(encoding="utf-8"))
    assert without_uids(exported) == load_demo_package("hadano-ict-plan")
    assert len(exported["initiatives"][0]["uid"]) == 36
    refused = run(demo_url, "import", str(target))
    assert refused.exit_code == 1
    assert "--replace" in refused.stderr
    replaced = run(demo_url, "import", "--replace", str(target))
    assert replaced.exit_code == 0, replaced.output
    assert "replaced 142115 hadano-ict-plan: 0 added, 0 changed, 0 removed" in replaced.stdout
    again = run(demo_url, "export", "142115", "hadano-ict-plan")
    assert json.loads(again.stdout) == exported  # the same ids, the same everything


def test_import_of_several_files_is_all_or_nothing(demo_url: str, tmp_path: Path) -> None:
    good = load_demo_package("hadano-ict-plan")
    good["plan"]["id"] = "hadano-ict-plan-copy"
    bad = load_demo_package("isehara-ict-action-plan")
    bad["plan"]["id"] = "isehara-copy"
    bad["initiatives"][5]["section"] = "7"
    (tmp_path / "good.json").write_text(json.dumps(good, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "bad.json").write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    result = run(demo_url, "import", str(tmp_path / "good.json"), str(tmp_path / "bad.json"))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert 'bad.json：1件の誤り：$.initiatives[5].section（取組1-6の区分）："7"' in result.stderr
    plans = [row["plan"] for row in json.loads(run(demo_url, "list", "--json").stdout)]
    assert "hadano-ict-plan-copy" not in plans


def test_export_of_an_unknown_plan_fails_with_one_line(demo_url: str) -> None:
    result = run(demo_url, "export", "142115", "no-such-plan")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: no plan 'no-such-plan' for municipality 142115 "
        "(`dxplan list` shows the plans there are)\n"
    )


def test_commands_on_an_empty_database_say_how_to_set_it_up(tmp_path: Path) -> None:
    result = run(f"sqlite:///{tmp_path / 'new.sqlite3'}", "list")
    assert result.exit_code == 1
    assert "dxplan db upgrade" in result.stderr


def test_db_upgrade_creates_the_schema(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'data' / 'new.sqlite3'}"
    assert run(url, "db", "upgrade").exit_code == 0
    assert (tmp_path / "data" / "new.sqlite3").exists()
    result = run(url, "list")
    assert result.exit_code == 0
    assert "no plans yet" in result.stdout


def _dxplan(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dxplan", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "空のファイル"),
        (b'{"format": "dxplan-package/1", "municipality": ', "1行"),
        ('{"format": "計画"}'.encode("shift_jis"), "UTF-8ではありません"),
        (b'{"format": "dxplan-package/9"}', '"dxplan-package/9"'),
    ],
)
def test_a_bad_file_gives_one_line_on_stderr_and_no_traceback(
    demo_url: str, tmp_path: Path, content: bytes, words: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    result = _dxplan("--database-url", demo_url, "import", str(path))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"error: {path}：1件の誤り：$")
    assert words in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unreachable_database_gives_one_line(tmp_path: Path) -> None:
    result = _dxplan("--database-url", "postgresql://nobody@127.0.0.1:1/none", "list")
    assert result.returncode == 1
    assert result.stderr.startswith("error: database: ")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_a_missing_file_is_named(demo_url: str, tmp_path: Path) -> None:
    result = _dxplan("--database-url", demo_url, "import", str(tmp_path / "nowhere.json"))
    assert result.returncode == 1
    assert f"{tmp_path / 'nowhere.json'}：1件の誤り：$：No such file or directory" in (
        result.stderr
    )


CRM_ROWS = [(1, "顧客A"), (2, "顧客B")]


@pytest.fixture
def url_with_other_table(fresh_database_url: str) -> str:
    """A database of its own holding another application's table with rows."""
    engine = create_db_engine(fresh_database_url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE crm_customer (id INTEGER PRIMARY KEY, name TEXT)"))
        connection.execute(
            text("INSERT INTO crm_customer VALUES (:id, :name)"),
            [{"id": id_, "name": name} for id_, name in CRM_ROWS],
        )
    engine.dispose()
    return fresh_database_url


def _tables_and_crm_rows(url: str) -> tuple[set[str], list[tuple[int, str]]]:
    engine = create_db_engine(url)
    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            rows = connection.execute(text("SELECT id, name FROM crm_customer ORDER BY id"))
            return tables, [(row.id, row.name) for row in rows]
    finally:
        engine.dispose()


def test_demo_refuses_a_database_with_another_applications_table_and_leaves_it(
    url_with_other_table: str,
) -> None:
    before = _tables_and_crm_rows(url_with_other_table)
    result = run(url_with_other_table, "demo")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("error: ")
    assert "holds 1 table that dxplan does not own (crm_customer)" in result.stderr
    assert "--force" in result.stderr
    assert "left untouched" in result.stderr
    assert _tables_and_crm_rows(url_with_other_table) == before


def test_demo_with_force_loads_the_plans_and_leaves_the_other_table_and_its_rows(
    url_with_other_table: str,
) -> None:
    result = run(url_with_other_table, "demo", "--force")
    assert result.exit_code == 0, result.output
    assert "other tables are left untouched: crm_customer" in result.stderr
    assert len(json.loads(run(url_with_other_table, "list", "--json").stdout)) == 5
    assert run(url_with_other_table, "demo", "--force").exit_code == 0
    tables, rows = _tables_and_crm_rows(url_with_other_table)
    assert rows == CRM_ROWS
    assert {"crm_customer", "plan", "audit_entry", "alembic_version"} <= tables


def _audit_entries(url: str) -> int:
    engine = create_db_engine(url)
    try:
        with engine.connect() as connection:
            return connection.scalar(select(func.count(AuditEntry.id))) or 0
    finally:
        engine.dispose()


def test_demo_says_what_it_is_about_to_do_without_the_password(fresh_database_url: str) -> None:
    first = run(fresh_database_url, "demo")
    assert first.exit_code == 0, first.output
    tables = len(Base.metadata.tables) + 1  # and alembic_version
    assert first.stderr.startswith(f"demo: creating dxplan's {tables} tables in the database at ")
    second = run(fresh_database_url, "demo")
    assert second.exit_code == 0, second.output
    url = make_url(fresh_database_url)
    entries = _audit_entries(fresh_database_url)  # the same after every demo
    assert second.stderr.startswith(
        f"demo: dropping and recreating dxplan's {tables} tables (they hold 5 plans and "
        f"{entries} audit entries) in the database at {url.render_as_string(hide_password=True)}, "
        "then loading 5 demo plans"
    )
    if url.password:
        assert url.password not in second.stderr
        assert "***" in second.stderr


def test_demo_is_refused_in_production(fresh_database_url: str) -> None:
    assert run(fresh_database_url, "demo").exit_code == 0
    result = _dxplan(
        "--database-url", fresh_database_url, "demo", env={"DXPLAN_ENVIRONMENT": "production"}
    )
    assert result.returncode == 1
    assert result.stderr.startswith("error: DXPLAN_ENVIRONMENT is production: resetting")
    assert result.stderr.count("\n") == 1
    assert len(json.loads(run(fresh_database_url, "list", "--json").stdout)) == 5


def test_an_unknown_environment_is_a_one_line_error(tmp_path: Path) -> None:
    result = _dxplan(
        "--database-url",
        f"sqlite:///{tmp_path / 'x.sqlite3'}",
        "list",
        env={"DXPLAN_ENVIRONMENT": "prod"},
    )
    assert result.returncode == 1
    assert result.stderr == (
        "error: DXPLAN_ENVIRONMENT: Input should be 'development' or 'production', found 'prod'\n"
    )


def test_publish_and_unpublish_a_plan(demo_url: str, tmp_path: Path) -> None:
    draft = run(demo_url, "unpublish", "142115", "hadano-ict-plan")
    assert draft.exit_code == 0, draft.output
    assert draft.stdout == "142115 hadano-ict-plan is a draft\n"
    listed = run(demo_url, "list").stdout
    assert "indicators 93  draft  秦野市ICT推進計画" in listed
    again = run(demo_url, "unpublish", "142115", "hadano-ict-plan")
    assert again.stdout == "142115 hadano-ict-plan is a draft (it already was)\n"
    published = run(demo_url, "publish", "142115", "hadano-ict-plan")
    assert published.stdout == "142115 hadano-ict-plan is published\n"
    missing = run(demo_url, "publish", "142115", "no-such-plan")
    assert missing.exit_code == 1
    assert missing.stderr.startswith("error: no plan 'no-such-plan' for municipality 142115")


def test_an_imported_plan_is_a_draft_unless_published(demo_url: str, tmp_path: Path) -> None:
    for plan_id, flags in (("hadano-draft", []), ("hadano-public", ["--publish"])):
        doc = load_demo_package("hadano-ict-plan")
        doc["plan"]["id"] = plan_id
        path = tmp_path / f"{plan_id}.json"
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        assert run(demo_url, "import", *flags, str(path)).exit_code == 0
    rows = {row["plan"]: row for row in json.loads(run(demo_url, "list", "--json").stdout)}
    assert rows["hadano-draft"]["published"] is False
    assert rows["hadano-public"]["published"] is True


def test_user_add_reads_the_password_from_standard_input(demo_url: str) -> None:
    args = ["--database-url", demo_url, "user", "add", "tosho", "--municipality", "142115"]
    args += ["--role", "department_editor", "--department", "図書館"]
    added = CliRunner().invoke(cli, args, input="a long enough password\n")
    assert added.exit_code == 0, added.output
    assert added.stdout == "added tosho (department_editor) to 142115\n"
    refused = CliRunner().invoke(cli, [*args[:4], "kari", *args[5:]], input="short\n")
    assert refused.exit_code == 1
    assert refused.stderr == ("error: password（パスワード）：5文字（12文字以上）\n")
    token = run(demo_url, "token", "create", "tosho")
    assert token.exit_code == 0
    assert len(token.stdout.strip()) >= 40
    unknown = run(demo_url, "token", "create", "nobody")
    assert unknown.stderr == "error: no user 'nobody'\n"


def test_user_password_changes_the_demo_password(demo_url: str) -> None:
    args = ["--database-url", demo_url, "user", "password", "142115-viewer"]
    changed = CliRunner().invoke(cli, args, input="a new password of mine\n")
    assert changed.exit_code == 0, changed.output
    engine = create_db_engine(demo_url)
    try:
        with Session(engine) as session:
            assert log_in(session, "142115-viewer", "a new password of mine").id.startswith("user:")
            with pytest.raises(LoginRefusedError):
                log_in(session, "142115-viewer", DEMO_PASSWORD)
            entry = session.scalars(
                select(AuditEntry).where(AuditEntry.action == "user.password")
            ).one()
            assert entry.target_key == "142115/142115-viewer"
    finally:
        engine.dispose()
    short = CliRunner().invoke(cli, args, input="short\n")
    assert short.stderr == "error: password（パスワード）：5文字（12文字以上）\n"


def test_a_revision_is_opened_listed_and_adopted(demo_url: str) -> None:
    plan = ("142140", "isehara-ict-action-plan")
    opened = run(
        demo_url,
        "revision",
        "open",
        *plan,
        "--date",
        "2026-04-01",
        "--version",
        "第4.0版",
        "--summary",
        "令和8年度改定",
    )
    assert opened.exit_code == 0, opened.output
    assert opened.stdout.startswith("opened revision 第4.0版 of isehara-ict-action-plan (")
    again = run(demo_url, "revision", "open", *plan, "--date", "2026-05-01")
    assert again.exit_code == 1
    assert again.stderr.startswith("error: revision（改訂）：")
    assert "確定するか、取り消してから" in again.stderr
    listed = run(demo_url, "revision", "list", *plan).stdout.splitlines()
    assert listed[0].startswith("adopted  2023-03  第1.0版  0 changes  ")
    assert listed[-1].startswith("open  2026-04-01  第4.0版  0 changes  ")
    assert listed[-1].endswith("令和8年度改定")
    adopted = run(demo_url, "revision", "adopt", *plan)
    assert adopted.exit_code == 0, adopted.output
    assert adopted.stdout.startswith("adopted  2026-04-01  第4.0版  0 changes  ")
    exported = json.loads(run(demo_url, "export", "--no-ids", *plan).stdout)
    assert exported["plan"]["version"] == "第4.0版"
    assert exported["revisions"][-1] == {
        "date": "2026-04-01",
        "version": "第4.0版",
        "changes": [],
        "note": "令和8年度改定",
    }
    nothing_open = run(demo_url, "revision", "adopt", *plan)
    assert nothing_open.stderr == "error: no open revision of plan 'isehara-ict-action-plan'\n"
    engine = create_db_engine(demo_url)
    try:
        with engine.connect() as connection:
            actors = connection.execute(
                select(AuditEntry.action, AuditEntry.actor_id).where(
                    AuditEntry.action.like("revision.%")
                )
            ).all()
    finally:
        engine.dispose()
    assert sorted(actors) == [("revision.adopt", "system:cli"), ("revision.open", "system:cli")]


def test_check_reports_the_reform_plans_two_mismatches_and_exits_1(demo_url: str) -> None:
    result = run(demo_url, "check", "142034", "hiratsuka-reform-plan-2020-2023")
    assert result.exit_code == 1
    assert result.stdout == (
        "mismatch: 進捗率/2020/進捗率: printed 91.4%, computed 91.5%\n"
        "  43 ÷ 47 = 91.49% (rounded 91.5%), printed 91.4%: truncated where the document rounds\n"
        "mismatch: 達成状況/達成/割合: printed 91.2%, computed 91.7%\n"
        "  55 ÷ 60 = 91.67% (rounded 91.7%), printed 91.2%\n"
    )
    assert result.stderr.endswith(": 2 mismatches, 0 warnings\n")


def test_check_json_gives_the_findings_as_an_array(demo_url: str) -> None:
    result = run(demo_url, "check", "142034", "hiratsuka-reform-plan-2020-2023", "--json")
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    assert [list(f) for f in findings] == [
        ["figure", "printed", "computed", "severity", "explanation"]
    ] * 2
    assert findings[1] == {
        "figure": "達成状況/達成/割合",
        "printed": "91.2%",
        "computed": "91.7%",
        "severity": "mismatch",
        "explanation": "55 ÷ 60 = 91.67% (rounded 91.7%), printed 91.2%",
    }


@pytest.mark.parametrize("plan_id", sorted(set(DEMO_PLANS) - {"hiratsuka-reform-plan-2020-2023"}))
def test_check_of_a_plan_without_a_mismatch_exits_0(demo_url: str, plan_id: str) -> None:
    result = run(demo_url, "check", DEMO_PLANS[plan_id][0], plan_id, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []
    text_result = run(demo_url, "check", DEMO_PLANS[plan_id][0], plan_id)
    assert (text_result.exit_code, text_result.stdout) == (0, "")


def test_check_of_an_unknown_plan_fails_with_one_line(demo_url: str) -> None:
    result = run(demo_url, "check", "142115", "hiratsuka-reform-plan-2020-2023")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no plan 'hiratsuka-reform-plan-2020-2023'")
