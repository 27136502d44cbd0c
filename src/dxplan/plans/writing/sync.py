"""Making a stored plan (or a new one) say what a validated package says.

The plan's own fields, scales and sections are updated in place; initiatives are written a batch
at a time (`bulk` for a new plan, `replace` for a stored one); published figures and revisions,
which have no identity, are replaced when they differ. Every change is recorded for the audit
trail by the caller (`services.import_plan`). The uids a package carries are checked first
(`writing.uids`): each names an object of this plan in the same place, or a new one. The scales
are written by `writing.scales`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from dxplan.audit.services import FieldChange
from dxplan.db import new_uid
from dxplan.plans.models import (
    Plan,
    PlanKind,
    PublishedFigure,
    Revision,
    RevisionChange,
    RevisionState,
    Section,
)
from dxplan.plans.package.form import (
    FormOptions,
    adopted_revisions,
    plan_info_form,
    published_figures_form,
    revision_form,
)
from dxplan.plans.parts import ScaleKind, ScaleLabel
from dxplan.plans.snapshots import pack
from dxplan.plans.writing.batches import write_new_initiatives
from dxplan.plans.writing.glossary import write_glossary
from dxplan.plans.writing.initiative import (
    InitiativeWriter,
    match_by_uid_or_code,
    stated_empty,
    to_decimal,
)
from dxplan.plans.writing.replace import InitiativeReplace, StoredInitiative
from dxplan.plans.writing.scales import write_scales
from dxplan.tenancy.models import Municipality
from dxplan.tenancy.services import Departments

PLAN_COLLECTIONS = ("published_figures", "revisions", "glossary")
REVISION_COLLECTIONS = ("changes",)
_NO_IDS = FormOptions(ids=False)


@dataclass
class ImportOutcome:
    """What an import did: the plan, whether it was new, how many initiatives it has now, and
    what was added, changed, removed.

    The initiatives of a new plan are not held in memory: count them with `initiatives`, not
    with `plan.initiatives` (which would load them all).
    """

    plan: Plan
    created: bool
    initiatives: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


class PlanSync:
    """Makes one stored plan (or a new one) say what a validated package says."""

    def __init__(
        self,
        session: Session,
        actor_id: str,
        municipality: Municipality,
        plan: Plan | None,
        stored: list[StoredInitiative],
    ) -> None:
        self.session = session
        self.actor_id = actor_id
        self.municipality = municipality
        self.plan = plan
        self.stored = stored
        self.plan_changes: list[FieldChange] = []

    def run(self, doc: dict[str, Any]) -> ImportOutcome:
        created = self.plan is None
        plan = self.plan or Plan(municipality=self.municipality)
        if created:
            if doc["plan"].get("uid"):
                plan.uid = doc["plan"]["uid"]
            self.session.add(plan)
        outcome = ImportOutcome(plan=plan, created=created, initiatives=len(doc["initiatives"]))
        self._plan_info(plan, doc)
        labels = self._scales(plan, doc["plan"].get("scales", {}))
        sections = self._sections(plan, doc["sections"], outcome)
        self._initiatives(plan, doc, sections, labels, outcome)
        self._plan_lists(plan, doc)
        self._glossary(plan, doc, outcome)
        self._drop_unused_labels(plan)
        self.session.flush()
        return outcome

    def _record(self, name: str, old: Any, new: Any) -> None:
        if self.plan is not None and old != new:
            self.plan_changes.append(FieldChange(name, old, new))

    def _plan_info(self, plan: Plan, doc: dict[str, Any]) -> None:
        info = doc["plan"]
        old = plan_info_form(plan, _NO_IDS) if self.plan is not None else {}
        plan.slug = info["id"]
        plan.title = info["title"]
        plan.kind = PlanKind(info["kind"])
        plan.start_fy = info["period"]["start_fy"]
        plan.end_fy = info["period"]["end_fy"]
        for name in ("published", "version", "upper_plans", "level_names", "source", "notes"):
            setattr(plan, name, info.get(name))
        plan.declared_scales = list(info["scales"]) if "scales" in info else None
        plan.stated_empty = stated_empty(doc, PLAN_COLLECTIONS)
        if self.plan is not None:
            new = {k: v for k, v in info.items() if k not in ("uid", "scales")}
            for name in sorted(set(old) | set(new)):
                if name != "scales":
                    self._record(f"plan.{name}", old.get(name), new.get(name))

    def _scales(
        self, plan: Plan, declared: dict[str, list[dict[str, Any]]]
    ) -> dict[tuple[ScaleKind, str], ScaleLabel]:
        """The declared scales (and the default for any not declared), updated in place."""
        written = write_scales(self.session, plan, declared)
        self._unused = written.unused
        self._record("plan.scales", written.old, written.new)
        return written.labels

    def _drop_unused_labels(self, plan: Plan) -> None:
        for label in self._unused:
            plan.scale_labels.remove(label)

    def _match_sections(
        self, existing: list[Section], items: list[dict[str, Any]]
    ) -> list[Section | None]:
        """The stored section each item names (see match_by_uid_or_code).

        Codes are unique per plan: a matched section whose code changes takes a temporary code
        first, so that two sections may swap codes.
        """
        matched = match_by_uid_or_code(existing, items)
        recoded = [
            obj
            for obj, item in zip(matched, items, strict=True)
            if obj is not None and obj.code != item["code"]
        ]
        for obj in recoded:
            obj.code = f"~{obj.uid}"
        if recoded:
            self.session.flush()
        return matched

    def _sections(
        self, plan: Plan, items: list[dict[str, Any]], outcome: ImportOutcome
    ) -> dict[str, Section]:
        """Sections matched by uid, else by code; updated in place, new ones added."""
        existing = list(plan.sections)
        # What each stored section said, before codes are moved out of the way.
        before = {
            id(s): (_section_values(s), s.parent.code if s.parent is not None else None)
            for s in existing
        }
        matched = self._match_sections(existing, items)
        result: dict[str, Section] = {}
        for position, (found, item) in enumerate(zip(matched, items, strict=True)):
            section = found or Section(code=item["code"], title=item["title"], position=position)
            if found is None:
                section.uid = item.get("uid") or new_uid()
                plan.sections.append(section)
                if self.plan is not None:
                    outcome.added.append(f"section {item['code']}")
            section.position = position
            section.code = item["code"]
            section.title = item["title"]
            section.level = item.get("level")
            section.description = item.get("description")
            section.note = item.get("note")
            result[item["code"]] = section
            if found is not None:
                old, new = before[id(section)][0], _section_values(section)
                for name in new:
                    if old[name] != new[name]:
                        path = f"sections[{position}].{name}"
                        self.plan_changes.append(
                            FieldChange(path, old[name], new[name], section.uid)
                        )
        for position, item in enumerate(items):
            section = result[item["code"]]
            parent = item.get("parent")
            section.parent = result[parent] if parent is not None else None
            old_parent = before[id(section)][1] if id(section) in before else parent
            if old_parent != parent:
                path = f"sections[{position}].parent"
                self.plan_changes.append(FieldChange(path, old_parent, parent, section.uid))
        self._stale_sections = [s for s in existing if s not in matched]
        for section in self._stale_sections:
            outcome.removed.append(f"section {section.code} {section.title}")
        plan.sections.sort(key=lambda s: s.position)
        return result

    def _initiatives(
        self,
        plan: Plan,
        doc: dict[str, Any],
        sections: dict[str, Section],
        labels: dict[tuple[ScaleKind, str], ScaleLabel],
        outcome: ImportOutcome,
    ) -> None:
        items = doc["initiatives"]
        departments = Departments(self.session, self.municipality, self.actor_id)

        def new_writer() -> InitiativeWriter:
            return InitiativeWriter(self.session, departments, sections, labels)

        if self.plan is None:
            self.session.flush()  # the new plan's id, which each initiative row carries
            write_new_initiatives(self.session, plan, items, sections, new_writer)
            return
        self.session.flush()  # the ids of new sections and labels
        replace = InitiativeReplace(
            self.session, self.actor_id, self.municipality, plan, sections, new_writer
        )
        replace.run(items, self.stored)
        outcome.added += replace.added
        outcome.changed += replace.changed
        outcome.removed += replace.removed
        for section in self._stale_sections:
            plan.sections.remove(section)

    def _plan_lists(self, plan: Plan, doc: dict[str, Any]) -> None:
        """Published figures and revisions have no identity: replaced when they differ."""
        figures = doc.get("published_figures", [])
        old_figures = published_figures_form(plan) if self.plan is not None else []
        if _normalised(old_figures) != _normalised(figures):
            self._record("published_figures", old_figures, figures)
            plan.published_figures = [
                PublishedFigure(
                    position=i,
                    name=f["name"],
                    where=f.get("where"),
                    text=f["text"],
                    value=to_decimal(f["value"]),
                    unit=f.get("unit"),
                    op=f.get("op"),
                    note=f.get("note"),
                )
                for i, f in enumerate(figures)
            ]
        revisions = doc.get("revisions", [])
        adopted = adopted_revisions(plan) if self.plan is not None else []
        old_revisions = [revision_form(r) for r in adopted]
        if _normalised(old_revisions) != _normalised(revisions):
            self._record("revisions", old_revisions, revisions)
            # The history the package still tells as stored keeps its rows (uids, snapshots).
            kept = 0
            while kept < min(len(adopted), len(revisions)) and _normalised(
                old_revisions[kept]
            ) == _normalised(revisions[kept]):
                kept += 1
            kept_open = [r for r in plan.revisions if r not in adopted]
            for position, revision in enumerate(kept_open, start=len(revisions)):
                revision.position = position
            new = [_revision(i, r) for i, r in enumerate(revisions) if i >= kept]
            plan.revisions = adopted[:kept] + new + kept_open
        self._snapshot(plan, doc)

    def _snapshot(self, plan: Plan, doc: dict[str, Any]) -> None:
        """The latest revision shows the plan as this package says, unless it already has its
        own snapshot (taken at adoption, or at an earlier import)."""
        latest = adopted_revisions(plan)[-1:]
        if latest and latest[0].snapshot is None:
            latest[0].snapshot = pack(doc)

    def _glossary(self, plan: Plan, doc: dict[str, Any], outcome: ImportOutcome) -> None:
        """The glossary's entries, matched by term (see writing.glossary)."""
        written = write_glossary(plan, doc.get("glossary", []))
        if self.plan is not None:
            outcome.added += written.added
            outcome.changed += written.changed
            outcome.removed += written.removed
            self.plan_changes += written.changes


def _normalised(value: Any) -> Any:
    """A form without nulls, for comparing what a package says with what is stored."""
    if isinstance(value, dict):
        return {k: _normalised(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_normalised(v) for v in value]
    if isinstance(value, float | int) and not isinstance(value, bool):
        return to_decimal(value)
    return value


def _section_values(section: Section) -> dict[str, Any]:
    return {
        "code": section.code,
        "title": section.title,
        "level": section.level,
        "description": section.description,
        "note": section.note,
    }


def _revision(position: int, item: dict[str, Any]) -> Revision:
    return Revision(
        position=position,
        state=RevisionState.ADOPTED,
        date=item["date"],
        version=item.get("version"),
        note=item.get("note"),
        stated_empty=stated_empty(item, REVISION_COLLECTIONS),
        changes=[
            RevisionChange(
                position=i,
                initiative_code=c.get("initiative"),
                title=c.get("title"),
                kind=c["kind"],
                summary=c.get("summary"),
                note=c.get("note"),
            )
            for i, c in enumerate(item.get("changes", []))
        ],
    )
