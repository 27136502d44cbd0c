"""A plan's scales (the labels of 進捗状況 and 達成状況, best first, with their thresholds and
flags) made to say what a package declares, the defaults for any it does not declare; labels are
updated in place, so that what refers to them keeps referring to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from dxplan.plans.models import Plan
from dxplan.plans.parts import ScaleKind, ScaleLabel
from dxplan.plans.rules import DEFAULT_SCALES

ScaleEntry = tuple[str, str, int, str | None, str | None, bool, bool]
"""A label as the audit entry records it: scale, label, rank, definition, threshold, flags."""


@dataclass
class ScaleChanges:
    """What writing the scales did: the labels by (scale, label), the stored labels no longer
    declared (to drop once nothing refers to them), and the scales before and after (sorted)."""

    labels: dict[tuple[ScaleKind, str], ScaleLabel]
    unused: list[ScaleLabel]
    old: list[ScaleEntry]
    new: list[ScaleEntry]


def write_scales(
    session: Session, plan: Plan, declared: dict[str, list[dict[str, Any]]]
) -> ScaleChanges:
    """The declared scales (and the default for any not declared), updated in place."""
    current = {(label.scale, label.label): label for label in plan.scale_labels}
    wanted: dict[tuple[ScaleKind, str], tuple[int, str | None]] = {}
    flags: dict[tuple[ScaleKind, str], tuple[Decimal | None, bool, bool]] = {}
    for kind_name, default in DEFAULT_SCALES.items():
        for rank, entry in enumerate(declared.get(kind_name, default), start=1):
            key = (ScaleKind(kind_name), entry["label"])
            wanted[key] = (rank, entry.get("definition"))
            threshold = entry.get("threshold")
            flags[key] = (
                None if threshold is None else Decimal(str(threshold)),
                not entry.get("outside_order", False),
                bool(entry.get("on_track", False)),
            )
    old = [
        (k.value, label, lab.rank, lab.definition, *_shown(_flags(lab)))
        for (k, label), lab in current.items()
    ]
    moved = [lab for key, lab in current.items() if key in wanted and lab.rank != wanted[key][0]]
    if moved:  # ranks are unique per scale: move the changed ones out of the way first
        for lab in moved:
            lab.rank += 1000
        session.flush()
    labels: dict[tuple[ScaleKind, str], ScaleLabel] = {}
    for (kind, text), (rank, definition) in wanted.items():
        label = current.get((kind, text))
        if label is None:
            label = ScaleLabel(scale=kind, label=text, rank=rank, definition=definition)
            plan.scale_labels.append(label)
        label.rank, label.definition = rank, definition
        label.threshold, label.ordered, label.on_track = flags[kind, text]
        labels[kind, text] = label
    unused = [lab for key, lab in current.items() if key not in wanted]
    new = [
        (k.value, label, r, d, *_shown(flags[k, label])) for (k, label), (r, d) in wanted.items()
    ]
    return ScaleChanges(labels, unused, sorted(old), sorted(new))


def _flags(label: ScaleLabel) -> tuple[Decimal | None, bool, bool]:
    """A stored label's threshold and flags, as compared on --replace."""
    threshold = None if label.threshold is None else Decimal(label.threshold)
    return threshold, bool(label.ordered is not False), bool(label.on_track)


def _shown(flags: tuple[Decimal | None, bool, bool]) -> tuple[str | None, bool, bool]:
    """Flags as the audit entry records them (a threshold as text: JSON has no decimals)."""
    threshold, ordered, on_track = flags
    return (None if threshold is None else format(threshold.normalize(), "f"), ordered, on_track)
