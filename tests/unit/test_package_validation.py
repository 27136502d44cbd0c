"""Validation of plan packages, without a database."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from dxplan.interchange.errors import PackageError
from dxplan.interchange.reading import parse_package_bytes
from dxplan.plans.package.validation import (
    initiative_problems,
    package_schema,
    validate_package,
)

from malformed import Case, cases
from support import DEMO_PLAN_IDS, ensure_valid, load_demo_package


@pytest.mark.parametrize("plan_id", DEMO_PLAN_IDS)
def test_every_demo_package_is_valid(plan_id: str) -> None:
    assert validate_package(load_demo_package(plan_id)) == []


@pytest.mark.parametrize("case", cases(), ids=lambda c: c.name)
def test_malformed_package_is_refused_with_path_found_and_expected(case: Case) -> None:
    with pytest.raises(PackageError) as caught:
        ensure_valid(parse_package_bytes(case.data, "bad.json"), "bad.json")
    error = caught.value
    first = error.problems[0]
    assert first.path == case.path, error.summary()
    message = str(first)
    for word in case.words:
        assert word in message, message
    assert error.summary().startswith("bad.json：")
    assert "\n" not in error.summary()


def test_every_problem_is_reported_not_just_the_first() -> None:
    doc = load_demo_package("hadano-ict-plan")
    doc["initiatives"][0]["section"] = "9-9"
    doc["initiatives"][2]["section"] = "8-8"
    doc["initiatives"][3]["code"] = doc["initiatives"][4]["code"]
    paths = [p.path for p in validate_package(doc)]
    assert paths == [
        "$.initiatives[4].code",
        "$.initiatives[0].section",
        "$.initiatives[2].section",
    ]


def test_a_plan_with_its_own_scale_accepts_its_labels_and_refuses_the_default_ones() -> None:
    doc = load_demo_package("hiratsuka-reform-plan-2020-2023")
    doc["plan"]["scales"] = {
        "achievement": [{"label": "A"}, {"label": "B"}, {"label": "C"}, {"label": "D"}]
    }
    problems = validate_package(doc)
    assert problems, "達成 is not on an A–D scale"
    assert all("A、B、C、D" in p.expected for p in problems)
    for initiative in doc["initiatives"]:
        for goal in initiative.get("goals", []):
            if goal["achievement"] is not None:
                goal["achievement"] = "A"
    assert validate_package(doc) == []


def test_a_scale_label_may_appear_once() -> None:
    doc = load_demo_package("hadano-ict-plan")
    doc["plan"]["scales"] = {"progress": [{"label": "○"}, {"label": "△"}, {"label": "○"}]}
    assert [str(p) for p in validate_package(doc)] == [
        '$.plan.scales.progress[2].label："○"（一度だけ使われる区分名）'
    ]


def test_a_goal_whose_target_year_is_not_the_end_of_its_period_is_refused() -> None:
    doc = load_demo_package("hiratsuka-reform-plan-2020-2023")
    goal = next(g for i in doc["initiatives"] for g in i.get("goals", []) if "target_period" in g)
    goal["target_fy"] = goal["target_period"]["end_fy"] - 1
    problems = validate_package(doc)
    assert len(problems) == 1
    assert problems[0].expected.startswith("目標期間の最終年度")


def test_the_shipped_schema_declares_draft_2020_12() -> None:
    assert package_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


# --- one initiative as a change to a stored plan (the API's PATCH) ---------------------------


def _plan_and_item(code: str = "1-1-(1)") -> tuple[dict[str, Any], dict[str, Any]]:
    doc = load_demo_package("hadano-ict-plan")
    item = next(i for i in doc["initiatives"] if i["code"] == code)
    return {"plan": doc["plan"], "sections": doc["sections"]}, item


def _successors(doc_plan: str = "hadano-ict-plan") -> dict[str, str | None]:
    doc = load_demo_package(doc_plan)
    return {i["code"]: i.get("terminated", {}).get("successor") for i in doc["initiatives"]}


def test_an_initiative_of_a_valid_plan_has_no_problems() -> None:
    plan_doc, item = _plan_and_item()
    assert initiative_problems(plan_doc, item, item, _successors()) == []


def test_an_initiative_problem_has_a_path_inside_the_initiative() -> None:
    plan_doc, item = _plan_and_item()
    changed = copy.deepcopy(item)
    changed["indicators"][1]["actuals"] = {"2023": {"text": "12手続", "value": 13}}
    (problem,) = initiative_problems(plan_doc, changed, item, _successors())
    assert problem.path == "$.indicators[1].actuals.2023.value"


def test_an_initiative_may_not_make_a_cycle_of_successors() -> None:
    plan_doc, item = _plan_and_item("1-1-(2)")
    successors = _successors() | {"1-1-(1)": "1-1-(2)"}
    changed = {**item, "terminated": {"reason": "統合", "successor": "1-1-(1)"}}
    problems = initiative_problems(plan_doc, changed, item, successors)
    assert [p.path for p in problems] == ["$.terminated.successor"]
    assert "と循環します" in problems[0].found
