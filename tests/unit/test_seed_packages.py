"""The demo packages against the seed documents they were transcribed from."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

import pytest

from support import DEMO_PLAN_IDS, load_demo_package, shared_path

SEEDS = {
    "hiratsuka-dx-action-plan-results": "000_ce11f190f9c8225e.txt",
    "hadano-ict-plan": "001_5b993dc6e4c545ce.txt",
    "hiratsuka-reform-plan-2020-2023": "002_361ab3b7e12833a1.txt",
    "hiratsuka-digital-policy": "003_b774b5e0510156c9.txt",
    "isehara-ict-action-plan": "004_ed25a29f9a7a9059.txt",
}


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)
    elif isinstance(node, str):
        yield node


def _squeezed(text: str) -> str:
    """NFKC without white space and without the ※ marks of glossary terms."""
    return re.sub(r"[\s※]", "", unicodedata.normalize("NFKC", text))


def _seed(plan_id: str) -> str:
    return shared_path("seeds", SEEDS[plan_id]).read_text(encoding="utf-8")


@pytest.mark.parametrize("plan_id", DEMO_PLAN_IDS)
def test_every_text_of_every_demo_package_is_nfkc(plan_id: str) -> None:
    doc = load_demo_package(plan_id)
    assert [s for s in _strings(doc) if unicodedata.normalize("NFKC", s) != s] == []


@pytest.mark.parametrize("plan_id", DEMO_PLAN_IDS)
def test_every_initiative_title_occurs_in_its_seed(plan_id: str) -> None:
    seed = _squeezed(_seed(plan_id))
    doc = load_demo_package(plan_id)
    missing = [i["code"] for i in doc["initiatives"] if _squeezed(i["title"]) not in seed]
    assert missing == []


@pytest.mark.parametrize("plan_id", DEMO_PLAN_IDS)
def test_every_department_occurs_in_its_seed(plan_id: str) -> None:
    seed = _squeezed(_seed(plan_id))
    doc = load_demo_package(plan_id)
    names = {
        name
        for item in doc["initiatives"]
        for role in ("lead_departments", "related_departments", "implementing_departments")
        for name in item.get(role, [])
    }
    assert sorted(n for n in names if _squeezed(n) not in seed) == []


def _isehara_list() -> list[tuple[str, bool, str, bool]]:
    """(code, 【新】, title, ☆) of every row of 2 取組事業一覧 in seed 004."""
    text = _seed("isehara-ict-action-plan")
    listing = text[text.index("2 取組事業一覧") : text.index("【凡例】")]
    rows = []
    for line in listing.splitlines():
        match = re.match(
            r"\s*(\d-\d+) (【新】)?(.+?)\s*(☆)?\s*$", unicodedata.normalize("NFKC", line)
        )
        if match:
            code, new, title, star = match.groups()
            rows.append((code, new is not None, _squeezed(title), star is not None))
    return rows


def test_isehara_has_every_initiative_of_the_list_in_order() -> None:
    doc = load_demo_package("isehara-ict-action-plan")
    listed = _isehara_list()
    assert len(listed) == 36
    assert [i["code"] for i in doc["initiatives"]] == [code for code, *_ in listed]
    assert [i["section"] for i in doc["initiatives"]] == [c.split("-")[0] for c, *_ in listed]


def test_isehara_marks_match_the_list() -> None:
    doc = {i["code"]: i for i in load_demo_package("isehara-ict-action-plan")["initiatives"]}
    for code, new, title, star in _isehara_list():
        initiative = doc[code]
        assert initiative["national_dx"] is star, code
        assert initiative.get("new_in_revision", False) is new, code
        if code != "3-6":  # the list spells "自治会 ICT化", the sheet "自治会ICT化"
            assert _squeezed(initiative["title"]) == title, code


def test_isehara_baselines_are_the_february_figures_of_fy2022() -> None:
    doc = load_demo_package("isehara-ict-action-plan")
    indicators = [x for i in doc["initiatives"] for x in i.get("indicators", [])]
    assert len(indicators) == 55
    baselines = [x["baseline"] for x in indicators if "baseline" in x]
    assert baselines
    assert {b["fy"] for b in baselines} == {2022}
    online = next(x for x in doc["initiatives"][0]["indicators"] if x["name"] == "オンライン申請数")
    assert online["baseline"]["text"] == "17,178件"
    assert online["baseline"]["value"] == 17178


def test_isehara_revisions_are_the_three_versions_of_the_history() -> None:
    doc = load_demo_package("isehara-ict-action-plan")
    assert [(r["date"], r.get("version")) for r in doc["revisions"]] == [
        ("2023-03", "第1.0版"),
        ("2024-03", "第2.0版"),
        ("2025-03", "第3.0版"),
    ]
    assert doc["plan"]["version"] == "第3.0版"


def test_hiratsuka_policy_has_three_directions_and_the_survey() -> None:
    doc = load_demo_package("hiratsuka-digital-policy")
    top = [(s["code"], s["title"]) for s in doc["sections"] if s["parent"] is None]
    assert top == [
        ("1", "暮らしのデジタル化"),
        ("2", "行政内部のデジタル化"),
        ("3", "情報セキュリティの確保"),
    ]
    for code, _ in top:
        description = next(s for s in doc["sections"] if s["code"] == code)["description"]
        for heading in ("【目指すべき姿】", "【現状と課題】", "【取組内容】"):
            assert heading in description
    assert len(doc["published_figures"]) > 30
    assert all("市民アンケート" in f["where"] for f in doc["published_figures"])
    assert "推進体制" in doc["plan"]["notes"]


def test_hiratsuka_policy_has_one_initiative_per_bullet_of_the_seed() -> None:
    text = unicodedata.normalize("NFKC", _seed("hiratsuka-digital-policy"))
    body = text[text.index("方針 1 暮らしのデジタル化") : text.index("(1) デジタル化の推進体制")]
    bullets = [line for line in body.splitlines() if re.match(r"\s*(- )?・", line)]
    doc = load_demo_package("hiratsuka-digital-policy")
    assert len(doc["initiatives"]) == len(bullets)
