"""dxplan user and dxplan token: a municipality's users and their API tokens."""

from __future__ import annotations

import sys

import click

from dxplan.accounts.rules import Role
from dxplan.accounts.services import add_user, create_token, set_password
from dxplan.cli.common import CLI_ACTOR, Context, pass_context


@click.group()
def user() -> None:
    """Manage the users of a municipality."""


def _read_password() -> str:
    """The password: prompted (twice) on a terminal, else the first line of standard input."""
    if sys.stdin.isatty():
        password: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        return password
    return sys.stdin.readline().rstrip("\r\n")


@user.command("add")
@click.argument("login")
@click.option(
    "--municipality",
    "municipality_code",
    required=True,
    metavar="CODE",
    help="The municipality's code (全国地方公共団体コード, e.g. 142115).",
)
@click.option(
    "--role",
    "roles",
    required=True,
    multiple=True,
    type=click.Choice([role.value for role in Role]),
    help="A role in the municipality (repeat for several).",
)
@click.option(
    "--department",
    "departments",
    multiple=True,
    metavar="NAME",
    help="A department a department_editor is bound to, one its municipality's plans name "
    "(repeat for several).",
)
@click.option(
    "--email", default=None, metavar="ADDRESS", help="Where reminders of reporting rounds go."
)
@pass_context
def user_add_command(
    context: Context,
    login: str,
    municipality_code: str,
    roles: tuple[str, ...],
    departments: tuple[str, ...],
    email: str | None,
) -> None:
    """Add a user of a municipality with one or more roles.

    The password (12 characters or more) is read from standard input, or prompted (twice) on a
    terminal, and stored as an argon2 hash.
    """
    with context.unit_of_work() as session:
        password = _read_password()
        add_user(
            session,
            CLI_ACTOR,
            login=login,
            municipality_code=municipality_code,
            password=password,
            roles=[Role(role) for role in roles],
            department_names=departments,
            email=email,
        )
    click.echo(f"added {login} ({', '.join(roles)}) to {municipality_code}")


@user.command("password")
@click.argument("login")
@pass_context
def user_password_command(context: Context, login: str) -> None:
    """Set a user's password and forgive its failed logins.

    The password is read like `dxplan user add`'s: from standard input, or prompted (twice) on
    a terminal.
    """
    with context.unit_of_work() as session:
        password = _read_password()
        set_password(session, CLI_ACTOR, login, password)
    click.echo(f"password of {login} changed")


@click.group()
def token() -> None:
    """Manage API tokens."""


@token.command("create")
@click.argument("login")
@pass_context
def token_create_command(context: Context, login: str) -> None:
    """Create a bearer token for the API and print it (it is stored hashed: copy it now).

    Only the token's SHA-256 is kept: it cannot be shown again.
    """
    with context.unit_of_work() as session:
        click.echo(create_token(session, CLI_ACTOR, login))


COMMANDS = (user, token)
