"""diff_packages on the demo data: what a revision added, ended, retitled, retargeted, moved."""

from __future__ import annotations

import copy
from typing import Any

from dxplan.revisions.diff import (
    EndedInitiative,
    InitiativeRef,
    Retitled,
    SectionMove,
    SectionRef,
    TargetChange,
    diff_packages,
    match_items,
)

from support import DEMO_PLAN_IDS, load_demo_package, without_uids

PLAN = "hadano-ict-plan"


def _initiative(doc: dict[str, Any], code: str) -> dict[str, Any]:
    item: dict[str, Any] = next(i for i in doc["initiatives"] if i["code"] == code)
    return item


def test_a_package_compared_with_itself_has_no_differences() -> None:
    for plan_id in DEMO_PLAN_IDS:
        doc = load_demo_package(plan_id)
        assert diff_packages(doc, copy.deepcopy(doc)).empty, plan_id


def test_every_kind_of_change_of_a_revision_is_told() -> None:
    old = load_demo_package(PLAN)
    new = copy.deepcopy(old)
    new["initiatives"].append(
        {"code": "1-2-(11)", "section": "1-2", "title": "生成AIを活用した問合せ対応"}
    )
    _initiative(new, "1-1-(2)")["terminated"] = {"reason": "統合", "successor": "1-1-(3)"}
    gone = new["initiatives"].pop(5)
    _initiative(new, "1-1-(4)")["title"] = "図書館カードのデジタル化"
    targets = _initiative(new, "1-1-(1)")["indicators"][1]["targets"]
    targets["2025"] = {"text": "35手続", "value": 35}
    targets["2026"] = {"text": "40手続", "value": 40}
    del _initiative(new, "1-1-(2)")["indicators"][0]["targets"]["2021"]
    new["sections"].insert(4, {"code": "1-4", "title": "窓口のデジタル化", "parent": "1"})
    moved = next(s for s in new["sections"] if s["code"] == "2-5")
    moved["parent"] = "1"
    first, second = new["sections"][6], new["sections"][7]  # 2-1 and 2-2 swap places
    new["sections"][6], new["sections"][7] = second, first

    diff = diff_packages(old, new)

    assert diff.added == [InitiativeRef("1-2-(11)", "生成AIを活用した問合せ対応")]
    assert diff.ended == [
        EndedInitiative(
            "1-1-(2)", "住民異動届出等におけるスマート窓口の導入", False, "統合", "1-1-(3)"
        ),
        EndedInitiative(gone["code"], gone["title"], removed=True),
    ]
    assert diff.retitled == [
        Retitled(
            "1-1-(4)", "マイナンバーカードの図書館カード利用の検討", "図書館カードのデジタル化"
        )
    ]
    assert diff.targets == [
        TargetChange("1-1-(1)", "その他手続のオンライン化数", "2025", "28手続", "35手続"),
        TargetChange("1-1-(1)", "その他手続のオンライン化数", "2026", None, "40手続"),
        TargetChange("1-1-(2)", "利用率", "2021", "5%", None),
    ]
    assert diff.sections_added == [SectionRef("1-4", "窓口のデジタル化")]
    assert [(m.code, m.old_parent, m.new_parent) for m in diff.sections_moved] == [
        ("2-5", "2", "1"),
        (first["code"], "2", "2"),  # the fewest moves that give the new order
    ]
    assert isinstance(diff.sections_moved[0], SectionMove)


def test_uids_tell_a_recoded_initiative_from_a_new_one() -> None:
    old = load_demo_package(PLAN)
    for n, item in enumerate(old["initiatives"]):
        item["uid"] = f"00000000-0000-4000-8000-{n:012d}"
    new = copy.deepcopy(old)
    new["initiatives"][0]["code"] = "1-1-(01)"
    diff = diff_packages(old, new)
    assert diff.empty
    # Without uids on one side, the code decides: a recoded initiative is a new one.
    diff = diff_packages(without_uids(old), new)
    assert [a.code for a in diff.added] == ["1-1-(01)"]
    assert [(e.code, e.removed) for e in diff.ended] == [("1-1-(1)", True)]


def test_figures_that_differ_only_in_how_a_number_is_written_are_the_same() -> None:
    old = load_demo_package(PLAN)
    new = copy.deepcopy(old)
    target = _initiative(new, "1-1-(3)")["indicators"][0]["targets"]["2021"]
    target["value"] = 54.40
    assert diff_packages(old, new).empty


def test_indicators_match_by_name_when_uids_are_missing() -> None:
    old = [{"name": "利用率", "targets": {}}, {"name": "件数"}]
    new = [{"name": "件数"}, {"name": "利用率"}]
    assert [o and o["name"] for o, _ in match_items(old, new, key="name")] == ["件数", "利用率"]
