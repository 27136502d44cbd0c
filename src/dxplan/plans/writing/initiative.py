"""Applying the package form of an initiative to its stored rows, recording every change.

The same code creates an initiative (from nothing) and updates one (from what is stored), so
that an import, a replace and an edit on a page or through the API write alike. Objects with a
stable id (activities, indicators, goals) are matched by their `uid` where the form carries one,
else by position; per-year rows by their fiscal-year key; department links by role and name.
Rows are updated in place where they match, so ids and unchanged rows stay as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from dxplan.audit.services import FieldChange
from dxplan.db import new_uid
from dxplan.errors import InvalidChangeError
from dxplan.fiscal import FiscalSpan, parse_fy_key
from dxplan.plans.models import Initiative, Section
from dxplan.plans.package.form import ROLE_FIELDS, year_key
from dxplan.plans.parts import (
    Activity,
    ActivityYear,
    FigureColumns,
    FiscalEffect,
    Goal,
    Indicator,
    IndicatorValue,
    InitiativeDepartment,
    InitiativeResult,
    ScaleKind,
    ScaleLabel,
    ValueKind,
)
from dxplan.problems import Problem, quoted
from dxplan.tenancy.services import Departments

INITIATIVE_COLLECTIONS = (
    *ROLE_FIELDS.values(),
    "activities",
    "results",
    "indicators",
    "goals",
    "fiscal_effects",
)
ACTIVITY_COLLECTIONS = ("plan", "actual", "status")
INDICATOR_COLLECTIONS = ("targets", "actuals")
_SCALAR_FIELDS = (
    "title",
    "overview",
    "aims",
    "priority",
    "national_dx",
    "added_fy",
    "new_in_revision",
    "cross_listed",
    "also_listed_as",
    "references",
    "note",
)


def stated_empty(item: dict[str, Any], fields: tuple[str, ...]) -> list[str] | None:
    """The collection fields the source gives, but empty; None when there are none."""
    empty = [name for name in fields if name in item and not item[name]]
    return empty or None


def to_decimal(value: int | float | Decimal | None) -> Decimal | None:
    """A package number as an exact decimal (a float by its shortest repr, as JSON wrote it)."""
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def figure_form(row: FigureColumns | None) -> dict[str, Any] | None:
    """A stored figure as the audit trail shows it."""
    if row is None:
        return None
    out: dict[str, Any] = {"text": row.text, "value": row.value}
    for name in ("unit", "op", "note"):
        if getattr(row, name) is not None:
            out[name] = getattr(row, name)
    return out


class _Positioned(Protocol):
    uid: str


_T = TypeVar("_T", bound=_Positioned)
_Child = TypeVar("_Child", Activity, Indicator, Goal)
_Yearly = TypeVar("_Yearly", InitiativeResult, FiscalEffect)


def match_by_identity(existing: Sequence[_T], items: Sequence[dict[str, Any]]) -> list[_T | None]:
    """For each item, the existing object it updates (None: a new one).

    An item with a `uid` matches the object with that uid; an item without one matches the
    object at its position, unless another item claims that object by its uid.
    """
    by_uid = {obj.uid: obj for obj in existing}
    claimed = {item["uid"] for item in items if item.get("uid") in by_uid}
    matched: list[_T | None] = []
    for position, item in enumerate(items):
        uid = item.get("uid")
        if uid is not None:
            matched.append(by_uid.get(uid))
        elif position < len(existing) and existing[position].uid not in claimed:
            matched.append(existing[position])
        else:
            matched.append(None)
    return matched


class _Coded(Protocol):
    @property
    def uid(self) -> str: ...
    @property
    def code(self) -> str: ...


_C = TypeVar("_C", bound=_Coded)


def match_by_uid_or_code(
    existing: Sequence[_C], items: Sequence[dict[str, Any]]
) -> list[_C | None]:
    """For each item, the stored object (section or initiative) it names, by its uid if it has
    one, else by its code; None: a new one. An object is matched at most once."""
    by_uid = {obj.uid: obj for obj in existing}
    by_code = {obj.code: obj for obj in existing}
    taken: set[int] = set()
    matched: list[_C | None] = []
    for item in items:
        found = by_uid.get(item["uid"]) if "uid" in item else by_code.get(item["code"])
        if found is not None and id(found) in taken:
            found = None
        if found is not None:
            taken.add(id(found))
        matched.append(found)
    return matched


def touch(obj: Any) -> None:
    """Count a change inside the object (a child row) as a change of the object's version."""
    flag_modified(obj, "position")


