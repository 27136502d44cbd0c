"""The plan page, worked out from the package form of a plan (the same form the API and exports
give), so that a plan as it stands and a plan as it stood at a revision render alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Query
from sqlalchemy.orm import Session

from dxplan.accounts.rules import Actor
from dxplan.documents.presentation import achievements, departments, flags, latest_status
from dxplan.plans.labels import SORT_LABELS
from dxplan.plans.package.form import FormOptions, plan_to_package
from dxplan.web.common import readable_plan

SORT_KEYS = tuple(SORT_LABELS)


def readable_plan_doc(
    session: Session, actor: Actor | None, code: str, plan_id: str
) -> dict[str, Any]:
    """The package form (with ids) of a plan the reader may read, `_public` saying whether it
    is published; NotFoundError otherwise."""
    plan = readable_plan(session, actor, code, plan_id, initiatives=True)
    doc = plan_to_package(plan, FormOptions(ids=True))
    doc["_public"] = plan.public
    return doc


@dataclass
class Filters:
    """The plan page's filter and sort, from its query string."""

    section: str = ""
    department: str = ""
    flag: str = ""
    status: str = ""
    achievement: str = ""
    sort: str = "code"

    @property
    def active(self) -> bool:
        return any([self.section, self.department, self.flag, self.status, self.achievement])


class PlanFilters:
    """The plan page's filter and sort, from its query string (a dependency)."""

    def __init__(
        self,
        section: Annotated[str, Query(max_length=100)] = "",
        department: Annotated[str, Query(max_length=200)] = "",
        flag: Annotated[str, Query(max_length=40)] = "",
        status: Annotated[str, Query(max_length=100)] = "",
        achievement: Annotated[str, Query(max_length=100)] = "",
        sort: Annotated[str, Query(max_length=20)] = "code",
    ) -> None:
        sort = sort if sort in SORT_KEYS else "code"
        self.filters = Filters(section, department, flag, status, achievement, sort)


Filtered = Annotated[PlanFilters, Depends()]


def _in_section(initiative: dict[str, Any], section: str, children: dict[str, list[str]]) -> bool:
    wanted = {section}
    todo = [section]
    while todo:
        for child in children.get(todo.pop(), []):
            wanted.add(child)
            todo.append(child)
    return initiative.get("section") in wanted


def filter_initiatives(doc: dict[str, Any], filters: Filters) -> list[dict[str, Any]]:
    """The plan's initiatives that pass the filters, sorted as asked."""
    children: dict[str, list[str]] = {}
    for section in doc.get("sections") or []:
        children.setdefault(section.get("parent") or "", []).append(section["code"])
    out = []
    for item in doc.get("initiatives") or []:
        if filters.section and not _in_section(item, filters.section, children):
            continue
        if filters.department and filters.department not in departments(item):
            continue
        if filters.flag and filters.flag not in flags(item):
            continue
        if filters.status and latest_status(item) != filters.status:
            continue
        if filters.achievement and filters.achievement not in achievements(item):
            continue
        out.append(item)
    if filters.sort == "title":
        out.sort(key=lambda i: i.get("title") or "")
    elif filters.sort == "department":
        out.sort(key=lambda i: (departments(i) or ["\uffff"])[0])
    elif filters.sort == "status":
        out.sort(key=lambda i: latest_status(i) or "\uffff")
    return out


@dataclass
class SectionNode:
    """A section with its sub-sections, for the plan's tree."""

    section: dict[str, Any]
    children: list[SectionNode] = field(default_factory=list)
    initiatives: int = 0


def section_tree(doc: dict[str, Any]) -> list[SectionNode]:
    """The sections as a tree, each with the number of initiatives directly under it."""
    nodes = {s["code"]: SectionNode(s) for s in doc.get("sections") or []}
    for item in doc.get("initiatives") or []:
        node = nodes.get(item.get("section") or "")
        if node:
            node.initiatives += 1
    roots: list[SectionNode] = []
    for node in nodes.values():
        parent = nodes.get(node.section.get("parent") or "")
        (parent.children if parent else roots).append(node)
    return roots


def plan_page_context(
    doc: dict[str, Any], code: str, base_url: str, filters: Filters
) -> dict[str, Any]:
    """The plan page of a package (the plan as it stands, or as it stood at a revision)."""
    all_initiatives = doc.get("initiatives") or []
    return {
        "doc": doc,
        "plan": doc["plan"],
        "code": code,
        "plan_url": base_url,
        "tree": section_tree(doc),
        "initiatives": filter_initiatives(doc, filters),
        "filters": filters,
        "department_names": sorted({d for i in all_initiatives for d in departments(i)}),
        "status_labels": sorted({s for i in all_initiatives if (s := latest_status(i))}),
        "achievement_labels": sorted({a for i in all_initiatives for a in achievements(i)}),
        "sections": doc.get("sections") or [],
        "level_names": list(dict.fromkeys(s.get("level") for s in doc.get("sections") or [])),
    }
