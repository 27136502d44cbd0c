"""Tests of dxplan.plans.package.figure_checks: every figure of a package against its text."""

from __future__ import annotations

from typing import Any

import pytest

from dxplan.plans.package.figure_checks import figure_problems
from dxplan.problems import Problem

from support import DEMO_PLAN_IDS, load_demo_package


def _problems(doc: dict[str, Any]) -> list[Problem]:
    return list(figure_problems(doc))


@pytest.mark.parametrize("plan_id", DEMO_PLAN_IDS)
def test_every_figure_of_every_demo_package_agrees_with_its_text(plan_id: str) -> None:
    assert _problems(load_demo_package(plan_id)) == []


def test_a_target_whose_text_says_29_procedures_refuses_999999() -> None:
    doc = load_demo_package("hadano-ict-plan")
    target = doc["initiatives"][0]["indicators"][1]["targets"]["2023"]
    assert target["text"] == "29手続"
    target["value"] = 999999
    assert _problems(doc) == [
        Problem(
            path="$.initiatives[0].indicators[1].targets.2023.value",
            found='999999（文字列は "29手続"）',
            expected="文字列のとおり 29",
        )
    ]


def test_a_target_in_man_ken_refuses_the_number_of_ken() -> None:
    doc = load_demo_package("hadano-ict-plan")
    indicator = doc["initiatives"][16]["indicators"][0]
    assert (indicator["unit"], indicator["targets"]["2021"]["text"]) == ("万件", "780万件")
    indicator["targets"]["2021"]["value"] = 7800000
    assert _problems(doc) == [
        Problem(
            path="$.initiatives[16].indicators[0].targets.2021.value",
            found='7800000（文字列は "780万件"）',
            expected="文字列の 7800000件 のとおり 780",
        )
    ]


def test_a_figure_of_its_own_unit_is_read_in_that_unit() -> None:
    doc = load_demo_package("hadano-ict-plan")
    target = doc["initiatives"][16]["indicators"][0]["targets"]["2021"]
    target["value"] = 7800000
    target["unit"] = "件"
    assert _problems(doc) == []


def test_a_baseline_is_checked_in_its_indicators_unit() -> None:
    doc = load_demo_package("isehara-ict-action-plan")
    baseline = doc["initiatives"][1]["indicators"][0]["baseline"]
    assert (baseline["text"], baseline["value"]) == ("64.8%", 64.8)
    baseline["value"] = 0.648
    assert [p.path for p in _problems(doc)] == ["$.initiatives[1].indicators[0].baseline.value"]


def test_an_actual_is_checked_like_a_target() -> None:
    doc = load_demo_package("hadano-ict-plan")
    indicator = doc["initiatives"][16]["indicators"][0]
    indicator["actuals"] = {"2021": {"text": "約800万件", "value": 8000000}}
    assert _problems(doc) == [
        Problem(
            path="$.initiatives[16].indicators[0].actuals.2021.value",
            found='8000000（文字列は "約800万件"）',
            expected="文字列の 8000000件 のとおり 800",
        )
    ]


def test_a_fiscal_effect_is_in_thousand_yen() -> None:
    doc = load_demo_package("hiratsuka-reform-plan-2020-2023")
    effect = doc["initiatives"][0]["fiscal_effects"]["2020-2023"]
    assert effect["text"] == "39,843千円"
    effect["value"] = 39843000
    assert _problems(doc) == [
        Problem(
            path="$.initiatives[0].fiscal_effects.2020-2023.value",
            found='39843000（文字列は "39,843千円"）',
            expected="文字列のとおり 39843",
        )
    ]
    effect["text"] = "約4千万円"
    effect["value"] = 40000
    assert _problems(doc) == []


def test_a_published_figure_without_a_unit_is_the_number_the_text_says() -> None:
    doc = load_demo_package("hiratsuka-reform-plan-2020-2023")
    figure = doc["published_figures"][231]
    assert (figure["text"], figure["value"], figure["unit"]) == ("約47億円", 4700000, "千円")
    del figure["unit"]
    assert _problems(doc) == [
        Problem(
            path="$.published_figures[231].value",
            found='4700000（文字列は "約47億円"）',
            expected="文字列のとおり 4700000000",
        )
    ]


def test_a_percentage_in_wari_is_80_in_percent() -> None:
    doc = load_demo_package("hiratsuka-digital-policy")
    figure = doc["published_figures"][37]
    assert (figure["text"], figure["value"], figure["unit"]) == ("8割", 80, "%")
    figure["value"] = 8
    assert _problems(doc) == [
        Problem(
            path="$.published_figures[37].value",
            found='8（文字列は "8割"）',
            expected="文字列の 8割 のとおり 80",
        )
    ]


def test_a_missing_value_of_a_text_with_a_number_is_a_problem() -> None:
    doc = load_demo_package("hadano-ict-plan")
    doc["initiatives"][0]["indicators"][1]["targets"]["2023"]["value"] = None
    assert [str(p) for p in _problems(doc)] == [
        '$.initiatives[0].indicators[1].targets.2023.value：null（文字列は "29手続"）'
        "（文字列のとおり 29）"
    ]


def test_a_text_without_a_value_accepts_any_value() -> None:
    doc = load_demo_package("hadano-ict-plan")
    target = doc["initiatives"][36]["indicators"][1]["targets"]["2022"]
    assert target["text"] == "検討を踏まえ設定"
    target["value"] = 45
    assert _problems(doc) == []


def test_an_op_the_text_does_not_give_is_a_problem_at_the_op() -> None:
    doc = load_demo_package("hadano-ict-plan")
    targets = doc["initiatives"][7]["indicators"][0]["targets"]
    assert (targets["2022"]["text"], targets["2022"]["op"]) == ("1種類以上", ">=")
    del targets["2022"]["op"]
    targets["2023"]["op"] = "<="
    assert _problems(doc) == [
        Problem(
            path="$.initiatives[7].indicators[0].targets.2022.op",
            found='op なし（文字列は "1種類以上"）',
            expected="「>=」（文字列のとおり以上）",
        ),
        Problem(
            path="$.initiatives[7].indicators[0].targets.2023.op",
            found='"<="（文字列は "3種類以上"）',
            expected="「>=」（文字列のとおり以上）",
        ),
    ]


def test_an_op_on_a_text_without_a_comparison_word_is_a_problem() -> None:
    doc = load_demo_package("hadano-ict-plan")
    doc["initiatives"][0]["indicators"][1]["targets"]["2023"]["op"] = ">="
    assert _problems(doc) == [
        Problem(
            path="$.initiatives[0].indicators[1].targets.2023.op",
            found='">="（文字列は "29手続"）',
            expected="op なし（文字列に比較の語がありません）、または「=」",
        )
    ]


def test_a_package_without_initiatives_or_published_figures_has_no_problem() -> None:
    assert _problems({"format": "dxplan-package/1"}) == []
