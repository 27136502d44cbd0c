"""The reporting round on the pages: the DX division opens it, a department submits from its
page, the DX division returns and accepts, the committee approves; who sees which buttons, CSRF,
other municipalities, and the cost of the dashboard."""

from __future__ import annotations

from sqlalchemy import Engine, select

from dxplan.audit.models import AuditEntry
from dxplan.tenancy.models import Department, Municipality

from support import counting
from web_support import EDITOR_DEPARTMENT, HADANO, ISEHARA, Web, csrf_of, posted_fields

PLAN = f"/municipalities/{HADANO}/plans/hadano-ict-plan"
ROUNDS = f"{PLAN}/rounds"
ROUND = f"{ROUNDS}/2024"


def _department_id(web: Web, name: str = EDITOR_DEPARTMENT) -> int:
    with web.sessions() as session:
        statement = (
            select(Department.id)
            .join(Municipality, Department.municipality_id == Municipality.id)
            .where(Department.name == name, Municipality.code == HADANO)
        )
        return session.scalars(statement).one()


def _post(web: Web, page: str, action: str, fields: dict[str, str] | None = None) -> object:
    html = web.client.get(page).text
    data = posted_fields(html, action) | (fields or {})
    data["csrf_token"] = csrf_of(html)
    return web.client.post(action, data=data)


def _logout(web: Web) -> None:
    web.client.post("/logout", data={"csrf_token": csrf_of(web.client.get("/").text)})


def _open(web: Web, fy: str = "2024") -> None:
    web.login(f"{HADANO}-dx_division")
    opened = _post(web, ROUNDS, ROUNDS, {"fiscal_year": fy, "due_date": "2025-05-31"})
    assert opened.status_code == 303, opened.text  # type: ignore[attr-defined]
    assert opened.headers["location"] == f"{ROUNDS}/{fy}"  # type: ignore[attr-defined]


def test_a_round_is_opened_returned_resubmitted_accepted_on_the_pages(web: Web) -> None:
    _open(web)
    page = web.client.get(ROUND).text
    assert "令和6年度" in page
    assert "の実績報告" in page
    assert f">{EDITOR_DEPARTMENT}</a>" in page
    assert "未提出" in page
    assert "実績値が未入力の指標" in page
    assert "利用率" in page
    _logout(web)

    department = f"/municipalities/{HADANO}/departments/{_department_id(web)}"
    web.login(f"{HADANO}-department_editor")
    mine = web.client.get(department).text
    assert "提出期限 2025-05-31" in mine
    assert "実績を提出する" in mine
    submit = f"{ROUND}/departments/{_department_id(web)}/submit"
    submitted = _post(web, department, submit)
    assert submitted.status_code == 303  # type: ignore[attr-defined]
    assert submitted.headers["location"] == department  # type: ignore[attr-defined]
    assert "<strong>提出済</strong>" in web.client.get(department).text
    # The year is closed to the editor now, with the reason on the edit page.
    edit = f"{PLAN}/initiatives/1-1-%282%29/edit"
    html = web.client.get(edit, params={"fy": "2024"}).text
    refused = web.client.post(edit, data=posted_fields(html) | {"indicator-0-actual": "40%"})
    assert refused.status_code == 422
    assert "戸籍住民課の2024年度の報告は提出済みです" in refused.text
    # The editor has no return button and may not return.
    board = web.client.get(ROUND).text
    assert "差し戻す" not in board
    returned = web.client.post(
        f"{ROUND}/departments/{_department_id(web)}/return",
        data={"csrf_token": csrf_of(board), "row_version": "2", "comment": "x"},
    )
    assert returned.status_code == 403
    _logout(web)

    web.login(f"{HADANO}-dx_division")
    action = f"{ROUND}/departments/{_department_id(web)}/return"
    empty = _post(web, ROUND, action, {"comment": " "})
    assert empty.status_code == 422  # type: ignore[attr-defined]
    assert "差し戻す理由" in empty.text  # type: ignore[attr-defined]
    done = _post(web, ROUND, action, {"comment": "利用率の実績値を入力してください"})
    assert done.status_code == 303  # type: ignore[attr-defined]
    _logout(web)

    web.login(f"{HADANO}-department_editor")
    mine = web.client.get(department).text
    assert "差し戻されました。理由：利用率の実績値を入力してください" in mine
    html = web.client.get(edit, params={"fy": "2024"}).text
    saved = web.client.post(edit, data=posted_fields(html) | {"indicator-0-actual": "40%"})
    assert saved.status_code == 303
    assert _post(web, department, submit).status_code == 303  # type: ignore[attr-defined]
    _logout(web)

    web.login(f"{HADANO}-dx_division")
    accept = f"{ROUND}/departments/{_department_id(web)}/accept"
    assert _post(web, ROUND, accept).status_code == 303  # type: ignore[attr-defined]
    assert "承認済" in web.client.get(department).text
    with web.sessions() as session:
        actions = session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.action.startswith("round."))
            .order_by(AuditEntry.id)
        ).all()
    assert actions == [
        "round.open",
        "round.submit",
        "round.return",
        "round.submit",
        "round.accept",
    ]


