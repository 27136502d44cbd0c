"""Replacing the initiatives of a stored plan a batch at a time, so that memory stays bounded.

As for a new plan (see bulk), each batch is written, flushed and let go of. Only a few columns of
every stored initiative are held throughout, enough to match the package's initiatives to them,
delete the others and move codes out of the way; a batch loads the stored initiatives it updates,
with everything in them, and records the audit entry of each one it creates or changes. The
successor links are written last, by id.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from dxplan.audit import services as audit
from dxplan.audit.models import AuditEntry
from dxplan.audit.services import FieldChange
from dxplan.plans.models import Initiative, Plan, Section
from dxplan.plans.queries import load_initiatives
from dxplan.plans.writing.batches import (
    batches,
    chunked,
    link_successors,
    new_initiative,
    successor_code,
)
from dxplan.plans.writing.initiative import InitiativeWriter, match_by_uid_or_code, touch
from dxplan.tenancy.models import Municipality


class StoredInitiative(NamedTuple):
    """What a replace holds of each stored initiative from start to end."""

    id: int
    uid: str
    code: str
    title: str
    successor_id: int | None


def stored_initiatives(session: Session, plan: Plan) -> list[StoredInitiative]:
    """The stored initiatives of the plan, in order, as a few columns each (no ORM objects)."""
    statement = (
        select(
            Initiative.id,
            Initiative.uid,
            Initiative.code,
            Initiative.title,
            Initiative.successor_id,
        )
        .where(Initiative.plan_id == plan.id)
        .order_by(Initiative.position)
    )
    return [StoredInitiative(*row) for row in session.execute(statement)]


class InitiativeReplace:
    """Makes the stored initiatives of a (flushed) plan say what the package's items say."""

    def __init__(
        self,
        session: Session,
        actor_id: str,
        municipality: Municipality,
        plan: Plan,
        sections: dict[str, Section],
        new_writer: Callable[[], InitiativeWriter],
    ) -> None:
        self.session = session
        self.actor_id = actor_id
        self.municipality = municipality
        self.plan = plan
        self.sections = sections
        self.new_writer = new_writer
        self.sections_by_id = {s.id: s for s in plan.sections}
        self.labels_by_id = {label.id: label for label in plan.scale_labels}
        self.added: list[str] = []
        self.changed: list[str] = []
        self.removed: list[str] = []
        # By the codes of the package: the ids of the stored initiatives it keeps (and, as the
        # batches give them, of the new ones); the package code of each kept one by its id.
        self.ids: dict[str, int] = {}
        self.new_codes: dict[int, str] = {}
        # The stored codes of kept initiatives whose code changes.
        self.old_codes: dict[int, str] = {}
        # Successor links (initiative, successor by code) to write once all have their ids.
        self.links: list[tuple[str, str | None]] = []

    def run(self, items: Sequence[dict[str, Any]], stored: list[StoredInitiative]) -> None:
        """Delete, update and create initiatives; lists what was added, changed and removed."""
        matched = match_by_uid_or_code(stored, items)
        kept = {row.id for row in matched if row is not None}
        gone = [row for row in stored if row.id not in kept]
        self._delete(gone)
        gone_ids = {row.id for row in gone}
        self.old_codes = self._free_codes(matched, items)
        self.ids = {
            item["code"]: row.id
            for row, item in zip(matched, items, strict=True)
            if row is not None
        }
        self.new_codes = {row_id: code for code, row_id in self.ids.items()}
        for batch in batches(len(items)):
            self._write(batch, items, matched, gone_ids)
        link_successors(self.session, self.links, self.ids)

    def _record(self, action: str, uid: str, code: str, changes: list[FieldChange]) -> AuditEntry:
        return audit.record(
            self.session,
            actor_id=self.actor_id,
            action=action,
            target_type="initiative",
            target_uid=uid,
            target_key=f"{self.municipality.code}/{self.plan.slug}/{code}",
            municipality_id=self.municipality.id,
            changes=changes,
        )

    def _delete(self, gone: list[StoredInitiative]) -> None:
        """Delete the initiatives the package no longer has (their rows by the database's
        cascade); any other initiative that named one as its successor names none now."""
        for row in gone:
            self.removed.append(f"initiative {row.code} {row.title}")
            self._record(
                "initiative.delete", row.uid, row.code, [FieldChange("title", row.title, None)]
            )
        connection = self.session.connection()
        ids = [row.id for row in gone]
        for chunk in chunked(ids):
            connection.execute(
                update(Initiative)
                .where(Initiative.plan_id == self.plan.id, Initiative.successor_id.in_(chunk))
                .values(successor_id=None, row_version=Initiative.row_version + 1)
            )
        for chunk in chunked(ids):
            connection.execute(delete(Initiative).where(Initiative.id.in_(chunk)))

    def _free_codes(
        self, matched: list[StoredInitiative | None], items: Sequence[dict[str, Any]]
    ) -> dict[int, str]:
        """Give each kept initiative whose code changes a temporary code, so that a batch may
        take a code another batch gives up (codes are unique per plan); their stored codes."""
        recoded = [
            row
            for row, item in zip(matched, items, strict=True)
            if row is not None and row.code != item["code"]
        ]
        if recoded:
            statement = (
                update(Initiative)
                .where(Initiative.id == bindparam("row_id"))
                .values(code=bindparam("temporary"))
            )
            rows = [{"row_id": row.id, "temporary": f"~{row.uid}"} for row in recoded]
            self.session.connection().execute(statement, rows)
        return {row.id: row.code for row in recoded}

    def _write(
        self,
        batch: range,
        items: Sequence[dict[str, Any]],
        matched: list[StoredInitiative | None],
        gone_ids: set[int],
    ) -> None:
        """Write one batch of items, record their audit entries, flush, and let go of them."""
        rows = [matched[position] for position in batch]
        ids = [row.id for row in rows if row is not None]
        loaded = load_initiatives(self.session, ids, self.sections_by_id, self.labels_by_id)
        for row_id, code in self.old_codes.items():
            if row_id in loaded:  # as stored, not as moved out of the way, for the audit trail
                set_committed_value(loaded[row_id], "code", code)
        written: list[tuple[Initiative, dict[str, Any], list[FieldChange] | None]] = []
        moved: list[dict[str, int]] = []
        for position, row in zip(batch, rows, strict=True):
            item = items[position]
            writer = self.new_writer()
            if row is None:
                initiative = new_initiative(self.plan, item, position, self.sections)
                self.session.add(initiative)
                writer.write(initiative, item, position)
                if successor_code(item) is not None:
                    self.links.append((item["code"], successor_code(item)))
                written.append((initiative, item, None))
            else:
                initiative = loaded[row.id]
                if initiative.position != position:  # the order moved, not the initiative
                    moved.append({"row_id": row.id, "position": position})
                    set_committed_value(initiative, "position", position)
                writer.write(initiative, item, position)
                self._successor(row, item, writer, gone_ids)
                written.append((initiative, item, writer.changes))
        # Recorded once the batch is written, as an import of one batch always has: after the
        # audit entries of the departments it creates.
        entries = [self._audit(*each) for each in written]
        self.session.flush()
        if moved:  # a plain statement: a shifted position is no new version of the initiative
            statement = (
                update(Initiative)
                .where(Initiative.id == bindparam("row_id"))
                .values(position=bindparam("position"))
            )
            self.session.connection().execute(statement, moved)
        for initiative, _, _ in written:
            self.ids[initiative.code] = initiative.id
            self.session.expunge(initiative)
        for entry in entries:
            if entry is not None:
                self.session.expunge(entry)

    def _audit(
        self, initiative: Initiative, item: dict[str, Any], changes: list[FieldChange] | None
    ) -> AuditEntry | None:
        """The audit entry of a new (no `changes`) or changed initiative; None if unchanged."""
        code = item["code"]
        if changes is None:
            self.added.append(f"initiative {code} {item['title']}")
            created = [FieldChange("title", None, item["title"])]
            return self._record("initiative.create", initiative.uid, code, created)
        if not changes:
            return None
        touch(initiative)
        self.changed.append(f"initiative {code}")
        return self._record("initiative.update", initiative.uid, code, changes)

    def _successor(
        self,
        row: StoredInitiative,
        item: dict[str, Any],
        writer: InitiativeWriter,
        gone_ids: set[int],
    ) -> None:
        """Note a change of a kept initiative's successor, as `InitiativeWriter.link` would
        (the successor by identity; shown by its code in the package), to be written last."""
        old_id = row.successor_id if row.successor_id not in gone_ids else None
        code = successor_code(item)
        if code is None and old_id is None:
            return
        if code is not None and old_id is not None and self.ids.get(code) == old_id:
            return
        old = self.new_codes[old_id] if old_id is not None else None
        writer.changes.append(FieldChange("terminated.successor", old, code))
        self.links.append((item["code"], code))
