"""What a reader may see: every published plan, and the drafts of its own municipality.

Anonymous readers (None) see the plans made public (`Plan.public`) of every municipality. A user
of a municipality whose roles may read drafts (`Change.READ_DRAFT`: every role today) sees that
municipality's drafts too; a system actor (the command line) sees everything. Every read query
for pages puts `visible_plans(reader)` in its WHERE clause, so that no page can show another
municipality's draft (nor tell that it exists).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, select, true
from sqlalchemy.orm import Session

from dxplan.accounts.rules import Actor, Change, decide
from dxplan.errors import NotFoundError
from dxplan.plans.models import Plan
from dxplan.tenancy.models import Municipality


def reads_drafts_of(reader: Actor | None, municipality_code: str) -> bool:
    """May the reader read the drafts of that municipality?"""
    return reader is not None and decide(reader, Change.READ_DRAFT, municipality_code).allowed


def visible_plans(reader: Actor | None) -> ColumnElement[bool]:
    """A condition on `Plan`: the plans the reader may see (anonymous: None)."""
    published = Plan.public.is_(True)
    if reader is None:
        return published
    if reader.system:
        return true()
    code = reader.municipality_code
    if code is None or not reads_drafts_of(reader, code):
        return published
    own = select(Municipality.id).where(Municipality.code == code).scalar_subquery()
    return or_(published, Plan.municipality_id == own)


def visible_municipality(session: Session, reader: Actor | None, municipality_code: str) -> int:
    """The id of a municipality the reader may see something of (a visible plan, or drafts it may
    read); NotFoundError otherwise, whether or not it exists (one query)."""
    plans = select(Plan.id).where(Plan.municipality_id == Municipality.id, visible_plans(reader))
    statement = select(Municipality.id).where(Municipality.code == municipality_code)
    if not reads_drafts_of(reader, municipality_code):
        statement = statement.where(plans.exists())
    found = session.scalar(statement)
    if found is None:
        raise NotFoundError(f"no municipality {municipality_code} with plans to show")
    return found
