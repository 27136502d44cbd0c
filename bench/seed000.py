"""Seed 000's plan package (平塚市 hiratsuka-dx-action-plan-results, 44 initiatives) as the demo
ships it, and synthetic plans grown from it, for the benchmarks of the yearly cycle."""

from __future__ import annotations

import copy
import json
from typing import Any

from dxplan.demo import demo_package_files

SEED_000 = "hiratsuka-dx-action-plan-results"


def seed_package() -> dict[str, Any]:
    """Seed 000's plan package, as the demo ships it."""
    source = next(f for f in demo_package_files() if f.name == f"{SEED_000}.json")
    doc: dict[str, Any] = json.loads(source.read_text(encoding="utf-8"))
    return doc


def synthetic_package(initiatives: int) -> dict[str, Any]:
    """Seed 000's package with its initiatives copied (new codes, none terminated) up to
    `initiatives`, as a plan of its own (plan id `{seed}-{initiatives}`)."""
    base = seed_package()
    doc = copy.deepcopy(base)
    doc["plan"]["id"] = f"{SEED_000}-{initiatives}"
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