class InitiativeWriter:
    """Writes initiatives of one plan from their package form and lists what changed."""

    def __init__(
        self,
        session: Session,
        departments: Departments,
        sections: dict[str, Section],
        labels: dict[tuple[ScaleKind, str], ScaleLabel],
    ) -> None:
        self.session = session
        self.departments = departments
        self.sections = sections
        self.labels = labels
        self.changes: list[FieldChange] = []

    # -- helpers ----------------------------------------------------------------------------

    def _set(
        self,
        obj: Any,
        attr: str,
        new: Any,
        field: str,
        uid: str | None = None,
        shown: Callable[[Any], Any] | None = None,
    ) -> None:
        old = getattr(obj, attr)
        if old == new and type(old) is type(new):
            return
        setattr(obj, attr, new)
        show = shown or (lambda value: value)
        self.changes.append(FieldChange(field, show(old), show(new), uid))

    def _label(self, kind: ScaleKind, label: str | None, path: str) -> ScaleLabel | None:
        if label is None:
            return None
        found = self.labels.get((kind, label))
        if found is None:
            labels = "、".join(lab for (k, lab) in self.labels if k is kind)
            scale = "進捗状況" if kind is ScaleKind.PROGRESS else "達成状況"
            expected = f"計画の{scale}の区分のいずれか：{labels}"
            raise InvalidChangeError([Problem(f"$.{path}", quoted(label), expected)])
        return found

    # -- the initiative ------------------------------------------------------------------------

    def write(self, initiative: Initiative, item: dict[str, Any], position: int) -> None:
        """Make `initiative` say what `item` says (its successor is linked by `link`)."""
        initiative.position = position
        self._set(initiative, "code", item["code"], "code")
        section = self.sections.get(item["section"])
        if section is None:
            found = quoted(item["section"])
            raise InvalidChangeError([Problem("$.section", found, "計画の区分のコード", "区分")])
        self._set(initiative, "section", section, "section", shown=lambda s: s and s.code)
        for name in _SCALAR_FIELDS:
            self._set(initiative, name, item.get(name), name)
        period = item.get("period") or {}
        self._set(initiative, "start_fy", period.get("start_fy"), "period.start_fy")
        self._set(initiative, "end_fy", period.get("end_fy"), "period.end_fy")
        terminated = item.get("terminated")
        self._set(initiative, "terminated", terminated is not None, "terminated")
        reason = (terminated or {}).get("reason")
        self._set(initiative, "termination_reason", reason, "terminated.reason")
        self._set(
            initiative,
            "stated_empty",
            stated_empty(item, INITIATIVE_COLLECTIONS),
            "stated_empty",
        )
        self._departments(initiative, item)
        self._results(initiative, item.get("results", {}))
        self._fiscal_effects(initiative, item.get("fiscal_effects", {}))
        self._activities(initiative, item.get("activities", []))
        self._indicators(initiative, item.get("indicators", []))
        self._goals(initiative, item.get("goals", []))

    def link(self, initiative: Initiative, item: dict[str, Any], ids: Mapping[str, int]) -> None:
        """Point the initiative at its successor, by id: `ids` has the id of every initiative
        of the plan by its code (the initiative's own too, once it has one)."""
        code = (item.get("terminated") or {}).get("successor")
        successor_id = None
        if code is not None:
            successor_id = ids.get(code)
            if successor_id is None or code == item.get("code"):
                expected = "計画のほかの取組のコード"
                problem = Problem("$.terminated.successor", quoted(code), expected, "後継の取組")
                raise InvalidChangeError([problem])
        old = initiative.successor_id
        if old != successor_id:
            codes = {row_id: each for each, row_id in ids.items()}
            initiative.successor_id = successor_id
            self.changes.append(FieldChange("terminated.successor", codes.get(old or 0), code))

    def _departments(self, initiative: Initiative, item: dict[str, Any]) -> None:
        current = {(link.role, link.department.name): link for link in initiative.departments}
        wanted: list[tuple[Any, str, int]] = []
        for role, field in ROLE_FIELDS.items():
            old_names = [
                link.department.name for link in initiative.departments if link.role is role
            ]
            new_names = list(item.get(field, []))
            if old_names != new_names:
                self.changes.append(FieldChange(field, old_names or None, new_names or None))
            wanted.extend((role, name, i) for i, name in enumerate(new_names))
        keep = {(role, name) for role, name, _ in wanted}
        for key, stale_link in current.items():
            if key not in keep:
                initiative.departments.remove(stale_link)
        for role, name, position in wanted:
            link = current.get((role, name))
            if link is None:
                link = InitiativeDepartment(
                    department=self.departments.get(name), role=role, position=position
                )
                initiative.departments.append(link)
            elif link.position != position:
                link.position = position

    def _by_year(
        self,
        rows: list[_Yearly],
        mapping: dict[str, Any],
        field: str,
        make: Callable[[FiscalSpan], _Yearly],
        write: Callable[[_Yearly, Any, str, bool], None],
        shown: Callable[[_Yearly], Any],
    ) -> None:
        """Make the rows keyed by fiscal year say what `mapping` says: update those whose key
        stays, add new ones (`write` records each change), remove the others."""
        by_key = {year_key(r.start_fy, r.end_fy): r for r in rows}
        for key, stale in by_key.items():
            if key not in mapping:
                rows.remove(stale)
                self.changes.append(FieldChange(f"{field}.{key}", shown(stale), None))
        for key, value in mapping.items():
            row = by_key.get(key)
            if row is None:
                row = make(parse_fy_key(key))
                rows.append(row)
                write(row, value, f"{field}.{key}", True)
            else:
                write(row, value, f"{field}.{key}", False)
        rows.sort(key=lambda r: (r.start_fy, r.end_fy))

    def _results(self, initiative: Initiative, mapping: dict[str, str]) -> None:
        def write(row: InitiativeResult, text: str, path: str, new_row: bool) -> None:
            old = None if new_row else row.text
            row.text = text
            if old != text:
                self.changes.append(FieldChange(path, old, text))

        self._by_year(
            initiative.results,
            mapping,
            "results",
            lambda span: InitiativeResult(start_fy=span.start_fy, end_fy=span.end_fy, text=""),
            write,
            lambda row: row.text,
        )

    def _figure(
        self,
        row: FigureColumns,
        figure: dict[str, Any],
        field: str,
        uid: str | None,
        *,
        new_row: bool = False,
    ) -> None:
        old = None if new_row else figure_form(row)
        row.text = figure["text"]
        row.value = to_decimal(figure["value"])
        row.unit = figure.get("unit")
        row.op = figure.get("op")
        row.note = figure.get("note")
        new = figure_form(row)
        if old != new:
            self.changes.append(FieldChange(field, old, new, uid))

    def _fiscal_effects(self, initiative: Initiative, mapping: dict[str, Any]) -> None:
        self._by_year(
            initiative.fiscal_effects,
            mapping,
            "fiscal_effects",
            lambda span: FiscalEffect(start_fy=span.start_fy, end_fy=span.end_fy, text=""),
            lambda row, figure, path, new_row: self._figure(
                row, figure, path, None, new_row=new_row
            ),
            figure_form,
        )

    # -- activities, indicators and goals: children with a stable id -------------------------

    def _children(
        self,
        collection: list[_Child],
        items: list[dict[str, Any]],
        kind: str,
        make: Callable[[dict[str, Any]], _Child],
        shown: Callable[[_Child], str],
    ) -> list[tuple[_Child, dict[str, Any], str]]:
        """Match the items to the stored children (removing the others, adding new ones) and
        return each child with its item and its path in the form, in the items' order."""
        matched = match_by_identity(collection, items)
        keep = {id(child) for child in matched if child is not None}
        for stale in list(collection):
            if id(stale) not in keep:
                collection.remove(stale)
                self.changes.append(FieldChange(kind, shown(stale), None, stale.uid))
        result: list[tuple[_Child, dict[str, Any], str]] = []
        for position, (found, item) in enumerate(zip(matched, items, strict=True)):
            field = f"{kind}[{position}]"
            child = found or make(item)
            child.position = position
            if found is None:
                child.uid = item.get("uid") or new_uid()  # known before the flush, for the audit
                collection.append(child)
                self.changes.append(FieldChange(field, None, shown(child), child.uid))
            result.append((child, item, field))
        collection.sort(key=lambda child: child.position)
        return result

    def _activities(self, initiative: Initiative, items: list[dict[str, Any]]) -> None:
        for activity, item, field in self._children(
            initiative.activities,
            items,
            "activities",
            lambda item: Activity(title=item["title"]),
            lambda a: a.title,
        ):
            self._set(activity, "title", item["title"], f"{field}.title", activity.uid)
            self._set(activity, "note", item.get("note"), f"{field}.note", activity.uid)
            activity.stated_empty = stated_empty(item, ACTIVITY_COLLECTIONS)
            self._activity_years(activity, item, field)

    def _activity_years(self, activity: Activity, item: dict[str, Any], field: str) -> None:
        plan, actual, status = (item.get(name, {}) for name in ACTIVITY_COLLECTIONS)
        keys = sorted({*plan, *actual, *status}, key=lambda k: parse_fy_key(k))
        by_key = {year_key(y.start_fy, y.end_fy): y for y in activity.years}
        for key, stale in by_key.items():
            if key not in keys:
                activity.years.remove(stale)
        for key in keys:
            year = by_key.get(key)
            if year is None:
                span = parse_fy_key(key)
                year = ActivityYear(start_fy=span.start_fy, end_fy=span.end_fy)
                activity.years.append(year)
            uid = activity.uid
            self._set(year, "planned", plan.get(key), f"{field}.plan.{key}", uid)
            self._set(year, "actual", actual.get(key), f"{field}.actual.{key}", uid)
            label = self._label(ScaleKind.PROGRESS, status.get(key), f"{field}.status.{key}")
            self._set(year, "status", label, f"{field}.status.{key}", uid, lambda s: s and s.label)
        for key, year in by_key.items():
            if key not in keys:
                for name, value in (("plan", year.planned), ("actual", year.actual)):
                    if value is not None:
                        self.changes.append(
                            FieldChange(f"{field}.{name}.{key}", value, None, activity.uid)
                        )
                if year.status is not None:
                    self.changes.append(
                        FieldChange(f"{field}.status.{key}", year.status.label, None, activity.uid)
                    )
        activity.years.sort(key=lambda y: (y.start_fy, y.end_fy))

    def _indicators(self, initiative: Initiative, items: list[dict[str, Any]]) -> None:
        for indicator, item, field in self._children(
            initiative.indicators,
            items,
            "indicators",
            lambda item: Indicator(name=item["name"]),
            lambda i: i.name,
        ):
            for name in ("name", "unit", "cumulative", "rationale", "note"):
                self._set(indicator, name, item.get(name), f"{field}.{name}", indicator.uid)
            indicator.stated_empty = stated_empty(item, INDICATOR_COLLECTIONS)
            self._indicator_values(indicator, item, field)

    def _indicator_values(self, indicator: Indicator, item: dict[str, Any], field: str) -> None:
        wanted: dict[tuple[ValueKind, str], dict[str, Any]] = {}
        baseline = item.get("baseline")
        if baseline is not None:
            wanted[ValueKind.BASELINE, ""] = baseline
        for kind, name in ((ValueKind.TARGET, "targets"), (ValueKind.ACTUAL, "actuals")):
            for key, figure in item.get(name, {}).items():
                wanted[kind, key] = figure
        current: dict[tuple[ValueKind, str], IndicatorValue] = {}
        for stored in indicator.values:
            key = (
                ""
                if stored.kind is ValueKind.BASELINE
                else year_key(stored.start_fy or 0, stored.end_fy or 0)
            )
            current[stored.kind, key] = stored
        names = {
            ValueKind.BASELINE: "baseline",
            ValueKind.TARGET: "targets",
            ValueKind.ACTUAL: "actuals",
        }
        uid = indicator.uid
        for (kind, key), stale in current.items():
            if (kind, key) not in wanted:
                indicator.values.remove(stale)
                path = f"{field}.{names[kind]}" + (f".{key}" if key else "")
                self.changes.append(FieldChange(path, figure_form(stale), None, uid))
        for (kind, key), figure in wanted.items():
            path = f"{field}.{names[kind]}" + (f".{key}" if key else "")
            value = current.get((kind, key))
            if value is None:
                if kind is ValueKind.BASELINE:
                    start = end = figure.get("fy")
                else:
                    span = parse_fy_key(key)
                    start, end = span.start_fy, span.end_fy
                value = IndicatorValue(kind=kind, start_fy=start, end_fy=end, text="")
                indicator.values.append(value)
                self._figure(value, figure, path, uid, new_row=True)
                continue
            if kind is ValueKind.BASELINE:
                fy = figure.get("fy")
                self._set(value, "start_fy", fy, f"{path}.fy", uid)
                value.end_fy = fy
            self._figure(value, figure, path, uid)

    def _goals(self, initiative: Initiative, items: list[dict[str, Any]]) -> None:
        for goal, item, field in self._children(
            initiative.goals, items, "goals", lambda item: Goal(text=item["text"]), lambda g: g.text
        ):
            uid = goal.uid
            period = item.get("target_period") or {}
            self._set(goal, "text", item["text"], f"{field}.text", uid)
            self._set(goal, "target_fy", item.get("target_fy"), f"{field}.target_fy", uid)
            self._set(
                goal,
                "target_start_fy",
                period.get("start_fy"),
                f"{field}.target_period.start_fy",
                uid,
            )
            self._set(
                goal, "target_end_fy", period.get("end_fy"), f"{field}.target_period.end_fy", uid
            )
            label = self._label(
                ScaleKind.ACHIEVEMENT, item.get("achievement"), f"{field}.achievement"
            )
            self._set(
                goal, "achievement", label, f"{field}.achievement", uid, lambda a: a and a.label
            )
            self._set(goal, "note", item.get("note"), f"{field}.note", uid)
