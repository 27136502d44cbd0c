"""The CLI's unit of work: a session only on a database at the current schema."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from dxplan import migrate
from dxplan.cli import cli
from dxplan.cli.common import Context
from dxplan.errors import DxplanError
from dxplan.tenancy.models import Municipality


@pytest.fixture
def context(fresh_database_url: str) -> Iterator[Context]:
    """The CLI's context on an empty database of the test's own."""
    context = Context(fresh_database_url)
    yield context
    context.close()


def test_the_unit_of_work_refuses_an_empty_database_and_says_how_to_set_it_up(
    context: Context,
) -> None:
    with (
        pytest.raises(DxplanError, match="not at the current schema") as refused,
        context.unit_of_work(),
    ):
        pytest.fail("a session on an empty database")
    assert "dxplan db upgrade" in str(refused.value)
    assert context.display_url() in str(refused.value)


def test_the_unit_of_work_refuses_a_database_behind_the_code(context: Context) -> None:
    migrate.upgrade(context.engine, "0008")
    with (
        pytest.raises(DxplanError, match="not at the current schema"),
        context.unit_of_work(),
    ):
        pytest.fail("a session on a database behind the code")


def test_the_unit_of_work_commits_on_a_database_at_the_current_schema(context: Context) -> None:
    migrate.upgrade(context.engine)
    with context.unit_of_work() as session:
        session.add(Municipality(code="142115", name="秦野市", prefecture="神奈川県"))
    with context.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(Municipality)) == 1


# Every command that works on the data, with arguments it would otherwise accept.
COMMANDS = [
    ["list"],
    ["import", "plan.json"],
    ["export", "142115", "hadano-ict-plan"],
    ["publish", "142115", "hadano-ict-plan"],
    ["unpublish", "142115", "hadano-ict-plan"],
    ["check", "142115", "hadano-ict-plan"],
    ["report", "142115", "hadano-ict-plan", "--kind", "sheets"],
    ["revision", "open", "142115", "hadano-ict-plan", "--date", "2026-04-01"],
    ["revision", "adopt", "142115", "hadano-ict-plan"],
    ["revision", "list", "142115", "hadano-ict-plan"],
    ["round", "open", "142115", "hadano-ict-plan", "--fy", "2026", "--due", "2027-04-30"],
    ["round", "status", "142115", "hadano-ict-plan", "--fy", "2026"],
    ["round", "submit", "142115", "hadano-ict-plan", "--fy", "2026", "--department", "情報政策課"],
    ["round", "return", "142115", "hadano-ict-plan", "--fy", "2026", "--department", "x"],
    ["round", "accept", "142115", "hadano-ict-plan", "--fy", "2026", "--department", "x"],
    ["round", "approve", "142115", "hadano-ict-plan", "--fy", "2026"],
    ["remind"],
    ["user", "add", "someone", "--municipality", "142115", "--role", "viewer"],
    ["user", "password", "someone"],
    ["token", "create", "someone"],
    ["workbook", "export", "142115", "hadano-ict-plan", "--fy", "2026"],
    ["workbook", "import", "142115", "hadano-ict-plan", "update.xlsx"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_every_command_on_the_data_refuses_a_database_behind_the_code(
    fresh_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # nothing the command might write lands in the checkout
    context = Context(fresh_database_url)
    migrate.upgrade(context.engine, "0008")
    context.close()
    result = CliRunner().invoke(
        cli, ["--database-url", fresh_database_url, *args], input="a long enough password\n"
    )
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("error: the database at ")
    assert "is not at the current schema" in result.stderr
    assert result.stderr.count("\n") == 1
