"""One thing wrong with what a user gave (a package, a form, a workbook, a request): where,
the value found, what was expected; and how values are shown in messages.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a package."""

    path: str
    found: str
    expected: str

    def __str__(self) -> str:
        return f"{self.path}: found {self.found}, expected {self.expected}"
