"""The README's command reference, rendered as Markdown from the CLI's own help.

`python -m dxplan.cli.reference --write README.md` (or `scripts/cli-reference`) rewrites the part
of the README between the markers; `--check README.md` exits 1 when it is out of date.
"""

from __future__ import annotations

import argparse
import inspect
import sys
from collections.abc import Iterator
from pathlib import Path

import click

START = "<!-- cli-reference: start -->"
END = "<!-- cli-reference: end -->"
NOTICE = (
    "<!-- Generated from the commands' help by `scripts/cli-reference`; edit the docstrings and "
    "option help in src/dxplan/cli/, not this. -->"
)


def render(root: click.Group, name: str = "dxplan") -> str:
    """The Markdown reference of a command tree: each command's usage, help and options."""
    parent = click.Context(root, info_name=name)
    blocks = [f"`{usage(root, parent)}`", *_help(root), *_options(root, parent)]
    for ctx in _walk(root, parent):
        level = "#" * min(2 + len(_path(ctx)), 6)
        blocks.append(f"{level} `{ctx.command_path}`")
        if not isinstance(ctx.command, click.Group):
            blocks.append(f"`{usage(ctx.command, ctx)}`")
        blocks += _help(ctx.command)
        blocks += _options(ctx.command, ctx)
    return "\n\n".join(blocks) + "\n"


def _walk(group: click.Group, parent: click.Context) -> Iterator[click.Context]:
    """Every command under a group, depth first, in the order `--help` lists them."""
    for name in group.list_commands(parent):
        command = group.get_command(parent, name)
        if command is None or command.hidden:
            continue
        ctx = click.Context(command, info_name=name, parent=parent)
        yield ctx
        if isinstance(command, click.Group):
            yield from _walk(command, ctx)


def _path(ctx: click.Context) -> list[str]:
    """The command names from below the root down to this command."""
    names = []
    while ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return names


def usage(command: click.Command, ctx: click.Context) -> str:
    """The command line: arguments, then options (optional ones in brackets), as typed."""
    words = [ctx.command_path]
    params = [p for p in command.get_params(ctx) if not _hidden(p, ctx)]
    words += [_argument(p, ctx) for p in params if isinstance(p, click.Argument)]
    for param in params:
        if isinstance(param, click.Option):
            value = _metavar(param, ctx)
            if param.multiple and isinstance(param.type, click.Choice):
                value = param.opts[0].lstrip("-").upper()  # a repeated choice reads better so
            if param.multiple:
                value += " ..."
            word = f"{param.opts[0]} {value}".rstrip()
            words.append(word if param.required else f"[{word}]")
    if isinstance(command, click.Group):
        words.append("COMMAND ...")
    return " ".join(words)


def _argument(param: click.Argument, ctx: click.Context) -> str:
    metavar = param.make_metavar(ctx)
    return metavar if param.required or metavar.startswith("[") else f"[{metavar}]"


def _metavar(option: click.Option, ctx: click.Context) -> str:
    """What an option's value looks like: its choices, its metavar, or nothing for a flag."""
    if option.is_flag or option.count:
        return ""
    if isinstance(option.type, click.Choice):
        return "|".join(str(choice) for choice in option.type.choices)
    return option.make_metavar(ctx)


def _hidden(param: click.Parameter, ctx: click.Context) -> bool:
    """Hidden options, and --help (every command has it)."""
    if not isinstance(param, click.Option):
        return False
    return param.hidden or bool(set(param.opts) & set(ctx.help_option_names))


def _help(command: click.Command) -> list[str]:
    """The command's help, one Markdown paragraph per paragraph of its docstring."""
    text = inspect.cleandoc(command.help or "").split("\f")[0]
    paragraphs = [p for p in text.split("\n\n") if p.strip() and p.strip() != "\b"]
    return [
        " ".join(line.strip() for line in p.splitlines() if line.strip() != "\b")
        for p in paragraphs
    ]


def _options(command: click.Command, ctx: click.Context) -> list[str]:
    """The command's options as a list: names and value, required or default, help."""
    items = []
    for param in command.get_params(ctx):
        if not isinstance(param, click.Option) or _hidden(param, ctx):
            continue
        names = ", ".join([*param.opts, *param.secondary_opts])
        item = f"- `{f'{names} {_metavar(param, ctx)}'.rstrip()}`"
        notes = []
        if param.required:
            notes.append("required")
        default = param.get_default(ctx, call=False)
        if param.show_default and default is not None and not callable(default):
            notes.append(f"default: `{default}`")
        if notes:
            item += f" ({', '.join(notes)})"
        if param.help:
            item += f": {' '.join(param.help.split())}"
        items.append(item)
    return ["\n".join(items)] if items else []


def replace_section(text: str, reference: str) -> str:
    """The text with what is between the markers replaced by the reference."""
    if START not in text or END not in text:
        raise ValueError(f"no {START} … {END} section")
    before, rest = text.split(START, 1)
    _, after = rest.split(END, 1)
    return f"{before}{START}\n{NOTICE}\n\n{reference}{END}{after}"


def main(argv: list[str] | None = None) -> int:
    """Write the command reference into a Markdown file, or check that it is up to date."""
    from dxplan.cli import cli

    parser = argparse.ArgumentParser(prog="python -m dxplan.cli.reference", description=__doc__)
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--write", metavar="FILE", type=Path, help="rewrite FILE's section")
    action.add_argument("--check", metavar="FILE", type=Path, help="exit 1 if FILE's differs")
    args = parser.parse_args(argv)
    reference = render(cli)
    path: Path | None = args.write or args.check
    if path is None:
        sys.stdout.write(reference)
        return 0
    text = path.read_text(encoding="utf-8")
    updated = replace_section(text, reference)
    if args.check:
        if updated != text:
            print(f"{path}: the command reference is out of date (scripts/cli-reference)")
            return 1
        return 0
    if updated != text:
        path.write_text(updated, encoding="utf-8")
        print(f"wrote the command reference into {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
