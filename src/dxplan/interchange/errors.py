"""Problems found in a plan package, each naming the JSON path, the value found and what was
expected."""

from __future__ import annotations

from dxplan.errors import DxplanError
from dxplan.problems import Problem, printable

MAX_SHOWN = 20


class PackageError(DxplanError):
    """A package that cannot be imported; nothing of it was written."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(self.summary())

    def summary(self) -> str:
        """One line: the file, how many problems, and each of them (up to MAX_SHOWN)."""
        listed = "；".join(str(p) for p in self.problems[:MAX_SHOWN])
        more = len(self.problems) - MAX_SHOWN
        tail = f"；ほか{more}件" if more > 0 else ""
        return printable(f"{self.source}：{len(self.problems)}件の誤り：{listed}{tail}")
