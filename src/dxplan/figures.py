"""Figures as printed in plans ("1,500時間", "70％以上", "年３回以上", "▲28.2ｐｔ", "完了").

A figure keeps its source text and adds the value read from it (FORMAT.md, "Normalisation
rules"): ``parse_figure("1,500時間")`` is ``Figure(text="1,500時間", value=1500, unit="時間",
op=None, per=None)``.

Rules, in the order they are applied:

1. The text is NFKC-normalised and all white space is dropped (``"１，５００ 時間"`` is read as
   ``"1,500時間"``); ``Figure.text`` keeps the text exactly as given.
2. A dash alone (``-``, ``－``, ``―``, ``—``, ``−``, ``ー`` …) means "no value": value None.
3. Note marks (``※``, ``*``) are ignored. A text wrapped as a whole in brackets is unwrapped
   (``"(1事業)"`` → 1 事業); a bracketed remark inside or after the figure is ignored
   (``"12箇所(18箇所中)"`` → 12 箇所).
4. Comparison words at the end: 以上 → op ``">="``, 以下 and 以内 → op ``"<="``; the strict
   bounds 超 → ``">"`` and 未満 → ``"<"`` (dxplan's extension of FORMAT.md, which defines only
   ``>=`` and ``<=``).
5. A rate: 年 / 年間 / 毎年 / 月 / 毎月 / 週 / 日 / 年度 / 毎年度 before the number
   (``"年3回以上"``) or ``/X`` after the unit (``"300時間/年"``, ``"2回/人"``) gives ``per``.
   Before the number ``per`` is one of ``PERS`` (年, 年度, 月, 週, 日: 年間 and 毎年 are stored as
   年, 毎月 as 月); after the unit it is the word after the slash.
6. Words that qualify the number but do not change it are ignored: before it 約, 延べ, 計,
   合計, 累計, 最大, 平均, 概ね, 満, 前年度比 …; after the unit の縮減, の増加, 削減, 減, 増, 程度,
   近く, 前後 ….  (The text keeps them; ``"60%減"`` → 60 %, ``"約47億円"`` → 4700000000 円.)
   At most one comparison word and one qualifier after the unit are taken.
7. Sign: ▲, △, ▼, - and − mean minus, + plus (``"▲28.2pt"`` → -28.2 pt).
8. A duration written with two or more of 時間 / 分 / 秒 (or 半) is converted to seconds with unit
   秒: ``"4分1秒"`` → 241, ``"1時間30分"`` → 5400, ``"2分半"`` → 150.  A duration in a single unit
   keeps its unit: ``"1,500時間"`` → 1500 時間, as in the reference packages.
9. The number: thousands separators are removed (they must group by three, else the text is not a
   number); the Japanese numerals 万, 億 and 兆 after digits are multiplied out (``"780万件"`` →
   7800000 件, ``"1億2,000万円"`` → 120000000 円).  千 and 百 before a unit are the document's
   scale units and are kept in the unit: ``"88,959千円"`` → 88959 千円, ``"12百万円"`` → 12 百万円.
10. The unit is what follows the number: ``%`` for ％ and パーセント, ``pt`` for pt / ｐｔ /
    ポイント, ``m2`` for ㎡; other units as printed (件, 人, 名, 時間, 千円, か所, 割 …).
    A 割 stays 割 (``"7割"`` → 7 割), it is not turned into a percentage.
11. Integers stay ``int``; a number written with a decimal point is a ``float`` (``"3.0"`` →
    3.0), unless multiplying by 万/億/兆 or converting to seconds makes it whole (``"1.5万人"`` →
    15000).
12. Anything else is not a figure and gives value, unit, op and per all None: words ("完了",
    "検討を踏まえ設定"), ranges ("16～19歳": no single value), sentences ("859種類の手続きを
    オンライン化しました"), malformed numbers ("1,50件", "1万2億円"), doubled words ("5件以上以上").

Only empty (or all white space) text raises ``FigureError``.

A figure stored in a package has a ``value`` in *the figure's unit* (the indicator's unit,
千円 for a fiscal effect, or the figure's own ``unit``), which need not be the unit the text is
written in: 「780万件」 in an indicator counted in 万件 has the value 780.  ``convert`` moves a
number between units that measure the same thing, and ``contradiction`` says whether a stored
value (and op) agrees with its text.

The words and the steps of reading are in ``dxplan.figure_reading``, the units (what each
measures, exact decimals) in ``dxplan.units``.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, localcontext

from dxplan.figure_reading import (
    NOTE_MARK_RE,
    SIGNS,
    duration,
    read_number,
    read_unit,
    strip_end,
    strip_remarks,
    strip_start,
    to_number,
)
from dxplan.units import PRECISION, Number, as_decimal, conversion_factors, shown, tidy

__all__ = [
    "OPS",
    "PERS",
    "Figure",
    "FigureError",
    "contradiction",
    "convert",
    "format_figure",
    "is_dash",
    "op_contradiction",
    "parse_figure",
    "value_contradiction",
]

OPS: frozenset[str] = frozenset({">=", "<=", ">", "<"})
"""The values ``Figure.op`` may take, besides None."""

PERS: frozenset[str] = frozenset({"年", "年度", "月", "週", "日"})
"""The values ``Figure.per`` takes when read from a prefix (a ``/X`` suffix may give others)."""


class FigureError(ValueError):
    """Raised only for an empty figure text; every other text parses."""

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__(f"{text!r} is not a figure: the text is empty")


@dataclass(frozen=True)
class Figure:
    """A figure: the source text and what it says.

    ``value`` is None when the text is not a number; then ``unit``, ``op`` and ``per`` are None
    too.  ``op`` is ``">="`` (以上) or ``"<="`` (以下 / 以内) or None.  ``per`` is the period of a
    rate ("年３回以上": per 年).
    """

    text: str
    value: int | float | None
    unit: str | None = None
    op: str | None = None  # ">=" or "<="
    per: str | None = None

    def __post_init__(self) -> None:
        if self.op is not None and self.op not in OPS:
            raise ValueError(f"op must be one of {sorted(OPS)} or None, got {self.op!r}")
        if isinstance(self.value, bool):
            raise TypeError("a figure's value is a number, not a bool")
        if isinstance(self.value, float) and not math.isfinite(self.value):
            raise ValueError(f"a figure's value must be finite, got {self.value!r}")


_DASHES = frozenset("-‐‑‒–—―−ー－ｰ")

_OP_WORD_FOR = {">=": "以上", "<=": "以下", ">": "超", "<": "未満"}


def is_dash(text: str) -> bool:
    """Is the text a dash alone ("-", "－", "―", "ー" …), the printed sign for "no value"?"""
    s = "".join(unicodedata.normalize("NFKC", text).split())
    return bool(s) and len(s) <= 3 and all(ch in _DASHES for ch in s)


def _none(text: str) -> Figure:
    return Figure(text=text, value=None)


def parse_figure(text: str) -> Figure:
    """Read a figure as printed; see the module docstring for the rules.

    >>> parse_figure("年３回以上")
    Figure(text='年３回以上', value=3, unit='回', op='>=', per='年')
    >>> parse_figure("▲28.2ｐｔ").value
    -28.2
    """
    if not text.strip():
        raise FigureError(text)
    if is_dash(text):
        return _none(text)
    s = "".join(unicodedata.normalize("NFKC", text).split())
    s = strip_remarks(NOTE_MARK_RE.sub("", s))
    s, op, _, per_after = strip_end(s)
    s, per_before = strip_start(s)
    per = per_before if per_before is not None else per_after
    sign = 1
    if s[:1] in SIGNS:
        sign = SIGNS[s[0]]
        s = s[1:]

    seconds = duration(s)
    if seconds is not None:
        value = to_number(sign * seconds, whole_is_int=True, written_decimal=True)
        return Figure(text=text, value=value, unit="秒", op=op, per=per)

    number = read_number(s)
    if number is None:
        return _none(text)
    amount, multiplied, written_decimal, rest = number
    unit = read_unit(rest)
    if unit is False:
        return _none(text)
    value = to_number(sign * amount, whole_is_int=multiplied, written_decimal=written_decimal)
    return Figure(
        text=text, value=value, unit=unit if isinstance(unit, str) else None, op=op, per=per
    )


def _format_number(value: int | float) -> str:
    if isinstance(value, int):
        return f"{value:,}"
    digits = format(Decimal(repr(value)), "f")
    whole, dot, fraction = digits.partition(".")
    return f"{int(whole):,}.{fraction if dot else '0'}"


def format_figure(fig: Figure) -> str:
    """A canonical display string for a figure (not necessarily its source text).

    Numbers get thousands separators, a negative sign is ▲, a rate's period word comes first
    (any other ``per`` follows the unit after ``/``) and the comparison last: ``"年3回以上"``,
    ``"1,500時間"``, ``"▲28.2pt"``, ``"88,959千円"``, ``"2回/人"``.
    A figure without a value shows its text, NFKC-normalised and without white space
    (``"-"``, ``"完了"``).
    """
    if fig.value is None:
        s = "".join(unicodedata.normalize("NFKC", fig.text).split())
        return "-" if s and all(ch in _DASHES for ch in s) else s
    sign = "▲" if fig.value < 0 else ""
    number = _format_number(abs(fig.value))
    unit = fig.unit or ""
    op = _OP_WORD_FOR[fig.op] if fig.op is not None else ""
    if fig.per is None:
        return f"{sign}{number}{unit}{op}"
    if fig.per in PERS:
        return f"{fig.per}{sign}{number}{unit}{op}"
    return f"{sign}{number}{unit}/{fig.per}{op}"


# --- values in a unit ---------------------------------------------------------------------------


def convert(value: Number, from_unit: str | None, to_unit: str | None) -> Decimal | None:
    """``value`` in ``from_unit`` given in ``to_unit``, or None when they measure different things.

    Scale words before a unit (十 百 千 万 億 兆), % and 割, and 秒 / 分 / 時間 convert:
    ``convert(7800000, "件", "万件")`` is 780, ``convert(8, "割", "%")`` is 80.
    ``None`` (no unit) converts only to ``None``; 件 and 手続 do not convert.
    """
    factors = conversion_factors(from_unit, to_unit)
    if factors is None:
        return None
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return tidy(as_decimal(value) * factors[0] / factors[1])


def value_contradiction(text: str, value: Number | None, unit: str | None) -> str | None:
    """None when ``value`` in ``unit`` is what ``text`` says, else what the text says.

    A text without a value ("完了", "-") accepts any value.  When the text's unit converts to
    ``unit`` the converted number must equal ``value`` exactly; otherwise (no unit, or 件 against
    手続) ``value`` must be the number the text says in its own unit.
    """
    fig = parse_figure(text)
    if fig.value is None:
        return None
    said = as_decimal(fig.value)
    says = f"the text says {shown(said)}" + (f" {fig.unit}" if fig.unit else "")
    factors = conversion_factors(fig.unit, unit) if unit is not None else None
    if factors is None or factors[0] == factors[1]:
        if value is None or as_decimal(value) != said:
            return says
        return None
    # Cross-multiplied, so that the comparison stays exact (241 秒 against minutes).
    if value is None or as_decimal(value) * factors[1] != said * factors[0]:
        converted = convert(said, fig.unit, unit)
        assert converted is not None  # the factors exist
        return f"{says}, which is {shown(converted)} {unit}"
    return None


def op_contradiction(text: str, op: str | None) -> str | None:
    """None when ``op`` is the comparison the text's words give (none for none), else what it says.

    Only a text with a value is read: a sentence such as "95%を超え" accepts any op. A text
    without a comparison word also accepts "=" (exactly that value).
    """
    fig = parse_figure(text)
    if fig.value is None or fig.op == op or (op == "=" and fig.op is None):
        return None
    if fig.op is None:
        return "the text has no comparison word"
    return f'the text says {_OP_WORD_FOR[fig.op]}, which is op "{fig.op}"'


def contradiction(
    text: str, value: Number | None, unit: str | None, op: str | None = None
) -> str | None:
    """None when ``value`` (in ``unit``) and ``op`` agree with ``text``, else what the text says.

    >>> contradiction("780万件", 780, "万件") is None
    True
    >>> contradiction("29手続", 999999, "件")
    'the text says 29 手続'
    """
    return value_contradiction(text, value, unit) or op_contradiction(text, op)
