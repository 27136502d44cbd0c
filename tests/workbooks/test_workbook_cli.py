"""`dxplan workbook export` and `dxplan workbook import` on the test database."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dxplan.audit.models import AuditEntry
from dxplan.cli import cli
from workbook_support import (
    HIRATSUKA,
    RESULTS_PLAN,
    filled,
    find_row,
    load_plans,
    open_book,
    package,
)


def run(database_url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--database-url", database_url, *args], catch_exceptions=False)


@pytest.fixture
def exported(database_url: str, sessions: sessionmaker[Session], tmp_path: Path) -> Path:
    load_plans(sessions)
    path = tmp_path / "更新.xlsx"
    result = run(
        database_url,
        "workbook",
        "export",
        HIRATSUKA,
        RESULTS_PLAN,
        "--fy",
        "2023",
        "--department",
        "企画政策課",
        "-o",
        str(path),
    )
    assert result.exit_code == 0, result.output
    return path


def test_an_exported_workbook_filled_in_is_imported_by_the_command_line(
    database_url: str, sessions: sessionmaker[Session], exported: Path
) -> None:
    exported.write_bytes(
        filled(exported.read_bytes(), {("取組結果", "40", None, "取組結果"): "新しい結果"})
    )
    result = run(database_url, "workbook", "import", HIRATSUKA, RESULTS_PLAN, str(exported))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith("40 ")
    assert "results.2023" in result.stdout
    doc = package(sessions)
    assert (
        next(i for i in doc["initiatives"] if i["code"] == "40")["results"]["2023"] == "新しい結果"
    )
    with sessions() as session:
        actors = set(
            session.scalars(select(AuditEntry.actor_id).where(AuditEntry.action.like("%.%")))
        )
    assert "system:cli" in actors


def test_a_workbook_with_problems_exits_1_printing_one_line_per_problem(
    database_url: str, sessions: sessionmaker[Session], exported: Path
) -> None:
    before = package(sessions)
    exported.write_bytes(
        filled(
            exported.read_bytes(),
            {
                ("取組結果", "40", None, "取組結果"): "新しい結果",
                ("取組結果", "19", None, "取組結果"): True,
            },
        )
    )
    result = run(database_url, "workbook", "import", HIRATSUKA, RESULTS_PLAN, str(exported))
    assert result.exit_code == 1
    row = find_row(open_book(exported.read_bytes())["取組結果"], "19")
    lines = result.stderr.splitlines()
    assert lines[0] == f"取組結果!F{row}（取組結果）：true（文字列（TRUE / FALSE ではなく））"
    assert "nothing was changed" in lines[-1]
    assert package(sessions) == before
