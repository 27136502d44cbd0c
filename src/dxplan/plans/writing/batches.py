"""Writing the initiatives of a plan a batch at a time, so that memory stays bounded.

A package of tens of thousands of initiatives becomes hundreds of thousands of rows. Holding
them all as objects of the session until the commit costs many times the package's size, so
each batch is flushed (written in the caller's transaction, still undone by a rollback) and
then let go of. The successor links, which may point anywhere in the plan, are written last,
by the ids the batches were given. This module writes a new plan's initiatives; `replace`
updates a stored plan's the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import bindparam, update
from sqlalchemy.orm import Session

from dxplan.db import new_uid
from dxplan.errors import InvalidChangeError
from dxplan.plans.models import Initiative, Plan, Section
from dxplan.plans.writing.initiative import InitiativeWriter
from dxplan.problems import Problem, quoted

BATCH_SIZE = 100
"""Initiatives written per flush (each with its activities, indicators, goals … rows): the
memory an import holds beyond the package grows with it (for 5,000 initiatives, 500 a batch
held 22 MiB more than 100), while the time barely changes."""

CHUNK_SIZE = 500
"""Values per `IN (…)` of one statement: well below what SQLite and PostgreSQL accept."""

_T = TypeVar("_T")


def batches(count: int) -> Iterator[range]:
    """The positions 0 … count - 1, BATCH_SIZE at a time."""
    for start in range(0, count, BATCH_SIZE):
        yield range(start, min(start + BATCH_SIZE, count))


def chunked(values: Sequence[_T]) -> Iterator[Sequence[_T]]:
    """The values CHUNK_SIZE at a time, for statements with `IN (…)`."""
    for start in range(0, len(values), CHUNK_SIZE):
        yield values[start : start + CHUNK_SIZE]


def successor_code(item: dict[str, Any]) -> str | None:
    """The code of the initiative an ended initiative's package form names as its successor."""
    successor: str | None = (item.get("terminated") or {}).get("successor")
    return successor


def new_initiative(
    plan: Plan, item: dict[str, Any], position: int, sections: dict[str, Section]
) -> Initiative:
    """A new initiative of a flushed plan (not added to `plan.initiatives`, which stays unloaded)
    with its uid known before the flush, for the audit trail."""
    return Initiative(
        plan_id=plan.id,
        municipality_id=plan.municipality_id,
        uid=item.get("uid") or new_uid(),
        code=item["code"],
        title=item["title"],
        position=position,
        section=sections[item["section"]],
    )


def write_new_initiatives(
    session: Session,
    plan: Plan,
    items: Sequence[dict[str, Any]],
    sections: dict[str, Section],
    new_writer: Callable[[], InitiativeWriter],
) -> None:
    """Write the initiatives of a new (flushed) plan; `plan.initiatives` is not loaded."""
    ids: dict[str, int] = {}
    for batch in batches(len(items)):
        written: list[Initiative] = []
        for position in batch:
            item = items[position]
            initiative = new_initiative(plan, item, position, sections)
            session.add(initiative)
            new_writer().write(initiative, item, position)
            written.append(initiative)
        session.flush()
        for initiative in written:
            ids[initiative.code] = initiative.id
            session.expunge(initiative)
    links = ((item["code"], successor_code(item)) for item in items)
    link_successors(session, [(code, successor) for code, successor in links if successor], ids)


def link_successors(
    session: Session, links: Iterable[tuple[str, str | None]], ids: dict[str, int]
) -> None:
    """Point each initiative (by code) at its successor (by code; None: at none) by id, as one
    statement; `ids` has the id of every initiative of the plan by its code.

    A plain UPDATE, without a new row version: for a new initiative it is part of creating the
    row, and an updated one has its new version (and its audit entry) from its batch.
    """
    rows: list[dict[str, int | None]] = []
    for code, successor in links:
        if successor is not None and (successor not in ids or successor == code):
            expected = "計画のほかの取組のコード"
            problem = Problem("$.terminated.successor", quoted(successor), expected, "後継の取組")
            raise InvalidChangeError([problem])
        successor_id = ids[successor] if successor is not None else None
        rows.append({"row_id": ids[code], "successor_id": successor_id})
    if rows:  # on the connection: a plain statement, no versioned update of the session
        statement = (
            update(Initiative)
            .where(Initiative.id == bindparam("row_id"))
            .values(successor_id=bindparam("successor_id"))
        )
        session.connection().execute(statement, rows)
