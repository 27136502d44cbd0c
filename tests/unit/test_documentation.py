"""The README documents every command and every setting (a test fails when one is missing)."""

from __future__ import annotations

import re

import click
import pytest

from dxplan.cli import cli, reference
from dxplan.settings import Settings

from support import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "dxplan") -> dict[str, click.Command]:
    """Every command and group under a group, by its command line ("dxplan round open")."""
    commands: dict[str, click.Command] = {}
    for name, command in sorted(group.commands.items()):
        commands[f"{prefix} {name}"] = command
        if isinstance(command, click.Group):
            commands.update(_commands(command, f"{prefix} {name}"))
    return commands


COMMANDS = _commands(cli)


def test_the_readme_command_reference_is_the_one_the_commands_help_gives() -> None:
    assert reference.replace_section(README, reference.render(cli)) == README, (
        "README.md's command reference differs from the commands' help: run "
        "scripts/cli-reference (.venv/bin/python -m dxplan.cli.reference --write README.md)"
    )


def test_the_command_reference_is_in_its_section_of_the_readme() -> None:
    section = README[README.index("## Command reference") :]
    assert section.index(reference.START) < section.index(reference.END) < section.index("\n## ")


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_is_in_the_readme_command_reference(command: str) -> None:
    section = README[README.index(reference.START) : README.index(reference.END)]
    assert re.search(rf"^#+ `{re.escape(command)}`$", section, re.MULTILINE)  # its heading
    if not isinstance(COMMANDS[command], click.Group):
        assert f"\n`{command}" in section  # its usage line


@pytest.mark.parametrize("command", ["dxplan", *sorted(COMMANDS)])
def test_every_command_and_option_says_what_it_does(command: str) -> None:
    found = COMMANDS.get(command, cli)
    assert (found.help or "").strip(), f"{command} has no help"
    undocumented = [
        param.name
        for param in found.params
        if isinstance(param, click.Option) and not param.hidden and not (param.help or "").strip()
    ]
    assert undocumented == []


@pytest.mark.parametrize("field", sorted(Settings.model_fields))
def test_every_setting_is_in_the_readme(field: str) -> None:
    assert f"`DXPLAN_{field.upper()}`" in README


def test_the_readme_starts_with_the_two_commands() -> None:
    first_block = re.search(r"```sh\n(.*?)```", README, re.DOTALL)
    assert first_block is not None
    commands = [line.split("#")[0].strip() for line in first_block.group(1).splitlines()]
    assert commands == ["make demo", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def _section(heading: str) -> str:
    """The README's section under a heading, up to the next section."""
    start = README.index(heading)
    end = README.find("\n## ", start + len(heading))
    return README[start : end if end != -1 else len(README)]


def _app_routes() -> list[str]:
    """Every `METHOD /path` the application serves: its pages, its API and the OpenAPI document
    (not the static files' mounts, nor the HEAD that Starlette adds to a GET)."""
    from fastapi.routing import Mount
    from sqlalchemy import create_engine

    from dxplan.web.app import create_app

    try:  # FastAPI 0.16x keeps an included router whole: its routes are reached through it
        from fastapi.routing import iter_route_contexts
    except ImportError:  # older FastAPI copies them into the app's routes
        iter_route_contexts = iter
    settings = Settings(secret_key="documentation-test-secret-key")
    app = create_app(settings, engine=create_engine("sqlite://"))
    return sorted(
        f"{method} {route.path}"
        for route in iter_route_contexts(app.routes)
        if not isinstance(getattr(route, "original_route", route), Mount)
        for method in route.methods or ()
        if method != "HEAD"
    )


ROUTES = _app_routes()


def test_the_application_has_pages_and_api_routes() -> None:
    assert "GET /municipalities/{code}/plans/{plan_id}" in ROUTES
    assert "PATCH /api/v1/municipalities/{code}/plans/{plan_id}/initiatives/{initiative_code}" in (
        ROUTES
    )
    assert not [r for r in ROUTES if r.split()[1].startswith(("/static", "/assets"))]


@pytest.mark.parametrize("route", ROUTES)
def test_every_route_is_in_the_readme(route: str) -> None:
    path = route.split(" ", 1)[1]
    api = path.startswith("/api/") or path == "/openapi.json"
    section = _section("## The REST API" if api else "## The web application")
    assert f"`{route}`" in section
