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


def _glossary_section(plan_id: str, heading: str) -> str:
    """The glossary section of a seed, from its last heading line to the end of the text."""
    text = _seed(plan_id)
    return text[text.rindex(f"\n{heading}") :]


def _without_pages(text: str) -> str:
    """Squeezed, without the page numbers (頁 column, page footers) printed between words."""
    return _squeezed(re.sub(r"(?<=\s)(?:[0-9]+|～)(?=\s)", "", text))


GLOSSARIES = [
    # 伊勢原市: 7 用語解説 prints 42 terms (あ–や行 34, then A–Z 8), each once.
    ("isehara-ict-action-plan", " 7 用語解説", 42),
    # 平塚市: 2 用語解説 prints 39 entries; 匿名加工情報/仮名加工情報 and テレワーク/モバイルワーク
    # twice each, so 37 terms.
    ("hiratsuka-digital-policy", "2 用語解説", 37),
]


@pytest.mark.parametrize(("plan_id", "heading", "terms"), GLOSSARIES)
def test_the_glossary_has_every_term_of_its_seed_with_its_explanation(
    plan_id: str, heading: str, terms: int
) -> None:
    section = _without_pages(_glossary_section(plan_id, heading))
    glossary = load_demo_package(plan_id)["glossary"]
    assert len(glossary) == terms
    assert [e["term"] for e in glossary if _squeezed(e["term"]) not in section] == []
    for entry in glossary:
        for paragraph in entry["explanation"].split("\n"):
            assert _squeezed(paragraph) in section, entry["term"]


def test_hiratsuka_policy_prints_39_glossary_entries_for_37_terms() -> None:
    section = _glossary_section("hiratsuka-digital-policy", "2 用語解説")
    lines = [line.strip() for line in section.splitlines() if line.strip()][1:]
    headings = [h for h in lines if not h.endswith("。") and not re.fullmatch(r"【.行】", h)]
    assert len(headings) == 39
    terms = {_squeezed(re.sub(r"[(（].*[)）]$", "", h)) for h in headings}
    assert len(terms) == 37


def _entry(plan_id: str, term: str) -> dict[str, Any]:
    return next(e for e in load_demo_package(plan_id)["glossary"] if e["term"] == term)


def test_isehara_glossary_entries_are_verbatim() -> None:
    plan = "isehara-ict-action-plan"
    # Printed over a page break, the page number 17 and a ～ between the halves.
    assert _entry(plan, "LinkData") == {
        "term": "LinkData",
        "explanation": "行政と市民の共創を促進する"
        "オープンデータ活用支援プラットフォームのことです。",
    }
    # The page number 1 printed inside the sentence is not part of it.
    assert _entry(plan, "官民データ活用推進基本法")["explanation"] == (
        "官民データ活用の推進に関する施策を総合的かつ効果的に推進し、"
        "国民が安全で安心して暮らせる社会及び快適な生活環境の実現に寄与することを"
        "目的に策定されました。"
    )
    assert _entry(plan, "テレワーク") == {
        "term": "テレワーク",
        "explanation": "ICTを活用した場所や時間にとらわれない柔軟な働き方のことです。"
        "「Tele(= 離れた所)」と「work = 働く」を組み合わせた造語です。",
        "note": "Heading printed 「テレワーク(リモートワーク)」; "
        "the term is the word the plan's texts use.",
    }
    terms = [e["term"] for e in load_demo_package(plan)["glossary"]]
    assert terms[:3] == ["新しい生活様式", "伊勢原市 ICT推進計画", "伊勢原市行政情報化推進委員会"]
    assert terms[-8:] == ["AI", "AI-OCR", "BPR", "CIO", "DX", "GIGAスクール構想", "LinkData", "RPA"]


def test_hiratsuka_policy_glossary_entries_are_verbatim() -> None:
    plan = "hiratsuka-digital-policy"
    assert _entry(plan, "Web相談") == {
        "term": "Web相談",
        "reading": "ウェブそうだん",
        "explanation": "インターネットによるオンライン会議システムを使い、"
        "オンラインで相談を行うことです。インターネットに接続されたパソコン、"
        "タブレットやスマートフォンを使い直接対面することなく相談を行うことができます。",
    }
    transformation = _entry(plan, "デジタル・トランスフォーメーション")["explanation"]
    assert transformation.split("\n") == [
        "デジタル・トランスフォーメーションとは、進化したデジタル技術を社会に浸透させることで"
        "人々の生活をより良いものへと変革することをいいます。",
        "英語表記は「Digital Transformation」ですが、英語圏では「Trans」を「X」と略すことが"
        "一般的な表記のため、略称は「DT」ではなく「DX」が使われています。",
    ]
    assert _entry(plan, "BPR")["reading"] == "ビー・ピー・アール"
    assert _entry(plan, "オープンデータ")["explanation"].endswith("公開したデータのことで。")
