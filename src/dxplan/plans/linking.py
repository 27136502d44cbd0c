"""The many-to-one links inside a loaded plan (a section's parent, an initiative's section and
successor, a goal's verdict, an activity year's status) filled from the rows already loaded,
without a query each: `queries.find_plan` and `queries.load_initiatives` load the rows, these
tie them together.
"""

from __future__ import annotations

from sqlalchemy.orm.attributes import set_committed_value

from dxplan.plans.models import Initiative, Plan, Section
from dxplan.plans.parts import ScaleLabel


def link_in_memory(plan: Plan, initiatives: bool) -> None:
    """Fill the many-to-one links inside the plan from what is loaded, without queries."""
    sections = {s.id: s for s in plan.sections}
    labels = {label.id: label for label in plan.scale_labels}
    for section in plan.sections:
        set_committed_value(section, "parent", sections.get(section.parent_id or 0))
    if not initiatives:
        return
    by_id = {i.id: i for i in plan.initiatives}
    for item in plan.initiatives:
        set_committed_value(item, "successor", by_id.get(item.successor_id or 0))
        link_initiative(item, sections, labels)


def link_initiative(
    item: Initiative, sections: dict[int, Section], labels: dict[int, ScaleLabel]
) -> None:
    """Fill an initiative's links to its section and scale labels (given by id), without queries."""
    set_committed_value(item, "section", sections[item.section_id])
    for goal in item.goals:
        set_committed_value(goal, "achievement", labels.get(goal.achievement_id or 0))
    for activity in item.activities:
        for year in activity.years:
            set_committed_value(year, "status", labels.get(year.status_id or 0))
