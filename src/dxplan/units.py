"""The units a figure's value may be in: their canonical names (％ → %, ポイント → pt), what each
measures and how many of its base it is (百万円 = 10^6 円, 割 = 10 %, 時間 = 3600 秒), and exact
decimals for comparing and showing values across units. Pure (standard library only).
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal, localcontext

Number = int | float | Decimal
"""A stored figure value: JSON gives int or float; Decimal is accepted too."""


UNIT_ALIASES = {
    "パーセント": "%",
    "ポイント": "pt",
    "ﾎﾟｲﾝﾄ": "pt",
    "pt": "pt",
    "Pt": "pt",
    "PT": "pt",
    "point": "pt",
    "平方メートル": "m2",
}
"""Units printed in more than one way, by their canonical name."""

# Scale words before a base unit: 万件 = 10^4 件, 百万円 = 10^6 円.
_SCALES = {"十": 10, "百": 100, "千": 1000, "万": 10**4, "億": 10**8, "兆": 10**12}
# Base units that are a multiple of another: 割 = 10 %, 分 = 60 秒, 時間 = 3600 秒.
_BASES = {"割": ("%", 10), "秒": ("秒", 1), "分": ("秒", 60), "時間": ("秒", 3600)}


def as_decimal(value: Number) -> Decimal:
    """A value as a Decimal; a float by its shortest repr, so 28.2 is exactly 28.2."""
    if isinstance(value, bool):
        raise TypeError("a figure's value is a number, not a bool")
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def _normal_unit(unit: str) -> str:
    u = "".join(unicodedata.normalize("NFKC", unit).split())
    return UNIT_ALIASES.get(u, u)


def _measure(unit: str) -> tuple[str, int]:
    """A unit as (what it measures, how many of that one unit is): 百万円 → ("円", 10**6)."""
    u = _normal_unit(unit)
    scale = 1
    i = 0
    while i < len(u) - 1 and u[i] in _SCALES:
        scale *= _SCALES[u[i]]
        i += 1
    base, factor = _BASES.get(u[i:], (u[i:], 1))
    return base, scale * factor


def conversion_factors(from_unit: str | None, to_unit: str | None) -> tuple[int, int] | None:
    """(from factor, to factor) when a number in ``from_unit`` can be given in ``to_unit``."""
    if from_unit is None or to_unit is None:
        return (1, 1) if from_unit is None and to_unit is None else None
    from_base, from_factor = _measure(from_unit)
    to_base, to_factor = _measure(to_unit)
    return (from_factor, to_factor) if from_base == to_base else None


PRECISION = 60
"""Digits of a conversion: enough for any value a plan prints, its scale words multiplied out."""


def tidy(d: Decimal) -> Decimal:
    """``d`` without trailing zeros and never in exponent form: 780, not 7.8E+2."""
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize()


def shown(d: Decimal) -> str:
    """``d`` as plain digits, for messages: 780, 28.2."""
    return format(tidy(d), "f")
