"""集計表 (the summary tables page) and people's verdicts on indicators from the initiative
sheet: printed beside computed, differences marked in words, forms with CSRF tokens, permission
and tenant isolation."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from sqlalchemy import select

from dxplan.audit.models import AuditEntry
from dxplan.evaluation.models import IndicatorEvaluation
from dxplan.interchange.importer import import_package

from support import SYSTEM, load_demo_package
from web_support import HADANO, ISEHARA, Web, csrf_of

REFORM = "/municipalities/142034/plans/hiratsuka-reform-plan-2020-2023"
PLAN = f"/municipalities/{HADANO}/plans/hadano-ict-plan"
DRAFT = f"/municipalities/{ISEHARA}/plans/isehara-ict-action-plan"
SHEET = f"{PLAN}/initiatives/{quote('1-1-(2)', safe='')}"  # 戸籍住民課's: the editor's
OTHER = f"{PLAN}/initiatives/{quote('1-2-(1)', safe='')}"  # 広報広聴課's


@pytest.fixture
def reform(web: Web) -> Web:
    """平塚市's reform plan (seed 002) published beside the other test plans."""
    doc = load_demo_package("hiratsuka-reform-plan-2020-2023")
    with web.sessions.begin() as session:
        import_package(session, doc, source="t", actor=SYSTEM, publish=True)
    return web


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_plan_page_links_to_its_summary_tables(web: Web) -> None:
    assert f'href="{PLAN}/summary"' in web.client.get(PLAN).text


def test_seed_002s_summary_shows_printed_beside_computed_and_marks_the_wrong_share(
    reform: Web,
) -> None:
    page = reform.client.get(f"{REFORM}/summary?fy=2023").text
    text = _text(page)
    assert "達成 55 掲載 55 91.7% 掲載 91.2% ≠ 相違" in text
    assert "未達成 2 掲載 2 3.3% 掲載 3.3% " in text
    assert "達成するべき事項の合計数 60 掲載 60" in text
    assert "4,698,997千円 掲載 4,698,997千円" in text
    assert "— 掲載 827,080千円" in text  # the items give 2020-2023 totals only
    assert "民間活力の活用の取組結果" in text
    differences = re.search(r"掲載値と計算値が異なる欄：(\d+)件", text)
    assert differences is not None
    # 達成's share, and 終了事業数 of two 取組の視点 in 2023 and in total
    assert int(differences[1]) == page.count('badge-warning">≠ 相違') == 5
    assert '<th scope="col">事業数</th>' in page


def test_a_plan_without_printed_figures_shows_the_roll_ups_its_data_allow(web: Web) -> None:
    page = web.client.get(f"{PLAN}/summary?fy=2023").text
    assert "区分別" in page
    assert "担当課（主管課）別" in page
    assert "戸籍住民課" in page
    assert '<span class="muted">掲載' not in page
    assert "進捗状況</h2>" not in page


def test_an_unknown_fiscal_year_falls_back_to_one_of_the_plan(web: Web) -> None:
    response = web.client.get(f"{PLAN}/summary?fy=1999")
    assert response.status_code == 200
    assert "selected>2" in response.text


def test_the_summary_of_a_draft_is_read_by_its_municipalitys_users_only(web: Web) -> None:
    assert web.client.get(f"{DRAFT}/summary").status_code == 404
    web.login(f"{HADANO}-admin")
    assert web.client.get(f"{DRAFT}/summary").status_code == 404
    web.login(f"{ISEHARA}-viewer")
    assert web.client.get(f"{DRAFT}/summary").status_code == 200


def test_anyone_reads_the_computed_evaluations_but_only_reporters_get_the_form(web: Web) -> None:
    page = web.client.get(SHEET).text
    assert "評価指標の評価" in page
    assert "実績値なし" in page
    assert "評価を判定する" not in page
    web.login(f"{HADANO}-department_editor")
    assert "評価を判定する" in web.client.get(SHEET).text
    assert "評価を判定する" not in web.client.get(OTHER).text


def _uid(web: Web, name: str) -> str:
    page = web.client.get(SHEET).text
    match = re.search(r'name="indicator" value="([^"]+)"', page)
    assert match, name
    return match[1]


def _post(web: Web, url: str, **fields: str) -> object:
    token = csrf_of(web.client.get(SHEET).text)
    return web.client.post(f"{url}/evaluations", data={"csrf_token": token, **fields})


