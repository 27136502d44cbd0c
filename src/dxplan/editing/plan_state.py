"""What editing initiatives of one plan needs, loaded once whatever their number: the plan with
its sections, scales and departments, the code, id and successor of every initiative, the
initiatives edited with everything in them, the reporting rounds' locks, the open revision.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from dxplan.accounts.context import Context, authorize
from dxplan.accounts.rules import Change
from dxplan.errors import NotFoundError, StaleVersionError
from dxplan.plans.field_labels import label_initiative_problems
from dxplan.plans.models import Initiative, Plan, Revision
from dxplan.plans.package.form import FormOptions, initiative_form, plan_info_form, section_form
from dxplan.plans.package.validation import initiative_problems
from dxplan.plans.parts import ScaleKind, ScaleLabel
from dxplan.plans.queries import find_plan, initiative_index, load_initiatives
from dxplan.plans.writing.initiative import InitiativeWriter
from dxplan.problems import Problem
from dxplan.reporting.locks import YearLocks
from dxplan.revisions.changelog import find_open_revision, no_open_revision
from dxplan.tenancy.services import Departments


class EditedPlan:
    """One plan as its initiatives are edited (see the module)."""

    def __init__(
        self,
        session: Session,
        context: Context,
        plan: Plan,
        index: dict[str, tuple[int, int | None]],
        loaded: dict[int, Initiative],
    ) -> None:
        self.session = session
        self.context = context
        self.plan = plan
        self.ids = {code: row_id for code, (row_id, _) in index.items()}
        self.code_of = {row_id: code for code, row_id in self.ids.items()}
        self.successor_of = {
            code: self.code_of.get(successor) if successor is not None else None
            for code, (_, successor) in index.items()
        }
        self.by_code = {item.code: item for item in loaded.values()}
        self.read_versions = {item.id: item.row_version for item in loaded.values()}
        self.changed: list[Initiative] = []
        self.sections = {s.code: s for s in plan.sections}
        self.labels: dict[tuple[ScaleKind, str], ScaleLabel] = {
            (label.scale, label.label): label for label in plan.scale_labels
        }
        self.departments = Departments(session, plan.municipality, context.actor.id)
        self.locks = YearLocks.load(session, plan.id)
        self._revision: Revision | None = None
        self._revision_loaded = False
        self.revision_used = False
        self.plan_doc = {
            "plan": plan_info_form(plan, FormOptions(ids=False)),
            "sections": [section_form(s, FormOptions(ids=False)) for s in plan.sections],
        }

    @classmethod
    def load(
        cls, session: Session, context: Context, plan_id: str, codes: Sequence[str]
    ) -> EditedPlan:
        """The plan acted for and the initiatives of `codes` (NotFoundError: no such plan, or
        another municipality's, whatever exists)."""
        plan = find_plan(session, context.municipality_code, plan_id, initiatives=False)
        authorize(context, Change.READ_DRAFT)
        if plan is None:
            raise NotFoundError(f"no plan {plan_id!r} for municipality {context.municipality_code}")
        index = initiative_index(session, plan)
        sections = {s.id: s for s in plan.sections}
        labels = {label.id: label for label in plan.scale_labels}
        ids = [index[code][0] for code in dict.fromkeys(codes) if code in index]
        loaded = load_initiatives(session, ids, sections, labels)
        _link_successors(session, loaded)
        return cls(session, context, plan, index, loaded)

    def initiative(self, code: str) -> Initiative:
        """An edited initiative, by its code; NotFoundError if the plan has none."""
        found = self.by_code.get(code)
        if found is None:
            raise NotFoundError(f"no initiative {code!r} in plan {self.plan.slug!r}")
        return found

    def check_version(self, initiative: Initiative, expected: int) -> None:
        """StaleVersionError (with the current form) unless the initiative is at `expected`."""
        if initiative.row_version != expected:
            key = f"{self.context.municipality_code}/{self.plan.slug}/{initiative.code}"
            raise StaleVersionError(
                f"initiative {key}",
                expected,
                initiative.row_version,
                initiative_form(initiative, FormOptions()),
            )

    def problems(
        self,
        initiative: Initiative | None,
        form: dict[str, Any],
        batch: Sequence[dict[str, Any]],
    ) -> list[Problem]:
        """Every problem of `form` as the new form of `initiative` (None: a new one), the other
        forms of `batch` (with their uids) taken as already written; labelled in Japanese."""
        current = initiative_form(initiative, FormOptions(ids=True)) if initiative else {}
        successors = dict(self.successor_of)
        for other in batch:
            if other is form:
                continue
            before = self._code_of_uid(other.get("uid"))
            if before is not None:
                successors.pop(before, None)
            if isinstance(other.get("code"), str):
                successors[other["code"]] = (other.get("terminated") or {}).get("successor")
        found = initiative_problems(self.plan_doc, form, current, successors)
        code = initiative.code if initiative is not None else form.get("code")
        labelled = label_initiative_problems(found, form if isinstance(form, dict) else {})
        return [p.about(code if isinstance(code, str) else None) for p in labelled]

    def _code_of_uid(self, uid: object) -> str | None:
        for code, item in self.by_code.items():
            if item.uid == uid:
                return code
        return None

    def new_versions(self) -> None:
        """Give each changed initiative its new version, after the flush: one statement for all
        those whose own row did not change (the flush gave the others theirs), each checked
        against the version read (StaleVersionError if someone changed one meanwhile)."""
        rows = [
            {"row_id": i.id, "read": i.row_version, "new": i.row_version + 1}
            for i in self.changed
            if i.row_version == self.read_versions.get(i.id)
        ]
        if not rows:
            return
        statement = (
            update(Initiative)
            .where(Initiative.id == bindparam("row_id"))
            .where(Initiative.row_version == bindparam("read"))
            .values(row_version=bindparam("new"))
        )
        result = self.session.connection().execute(statement, rows)
        if result.rowcount != len(rows):
            key = f"{self.context.municipality_code}/{self.plan.slug}"
            raise StaleVersionError(f"initiatives of {key}", 0, 0, {})
        by_id = {i.id: i for i in self.changed}
        for row in rows:
            set_committed_value(by_id[row["row_id"]], "row_version", row["new"])

    def writer(self) -> InitiativeWriter:
        """A writer of this plan's initiatives (recording the changes it makes)."""
        return InitiativeWriter(self.session, self.departments, self.sections, self.labels)

    def open_revision(self, what: str) -> Revision:
        """The plan's open revision (read once); InvalidChangeError naming `what` changed (the
        field's label) when it has none."""
        if not self._revision_loaded:
            self._revision = find_open_revision(self.session, self.plan)
            self._revision_loaded = True
        if self._revision is None:
            raise no_open_revision(what)
        self.revision_used = True
        return self._revision

    @property
    def revision(self) -> Revision | None:
        """The open revision, once asked for."""
        return self._revision


def _link_successors(session: Session, loaded: dict[int, Initiative]) -> None:
    """Fill the loaded initiatives' successors (their code is all the form needs): one query."""
    wanted = {i.successor_id for i in loaded.values() if i.successor_id is not None}
    found = {i.id: i for i in loaded.values()}
    missing = wanted - set(found)
    if missing:
        statement = select(Initiative).where(Initiative.id.in_(missing))
        found |= {i.id: i for i in session.scalars(statement)}
    for item in loaded.values():
        set_committed_value(item, "successor", found.get(item.successor_id or 0))
