"""数値の検算: the consistency check's page, linked from the plan page, read by whoever may read
the plan."""

from __future__ import annotations

import re

import pytest

from dxplan.interchange.importer import import_package

from support import SYSTEM, load_demo_package
from web_support import HADANO, ISEHARA, Web

REFORM = "/municipalities/142034/plans/hiratsuka-reform-plan-2020-2023"
PLAN = f"/municipalities/{HADANO}/plans/hadano-ict-plan"
DRAFT = f"/municipalities/{ISEHARA}/plans/isehara-ict-action-plan"


@pytest.fixture
def reform(web: Web) -> Web:
    """平塚市's reform plan (seed 002) published beside the other test plans."""
    doc = load_demo_package("hiratsuka-reform-plan-2020-2023")
    with web.sessions.begin() as session:
        import_package(session, doc, source="t", actor=SYSTEM, publish=True)
    return web


def _rows(page: str) -> list[list[str]]:
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_the_plan_page_links_to_the_check_of_its_figures(reform: Web) -> None:
    page = reform.client.get(REFORM).text
    assert f'<a href="{REFORM}/check">数値の検算</a>' in page


def test_the_check_page_lists_the_two_mismatches_with_the_arithmetic(reform: Web) -> None:
    response = reform.client.get(f"{REFORM}/check")
    assert response.status_code == 200
    page = response.text
    assert '<caption id="findings-caption">検算の結果（2件）</caption>' in page
    assert '<th scope="col">判定</th>' in page
    assert _rows(page) == [
        [
            "進捗率/2020/進捗率",
            "不一致",
            "91.4%",
            "91.5%",
            "43 ÷ 47 ＝ 91.49%（四捨五入で 91.5%）、掲載 91.4%：ほかの割合は四捨五入なのに、"
            "切り捨てで掲載",
        ],
        [
            "達成状況/達成/割合",
            "不一致",
            "91.2%",
            "91.7%",
            "55 ÷ 60 ＝ 91.67%（四捨五入で 91.7%）、掲載 91.2%",
        ],
    ]
    assert "不一致 2件、注意 0件" in page


def test_a_plan_without_published_figures_has_nothing_to_check(web: Web) -> None:
    page = web.client.get(f"{PLAN}/check").text
    assert "この計画には検算できる掲載値がありません。" in page
    assert f"{PLAN}/check" not in web.client.get(PLAN).text


def test_the_check_of_a_draft_is_read_by_its_municipalitys_users_only(web: Web) -> None:
    assert web.client.get(f"{DRAFT}/check").status_code == 404
    web.login(f"{HADANO}-admin")
    assert web.client.get(f"{DRAFT}/check").status_code == 404
    web.login(f"{ISEHARA}-viewer")
    assert web.client.get(f"{DRAFT}/check").status_code == 200


def test_the_check_of_an_unknown_plan_is_not_found(web: Web) -> None:
    assert web.client.get(f"/municipalities/{HADANO}/plans/no-such-plan/check").status_code == 404
