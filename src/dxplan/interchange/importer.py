"""Importing plan packages: validate everything, then write through the plan services.

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
from dxplan.plans.package.validation import validate_package
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
    valid = ensure_valid(doc, source)
    code = municipality_code or valid["municipality"]["code"]
    try:
        return import_plan(
            session, Context(actor, code), valid, replace=replace, source=source, publish=publish
        )
    except InvalidChangeError as exc:
        raise PackageError(source, exc.problems) from None


def ensure_valid(doc: Any, source: str) -> dict[str, Any]:
    """The document, if it can be imported; otherwise a PackageError with every problem."""
    problems = validate_package(doc)
    if problems:
        raise PackageError(source, problems)
    valid: dict[str, Any] = doc
    return valid
