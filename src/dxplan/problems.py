"""One thing wrong with what a user gave (a package, a form, a workbook, a request): where,
the value found, what was expected; and how values are shown in messages.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

# Characters that must not reach a message as they are: controls (a message is one line),
# lone surrogates (they cannot be encoded) and the Unicode line and paragraph separators.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]{1,60}")


def printable(text: str) -> str:
    """The text with every control character and lone surrogate written as an escape."""
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def json_path(parts: tuple[str | int, ...] | list[str | int]) -> str:
    """A JSONPath-like rendering: $.initiatives[3].targets.2021.value

    A key that is not a plain name (or is long) is written shortened in brackets:
    $.plan["a key…"].
    """
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _PLAIN_KEY.fullmatch(part):
            out += f".{part}"
        else:
            out += f"[{shown(part, 40)}]"
    return out


def shown(value: Any, limit: int = 60) -> str:
    """A short, one-line, printable rendering of a found value, for messages."""
    text: str
    if isinstance(value, bool) or value is None:
        text = json.dumps(value)
    elif isinstance(value, int):
        # str() of a very long integer is slow, or refused by Python: give its size instead.
        text = str(value) if value.bit_length() <= 200 else "a whole number of over 60 digits"
    elif isinstance(value, Decimal):
        text = str(value)
    elif isinstance(value, str):
        clipped = value if len(value) <= limit - 2 else value[: limit - 3] + "…"
        text = json.dumps(clipped, ensure_ascii=False)
    else:
        text = json.dumps(value, ensure_ascii=False, default=str)
    text = printable(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quoted(value: Any, limit: int = 60) -> str:
    """A found value as people read it in a message: a text in 「」, a number as it is,
    「（なし）」 for nothing; short, one line and printable."""
    if value is None or value == "":
        return "（なし）"
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, str):
        text = printable(value)
        clipped = text if len(text) <= limit - 2 else text[: limit - 3] + "…"
        return f"「{clipped}」"
    return shown(value, limit)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with what a user gave: where, the value found, what was expected.

    `path` says where for programs: a JSON path into a package or an initiative's package form
    (`$.indicators[0].actuals.2024`), a form field (`reason`), a workbook cell (`取組活動!H5`).
    `label` says where for people, in Japanese (「指標『利用率』の2024年度実績値」); `found` and
    `expected` are Japanese too. `subject` is the code of the initiative the problem is about,
    when a change of several initiatives was refused.
    """

    path: str
    found: str
    expected: str
    label: str = ""
    subject: str | None = None

    @property
    def where(self) -> str:
        """Where, for people: the label (a page never shows the path)."""
        return self.label or "入力内容"

    def message(self) -> str:
        """The problem in one Japanese line, as pages show it."""
        return printable(f"{self.where}：{self.found}（{self.expected}）")

    def labelled(self, label: str) -> Problem:
        """The same problem, with where it is in words."""
        return replace(self, label=label)

    def about(self, subject: str | None) -> Problem:
        """The same problem, said to be about the initiative of code `subject`."""
        return replace(self, subject=subject)

    def __str__(self) -> str:
        """For the command line and logs: the path beside the message."""
        where = f"{self.path}（{self.label}）" if self.label else self.path
        return printable(f"{where}：{self.found}（{self.expected}）")
