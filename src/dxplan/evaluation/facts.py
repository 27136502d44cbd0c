"""What the consistency check and the summary tables read about a plan: its period, scales,
initiatives (statuses, goals, fiscal effects …) and published figures, taken from its package
form (FORMAT.md). Pure (standard library only).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from dxplan.plans.rules import DEFAULT_SCALES


@dataclass(frozen=True)
class PrintedFigure:
    """A published figure: its name, its text as printed, the value read from it and the unit
    of that value where it is not the unit printed (約47億円 kept in 千円)."""

    name: str
    text: str
    value: Decimal | None
    unit: str | None = None


@dataclass(frozen=True)
class GoalFacts:
    """A goal's target year (the last of its target period), the first year of that period if
    it has one, and its verdict (None: not evaluated)."""

    target_fy: int | None
    target_start_fy: int | None
    achievement: str | None


@dataclass(frozen=True)
class ItemFacts:
    """An initiative: its code, its top-level section's title (取組の視点), its activities'
    statuses by fiscal year, its goals, and its fiscal effects by period (start, end).

    For the summary tables (`evaluation.tables`) also: its section's code, its lead departments, its
    period (the plan's where it states none) and its indicators in package form.
    """

    code: str
    viewpoint: str
    activity_statuses: Sequence[Mapping[int, str]] = ()
    goals: Sequence[GoalFacts] = ()
    fiscal_effects: Mapping[tuple[int, int], Decimal | None] = field(default_factory=dict)
    section: str = ""
    lead_departments: Sequence[str] = ()
    period: tuple[int, int] | None = None
    indicators: Sequence[Mapping[str, Any]] = ()

    def statuses(self, fy: int) -> list[str]:
        """The statuses its activities have in fiscal year `fy`."""
        return [s[fy] for s in self.activity_statuses if s.get(fy)]


@dataclass(frozen=True)
class PlanFacts:
    """What the check reads: the plan's period, scales (labels best first), items and figures."""

    start_fy: int
    end_fy: int
    progress_labels: Sequence[str]
    achievement_labels: Sequence[str]
    items: Sequence[ItemFacts]
    figures: Sequence[PrintedFigure]
    # The statuses that count as progress (進捗率): flagged `on_track`, else the two best.
    on_track_labels: Sequence[str] = ()

    @property
    def on_track(self) -> list[str]:
        return list(self.on_track_labels or self.progress_labels[:2])


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _period(key: str) -> tuple[int, int]:
    start, _, end = key.partition("-")
    return int(start), int(end or start)


def facts_from_package(doc: Mapping[str, Any]) -> PlanFacts:
    """What the check reads, from a plan package (FORMAT.md)."""
    plan = doc["plan"]
    scales = plan.get("scales") or {}
    labels = {
        kind: [s["label"] for s in scales.get(kind) or DEFAULT_SCALES[kind]]
        for kind in ("progress", "achievement")
    }
    sections = {s["code"]: s for s in doc.get("sections") or []}

    def top(code: str) -> str:
        section = sections[code]
        while section.get("parent"):
            section = sections[section["parent"]]
        return str(section["title"])

    items = [
        ItemFacts(
            code=item["code"],
            viewpoint=top(item["section"]),
            activity_statuses=[
                {_period(k)[0]: v for k, v in (a.get("status") or {}).items() if "-" not in k and v}
                for a in item.get("activities") or []
            ],
            goals=[
                GoalFacts(
                    g.get("target_fy"),
                    (g.get("target_period") or {}).get("start_fy"),
                    g.get("achievement"),
                )
                for g in item.get("goals") or []
            ],
            fiscal_effects={
                _period(k): _decimal(v.get("value"))
                for k, v in (item.get("fiscal_effects") or {}).items()
            },
            section=item["section"],
            lead_departments=tuple(item.get("lead_departments") or ()),
            period=(
                (item.get("period") or {}).get("start_fy") or plan["period"]["start_fy"],
                (item.get("period") or {}).get("end_fy") or plan["period"]["end_fy"],
            ),
            indicators=item.get("indicators") or (),
        )
        for item in doc.get("initiatives") or []
    ]
    figures = [
        PrintedFigure(f["name"], f["text"], _decimal(f.get("value")), f.get("unit"))
        for f in doc.get("published_figures") or []
    ]
    return PlanFacts(
        start_fy=plan["period"]["start_fy"],
        end_fy=plan["period"]["end_fy"],
        progress_labels=labels["progress"],
        achievement_labels=labels["achievement"],
        items=items,
        figures=figures,
        on_track_labels=[
            s["label"]
            for s in scales.get("progress") or ()
            if s.get("on_track") and not s.get("outside_order")
        ],
    )
