"""Write use cases for plans: each checks permission (and the row version where the caller
holds one), writes, and records its audit entries, in the caller's transaction.

Services do not commit: the boundary (CLI command, web request) owns the unit of work, and an
error anywhere rolls the whole change back.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from dxplan.accounts.context import Context, authorize
from dxplan.accounts.rules import Change
from dxplan.audit import services as audit
from dxplan.audit.models import utcnow
from dxplan.audit.services import FieldChange
from dxplan.errors import (
    InvalidChangeError,
    NotFoundError,
)
from dxplan.plans.field_labels import label_package_problems
from dxplan.plans.package.validation import validate_package
from dxplan.plans.queries import find_plan, plan_row
from dxplan.plans.writing.replace import stored_initiatives
from dxplan.plans.writing.sync import ImportOutcome, PlanSync
from dxplan.plans.writing.uids import check_uids
from dxplan.problems import Problem, quoted
from dxplan.tenancy.services import ensure_municipality


def import_plan(
    session: Session,
    context: Context,
    doc: Any,
    *,
    replace: bool = False,
    source: str | None = None,
    publish: bool = False,
) -> ImportOutcome:
    """Create a plan from a package, or (with `replace`) update the stored plan to say what the
    package says, keeping the identity of everything that is still there.

    The package is validated first (`plans.package.validation`): InvalidChangeError lists every
    problem, each with its field's Japanese label, and nothing is written. A new plan is a draft
    unless `publish`; a replaced plan keeps its publication state unless `publish` makes it
    public.
    """
    problems = validate_package(doc)
    if problems:
        raise InvalidChangeError(label_package_problems(problems, doc))
    info = doc["municipality"]
    if info["code"] != context.municipality_code:
        raise NotFoundError(f"municipality {info['code']} is not the one acted for")
    authorize(context, Change.IMPORT_PLAN)
    actor_id = context.actor.id
    municipality = ensure_municipality(
        session, actor_id, info["code"], info["name"], info["prefecture"]
    )
    slug = doc["plan"]["id"]
    existing = find_plan(session, municipality.code, slug, initiatives=False)
    if existing is not None and not replace:
        expected = (
            f"{municipality.name}の計画でまだ使われていない計画ID"
            "（同じ計画を置き換えるには --replace を付けて取り込みます）"
        )
        raise InvalidChangeError([Problem("$.plan.id", quoted(slug), expected, "計画ID")])
    stored = stored_initiatives(session, existing) if existing is not None else []
    check_uids(session, doc, existing, stored)
    sync = PlanSync(session, actor_id, municipality, existing, stored)
    outcome = sync.run(doc)
    audit.record(
        session,
        actor_id=actor_id,
        action="plan.import" if outcome.created else "plan.replace",
        target_type="plan",
        target_uid=outcome.plan.uid,
        target_key=f"{municipality.code}/{slug}",
        municipality_id=municipality.id,
        changes=sync.plan_changes or None,
        detail={
            "source": source,
            "initiatives": len(doc["initiatives"]),
            "added": outcome.added,
            "changed": outcome.changed,
            "removed": outcome.removed,
        },
    )
    if publish:
        set_publication(session, context, slug, public=True)
    return outcome


def set_publication(session: Session, context: Context, plan_id: str, *, public: bool) -> bool:
    """Publish a plan (anyone may read it) or take it back to a draft; False if it already was.

    This is dxplan's own publication state, not the document's `published` date.
    """
    plan = plan_row(session, context.municipality_code, plan_id)
    authorize(context, Change.READ_DRAFT)
    if plan is None:
        raise NotFoundError(f"no plan {plan_id!r} for municipality {context.municipality_code}")
    authorize(context, Change.PUBLISH)
    if plan.public == public:
        return False
    old_since = plan.public_since
    plan.public = public
    plan.public_since = utcnow() if public else None
    audit.record(
        session,
        actor_id=context.actor.id,
        action="plan.publish" if public else "plan.unpublish",
        target_type="plan",
        target_uid=plan.uid,
        target_key=f"{context.municipality_code}/{plan.slug}",
        municipality_id=plan.municipality_id,
        changes=[
            FieldChange("public", not public, public),
            FieldChange(
                "public_since",
                old_since.isoformat() if old_since else None,
                plan.public_since.isoformat() if plan.public_since else None,
            ),
        ],
    )
    session.flush()
    return True
