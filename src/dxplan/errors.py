"""The errors a user can act on; the CLI prints them as one line, the web maps them to a status.

Services raise these; nothing else needs to know about database or permission internals.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dxplan.problems import Problem


class DxplanError(Exception):
    """An error with a message that tells the user what to fix."""


class NotFoundError(DxplanError):
    """The target does not exist, or belongs to another municipality (HTTP 404)."""


class PermissionDeniedError(DxplanError):
    """The actor may see the target but not make this change (HTTP 403)."""


class StaleVersionError(DxplanError):
    """A write based on a version that is no longer current (HTTP 412); carries the current
    version and values so that the user can redo the change on them."""

    def __init__(self, target: str, expected: int, current: int, values: dict[str, Any]) -> None:
        self.target = target
        self.expected = expected
        self.current = current
        self.values = values
        super().__init__(
            f"{target} was changed by someone else (version {expected} was expected, "
            f"it is now at version {current}); reload it and make the change again"
        )


class InvalidChangeError(DxplanError):
    """A change the stored data cannot take: every problem found, each saying where, the value
    found and what was expected (nothing of the change was written)."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


class InvalidQueryError(DxplanError, ValueError):
    """A read asked with a parameter it cannot take (HTTP 400), such as a search query too long:
    which parameter, what was given, what was expected."""

    def __init__(self, parameter: str, found: str, expected: str) -> None:
        self.parameter = parameter
        self.found = found
        self.expected = expected
        super().__init__(f"{parameter}: found {found}, expected {expected}")
