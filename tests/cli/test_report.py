"""dxplan report: a plan's document written to a file, with clear errors."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook
from sqlalchemy.orm import Session, sessionmaker

from dxplan.cli import cli
from dxplan.interchange.importer import import_package

from support import SYSTEM, load_demo_package


@pytest.fixture
def database(database_url: str, sessions: sessionmaker[Session]) -> str:
    """秦野市's plan in the test database (a draft)."""
    with sessions.begin() as session:
        import_package(session, load_demo_package("hadano-ict-plan"), source="t", actor=SYSTEM)
    return database_url


def run(database_url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--database-url", database_url, "report", *args])


def test_report_writes_the_document_named_after_plan_kind_and_year(
    database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(
        database,
        "142115",
        "hadano-ict-plan",
        "--kind",
        "revisions",
        "--format",
        "xlsx",
        "--fy",
        "2023",
    )
    assert result.exit_code == 0, result.output
    written = tmp_path / "hadano-ict-plan-revisions-2023.xlsx"
    assert f"wrote {written.name}" in result.stderr
    book = load_workbook(io.BytesIO(written.read_bytes()))
    assert book["改訂履歴"]["A1"].value.startswith("【案】秦野市")


def test_report_writes_a_pdf_where_asked(database: str, tmp_path: Path) -> None:
    target = tmp_path / "履歴.pdf"
    result = run(database, "142115", "hadano-ict-plan", "--kind", "revisions", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "sheets", "--fy", "2030"], "fiscal year 2030 is outside the plan's period"),
        (["--kind", "summary"], "has no published figures: no summary document"),
    ],
)
def test_report_explains_what_it_cannot_make(
    database: str, tmp_path: Path, args: list[str], message: str
) -> None:
    result = run(database, "142115", "hadano-ict-plan", *args, "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert message in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_report_of_an_unknown_plan_or_kind_is_an_error(database: str) -> None:
    unknown = run(database, "142115", "no-such-plan", "--kind", "sheets")
    assert unknown.exit_code == 1
    assert "error: no plan 'no-such-plan' of municipality 142115" in unknown.stderr
    kind = run(database, "142115", "hadano-ict-plan", "--kind", "minutes")
    assert kind.exit_code == 2
    assert "'minutes' is not one of 'sheets', 'progress', 'summary', 'revisions'" in kind.stderr
