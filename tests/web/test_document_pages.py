"""文書の出力: the documents page, the downloads and the API endpoint, read as the plan is read
(秦野市's plan published, 伊勢原市's a draft)."""

from __future__ import annotations

import io
from urllib.parse import quote

from openpyxl import load_workbook

from web_support import HADANO, ISEHARA, Web

PLAN = f"/municipalities/{HADANO}/plans/hadano-ict-plan"
DRAFT = f"/municipalities/{ISEHARA}/plans/isehara-ict-action-plan"
API = "/api/v1/municipalities"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_the_plan_page_links_to_the_documents_page(web: Web) -> None:
    assert f'<a href="{PLAN}/documents">文書の出力（PDF・Excel）</a>' in web.client.get(PLAN).text


def test_the_documents_page_offers_each_document_the_plan_has_data_for_in_both_formats(
    web: Web,
) -> None:
    page = web.client.get(f"{PLAN}/documents?fy=2024").text
    assert "<h1>文書の出力</h1>" in page
    for kind in ("sheets", "revisions"):
        for fmt in ("pdf", "xlsx"):
            assert f'href="{PLAN}/documents/{kind}.{fmt}?fy=2024"' in page
    # 秦野市's plan has no results, goals or published figures:
    assert "progress." not in page
    assert "summary." not in page
    assert '<option value="2024" selected>' in page
    assert '<label for="d-fy">' in page


def test_a_document_downloads_with_its_japanese_name(web: Web) -> None:
    response = web.client.get(f"{PLAN}/documents/revisions.xlsx?fy=2024")
    assert response.status_code == 200
    assert response.headers["content-type"] == XLSX
    name = "秦野市ICT推進計画_個別事業一覧_改訂履歴（案）.xlsx"
    assert response.headers["content-disposition"] == (
        'attachment; filename="hadano-ict-plan-revisions-2024.xlsx"; '
        f"filename*=UTF-8''{quote(name, safe='')}"
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book["改訂履歴"]["C3"].value == "1-1-(3)"


def test_a_draft_plans_documents_are_not_found_for_anonymous_readers_and_other_cities(
    web: Web,
) -> None:
    url = f"{DRAFT}/documents/revisions.xlsx"
    assert web.client.get(f"{DRAFT}/documents").status_code == 404
    assert web.client.get(url).status_code == 404
    web.login(f"{HADANO}-admin")
    assert web.client.get(url).status_code == 404


def test_a_draft_plans_documents_are_for_its_own_users(web: Web) -> None:
    web.login(f"{ISEHARA}-viewer")
    assert web.client.get(f"{DRAFT}/documents").status_code == 200
    response = web.client.get(f"{DRAFT}/documents/revisions.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_the_api_gives_documents_with_the_token_rules_of_the_plan(web: Web) -> None:
    url = f"{API}/{ISEHARA}/plans/isehara-ict-action-plan/documents/revisions.xlsx"
    assert web.client.get(url).status_code == 404
    response = web.client.get(url, headers=web.bearer(f"{ISEHARA}-viewer"))
    assert response.status_code == 200
    assert response.headers["content-type"] == XLSX
    assert web.client.get(url, headers=web.bearer(f"{HADANO}-viewer")).status_code == 404


def test_the_api_refuses_a_year_outside_the_plan_and_a_document_without_data(web: Web) -> None:
    base = f"{API}/{HADANO}/plans/hadano-ict-plan/documents"
    outside = web.client.get(f"{base}/revisions.pdf?fy=2030")
    assert outside.status_code == 422
    assert "outside the plan's period 2021–2025" in outside.json()["detail"]
    missing = web.client.get(f"{base}/summary.pdf")
    assert missing.status_code == 404
    assert "no published figures" in missing.json()["detail"]
    assert web.client.get(f"{base}/minutes.pdf").status_code == 422
