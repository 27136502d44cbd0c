"""The consistency check of a stored plan (a read): its published figures recomputed from its
items and from each other (the arithmetic is in `evaluation.consistency`)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from dxplan.evaluation.consistency import check_plan
from dxplan.evaluation.facts import facts_from_package
from dxplan.evaluation.findings import CheckReport
from dxplan.plans.models import Plan
from dxplan.plans.package.form import FormOptions, plan_to_package
from dxplan.plans.queries import load_plan


def check_loaded_plan(plan: Plan) -> CheckReport:
    """The findings on a plan loaded with everything in it (`queries.find_plan`)."""
    return check_plan(facts_from_package(plan_to_package(plan, FormOptions(ids=False))))


def plan_check(session: Session, municipality_code: str, plan_id: str) -> CheckReport:
    """The findings on a stored plan; NotFoundError if there is no such plan."""
    return check_loaded_plan(load_plan(session, municipality_code, plan_id))
