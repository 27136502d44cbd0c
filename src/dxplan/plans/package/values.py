"""What a string or a number inside a plan package may be (FORMAT.md, "Limits").

Strings: Unicode characters only (no lone surrogates) and no control characters (C0, DEL, C1)
except that multi-line texts may hold line breaks ("\\n") and tabs. Numbers: finite, at most
SIGNIFICANT_DIGITS significant digits of which at most DECIMAL_PLACES after the decimal point.
"""

from __future__ import annotations

import re
from decimal import Decimal

SIGNIFICANT_DIGITS = 15
"""The most significant digits of a figure's value (what a float keeps exactly)."""

DECIMAL_PLACES = 6
"""The most digits after the decimal point of a figure's value."""

NUMBER_EXPECTED = (
    f"有効数字{SIGNIFICANT_DIGITS}桁以内、小数点以下{DECIMAL_PLACES}桁以内の数値"
    f"（10の{SIGNIFICANT_DIGITS}乗未満）"
)

_NOT_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_NOT_IN_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def text_problem(text: str, multiline: bool) -> tuple[str, str] | None:
    """What is wrong with a string (the offending character, where), and what was expected."""
    match = (_NOT_IN_LINES if multiline else _NOT_IN_LINE).search(text)
    if match is None:
        return None
    char = match.group()
    at = f"{match.start() + 1}文字目"
    code = f"U+{ord(char):04X}"
    if "\ud800" <= char <= "\udfff":
        return (
            f"{at}に対になっていないサロゲート {code}",
            "Unicodeの文字（U+D800〜U+DFFFは文字ではありません）",
        )
    if char == "\n":
        return f"{at}に改行", "改行を含まない1行の文字列"
    if char == "\t":
        return f"{at}にタブ", "タブを含まない1行の文字列"
    if multiline:
        expected = "制御文字を含まない文字列（改行とタブは使えます）"
    else:
        expected = "改行や制御文字を含まない1行の文字列"
    return f"{at}に制御文字 {code}", expected


def as_decimal(value: int | float | Decimal) -> Decimal:
    """A JSON number as an exact decimal: a float by its shortest repr (0.1 → Decimal("0.1"))."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def number_problem(value: int | float | Decimal) -> str | None:
    """What was expected instead of the number, or None when it is within the limits."""
    number = as_decimal(value)
    if not number.is_finite():
        return "有限の数値"
    _, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)
    length = len(digits)
    while length > 1 and digits[length - 1] == 0:
        length -= 1
        exponent += 1
    if length == 1 and digits[0] == 0:
        return None
    places = max(0, -exponent)
    top = exponent + length - 1  # the position of the first significant digit (0 = units)
    significant = top - min(exponent, 0) + 1
    if places > DECIMAL_PLACES or significant > SIGNIFICANT_DIGITS:
        return NUMBER_EXPECTED
    return None


MAX_DEPTH = 64
"""The deepest nesting of arrays and objects accepted (a plan package needs about 8)."""


DEPTH_EXPECTED = f"入れ子が{MAX_DEPTH}段以内の配列とオブジェクト"
