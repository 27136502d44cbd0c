"""The pages: who reads what, logging in, editing through the services (CSRF, versions, audit)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from dxplan.audit.models import AuditEntry

from web_support import HADANO, ISEHARA, Web, csrf_of, posted_fields

PLAN = f"/municipalities/{HADANO}/plans/hadano-ict-plan"
DRAFT = f"/municipalities/{ISEHARA}/plans/isehara-ict-action-plan"
SHEET = f"{PLAN}/initiatives/1-1-%282%29"  # 戸籍住民課 leads, デジタル推進課 takes part


def test_home_lists_published_plans_to_anyone_and_drafts_to_their_own_users(web: Web) -> None:
    page = web.client.get("/").text
    assert "秦野市ICT推進計画" in page
    assert "伊勢原市" not in page
    web.login(f"{ISEHARA}-viewer")
    page = web.client.get("/").text
    assert "伊勢原市 ICT推進計画" in page
    assert "未公開（下書き）" in page


@pytest.mark.parametrize("login", [None, f"{HADANO}-admin", f"{HADANO}-dx_division"])
def test_a_draft_is_not_found_for_anyone_outside_its_municipality(
    web: Web, login: str | None
) -> None:
    if login:
        web.login(login)
    for url in (
        DRAFT,
        f"{DRAFT}/initiatives/1-3",
        f"{DRAFT}/package.json",
        f"{DRAFT}/initiatives.csv",
    ):
        response = web.client.get(url)
        assert response.status_code == 404, url
        assert "ページが見つかりません" in response.text


def test_plan_page_filters_by_department_and_flag(web: Web) -> None:
    page = web.client.get(PLAN, params={"department": "戸籍住民課"}).text
    codes = re.findall(r'<td class="nowrap">([^<]+)</td>', page)
    assert codes
    assert "1-1-(2)" in codes
    assert "1-1-(1)" not in codes
    assert f"{len(codes)}件の取組（全62件中）" in page


def test_initiative_sheet_shows_every_part_with_a_text_alternative_for_the_schedule(
    web: Web,
) -> None:
    page = web.client.get(f"{PLAN}/initiatives/1-1-%281%29").text
    assert "各種手続のオンライン化の推進" in page
    assert "利便性向上に資する手続のオンライン化数" in page
    assert "指標の考え方" in page
    assert "<svg" not in page  # no schedule by year in this plan: the activities listed only
    web.login(f"{ISEHARA}-viewer")
    page = web.client.get(f"{DRAFT}/initiatives/3-4").text
    assert 'class="bar-plan"' in page
    assert 'aria-hidden="true"' in page  # the bars
    assert "取組内容ごとの計画・実績・進捗状況" in page  # the same in a table


def test_downloads_csv_with_bom_and_the_package(web: Web) -> None:
    response = web.client.get(f"{PLAN}/indicators.csv")
    assert response.content.startswith("\ufeff".encode())
    assert "利便性向上に資する手続のオンライン化数" in response.content.decode("utf-8-sig")
    package = web.client.get(f"{PLAN}/package.json").json()
    assert package["plan"]["id"] == "hadano-ict-plan"
    assert len(package["initiatives"]) == 62


def test_security_headers_and_session_cookie_flags(web: Web) -> None:
    response = web.client.get("/login")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "secure" not in cookie
    web.client.cookies.clear()
    https = web.client.get("https://testserver/login")
    assert "secure" in https.headers["set-cookie"].lower()


def test_login_without_the_csrf_token_is_refused(web: Web) -> None:
    web.client.get("/login")
    response = web.client.post("/login", data={"login": f"{HADANO}-viewer", "password": "x" * 20})
    assert response.status_code == 403
    assert "不正な送信" in response.text


def test_login_is_throttled_after_repeated_failures(web: Web) -> None:
    token = csrf_of(web.client.get("/login").text)
    attempt = {"login": f"{HADANO}-viewer", "csrf_token": token}
    for _ in range(5):
        assert (
            web.client.post("/login", data={**attempt, "password": "wrong" * 4}).status_code == 401
        )
    from web_support import PASSWORD

    refused = web.client.post("/login", data={**attempt, "password": PASSWORD})
    assert refused.status_code == 429
    assert "一時的にロック" in refused.text


def _edit(web: Web, url: str, changes: dict[str, str]) -> object:
    form_page = web.client.get(f"{url}/edit", params={"fy": "2023"})
    assert form_page.status_code == 200, form_page.text
    html = form_page.text
    data = posted_fields(html) | changes
    return web.client.post(f"{url}/edit", data=data)


def test_an_editor_reports_on_its_departments_initiative_and_the_public_sees_it(web: Web) -> None:
    web.login(f"{HADANO}-department_editor")
    response = _edit(
        web, SHEET, {"result": "窓口での案内を開始しました。", "indicator-0-actual": "12%"}
    )
    assert response.status_code == 303  # type: ignore[attr-defined]
    web.client.post("/logout", data={"csrf_token": csrf_of(web.client.get("/").text)})
    page = web.client.get(SHEET).text
    assert "窓口での案内を開始しました。" in page
    assert "12%" in page
    with web.sessions() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "initiative.update")
        ).one()
    assert entry.actor_id.startswith("user:")
    assert {c["field"] for c in entry.changes} == {"results.2023", "indicators[0].actuals.2023"}


def test_an_editor_is_refused_another_departments_initiative(web: Web) -> None:
    web.login(f"{HADANO}-department_editor")
    response = web.client.get(f"{PLAN}/initiatives/1-2-%281%29/edit")
    assert response.status_code == 403
    assert "権限がありません" in response.text


def test_an_editors_forged_target_change_is_refused_naming_the_field(web: Web) -> None:
    web.login(f"{HADANO}-department_editor")
    response = _edit(web, SHEET, {"title": "別の名前"})
    # the editor's form has no title field: the forged one is ignored, nothing changes
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert "別の名前" not in web.client.get(SHEET).text


def test_a_stale_form_is_refused_with_the_current_values(web: Web) -> None:
    web.login(f"{HADANO}-dx_division")
    stale = web.client.get(f"{SHEET}/edit", params={"fy": "2023"}).text
    assert _edit(web, SHEET, {"result": "先に保存した内容"}).status_code == 303  # type: ignore[attr-defined]
    data = posted_fields(stale) | {"result": "後から保存しようとした内容"}
    response = web.client.post(f"{SHEET}/edit", data=data)
    assert response.status_code == 412
    assert "ほかの人が更新しました" in response.text
    assert "先に保存した内容" in response.text


def test_edit_without_csrf_token_changes_nothing(web: Web) -> None:
    web.login(f"{HADANO}-dx_division")
    response = web.client.post(f"{SHEET}/edit", data={"row_version": "1", "result": "x"})
    assert response.status_code == 403
    with web.sessions() as session:
        assert (
            session.scalars(
                select(AuditEntry).where(AuditEntry.action == "initiative.update")
            ).first()
            is None
        )


def test_error_pages_are_japanese(web: Web) -> None:
    response = web.client.get("/no/such/page")
    assert response.status_code == 404
    assert '<html lang="ja">' in response.text
    assert "ページが見つかりません" in response.text


def test_revision_history_is_laid_out_like_the_plans_table(web: Web) -> None:
    page = web.client.get(f"{PLAN}/revisions").text
    assert "令和4年6月" in page
    assert 'rowspan="' in page
    assert "ICTを活用した地域経済の活性化" in page
    assert f'<a href="{PLAN}/initiatives/1-1-%283%29">1-1-(3)</a>' in page


def test_search_finds_short_words_in_published_plans_only(web: Web) -> None:
    page = web.client.get("/search", params={"q": "AI"}).text
    assert "秦野市" in page
    assert "伊勢原市" not in page  # a draft
    assert "<mark>" in page
    web.login(f"{ISEHARA}-viewer")
    assert "伊勢原市" in web.client.get("/search", params={"q": "窓口"}).text


def test_a_too_long_search_is_refused_in_japanese(web: Web) -> None:
    response = web.client.get("/search", params={"q": "あ" * 201})
    assert response.status_code == 400
    assert "200文字以内" in response.text


def test_department_page_lists_what_is_left_to_report(web: Web) -> None:
    municipality = web.client.get(f"/municipalities/{HADANO}").text
    match = re.search(r'href="(/municipalities/142115/departments/\d+)">戸籍住民課<', municipality)
    assert match
    page = web.client.get(match.group(1)).text
    assert "戸籍住民課の取組" in page
    assert "1-1-(2)" in page
    assert "未入力" in page


def test_another_municipalitys_department_is_not_found(web: Web) -> None:
    page = web.client.get(f"/municipalities/{HADANO}").text
    department = re.search(r"/municipalities/142115/departments/(\d+)", page)
    assert department
    response = web.client.get(f"/municipalities/{ISEHARA}/departments/{department.group(1)}")
    assert response.status_code == 404


def test_glossary_terms_in_texts_link_to_their_entries(web: Web) -> None:
    web.login(f"{ISEHARA}-viewer")
    glossary = web.client.get(f"{DRAFT}/glossary").text
    assert glossary.count('class="glossary-entry"') == 42
    sheets = [web.client.get(f"{DRAFT}/initiatives/{code}").text for code in ("1-1", "1-2", "1-3")]
    assert any(f'<a href="{DRAFT}/glossary#term-' in sheet for sheet in sheets)


def test_an_actual_against_its_target_gets_an_achievement_mark(web: Web) -> None:
    web.login(f"{HADANO}-dx_division")
    # 1-1-(2): its indicator's 2023 target is a number; an actual far above it meets it
    assert _edit(web, SHEET, {"indicator-0-actual": "999999"}).status_code == 303  # type: ignore[attr-defined]
    page = web.client.get(SHEET).text
    assert "○ 達成" in page


def test_the_plan_itself_is_edited_on_the_page_only_inside_an_open_revision(web: Web) -> None:
    web.login(f"{HADANO}-dx_division")
    closed = web.client.get(f"{SHEET}/edit").text
    assert "改訂を開始する" in closed
    assert 'name="title"' not in closed
    web.open_revision()
    response = _edit(web, SHEET, {"title": "住民異動届出等のスマート窓口の導入"})
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert "住民異動届出等のスマート窓口の導入" in web.client.get(SHEET).text
    with web.sessions() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "initiative.update")
        ).one()
    assert entry.revision_uid is not None
    assert [c["field"] for c in entry.changes] == ["title"]


def test_an_unknown_page_shows_who_is_logged_in(web: Web) -> None:
    web.login(f"{HADANO}-viewer")
    response = web.client.get("/no/such/page")
    assert response.status_code == 404
    assert f"{HADANO}-viewer" in response.text
    assert "ログアウト" in response.text


def test_a_form_version_that_is_not_ascii_digits_is_refused_not_a_server_error(web: Web) -> None:
    web.login(f"{HADANO}-dx_division")
    html = web.client.get(f"{SHEET}/edit").text
    response = web.client.post(f"{SHEET}/edit", data=posted_fields(html) | {"row_version": "²"})
    assert response.status_code == 422
    assert "row_version" in response.text
