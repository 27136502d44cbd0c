"""The command reference rendered from a command tree's help."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from dxplan.cli import reference


@click.group()
@click.option("--database-url", metavar="URL", help="Database to use.")
def tool(database_url: str | None) -> None:
    """A tool.

    Its second paragraph,
    on two lines.
    """


@tool.command("make")
@click.argument("name")
@click.argument("paths", nargs=-1)
@click.option("--kind", required=True, type=click.Choice(["a", "b"]), help="The kind.")
@click.option("--role", multiple=True, type=click.Choice(["x", "y"]), help="A role.")
@click.option("--tag", multiple=True, metavar="TAG", help="A tag.")
@click.option("--size", default=3, show_default=True, metavar="N", help="The size.")
@click.option("-o", "--output", metavar="FILE", help="Where.")
@click.option("--force", is_flag=True, help="Even so.")
@click.option("--secret", hidden=True, help="Not shown.")
def make(**_: object) -> None:
    """Make a thing."""


@tool.group("more")
def more() -> None:
    """More things."""


@more.command("undo")
def undo() -> None:
    """Undo a thing."""


@tool.command("gone", hidden=True)
def gone() -> None:
    """Not shown."""


def test_a_command_tree_renders_as_usage_help_and_options_under_headings() -> None:
    assert reference.render(tool, "tool") == (
        "`tool [--database-url URL] COMMAND ...`\n\n"
        "A tool.\n\n"
        "Its second paragraph, on two lines.\n\n"
        "- `--database-url URL`: Database to use.\n\n"
        "### `tool make`\n\n"
        "`tool make NAME [PATHS]... --kind a|b [--role ROLE ...] [--tag TAG ...] [--size N] "
        "[-o FILE] [--force]`\n\n"
        "Make a thing.\n\n"
        "- `--kind a|b` (required): The kind.\n"
        "- `--role x|y`: A role.\n"
        "- `--tag TAG`: A tag.\n"
        "- `--size N` (default: `3`): The size.\n"
        "- `-o, --output FILE`: Where.\n"
        "- `--force`: Even so.\n\n"
        "### `tool more`\n\n"
        "More things.\n\n"
        "#### `tool more undo`\n\n"
        "`tool more undo`\n\n"
        "Undo a thing.\n"
    )


def test_the_section_between_the_markers_is_replaced_and_the_rest_kept() -> None:
    text = f"before\n{reference.START}\nold\n{reference.END}\nafter\n"
    replaced = reference.replace_section(text, "new\n")
    assert replaced == (
        f"before\n{reference.START}\n{reference.NOTICE}\n\nnew\n{reference.END}\nafter\n"
    )
    assert reference.replace_section(replaced, "new\n") == replaced


def test_a_text_without_the_markers_is_refused() -> None:
    with pytest.raises(ValueError, match="cli-reference"):
        reference.replace_section("no markers here\n", "new\n")


def test_write_brings_a_file_up_to_date_and_check_says_whether_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n{reference.START}\nold\n{reference.END}\n", encoding="utf-8")
    assert reference.main(["--check", str(readme)]) == 1
    assert "scripts/cli-reference" in capsys.readouterr().out
    assert reference.main(["--write", str(readme)]) == 0
    assert reference.main(["--check", str(readme)]) == 0
    assert "### `dxplan round open`" in readme.read_text(encoding="utf-8")
