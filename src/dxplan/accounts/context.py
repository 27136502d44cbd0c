"""Who acts, for which municipality, and the one permission check every service makes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from dxplan.accounts.rules import Actor, Change, Verdict, decide
from dxplan.errors import (
    NotFoundError,
    PermissionDeniedError,
)


@dataclass(frozen=True)
class Context:
    """Who acts, and for which municipality (resolved once by the boundary, never from input)."""

    actor: Actor
    municipality_code: str


def authorize(context: Context, change: Change, department_ids: Iterable[int] = ()) -> None:
    """Raise NotFoundError (another municipality's) or PermissionDeniedError unless allowed."""
    decision = decide(context.actor, change, context.municipality_code, department_ids)
    if decision.verdict is Verdict.NOT_FOUND:
        raise NotFoundError("not found")
    if decision.verdict is Verdict.FORBIDDEN:
        raise PermissionDeniedError(decision.reason)
