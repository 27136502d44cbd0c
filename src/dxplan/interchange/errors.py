"""Problems found in a plan package, each naming the JSON path, the value found and what was
expected."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from dxplan.errors import DxplanError

MAX_SHOWN = 20


def json_path(parts: tuple[str | int, ...] | list[str | int]) -> str:
    """A JSONPath-like rendering: $.initiatives[3].targets.2021.value"""
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def shown(value: Any, limit: int = 60) -> str:
    """A short rendering of a found value, for messages."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a package."""

    path: str
    found: str
    expected: str

    def __str__(self) -> str:
        return f"{self.path}: found {self.found}, expected {self.expected}"


class PackageError(DxplanError):
    """A package that cannot be imported; nothing of it was written."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(self.summary())

    def summary(self) -> str:
        """One line: the file, how many problems, and each of them (up to MAX_SHOWN)."""
        listed = "; ".join(str(p) for p in self.problems[:MAX_SHOWN])
        more = len(self.problems) - MAX_SHOWN
        tail = f"; and {more} more" if more > 0 else ""
        count = "1 problem" if len(self.problems) == 1 else f"{len(self.problems)} problems"
        return f"{self.source}: {count}: {listed}{tail}"
