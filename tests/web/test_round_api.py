"""The reporting round in the REST API: the same actions and permissions as the pages."""

from __future__ import annotations

from sqlalchemy import select

from dxplan.tenancy.models import Department, Municipality

from web_support import EDITOR_DEPARTMENT, HADANO, ISEHARA, Web

ROUNDS = f"/api/v1/municipalities/{HADANO}/plans/hadano-ict-plan/rounds"


def _department_id(web: Web) -> int:
    with web.sessions() as session:
        statement = (
            select(Department.id)
            .join(Municipality, Department.municipality_id == Municipality.id)
            .where(Department.name == EDITOR_DEPARTMENT, Municipality.code == HADANO)
        )
        return session.scalars(statement).one()


def _open(web: Web) -> dict[str, object]:
    response = web.client.post(
        ROUNDS,
        json={"fiscal_year": 2024, "due_date": "2025-05-31"},
        headers=web.bearer(f"{HADANO}-dx_division"),
    )
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


def test_a_round_through_the_api(web: Web) -> None:
    opened = _open(web)
    assert opened["state"] == "open"
    assert opened["due_date"] == "2025-05-31"
    department = _department_id(web)
    action = f"{ROUNDS}/2024/departments/{department}"
    editor = web.bearer(f"{HADANO}-department_editor")
    submitted = web.client.post(f"{action}/submit", json={"row_version": 1}, headers=editor)
    assert submitted.status_code == 200, submitted.text
    row = next(d for d in submitted.json()["departments"] if d["id"] == department)
    assert row["state"] == "submitted"
    assert web.client.post(f"{action}/accept", json={}, headers=editor).status_code == 403
    dx = web.bearer(f"{HADANO}-dx_division")
    stale = web.client.post(f"{action}/return", json={"row_version": 1, "comment": "x"}, headers=dx)
    assert stale.status_code == 412
    empty = web.client.post(f"{action}/return", json={"comment": ""}, headers=dx)
    assert empty.status_code == 422
    returned = web.client.post(f"{action}/return", json={"comment": "根拠を"}, headers=dx)
    row = next(d for d in returned.json()["departments"] if d["id"] == department)
    assert (row["state"], row["comment"]) == ("returned", "根拠を")
    approve = web.client.post(
        f"{ROUNDS}/2024/approve", json={}, headers=web.bearer(f"{HADANO}-committee")
    )
    assert approve.status_code == 422
    assert web.client.post(f"{ROUNDS}/2024/approve", json={}, headers=dx).status_code == 403


def test_rounds_are_read_and_written_only_by_the_municipalitys_users(web: Web) -> None:
    assert (
        web.client.post(ROUNDS, json={"fiscal_year": 2024, "due_date": "2025-05-31"}).status_code
        == 401
    )
    viewer = web.bearer(f"{HADANO}-viewer")
    refused = web.client.post(
        ROUNDS, json={"fiscal_year": 2024, "due_date": "2025-05-31"}, headers=viewer
    )
    assert refused.status_code == 403
    _open(web)
    assert web.client.get(f"{ROUNDS}/2024").status_code == 404
    assert web.client.get(f"{ROUNDS}/2024", headers=viewer).status_code == 200
    stranger = web.bearer(f"{ISEHARA}-admin")
    assert web.client.get(f"{ROUNDS}/2024", headers=stranger).status_code == 404
    posted = web.client.post(f"{ROUNDS}/2024/approve", json={}, headers=stranger)
    assert posted.status_code == 404
