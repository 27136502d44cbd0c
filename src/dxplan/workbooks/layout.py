"""The layout of an update workbook: its sheets, their columns, and the fields of an
initiative's package form each editable column stands for. Export writes it, import reads it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from openpyxl.utils import get_column_letter

FORMAT: Final = "dxplan-update-workbook/1"
META_SHEET: Final = "_dxplan"
"""The very hidden sheet with the workbook's metadata and every editable cell's exported value."""
LABELS_SHEET: Final = "_labels"
"""The very hidden sheet with the plan's scale labels, which the drop-downs list."""
GUIDE_SHEET: Final = "はじめに"
HEADER_ROW: Final = 1
FIRST_ROW: Final = 2

ONE_LINE_LIMIT: Final = 1_000
"""The longest one-line text of a package (activity phases, figure texts; docs/FORMAT.md)."""
CELL_LIMIT: Final = 32_767
"""The longest text an Excel cell holds (multi-line texts of a package may be longer)."""


class FieldKind(StrEnum):
    """What an editable column holds, and so how its cells are checked and applied."""

    ACTIVITY_ACTUAL = "activity.actual"  # activities[i].actual.FY: a phase, one line
    ACTIVITY_STATUS = "activity.status"  # activities[i].status.FY: a progress-scale label
    INDICATOR_ACTUAL = "indicator.actual"  # indicators[i].actuals.FY: a figure's text
    GOAL_ACHIEVEMENT = "goal.achievement"  # goals[i].achievement: an achievement-scale label
    GOAL_NOTE = "goal.note"  # goals[i].note: multi-line
    RESULT = "result"  # results.FY: multi-line


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header, its width (in characters), and for an editable
    column the field it stands for."""

    key: str
    header: str
    width: float
    field: FieldKind | None = None
    hidden: bool = False
    wrap: bool = False

    @property
    def editable(self) -> bool:
        return self.field is not None


@dataclass(frozen=True)
class SheetLayout:
    """A data sheet: its name, its columns (the first two: the hidden initiative and item ids),
    and which part of an initiative each row is (activities, indicators, goals or none)."""

    name: str
    items: str | None
    columns: tuple[Column, ...]

    def letter(self, key: str) -> str:
        """The column letter of a column, by key."""
        return get_column_letter(self.index(key))

    def index(self, key: str) -> int:
        """The 1-based column number of a column, by key."""
        for number, column in enumerate(self.columns, start=1):
            if column.key == key:
                return number
        raise KeyError(key)

    def header(self, key: str) -> str:
        """The header of a column, by key (without the year some headers add)."""
        return next(c.header for c in self.columns if c.key == key)

    @property
    def editable(self) -> tuple[Column, ...]:
        """The columns staff fill in."""
        return tuple(c for c in self.columns if c.editable)


def _ids(item_header: str) -> tuple[Column, ...]:
    return (
        Column("initiative_uid", "取組ID", 38, hidden=True),
        Column("item_uid", item_header, 38, hidden=True),
        Column("code", "№", 10),
        Column("title", "取組", 30, wrap=True),
        Column("departments", "担当課", 16, wrap=True),
    )


ACTIVITIES = SheetLayout(
    "取組活動",
    "activities",
    (
        *_ids("活動ID"),
        Column("activity", "活動", 40, wrap=True),
        Column("plan", "計画", 14, wrap=True),
        Column("actual", "実績", 16, FieldKind.ACTIVITY_ACTUAL, wrap=True),
        Column("status", "進捗状況", 14, FieldKind.ACTIVITY_STATUS),
    ),
)
INDICATORS = SheetLayout(
    "評価指標",
    "indicators",
    (
        *_ids("指標ID"),
        Column("indicator", "評価指標", 36, wrap=True),
        Column("unit", "単位", 10),
        Column("target", "目標値", 16, wrap=True),
        Column("actual", "実績値", 16, FieldKind.INDICATOR_ACTUAL, wrap=True),
    ),
)
GOALS = SheetLayout(
    "目標",
    "goals",
    (
        *_ids("目標ID"),
        Column("goal", "目標", 40, wrap=True),
        Column("target_fy", "目標年度", 12),
        Column("achievement", "達成状況", 14, FieldKind.GOAL_ACHIEVEMENT),
        Column("note", "説明", 50, FieldKind.GOAL_NOTE, wrap=True),
    ),
)
RESULTS = SheetLayout(
    "取組結果",
    None,
    (
        *_ids("（未使用）"),
        Column("result", "取組結果", 80, FieldKind.RESULT, wrap=True),
    ),
)
SHEETS: Final = (ACTIVITIES, INDICATORS, GOALS, RESULTS)


def field_path(kind: FieldKind, index: int | None, fy: int) -> str:
    """The path of the field in the initiative's package form: "activities[2].actual.2023"."""
    paths = {
        FieldKind.ACTIVITY_ACTUAL: f"activities[{index}].actual.{fy}",
        FieldKind.ACTIVITY_STATUS: f"activities[{index}].status.{fy}",
        FieldKind.INDICATOR_ACTUAL: f"indicators[{index}].actuals.{fy}",
        FieldKind.GOAL_ACHIEVEMENT: f"goals[{index}].achievement",
        FieldKind.GOAL_NOTE: f"goals[{index}].note",
        FieldKind.RESULT: f"results.{fy}",
    }
    return paths[kind]


def figure_text(figure: Any) -> str | None:
    """A figure as a cell shows it: its text (else its value), None for none."""
    if not isinstance(figure, dict):
        return None
    text = figure.get("text")
    if text:
        return str(text)
    value = figure.get("value")
    return None if value is None else str(value)


def field_value(kind: FieldKind, owner: dict[str, Any], fy: int) -> str | None:
    """The value of a field as a cell shows it, from its owner in the package form (the
    activity, indicator or goal; the initiative for a result), None where there is none."""
    key = str(fy)
    value: Any
    if kind is FieldKind.ACTIVITY_ACTUAL:
        value = (owner.get("actual") or {}).get(key)
    elif kind is FieldKind.ACTIVITY_STATUS:
        value = (owner.get("status") or {}).get(key)
    elif kind is FieldKind.INDICATOR_ACTUAL:
        value = figure_text((owner.get("actuals") or {}).get(key))
    elif kind is FieldKind.GOAL_ACHIEVEMENT:
        value = owner.get("achievement")
    elif kind is FieldKind.GOAL_NOTE:
        value = owner.get("note")
    else:
        value = (owner.get("results") or {}).get(key)
    return value if isinstance(value, str) and value != "" else None
