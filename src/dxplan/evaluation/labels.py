"""The Japanese labels of evaluation, as the pages and documents show them (pure): how an
indicator's year was evaluated, and how serious a finding of the consistency check is."""

from __future__ import annotations

from typing import Final

OUTCOME_LABELS: Final[dict[str, str]] = {
    "computed": "自動判定",
    "needs_person": "要判断（数値でない目標・実績）",
    "no_target": "目標値なし",
    "no_actual": "実績値なし",
    "incomparable": "単位が比較できない",
}
"""How an indicator's year was evaluated (`evaluation.rules.Outcome`)."""

SEVERITY_LABELS: Final[dict[str, str]] = {
    "mismatch": "不一致",
    "warning": "注意",
}
"""How serious a finding of the consistency check (数値の検算) is."""
