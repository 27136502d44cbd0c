"""The README documents every command and every setting (a test fails when one is missing)."""

from __future__ import annotations

import re

import click
import pytest

from dxplan.cli import cli
from dxplan.settings import Settings

from support import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "") -> list[str]:
    names = []
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            names.extend(_commands(command, f"{prefix}{name} "))
        else:
            names.append(f"{prefix}{name}")
    return names


@pytest.mark.parametrize("command", _commands(cli))
def test_every_command_is_in_the_readme_command_reference(command: str) -> None:
    reference = README[README.index("## Command reference") :]
    assert f"`dxplan {command}" in reference


@pytest.mark.parametrize("field", sorted(Settings.model_fields))
def test_every_setting_is_in_the_readme(field: str) -> None:
    assert f"`DXPLAN_{field.upper()}`" in README


def test_the_readme_starts_with_the_two_commands() -> None:
    first_block = re.search(r"```sh\n(.*?)```", README, re.DOTALL)
    assert first_block is not None
    commands = [line.split("#")[0].strip() for line in first_block.group(1).splitlines()]
    assert commands == ["make demo", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def _api_routes() -> list[str]:
    from fastapi.routing import APIRoute

    from dxplan.web.api import router

    return sorted(
        f"{method} {route.path}"
        for route in router.routes
        if isinstance(route, APIRoute)
        for method in route.methods
    )


@pytest.mark.parametrize("route", _api_routes())
def test_every_api_endpoint_is_in_the_readme(route: str) -> None:
    reference = README[README.index("## The REST API") :]
    assert f"`{route}`" in reference
