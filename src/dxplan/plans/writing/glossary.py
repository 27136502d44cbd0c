"""A plan's glossary (用語解説) made to say what a package says, entry by entry, by term."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dxplan.audit.services import FieldChange
from dxplan.plans.models import GlossaryEntry, Plan

_FIELDS = ("reading", "explanation", "note")


@dataclass
class GlossaryChanges:
    """What writing a glossary did: terms added, changed and removed, fields changed (old → new)."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changes: list[FieldChange] = field(default_factory=list)


def write_glossary(plan: Plan, items: list[dict[str, Any]]) -> GlossaryChanges:
    """Update the plan's entries in place, matched by term; add the new, drop the others.

    A changed field is recorded as `glossary.<term>.<field>`; a changed order or set of terms
    as `glossary` (the terms, old → new).
    """
    current = {entry.term: entry for entry in plan.glossary}
    result = GlossaryChanges()
    entries: list[GlossaryEntry] = []
    for position, item in enumerate(items):
        term = item["term"]
        entry = current.get(term)
        if entry is None:
            entry = GlossaryEntry(term=term)
            result.added.append(f"glossary term {term}")
        else:
            fields = _changed_fields(entry, item)
            if fields:
                result.changed.append(f"glossary term {term}")
                result.changes += fields
        entry.position = position
        for name in _FIELDS:
            setattr(entry, name, item.get(name))
        entries.append(entry)
    wanted = {item["term"] for item in items}
    result.removed = [f"glossary term {term}" for term in current if term not in wanted]
    old_terms, new_terms = list(current), [item["term"] for item in items]
    if old_terms != new_terms:
        result.changes.insert(0, FieldChange("glossary", old_terms, new_terms))
    plan.glossary = entries
    return result


def _changed_fields(entry: GlossaryEntry, item: dict[str, Any]) -> list[FieldChange]:
    return [
        FieldChange(f"glossary.{entry.term}.{name}", getattr(entry, name), item.get(name))
        for name in _FIELDS
        if getattr(entry, name) != item.get(name)
    ]