def test_an_editor_gives_a_verdict_with_a_reason_and_the_sheet_shows_both(web: Web) -> None:
    web.login(f"{HADANO}-department_editor")
    uid = _uid(web, "利用率")
    response = _post(web, SHEET, indicator=uid, fy="2023", label="達成", reason="窓口調査で確認")
    assert response.status_code == 303  # type: ignore[attr-defined]
    text = _text(web.client.get(SHEET).text)
    assert "達成 （判定）" in text
    assert "窓口調査で確認" in text
    assert "評価 indicators[0].evaluations.2023 ：（なし） → 達成" in text  # the change history
    with web.sessions() as session:
        row = session.scalars(select(IndicatorEvaluation)).one()
        assert (row.label, row.computed_label, row.fy) == ("達成", None, 2023)
        assert session.scalars(
            select(AuditEntry).where(AuditEntry.action == "indicator.evaluate")
        ).one()


def test_a_verdict_without_a_reason_is_shown_again_with_the_error_linked(web: Web) -> None:
    web.login(f"{HADANO}-department_editor")
    uid = _uid(web, "利用率")
    response = _post(web, SHEET, indicator=uid, fy="2023", label="達成", reason=" ")
    assert response.status_code == 422  # type: ignore[attr-defined]
    page = response.text  # type: ignore[attr-defined]
    assert 'href="#evaluation-reason"' in page
    assert 'id="evaluation-reason"' in page
    with web.sessions() as session:
        assert session.scalars(select(IndicatorEvaluation)).all() == []


def test_a_verdict_on_another_departments_indicator_is_forbidden(web: Web) -> None:
    web.login(f"{HADANO}-dx_division")
    page = web.client.get(OTHER).text
    uid = re.search(r'name="indicator" value="([^"]+)"', page)
    assert uid
    web.login(f"{HADANO}-department_editor")
    response = _post(web, OTHER, indicator=uid[1], fy="2023", label="達成", reason="理由")
    assert response.status_code == 403  # type: ignore[attr-defined]


def test_a_verdict_without_the_csrf_token_or_from_another_city_changes_nothing(web: Web) -> None:
    web.login(f"{HADANO}-department_editor")
    uid = _uid(web, "利用率")
    fields = {"indicator": uid, "fy": "2023", "label": "達成", "reason": "理由"}
    assert web.client.post(f"{SHEET}/evaluations", data=fields).status_code == 403
    web.login(f"{ISEHARA}-admin")
    assert _post(web, SHEET, **fields).status_code == 404  # type: ignore[attr-defined]
    with web.sessions() as session:
        assert session.scalars(select(IndicatorEvaluation)).all() == []


API = (
    f"/api/v1/municipalities/{HADANO}/plans/hadano-ict-plan/initiatives/{quote('1-1-(2)', safe='')}"
)


def test_the_api_lists_the_evaluations_and_takes_a_verdict_with_its_version(web: Web) -> None:
    listed = web.client.get(f"{API}/evaluations").json()
    [year] = [e for e in listed if e["indicator"] == "利用率" and e["fy"] == 2023]
    assert (year["outcome"], year["computed"], year["final"]) == ("no_actual", None, None)
    url = f"{API}/evaluations/{year['indicator_uid']}/2023"
    body = {"label": "一部未達成", "reason": "集計中のため", "version": None}
    assert web.client.put(url, json=body).status_code == 401
    editor = web.bearer(f"{HADANO}-department_editor")
    answer = web.client.put(url, json=body, headers=editor)
    assert answer.status_code == 200, answer.text
    [given] = [e for e in answer.json() if e["indicator"] == "利用率" and e["fy"] == 2023]
    assert (given["final"], given["reason"], given["version"]) == ("一部未達成", "集計中のため", 1)
    assert given["actor"] is not None
    stale = web.client.put(url, json=body, headers=editor)
    assert stale.status_code == 412
    [public] = [
        e
        for e in web.client.get(f"{API}/evaluations").json()
        if e["indicator"] == "利用率" and e["fy"] == 2023
    ]
    assert (public["final"], public["actor"]) == ("一部未達成", None)


def test_the_api_refuses_a_verdict_off_the_scale_or_from_another_city(web: Web) -> None:
    [year] = [e for e in web.client.get(f"{API}/evaluations").json() if e["fy"] == 2023][:1]
    url = f"{API}/evaluations/{year['indicator_uid']}/2023"
    body = {"label": "A", "reason": "理由"}
    dx = web.bearer(f"{HADANO}-dx_division")
    refused = web.client.put(url, json=body, headers=dx)
    assert refused.status_code == 422
    assert refused.json()["problems"][0]["path"] == "label"
    assert web.client.put(url, json=body, headers=web.bearer(f"{ISEHARA}-admin")).status_code == 404
    viewer = web.bearer(f"{HADANO}-viewer")
    assert web.client.put(url, json=body | {"label": "達成"}, headers=viewer).status_code == 403
