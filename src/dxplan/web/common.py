"""What the pages and the API share: the URLs of the pages, the one lookup of each kind that
answers "not found" for what the reader may not read, and running a service for a posted form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, TypeVar
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from dxplan.accounts.rules import Actor, Change, Verdict, decide
from dxplan.errors import (
    InvalidChangeError,
    NotFoundError,
    PermissionDeniedError,
    StaleVersionError,
)
from dxplan.plans.models import Initiative, Plan
from dxplan.plans.queries import find_initiative, find_plan, plan_row
from dxplan.problems import Problem, quoted
from dxplan.web.deps import may_read

T = TypeVar("T")

# --- URLs of the pages ------------------------------------------------------------------------


def plan_url(code: str, plan_id: str) -> str:
    """The plan page."""
    return f"/municipalities/{code}/plans/{quote(plan_id, safe='')}"


def initiative_url(code: str, plan_id: str, initiative_code: str) -> str:
    """An initiative sheet, its code percent-encoded."""
    return f"{plan_url(code, plan_id)}/initiatives/{quote(initiative_code, safe='')}"


def revision_url(code: str, plan_id: str, revision_uid: str) -> str:
    """The plan as it stood at an adopted revision."""
    return f"{plan_url(code, plan_id)}/revisions/{revision_uid}"


def round_url(code: str, plan_id: str, fiscal_year: int) -> str:
    """The page of a plan's reporting round of a fiscal year."""
    return f"{plan_url(code, plan_id)}/rounds/{fiscal_year}"


def department_url(code: str, department_id: int | str) -> str:
    """A department's page."""
    return f"/municipalities/{code}/departments/{department_id}"


def redirect(url: str) -> RedirectResponse:
    """See other (303): where a posted form goes next."""
    return RedirectResponse(url, status_code=303)


def require_login(request: Request) -> RedirectResponse:
    """To the login page, and back here afterwards."""
    return redirect(f"/login?next={quote(str(request.url.path))}")


# --- lookups: "not found" for what the reader may not read ------------------------------------


def readable_plan(
    session: Session,
    actor: Actor | None,
    code: str,
    plan_id: str,
    *,
    initiatives: bool | None = None,
) -> Plan:
    """The plan the reader may read; NotFoundError for another municipality's draft as for one
    that does not exist. `initiatives`: None loads the row only (one query), False everything but
    the initiatives, True everything (`plans.queries.find_plan`)."""
    if initiatives is None:
        plan = plan_row(session, code, plan_id)
    else:
        plan = find_plan(session, code, plan_id, initiatives=initiatives)
    if plan is None or not may_read(actor, code, plan.public):
        raise NotFoundError(f"no plan {plan_id!r} of municipality {code}")
    return plan


def readable_initiative(
    session: Session, actor: Actor | None, code: str, plan_id: str, initiative_code: str
) -> Initiative:
    """The initiative (everything in it loaded) of a plan the reader may read; NotFoundError
    otherwise."""
    initiative = find_initiative(session, code, plan_id, initiative_code)
    if initiative is None or not may_read(actor, code, initiative.plan.public):
        raise NotFoundError(f"no initiative {initiative_code!r} in plan {plan_id!r} of {code}")
    return initiative


def may(actor: Actor | None, change: Change, code: str, initiative: Initiative) -> bool:
    """May the actor make this change to the initiative (judged on its departments)?"""
    ids = [link.department_id for link in initiative.departments]
    return actor is not None and decide(actor, change, code, ids).allowed


def writable_initiative(
    session: Session, actor: Actor, code: str, plan_id: str, initiative_code: str
) -> Initiative:
    """The initiative a change is asked of (the service judges whether the actor may make it):
    NotFoundError for another municipality's, before anything is read (nothing is written
    there, as if it did not exist), and for what the actor may not read."""
    if decide(actor, Change.READ_DRAFT, code).verdict is Verdict.NOT_FOUND:
        raise NotFoundError(f"no initiative {initiative_code!r} in plan {plan_id!r} of {code}")
    return readable_initiative(session, actor, code, plan_id, initiative_code)


def editable_initiative(
    session: Session,
    actor: Actor,
    code: str,
    plan_id: str,
    initiative_code: str,
    *,
    refusal: str = "この取組を編集する権限がありません。",
) -> Initiative:
    """A writable initiative (see above) the actor may report or edit; PermissionDeniedError
    (`refusal`) for one the actor may read but neither report nor edit."""
    initiative = writable_initiative(session, actor, code, plan_id, initiative_code)
    if not (
        may(actor, Change.REPORT, code, initiative)
        or may(actor, Change.EDIT_PLAN, code, initiative)
    ):
        raise PermissionDeniedError(refusal)
    return initiative


# --- posted forms -----------------------------------------------------------------------------


async def posted_form(request: Request) -> FormData:
    """The posted form (read once; the CSRF check and the handler share it)."""
    return await request.form()


PostedForm = Annotated[FormData, Depends(posted_form)]


def posted_version(data: FormData) -> int:
    """The row version a form was shown with (ASCII digits: "²" is a digit to str.isdigit)."""
    text = data.get("row_version")
    if not isinstance(text, str) or not text.isascii() or not text.isdigit() or len(text) > 18:
        expected = "フォームを表示したときの版（ページを開き直してください）"
        raise InvalidChangeError([Problem("row_version", quoted(text), expected, "版")])
    return int(text)


@dataclass(frozen=True)
class Refusal:
    """Why a posted form's change was not saved: its problems (422), or a stale version (412:
    someone changed the target since the form was shown; one problem says so)."""

    problems: list[Problem]
    stale: StaleVersionError | None = None

    @property
    def status(self) -> int:
        """The status of the form shown again."""
        return 412 if self.stale is not None else 422


def stale_problem(label: str) -> Problem:
    """What a form whose target someone changed since it was shown is told (`label`: the
    target, 「評価」)."""
    expected = (
        f"いまの{label}（ほかの人が先に変更しました。内容を確かめてから、もう一度入力してください）"
    )
    return Problem("row_version", "古い版", expected, label)


def answer_form(
    request: Request,
    session: Session,
    change: Callable[[], T],
    *,
    saved: Callable[[T], tuple[str, str]],
    again: Callable[[Refusal], Response],
    target: str,
) -> Response:
    """Run a service for a posted form and answer: when it is done, commit and go to the page
    `saved` names with its message shown there; when it is refused (InvalidChangeError,
    StaleVersionError), roll back and show the form `again` with why (`target` names what was
    stale, 「評価」)."""
    try:
        result = change()
    except InvalidChangeError as exc:
        session.rollback()
        return again(Refusal(exc.problems))
    except StaleVersionError as exc:
        session.rollback()
        return again(Refusal([stale_problem(target)], exc))
    session.commit()
    message, url = saved(result)
    request.session["flash"] = message
    return redirect(url)
