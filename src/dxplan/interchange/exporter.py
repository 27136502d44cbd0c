"""Exporting a plan as a plan package (dxplan-package/1): the canonical form of the package."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from dxplan.plans.package.form import FormOptions, plan_to_package
from dxplan.plans.queries import load_plan


def export_package(
    session: Session, municipality_code: str, plan_id: str, *, ids: bool = True
) -> dict[str, Any]:
    """The plan package of a stored plan; with `ids`, each object carries its stable `uid`.

    A constant number of queries, whatever the size of the plan.
    """
    return plan_to_package(load_plan(session, municipality_code, plan_id), FormOptions(ids=ids))
