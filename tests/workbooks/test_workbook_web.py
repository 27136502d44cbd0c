"""The update workbook on the web: who sees the forms, download, upload with CSRF (problems as a
table, or what changed), and the REST API."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session, sessionmaker

from dxplan.db import unit_of_work
from dxplan.interchange.exporter import export_package
from dxplan.web.views.workbook import XLSX
from workbook_support import department_id, filled, find_row, open_book

from web_support import HADANO, ISEHARA, Web, csrf_of

PLAN = f"/municipalities/{HADANO}/plans/hadano-ict-plan"
EDITOR = f"{HADANO}-department_editor"  # 戸籍住民課, which leads 1-1-(2)


def _package(sessions: sessionmaker[Session]) -> dict:  # type: ignore[type-arg]
    with unit_of_work(sessions) as session:
        return export_package(session, HADANO, "hadano-ict-plan")


def _result(doc: dict, code: str) -> str | None:  # type: ignore[type-arg]
    initiative = next(i for i in doc["initiatives"] if i["code"] == code)
    return (initiative.get("results") or {}).get("2023")


def _download(web: Web, **params: object) -> bytes:
    response = web.client.get(f"{PLAN}/workbook.xlsx", params={"fy": 2023, **params})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    assert "attachment" in response.headers["content-disposition"]
    return response.content


def _upload(web: Web, data: bytes, page: str = PLAN) -> tuple[int, str]:
    token = csrf_of(web.client.get(page).text)
    response = web.client.post(
        f"{PLAN}/workbook",
        data={"csrf_token": token},
        files={"file": ("更新.xlsx", data, XLSX)},
    )
    return response.status_code, response.text


def test_the_forms_show_to_whoever_may_download_and_upload(web: Web) -> None:
    assert "更新用Excel" not in web.client.get(PLAN).text  # anonymous: a published plan only
    web.login(f"{HADANO}-viewer")
    page = web.client.get(PLAN).text
    assert "更新用Excelをダウンロード" in page
    assert 'enctype="multipart/form-data"' not in page
    web.login(f"{HADANO}-dx_division")
    page = web.client.get(PLAN).text
    assert 'enctype="multipart/form-data"' in page
    assert 'name="file" type="file"' in page


def test_an_editor_downloads_its_departments_workbook_from_the_department_page(web: Web) -> None:
    web.login(EDITOR)
    department = department_id(web.sessions, HADANO, "戸籍住民課")
    page = web.client.get(f"/municipalities/{HADANO}/departments/{department}").text
    assert f'name="department" value="{department}"' in page
    assert 'enctype="multipart/form-data"' in page
    book = open_book(_download(web, department=department))
    results = book["取組結果"]
    assert "1-1-(2)" in {c.value for c in results["C"][1:]}
    assert all("戸籍住民課" in str(c.value) for c in results["E"][1:])
    assert results.max_row < 10  # not the whole plan's 62


def test_download_needs_a_login_and_another_municipalitys_plan_is_not_found(web: Web) -> None:
    response = web.client.get(f"{PLAN}/workbook.xlsx")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")
    web.login(f"{ISEHARA}-dx_division")
    assert web.client.get(f"{PLAN}/workbook.xlsx").status_code == 404


def test_an_uploaded_workbook_is_applied_and_what_changed_is_shown(web: Web) -> None:
    web.login(EDITOR)
    data = filled(_download(web), {("取組結果", "1-1-(2)", None, "取組結果"): "窓口を案内した。"})
    status, page = _upload(web, data)
    assert status == 200, page
    assert "1件の取組の1項目を更新しました" in page
    assert "取組結果" in page
    assert "窓口を案内した。" in page
    assert _result(_package(web.sessions), "1-1-(2)") == "窓口を案内した。"


def test_an_uploaded_workbook_with_a_bad_cell_shows_the_problems_and_changes_nothing(
    web: Web,
) -> None:
    web.login(f"{HADANO}-dx_division")
    before = _package(web.sessions)
    exported = _download(web)
    data = filled(
        exported,
        {
            ("取組結果", "1-1-(2)", None, "取組結果"): "窓口を案内した。",
            ("評価指標", "1-1-(1)", "その他手続", "実績値"): "30件",
        },
    )
    status, page = _upload(web, data)
    assert status == 422
    assert "1件の誤りがあるため、何も変更していません" in page
    for header in ("シート", "行", "列", "入力値", "期待される値"):
        assert '<th scope="col"' in page
        assert f">{header}<" in page
    row = find_row(open_book(data)["評価指標"], "1-1-(1)", "その他手続")
    assert re.search(rf"<th scope=\"row\">評価指標</th>\s*<td[^>]*>{row}</td>", page)
    assert "I（実績値）" in page
    assert "&#34;30件&#34;" in page or "&quot;30件&quot;" in page
    assert _package(web.sessions) == before


def test_an_upload_without_the_csrf_token_or_too_large_is_refused(web: Web) -> None:
    web.login(f"{HADANO}-dx_division")
    data = _download(web)
    response = web.client.post(f"{PLAN}/workbook", files={"file": ("x.xlsx", data, XLSX)})
    assert response.status_code == 403
    token = csrf_of(web.client.get(PLAN).text)
    big = web.client.post(
        f"{PLAN}/workbook",
        data={"csrf_token": token},
        files={"file": ("x.xlsx", b"0" * (6 * 1024 * 1024), XLSX)},
    )
    assert big.status_code == 413
    assert "5MB以下" in big.text


def test_a_viewer_may_not_upload(web: Web) -> None:
    web.login(f"{HADANO}-viewer")
    data = _download(web)
    status, _ = _upload(web, data)
    assert status == 403


def test_the_api_exports_and_imports_a_workbook(web: Web) -> None:
    api = f"/api/v1/municipalities/{HADANO}/plans/hadano-ict-plan/workbook"
    assert web.client.get(api).status_code == 401
    token = web.bearer(f"{HADANO}-dx_division")
    response = web.client.get(api, params={"fy": 2023}, headers=token)
    assert response.status_code == 200
    assert response.headers["content-type"] == XLSX
    bad = filled(response.content, {("取組結果", "1-1-(2)", None, "取組結果"): True})
    refused = web.client.post(api, content=bad, headers=token | {"Content-Type": XLSX})
    assert refused.status_code == 422
    [problem] = refused.json()["problems"]
    row = find_row(open_book(bad)["取組結果"], "1-1-(2)")
    assert problem["path"] == f"取組結果!F{row}"
    assert problem["found"] == "true"
    good = filled(response.content, {("取組結果", "1-1-(2)", None, "取組結果"): "APIの結果"})
    applied = web.client.post(api, content=good, headers=token | {"Content-Type": XLSX})
    assert applied.status_code == 200, applied.text
    assert applied.json()["initiatives"][0]["code"] == "1-1-(2)"
    assert _result(_package(web.sessions), "1-1-(2)") == "APIの結果"
    other = web.bearer(f"{ISEHARA}-dx_division")
    assert web.client.get(api, params={"fy": 2023}, headers=other).status_code == 404
    wrong = web.client.post(api, content=good, headers=token | {"Content-Type": "text/plain"})
    assert wrong.status_code == 415


def test_an_editor_of_another_department_sees_no_upload_form_on_its_department_page(
    web: Web,
) -> None:
    web.login(EDITOR)
    other = department_id(web.sessions, HADANO, "広報広聴課")
    page = web.client.get(f"/municipalities/{HADANO}/departments/{other}").text
    assert "更新用Excelをダウンロード" in page
    assert 'enctype="multipart/form-data"' not in page
