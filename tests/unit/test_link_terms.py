"""Glossary terms found in the texts of a plan (plans.rules.link_terms), on the demo plans."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from dxplan.plans.rules import link_terms

from support import DEMO_PLAN_IDS, load_demo_package

ISEHARA = load_demo_package("isehara-ict-action-plan")
ISEHARA_TERMS = [entry["term"] for entry in ISEHARA["glossary"]]


def _overview(code: str, doc: dict[str, Any] = ISEHARA) -> str:
    text: str = next(i for i in doc["initiatives"] if i["code"] == code)["overview"]
    return text


def _linked(segments: list[tuple[str, str | None]]) -> list[str]:
    return [term for _, term in segments if term is not None]


def test_the_longest_term_wins_and_a_later_shorter_one_is_still_linked() -> None:
    # 令和4年度にAI-OCRを導入し、住民情報システムの業務を…新たなAI技術の導入…
    text = _overview("2-1")
    segments = link_terms(text, ISEHARA_TERMS)
    assert _linked(segments) == ["AI-OCR", "住民情報システム", "AI"]
    assert segments[:4] == [
        ("令和4年度に", None),
        ("AI-OCR", "AI-OCR"),
        ("を導入し、", None),
        ("住民情報システム", "住民情報システム"),
    ]


def test_a_term_inside_a_longer_term_is_not_linked_there() -> None:
    text = _overview("3-3")
    segments = link_terms(text, ISEHARA_TERMS)
    assert _linked(segments) == [
        "LinkData",
        "さがみオープンデータ推進研究会",
        "自治体標準データセット",
        "オープンデータ",
    ]
    # Linked where it first stands alone: in 「行政情報のオープンデータ化」 near the end.
    at = [sum(len(x) for x, _ in segments[:k]) for k, (_, t) in enumerate(segments) if t]
    assert at[-1] == text.index("行政情報のオープンデータ化") + len("行政情報の")


def test_only_the_first_occurrence_of_a_term_is_linked() -> None:
    text = _overview("4-5")  # DX推進にあたっては、CIOのマネジメントを…補佐するCIO補佐官等…
    assert text.count("CIO") == 2
    segments = link_terms(text, ISEHARA_TERMS)
    assert _linked(segments) == ["DX", "CIO", "デジタル人材"]
    assert segments[-1][1] is None
    assert "CIO補佐官" in "".join(s for s, term in segments if term is None)


def test_a_latin_term_is_not_found_inside_a_longer_latin_word() -> None:
    assert link_terms("EMAILとAIとAI2", ["AI"]) == [
        ("EMAILと", None),
        ("AI", "AI"),
        ("とAI2", None),
    ]
    assert link_terms("AIチャットボット", ["AI"]) == [("AI", "AI"), ("チャットボット", None)]


def test_a_text_without_terms_is_one_plain_segment_and_an_empty_text_none() -> None:
    assert link_terms("計画を策定する。", ISEHARA_TERMS) == [("計画を策定する。", None)]
    assert link_terms("", ISEHARA_TERMS) == []
    assert link_terms("オープンデータ", []) == [("オープンデータ", None)]
    assert link_terms("オープンデータ", [""]) == [("オープンデータ", None)]


def test_a_text_that_is_a_term_is_one_linked_segment() -> None:
    assert link_terms("オープンデータ", ISEHARA_TERMS) == [("オープンデータ", "オープンデータ")]


@pytest.mark.parametrize("plan_id", DEMO_PLAN_IDS)
def test_the_segments_of_every_text_of_every_demo_plan_give_the_text_back(plan_id: str) -> None:
    doc = load_demo_package(plan_id)
    terms = [e["term"] for e in doc.get("glossary", ISEHARA["glossary"])]
    texts = [doc["plan"].get("notes") or ""]
    texts += [s.get("description") or "" for s in doc["sections"]]
    texts += [i.get("overview") or i["title"] for i in doc["initiatives"]]
    for text in texts:
        segments = link_terms(text, terms)
        assert "".join(s for s, _ in segments) == text
        linked = _linked(segments)
        assert len(linked) == len(set(linked))
        assert all(s == term for s, term in segments if term is not None)
        pairs = itertools.pairwise(segments)
        assert not any(t is None and u is None for (_, t), (_, u) in pairs)


def test_the_hiratsuka_policy_links_its_glossary_terms_in_its_initiatives() -> None:
    doc = load_demo_package("hiratsuka-digital-policy")
    terms = [e["term"] for e in doc["glossary"]]
    titles = {i["code"]: i["title"] for i in doc["initiatives"]}
    assert link_terms(titles["1-2-1-5"], terms) == [
        ("オンライン相談(", None),
        ("Web相談", "Web相談"),
        ("、", None),
        ("チャット相談", "チャット相談"),
        (")", None),
    ]
    assert _linked(link_terms(titles["3-2-1"], terms)) == ["ICT-BCP"]
    assert _linked(link_terms(titles["2-1-3"], terms)) == ["ノーコード/ローコードツール"]
    # 「ICカードやICタグ」: ICカード is no term, and ICタグ is found after it.
    assert _linked(link_terms(titles["2-1-5"], terms)) == ["ICタグ"]
