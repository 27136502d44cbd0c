"""The demo data: the plans of the five seed documents, shipped as plan packages."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable

# Seeds 003, 000, 002 (平塚市), 001 (秦野市), 004 (伊勢原市).
DEMO_PACKAGES = (
    "hiratsuka-digital-policy.json",
    "hiratsuka-dx-action-plan-results.json",
    "hiratsuka-reform-plan-2020-2023.json",
    "hadano-ict-plan.json",
    "isehara-ict-action-plan.json",
)


def demo_package_files() -> list[Traversable]:
    """The demo packages inside the installed dxplan package."""
    folder = resources.files("dxplan.demo").joinpath("packages")
    return [folder.joinpath(name) for name in DEMO_PACKAGES]
