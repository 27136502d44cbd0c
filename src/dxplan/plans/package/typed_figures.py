"""A figure as a person types it on a page or in a workbook cell (「12%」, 「8割」,
「1,500時間以上」, 「完了」), in its package form: the text, the value read from it in the
indicator's unit, and the comparison it states (pure).

Whether the figure can be stored is the package validation's to say, in the service that writes
(`plans.package.validation`): a number in a unit that does not convert to the indicator's
(「10件」 for a % indicator) keeps its value as typed, and the validation refuses it with the same
message wherever it was typed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from dxplan.figures import convert, parse_figure


def typed_figure(text: str, unit: str | None) -> dict[str, Any] | None:
    """The package form of a figure typed as `text` for an indicator in `unit`; None for
    nothing typed (an empty or blank text)."""
    text = text.strip()
    if not text:
        return None
    figure = parse_figure(text)
    out: dict[str, Any] = {"text": text, "value": None}
    if figure.value is None:
        return out
    value = (
        Decimal(repr(figure.value)) if isinstance(figure.value, float) else Decimal(figure.value)
    )
    if unit is not None and figure.unit is not None and figure.per is None:
        converted = convert(value, figure.unit, unit)
        if converted is not None:
            value = converted
    out["value"] = _json_number(value)
    if figure.op is not None:
        out["op"] = figure.op
    return out


def _json_number(value: Decimal) -> int | float:
    """A decimal as JSON holds it: a whole number as an integer."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)
