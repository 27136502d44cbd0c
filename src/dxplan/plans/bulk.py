"""Writing the initiatives of a new plan a batch at a time, so that memory stays bounded.

A package of tens of thousands of initiatives becomes hundreds of thousands of rows. Holding
them all as objects of the session until the commit costs many times the package's size, so
each batch is flushed (written in the caller's transaction, still undone by a rollback) and
then let go of. The successor links, which may point anywhere in the plan, are written last,
by the ids the batches were given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy.orm import Session

from dxplan.errors import InvalidChangeError
from dxplan.plans.apply import InitiativeWriter
from dxplan.plans.models import Initiative, Plan, Section

BATCH_SIZE = 100
"""Initiatives written per flush (each with its activities, indicators, goals … rows): the
memory an import holds beyond the package grows with it (for 5,000 initiatives, 500 a batch
held 22 MiB more than 100), while the time barely changes."""


def _batches(count: int) -> Iterator[range]:
    for start in range(0, count, BATCH_SIZE):
        yield range(start, min(start + BATCH_SIZE, count))


def _successor(item: dict[str, Any]) -> str | None:
    successor: str | None = (item.get("terminated") or {}).get("successor")
    return successor


def write_new_initiatives(
    session: Session,
    plan: Plan,
    items: Sequence[dict[str, Any]],
    sections: dict[str, Section],
    new_writer: Callable[[], InitiativeWriter],
) -> None:
    """Write the initiatives of a new (flushed) plan; `plan.initiatives` is not loaded."""
    ids: dict[str, int] = {}
    for batch in _batches(len(items)):
        written: list[Initiative] = []
        for position in batch:
            item = items[position]
            initiative = Initiative(
                plan_id=plan.id,
                municipality_id=plan.municipality_id,
                code=item["code"],
                title=item["title"],
                position=position,
                section=sections[item["section"]],
            )
            if item.get("uid"):
                initiative.uid = item["uid"]
            session.add(initiative)
            new_writer().write(initiative, item, position)
            written.append(initiative)
        session.flush()
        for initiative in written:
            ids[initiative.code] = initiative.id
            session.expunge(initiative)
    _link_successors(session, items, ids)


def _link_successors(
    session: Session, items: Sequence[dict[str, Any]], ids: dict[str, int]
) -> None:
    """Point each ended initiative at its successor by id, as one statement.

    A plain UPDATE, as the link written while inserting is: it is part of creating the row,
    so the row version stays at its first value.
    """
    links: list[dict[str, int]] = []
    for item in items:
        code = _successor(item)
        if code is None:
            continue
        if code not in ids or code == item["code"]:
            expected = "the code of another initiative of the plan"
            raise InvalidChangeError([("terminated.successor", f'"{code}"', expected)])
        links.append({"row_id": ids[item["code"]], "successor_id": ids[code]})
    if links:  # on the connection: a plain statement, no versioned update of the session
        statement = (
            update(Initiative)
            .where(Initiative.id == bindparam("row_id"))
            .values(successor_id=bindparam("successor_id"))
        )
        session.connection().execute(statement, links)
