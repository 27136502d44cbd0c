"""The Japanese names of audit actions, as the pages show an initiative's history (pure)."""

from __future__ import annotations

from typing import Final

ACTION_LABELS: Final[dict[str, str]] = {
    "initiative.update": "更新",
    "initiative.correct": "確定後の訂正",
    "initiative.create": "追加",
    "plan.import": "取込",
    "indicator.evaluate": "評価",
}


def action_label(action: str) -> str:
    """An audit action in Japanese ("initiative.correct" → "確定後の訂正"); an action without a
    Japanese name as it is."""
    return ACTION_LABELS.get(action, action)
