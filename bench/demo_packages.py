"""The demo's plan packages for the benchmarks, and larger plans grown from them: seed 000's
(平塚市 hiratsuka-dx-action-plan-results, 44 initiatives) for the yearly cycle, 秦野市's for
imports."""

from __future__ import annotations

import copy
import json
from typing import Any

from dxplan.demo import demo_package_files

SEED_000 = "hiratsuka-dx-action-plan-results"


def demo_package(plan_id: str) -> dict[str, Any]:
    """A plan package as the demo ships it."""
    source = next(f for f in demo_package_files() if f.name == f"{plan_id}.json")
    doc: dict[str, Any] = json.loads(source.read_text(encoding="utf-8"))
    return doc


def grown(base: dict[str, Any], plan_id: str, initiatives: int) -> dict[str, Any]:
    """`base` as a plan of its own (`plan_id`) with its initiatives copied (new codes, none
    terminated) up to `initiatives`."""
    doc = copy.deepcopy(base)
    doc["plan"]["id"] = plan_id
    items: list[dict[str, Any]] = []
    copy_number = 0
    while len(items) < initiatives:
        copy_number += 1
        for item in base["initiatives"]:
            if len(items) == initiatives:
                break
            clone = copy.deepcopy(item)
            clone["code"] = f"{item['code']}-{copy_number}"
            clone.pop("terminated", None)
            items.append(clone)
    doc["initiatives"] = items
    return doc


def seed_package() -> dict[str, Any]:
    """Seed 000's plan package, as the demo ships it."""
    return demo_package(SEED_000)


def synthetic_package(initiatives: int) -> dict[str, Any]:
    """Seed 000's package grown to `initiatives` (plan id `{seed}-{initiatives}`)."""
    return grown(seed_package(), f"{SEED_000}-{initiatives}", initiatives)
