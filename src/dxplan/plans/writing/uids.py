"""The uids a package carries, checked before a plan is written: each names an object of this
plan in the same place (the plan, a section, an initiative, or an activity, indicator or goal of
the same initiative), or is new to the database.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dxplan.errors import InvalidChangeError
from dxplan.plans.models import Initiative, Plan, Section
from dxplan.plans.parts import Activity, Goal, Indicator
from dxplan.plans.writing.batches import chunked
from dxplan.plans.writing.replace import StoredInitiative
from dxplan.problems import Problem, quoted

_IDENTIFIED: tuple[type[Plan | Section | Initiative | Activity | Indicator | Goal], ...] = (
    Plan,
    Section,
    Initiative,
    Activity,
    Indicator,
    Goal,
)


def _package_uids(doc: dict[str, Any]) -> dict[str, str]:
    """Every uid the package carries, with the JSON path of its first use."""
    found: dict[str, str] = {}

    def add(item: dict[str, Any], path: str) -> None:
        uid = item.get("uid")
        if uid is not None:
            found.setdefault(uid, path)

    add(doc["plan"], "$.plan.uid")
    for i, section in enumerate(doc["sections"]):
        add(section, f"$.sections[{i}].uid")
    for i, item in enumerate(doc["initiatives"]):
        add(item, f"$.initiatives[{i}].uid")
        for name in ("activities", "indicators", "goals"):
            for j, child in enumerate(item.get(name, [])):
                add(child, f"$.initiatives[{i}].{name}[{j}].uid")
    return found


def check_uids(
    session: Session, doc: dict[str, Any], existing: Plan | None, stored: list[StoredInitiative]
) -> None:
    """A uid of the package names an object of this plan in the same place, or a new one."""
    uids = _package_uids(doc)
    if not uids:
        return
    problems: list[Problem] = []
    for model in _IDENTIFIED:
        for chunk in chunked(list(uids)):
            statement = select(model.uid).where(model.uid.in_(chunk))
            if existing is not None:
                statement = statement.where(_plan_id_column(model) != existing.id)
            for uid in session.scalars(statement):
                expected = f"新しいuid（ほかの計画の{_KINDS[model.__tablename__]}のuidではなく）"
                problems.append(Problem(uids[uid], quoted(uid), expected))
    if existing is not None:
        places = _stored_places(session, existing, stored, list(uids))
        uid_by_code = {row.code: row.uid for row in stored}
        for uid, path in uids.items():
            place = places.get(uid)
            wanted = _package_place(doc, path, uid_by_code)
            if place is not None and place[:2] != wanted:
                expected = (
                    f"新しいuid、またはこの位置にある{_KINDS[wanted[0]]}のuid（これは"
                    f"{place[2]}{_KINDS[place[0]]}のuidです）"
                )
                problems.append(Problem(path, quoted(uid), expected))
    if problems:
        raise InvalidChangeError(sorted(problems, key=lambda p: (p.path, p.found)))


def _plan_id_column(model: type[Any]) -> Any:
    if model is Plan:
        return Plan.id
    if model is Indicator:
        return (
            select(Initiative.plan_id)
            .where(Initiative.id == Indicator.initiative_id)
            .scalar_subquery()
        )
    return model.plan_id


_KINDS = {
    "plan": "計画",
    "section": "区分",
    "sections": "区分",
    "initiative": "取組",
    "initiatives": "取組",
    "activity": "取組活動",
    "activities": "取組活動",
    "indicator": "指標",
    "indicators": "指標",
    "goal": "目標",
    "goals": "目標",
}

_PLACE = re.compile(r"^\$\.(?:initiatives\[(?P<i>[0-9]+)\]\.)?(?P<kind>\w+)(?:\[[0-9]+\])?\.uid$")


def _stored_places(
    session: Session, plan: Plan, stored: list[StoredInitiative], uids: list[str]
) -> dict[str, tuple[str, str, str]]:
    """Where each of `uids` is in the stored plan: (kind, the initiative it is in, in words)."""
    places = {plan.uid: ("plan", "", "")}
    places |= {s.uid: ("sections", "", "") for s in plan.sections}
    places |= {row.uid: ("initiatives", "", "") for row in stored}
    children: tuple[tuple[str, type[Activity | Indicator | Goal]], ...] = (
        ("activities", Activity),
        ("indicators", Indicator),
        ("goals", Goal),
    )
    for kind, model in children:
        for chunk in chunked(uids):
            statement = (
                select(model.uid, Initiative.uid, Initiative.code)
                .join(Initiative, model.initiative_id == Initiative.id)
                .where(Initiative.plan_id == plan.id, model.uid.in_(chunk))
            )
            for uid, owner, code in session.execute(statement):
                places[uid] = (kind, owner, f"取組{code}の")
    return places


def _package_place(doc: dict[str, Any], path: str, uid_by_code: dict[str, str]) -> tuple[str, str]:
    """Where a uid of the package is: (kind, the stored initiative it is in, by uid or code)."""
    match = _PLACE.match(path)
    assert match is not None, path
    if match["i"] is None:
        return (match["kind"], "")
    item = doc["initiatives"][int(match["i"])]
    return (match["kind"], item.get("uid") or uid_by_code.get(item["code"], ""))
