"""Reading and checking one editable cell of an update workbook: what it holds as text, and
whether that is a value its field may take (a label of the plan's scale, a text within the
format's limits, a figure whose value can be read from its text)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from dxplan.figures import convert, parse_figure
from dxplan.workbooks.layout import CELL_LIMIT, ONE_LINE_LIMIT, FieldKind

_ONE_LINE_BAD = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_MULTI_LINE_BAD = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
MAX_DIGITS = 15
MAX_DECIMALS = 6


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


def check_value(
    kind: FieldKind, text: str | None, labels: list[str], unit: str | None = None
) -> Checked:
    """The value of a field from its cell's text, or CellError saying what was expected."""
    if text is None:
        return Checked(None, None)
    if kind in (FieldKind.ACTIVITY_STATUS, FieldKind.GOAL_ACHIEVEMENT):
        if text not in labels:
            listed = "、".join(labels) if labels else "（区分がありません）"
            scale = "進捗状況" if kind is FieldKind.ACTIVITY_STATUS else "達成状況"
            raise CellError(f"{scale}の区分のいずれか：{listed}（または空欄）")
        return Checked(text, text)
    if kind in (FieldKind.ACTIVITY_ACTUAL, FieldKind.INDICATOR_ACTUAL):
        if _ONE_LINE_BAD.search(text):
            raise CellError("改行やタブ、制御文字を含まない1行の文字列")
        if len(text) > ONE_LINE_LIMIT:
            raise CellError(f"{ONE_LINE_LIMIT:,}文字以内の文字列（{len(text):,}文字あります）")
        if kind is FieldKind.ACTIVITY_ACTUAL:
            return Checked(text, text)
        return Checked(text, figure_of(text, unit))
    if _MULTI_LINE_BAD.search(text):
        raise CellError("制御文字を含まない文字列（改行は使えます）")
    if len(text) > CELL_LIMIT:
        raise CellError(f"{CELL_LIMIT:,}文字以内の文字列（{len(text):,}文字あります）")
    return Checked(text, text)


def figure_of(text: str, unit: str | None) -> dict[str, Any]:
    """An indicator's actual as the package holds it: the text, and the value read from it
    (`figures.parse_figure`) in the indicator's unit where the text's unit converts to it, as
    the package's own figure checks expect; "完了" has no value. CellError for a number in a
    unit that is not the indicator's, or one with more digits than a package holds."""
    figure = parse_figure(text)
    out: dict[str, Any] = {"text": text, "value": None}
    if figure.value is None:
        return out
    value = (
        Decimal(repr(figure.value)) if isinstance(figure.value, float) else Decimal(figure.value)
    )
    if unit is not None and figure.unit is not None:
        converted = convert(value, figure.unit, unit)
        if converted is None and figure.per is None:
            raise CellError(f"{unit}（指標の単位）で表した数値（例：30{unit}、30）")
        if converted is not None:
            value = converted
    shape = value.normalize().as_tuple()
    exponent = shape.exponent if isinstance(shape.exponent, int) else 0
    decimals = max(-exponent, 0)
    if len(shape.digits) > MAX_DIGITS or decimals > MAX_DECIMALS or abs(value) >= 10**MAX_DIGITS:
        raise CellError(
            f"有効数字{MAX_DIGITS}桁以内、小数点以下{MAX_DECIMALS}桁以内の数値を含む文字列"
        )
    out["value"] = int(value) if value == value.to_integral_value() else float(value)
    if figure.op is not None:
        out["op"] = figure.op
    return out
