"""Reading one editable cell of an update workbook: what it holds as text (or why it holds none,
such as a date or TRUE), and the value its field takes from it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from dxplan.plans.package.typed_figures import typed_figure
from dxplan.workbooks.layout import FieldKind


class CellError(ValueError):
    """A cell that cannot be read as its field's value; the message says what was expected."""


def cell_text(value: Any) -> str | None:
    """A cell's value as the text of a field: None for an empty cell, a number as it reads
    (45, 12.5), a text with Excel's line breaks as "\\n" and without surrounding spaces."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError("文字列（TRUE / FALSE ではなく）")
    if isinstance(value, datetime.date | datetime.time | datetime.timedelta):
        raise CellError("文字列（日付や時刻ではなく。セルの書式を「文字列」にして入力）")
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        text = str(int(value)) if value.is_integer() else repr(value)
    elif isinstance(value, str):
        text = value.replace("\r\n", "\n").replace("\r", "\n")
    else:
        raise CellError("文字列")
    text = text.strip()
    return text or None


@dataclass(frozen=True)
class Checked:
    """A cell's new value as the package form takes it (a figure as an object)."""

    text: str | None
    value: Any


def check_value(kind: FieldKind, text: str | None, unit: str | None = None) -> Checked:
    """The value a field takes from its cell's text: the text itself, or for an indicator's
    actual the figure read from it in the indicator's `unit`. Whether the field may take it
    (a label of the plan's scale, the characters and length of a text, a figure in the
    indicator's unit) is the package validation's to say, in the service that writes: the
    workbook refuses what the edit page and the API refuse, with the same words."""
    if text is None:
        return Checked(None, None)
    if kind is FieldKind.INDICATOR_ACTUAL:
        return Checked(text, typed_figure(text, unit))
    return Checked(text, text)
