"""Importing plan packages through the plan services, which validate and write them.

The caller owns the transaction (a unit of work): when any package of a batch fails, nothing
of the batch is written.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from dxplan.accounts.context import Context
from dxplan.accounts.rules import Actor
from dxplan.errors import InvalidChangeError
from dxplan.interchange.errors import PackageError
from dxplan.plans.services import import_plan
from dxplan.plans.writing.sync import ImportOutcome


def import_package(
    session: Session,
    doc: Any,
    *,
    source: str,
    actor: Actor,
    replace: bool = False,
    publish: bool = False,
    municipality_code: str | None = None,
) -> ImportOutcome:
    """Validate and write one package in the caller's transaction; PackageError if invalid.

    `municipality_code` is the municipality the actor acts for; a system actor (the CLI) may
    leave it out and act for the package's own municipality. A new plan is a draft unless
    `publish`.
    """
    info = doc.get("municipality") if isinstance(doc, dict) else None
    found = info.get("code") if isinstance(info, dict) else None
    code = municipality_code or (found if isinstance(found, str) else "")
    try:
        return import_plan(
            session, Context(actor, code), doc, replace=replace, source=source, publish=publish
        )
    except InvalidChangeError as exc:
        raise PackageError(source, exc.problems) from None
