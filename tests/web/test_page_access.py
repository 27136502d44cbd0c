"""Who may write what through the pages: every role of the plan's own municipality and of another,
and anonymous, on an initiative of the editor's department and of another department."""

from __future__ import annotations

from sqlalchemy import delete, select

from dxplan.accounts.rules import Role
from dxplan.plans.models import Initiative, Revision, RevisionState
from dxplan.plans.parts import InitiativeResult

from web_support import HADANO, ISEHARA, Web, csrf_of, posted_fields

PLAN = f"/municipalities/{HADANO}/plans/hadano-ict-plan"
OWN, OTHER = "1-1-(2)", "1-2-(1)"  # 戸籍住民課 (the editor's) and 広報広聴課
PATHS = {OWN: "1-1-%282%29", OTHER: "1-2-%281%29"}

# The outcome of a page write: its status, and whether the stored data changed. Anonymous is sent
# to the login page; a plan change an editor forges is ignored (its form has no such field).
# fmt: off
EDITS = {
    # actor                      yearly: own, other              plan: own, other
    None:                        (((303, False), (303, False)), ((303, False), (303, False))),
    f"{HADANO}-admin":           (((303, True), (303, True)),   ((303, True), (303, True))),
    f"{HADANO}-dx_division":     (((303, True), (303, True)),   ((303, True), (303, True))),
    f"{HADANO}-department_editor": (((303, True), (403, False)), ((303, False), (403, False))),
    f"{HADANO}-committee":       (((403, False), (403, False)), ((403, False), (403, False))),
    f"{HADANO}-viewer":          (((403, False), (403, False)), ((403, False), (403, False))),
    **{f"{ISEHARA}-{role.value}": (((404, False), (404, False)), ((404, False), (404, False)))
       for role in Role},
}
OPENS = {
    None: 303,
    f"{HADANO}-admin": 303,
    f"{HADANO}-dx_division": 303,
    f"{HADANO}-department_editor": 403,
    f"{HADANO}-committee": 403,
    f"{HADANO}-viewer": 403,
    **{f"{ISEHARA}-{role.value}": 404 for role in Role},
}
# fmt: on


def _stored(web: Web, code: str) -> tuple[str, str | None]:
    with web.sessions() as session:
        initiative = session.scalars(
            select(Initiative).join(Initiative.plan).where(Initiative.code == code)
        ).one()
        result = session.scalar(
            select(InitiativeResult.text).where(
                InitiativeResult.initiative_id == initiative.id, InitiativeResult.start_fy == 2023
            )
        )
        return initiative.title, result


def _as(web: Web, login: str | None) -> str:
    """Log in (or out) and give a CSRF token of the session."""
    web.client.cookies.clear()
    if login:
        web.login(login)
    return csrf_of(web.client.get("/login").text)


def test_every_page_write_by_every_role_department_and_municipality(web: Web) -> None:
    web.open_revision()  # so that the plan itself may change
    found = {}
    for n, actor in enumerate(EDITS):
        outcome = []
        for field in ("result", "title"):
            pair = []
            for code in (OWN, OTHER):
                token = _as(web, actor)
                before = _stored(web, code)
                with web.sessions() as session:
                    version = session.scalar(
                        select(Initiative.row_version).where(Initiative.code == code)
                    )
                url = f"{PLAN}/initiatives/{PATHS[code]}/edit"
                page = web.client.get(url, params={"fy": "2023"})
                data = {"csrf_token": token, "row_version": str(version), "fy": "2023"}
                if page.status_code == 200:  # as the browser would post the form
                    data = posted_fields(page.text)
                value = f"変更{n}" if field == "result" else f"{before[0]}（{n}）"
                response = web.client.post(url, data=data | {field: value})
                pair.append((response.status_code, _stored(web, code) != before))
            outcome.append(tuple(pair))
        found[actor] = tuple(outcome)
    assert found == EDITS


def test_opening_a_revision_by_every_role_and_municipality(web: Web) -> None:
    found = {}
    for actor in OPENS:
        token = _as(web, actor)
        response = web.client.post(
            f"{PLAN}/revisions/open", data={"csrf_token": token, "date": "2026-04"}
        )
        found[actor] = response.status_code
        if response.status_code == 303 and actor:
            with web.sessions.begin() as session:  # discard it again for the next actor
                session.execute(delete(Revision).where(Revision.state == RevisionState.OPEN))
    assert found == OPENS