def test_the_committee_cannot_approve_before_every_report_is_accepted(web: Web) -> None:
    _open(web)
    _logout(web)
    web.login(f"{HADANO}-committee")
    page = web.client.get(ROUND).text
    assert "推進委員会として承認し、確定する" in page
    assert "実績報告を開始する" not in web.client.get(ROUNDS).text
    refused = _post(web, ROUND, f"{ROUND}/approve")
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert "デジタル推進課" in refused.text  # type: ignore[attr-defined]


def test_a_bad_due_date_is_shown_with_what_was_expected(web: Web) -> None:
    web.login(f"{HADANO}-dx_division")
    bad = _post(web, ROUNDS, ROUNDS, {"fiscal_year": "2024", "due_date": "5月31日"})
    assert bad.status_code == 422  # type: ignore[attr-defined]
    assert "提出期限：「5月31日」（YYYY-MM-DD の形の日付を入力してください）" in bad.text  # type: ignore[attr-defined]


def test_a_form_without_its_csrf_token_is_refused(web: Web) -> None:
    web.login(f"{HADANO}-dx_division")
    response = web.client.post(ROUNDS, data={"fiscal_year": "2024", "due_date": "2025-05-31"})
    assert response.status_code == 403
    assert web.client.get(ROUND).status_code == 404


def test_rounds_are_not_found_for_another_municipality_and_need_a_login(web: Web) -> None:
    _open(web)
    _logout(web)
    assert web.client.get(ROUND).status_code == 303  # to the login page
    web.login(f"{ISEHARA}-admin")
    assert web.client.get(ROUND).status_code == 404
    assert web.client.get(ROUNDS).status_code == 404
    page = web.client.get(f"/municipalities/{ISEHARA}/plans/isehara-ict-action-plan").text
    posted = web.client.post(
        f"{ROUND}/approve", data={"csrf_token": csrf_of(page), "row_version": "1"}
    )
    assert posted.status_code == 404


def test_the_plan_page_links_to_the_rounds_for_the_municipalitys_users_only(web: Web) -> None:
    assert "実績報告（提出状況）" not in web.client.get(PLAN).text
    web.login(f"{HADANO}-viewer")
    assert "実績報告（提出状況）" in web.client.get(PLAN).text


def test_the_round_page_costs_the_same_queries_for_rounds_of_different_sizes(
    web: Web, engine: Engine
) -> None:
    _open(web, "2021")
    _open(web, "2024")
    counts = []
    for fy in ("2021", "2024"):
        with counting(engine) as statements:
            assert web.client.get(f"{ROUNDS}/{fy}").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_the_department_page_lists_what_is_left_for_the_year_of_its_open_round(web: Web) -> None:
    """Reporting in a round on FY2024 (while the calendar is in a later year), the department
    sees what is left to report for 2024; another year can be chosen."""
    department = f"/municipalities/{HADANO}/departments/{_department_id(web)}"
    web.login(f"{HADANO}-department_editor")
    assert '<option value="2024" selected>' not in web.client.get(department).text
    _logout(web)
    _open(web)
    _logout(web)
    web.login(f"{HADANO}-department_editor")
    page = web.client.get(department).text
    assert "2024年度（令和6年度）に報告が必要な項目です" in page
    assert '<option value="2024" selected>' in page
    assert "利用率" in page  # 1-1-(2)'s indicator, without a 2024 actual
    chosen = web.client.get(department, params={"fy": 2023}).text
    assert "2023年度（令和5年度）に報告が必要な項目です" in chosen
    assert web.client.get(department, params={"fy": 1800}).status_code == 422


def test_a_stale_round_form_is_refused_with_a_412_that_says_so(web: Web) -> None:
    _open(web)
    department = _department_id(web)
    action = f"{ROUND}/departments/{department}/submit"
    response = _post(web, ROUND, action, {"row_version": "99"})
    assert response.status_code == 412  # type: ignore[attr-defined]
    text = response.text  # type: ignore[attr-defined]
    assert "報告：古い版（いまの報告（ほかの人が先に変更しました。" in text
    assert "<li>：</li>" not in text
