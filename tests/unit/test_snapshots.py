"""A revision's snapshot: a package stored compressed and read back as it was."""

from __future__ import annotations

from decimal import Decimal

from dxplan.plans.snapshots import pack, unpack

from support import DEMO_PLAN_IDS, load_demo_package


def test_every_demo_package_comes_back_as_it_was_and_smaller() -> None:
    for plan_id in DEMO_PLAN_IDS:
        doc = load_demo_package(plan_id)
        data = pack(doc)
        assert unpack(data) == doc, plan_id
        assert len(data) < len(str(doc).encode()) / 3


def test_exact_decimals_of_a_package_as_read_are_stored_as_numbers() -> None:
    doc = {"value": Decimal("74.0"), "small": Decimal("0.000001"), "text": "目標値"}
    assert unpack(pack(doc)) == {"value": 74.0, "small": 0.000001, "text": "目標値"}
