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
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, localcontext

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

_OP_WORDS: tuple[tuple[str, str | None], ...] = (
    ("以上", ">="),
    ("以下", "<="),
    ("以内", "<="),
    ("未満", "<"),
    ("超え", ">"),
    ("超", ">"),
)

# Ignored before the number (longest first where one is a prefix of another).
_LEADING_WORDS: tuple[str, ...] = (
    "対前年度比",
    "対前年比",
    "前年度比",
    "前年比",
    "おおむね",
    "延べ",
    "合計",
    "総計",
    "累計",
    "最大",
    "最小",
    "最短",
    "最長",
    "平均",
    "概ね",
    "ほぼ",
    "満",
    "約",
    "延",
    "計",
)

# Period words before the number, and what ``per`` they give.
_PER_PREFIXES: tuple[tuple[str, str], ...] = (
    ("毎年度", "年度"),
    ("年度", "年度"),
    ("年間", "年"),
    ("毎年", "年"),
    ("毎月", "月"),
    ("月間", "月"),
    ("毎週", "週"),
    ("毎日", "日"),
    ("年", "年"),
    ("月", "月"),
    ("週", "週"),
    ("日", "日"),
)

# Ignored after the unit.
_TRAILING_WORDS: tuple[str, ...] = (
    "の縮減",
    "の削減",
    "の減少",
    "の増加",
    "の増",
    "の減",
    "縮減",
    "削減",
    "減少",
    "増加",
    "程度",
    "近く",
    "前後",
    "ほど",
    "余り",
    "あまり",
    "強",
    "弱",
    "減",
    "増",
)

_DIGITS = frozenset("0123456789")

_SIGNS = {"▲": -1, "△": -1, "▼": -1, "-": -1, "−": -1, "+": 1}

_MULTIPLIERS = {"兆": 10**12, "億": 10**8, "万": 10**4}

_NUMBER_RE = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?")
_PER_SUFFIX_RE = re.compile(r"/(?P<per>[^0-9/]+)$")
_INNER_REMARK_RE = re.compile(r"\([^()]*\)")
_NOTE_MARK_RE = re.compile(r"※[0-9]*|\*+")
_DURATION_RE = re.compile(
    r"(?:(?P<h>[0-9]+(?:\.[0-9]+)?)時間(?P<h_half>半)?)?"
    r"(?:(?P<m>[0-9]+(?:\.[0-9]+)?)分(?P<m_half>半)?)?"
    r"(?:(?P<s>[0-9]+(?:\.[0-9]+)?)秒)?"
)
# A unit: letters of any script (no digits, no punctuation) and %, or m2 / km2 / m3.
_UNIT_RE = re.compile(r"(?:[^\W\d_]|%)+|[A-Za-z]*[23]")
_UNIT_MAX_LEN = 8
# Particles that show the "unit" is the rest of a sentence, not a unit.
_PARTICLES = frozenset("のをがでにはとへもや")

_UNIT_ALIASES = {
    "パーセント": "%",
    "ポイント": "pt",
    "ﾎﾟｲﾝﾄ": "pt",
    "pt": "pt",
    "Pt": "pt",
    "PT": "pt",
    "point": "pt",
    "平方メートル": "m2",
}

_OP_WORD_FOR = {">=": "以上", "<=": "以下", ">": "超", "<": "未満"}
_UNIT_CANNOT_END_WITH = tuple(word for word, _ in _OP_WORDS) + _TRAILING_WORDS


def is_dash(text: str) -> bool:
    """Is the text a dash alone ("-", "－", "―", "ー" …), the printed sign for "no value"?"""
    s = "".join(unicodedata.normalize("NFKC", text).split())
    return bool(s) and len(s) <= 3 and all(ch in _DASHES for ch in s)


def _none(text: str) -> Figure:
    return Figure(text=text, value=None)


def _unwrap(s: str) -> str:
    while s.startswith("(") and s.endswith(")") and _INNER_REMARK_RE.fullmatch(s):
        s = s[1:-1]
    return s


def _strip_remarks(s: str) -> str:
    s = _unwrap(s)
    previous = None
    while previous != s:
        previous = s
        s = _INNER_REMARK_RE.sub("", s)
    return s


def _strip_end(s: str) -> tuple[str, str | None, bool, str | None]:
    """Remove trailing comparison, rate and qualifying words.

    Returns the rest, the op, whether a comparison word was seen, and the per.
    """
    op: str | None = None
    seen_op = False
    seen_qualifier = False
    per: str | None = None
    changed = True
    while changed and s:
        changed = False
        if not seen_qualifier:
            for word in _TRAILING_WORDS:
                if s.endswith(word) and len(s) > len(word):
                    s, seen_qualifier, changed = s[: -len(word)], True, True
                    break
        if not seen_op:
            for word, word_op in _OP_WORDS:
                if s.endswith(word) and len(s) > len(word):
                    s, op, seen_op, changed = s[: -len(word)], word_op, True, True
                    break
        if per is None:
            m = _PER_SUFFIX_RE.search(s)
            if m is not None:
                per = m["per"]
                s = s[: m.start()]
                changed = True
    return s, op, seen_op, per


def _strip_start(s: str) -> tuple[str, str | None]:
    """Remove leading qualifying words and a leading period word; return the rest and per."""
    per: str | None = None
    changed = True
    while changed and s:
        changed = False
        for word in _LEADING_WORDS:
            if s.startswith(word) and len(s) > len(word):
                s = s[len(word) :]
                changed = True
                break
        if per is None:
            for word, word_per in _PER_PREFIXES:
                rest = s[len(word) :]
                if (
                    s.startswith(word)
                    and rest
                    and (rest[0] in _DIGITS or rest[0] in _SIGNS or rest.startswith(_LEADING_WORDS))
                ):
                    s, per, changed = rest, word_per, True
                    break
    return s, per


def _to_number(d: Decimal, *, whole_is_int: bool, written_decimal: bool) -> int | float:
    if d == d.to_integral_value() and (whole_is_int or not written_decimal):
        return int(d)
    return float(d) + 0.0  # + 0.0 turns -0.0 into 0.0


def _duration(s: str) -> Decimal | None:
    """Seconds in a duration of two or more parts (4分1秒, 1時間30分, 2分半); else None."""
    m = _DURATION_RE.fullmatch(s)
    if m is None:
        return None
    parts = [m[name] for name in ("h", "m", "s")]
    halves = [m["h_half"], m["m_half"]]
    if sum(part is not None for part in parts) + sum(h is not None for h in halves) < 2:
        return None
    seconds = Decimal(0)
    for part, half, factor in zip(parts, [*halves, None], (3600, 60, 1), strict=True):
        if part is not None:
            seconds += Decimal(part) * factor
        if half is not None:
            seconds += Decimal(factor) / 2
    return seconds


def _read_number(s: str) -> tuple[Decimal, bool, bool, str] | None:
    """The number at the start of ``s`` with 兆/億/万 applied.

    Returns (value, multiplied, written with a decimal point, rest), or None when ``s`` does not
    start with a well-formed number.
    """
    m = _NUMBER_RE.match(s)
    if m is None:
        return None
    rest = s[m.end() :]
    if rest[:1] in _DIGITS or rest[:1] in {",", "."}:
        return None  # 1,50 or 1.2.3: not a number
    current: Decimal | None = Decimal(m[0].replace(",", ""))
    written_decimal = "." in m[0]
    total = Decimal(0)
    multiplied = False
    last_factor: int | None = None
    while current is not None and rest[:1] in _MULTIPLIERS:
        factor = _MULTIPLIERS[rest[0]]
        if last_factor is not None and factor >= last_factor:
            return None  # 1万2億: not a number
        total += current * factor
        last_factor = factor
        multiplied = True
        rest = rest[1:]
        current = None
        m = _NUMBER_RE.match(rest)
        if m is not None:
            current = Decimal(m[0].replace(",", ""))
            written_decimal = written_decimal or "." in m[0]
            rest = rest[m.end() :]
    if current is not None:
        total += current
    if rest[:1] in _MULTIPLIERS:
        return None  # 1万億: not a number
    return total, multiplied, written_decimal, rest


def _unit(rest: str) -> str | bool | None:
    """The unit in ``rest``: a str, None for no unit, False when ``rest`` is not a unit."""
    if not rest:
        return None
    if rest in _UNIT_ALIASES:
        return _UNIT_ALIASES[rest]
    if len(rest) > _UNIT_MAX_LEN or not _UNIT_RE.fullmatch(rest):
        return False
    if any(ch in _PARTICLES for ch in rest):
        return False
    if rest.endswith(_UNIT_CANNOT_END_WITH):
        return False  # a second comparison or qualifier, as in "5超超": not a figure
    return rest


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
    s = _strip_remarks(_NOTE_MARK_RE.sub("", s))
    s, op, _, per_after = _strip_end(s)
    s, per_before = _strip_start(s)
    per = per_before if per_before is not None else per_after
    sign = 1
    if s[:1] in _SIGNS:
        sign = _SIGNS[s[0]]
        s = s[1:]

    seconds = _duration(s)
    if seconds is not None:
        value = _to_number(sign * seconds, whole_is_int=True, written_decimal=True)
        return Figure(text=text, value=value, unit="秒", op=op, per=per)

    number = _read_number(s)
    if number is None:
        return _none(text)
    amount, multiplied, written_decimal, rest = number
    unit = _unit(rest)
    if unit is False:
        return _none(text)
    value = _to_number(sign * amount, whole_is_int=multiplied, written_decimal=written_decimal)
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

Number = int | float | Decimal
"""A stored figure value: JSON gives int or float; Decimal is accepted too."""

# Scale words before a base unit: 万件 = 10^4 件, 百万円 = 10^6 円.
_SCALES = {"十": 10, "百": 100, "千": 1000, "万": 10**4, "億": 10**8, "兆": 10**12}
# Base units that are a multiple of another: 割 = 10 %, 分 = 60 秒, 時間 = 3600 秒.
_BASES = {"割": ("%", 10), "秒": ("秒", 1), "分": ("秒", 60), "時間": ("秒", 3600)}


def _decimal(value: Number) -> Decimal:
    """A value as a Decimal; a float by its shortest repr, so 28.2 is exactly 28.2."""
    if isinstance(value, bool):
        raise TypeError("a figure's value is a number, not a bool")
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def _normal_unit(unit: str) -> str:
    u = "".join(unicodedata.normalize("NFKC", unit).split())
    return _UNIT_ALIASES.get(u, u)


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


def _factors(from_unit: str | None, to_unit: str | None) -> tuple[int, int] | None:
    """(from factor, to factor) when a number in ``from_unit`` can be given in ``to_unit``."""
    if from_unit is None or to_unit is None:
        return (1, 1) if from_unit is None and to_unit is None else None
    from_base, from_factor = _measure(from_unit)
    to_base, to_factor = _measure(to_unit)
    return (from_factor, to_factor) if from_base == to_base else None


def convert(value: Number, from_unit: str | None, to_unit: str | None) -> Decimal | None:
    """``value`` in ``from_unit`` given in ``to_unit``, or None when they measure different things.

    Scale words before a unit (十 百 千 万 億 兆), % and 割, and 秒 / 分 / 時間 convert:
    ``convert(7800000, "件", "万件")`` is 780, ``convert(8, "割", "%")`` is 80.
    ``None`` (no unit) converts only to ``None``; 件 and 手続 do not convert.
    """
    factors = _factors(from_unit, to_unit)
    if factors is None:
        return None
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        return _tidy(_decimal(value) * factors[0] / factors[1])


_PRECISION = 60  # enough for any value a plan prints, with its scale words multiplied out


def _tidy(d: Decimal) -> Decimal:
    """``d`` without trailing zeros and never in exponent form: 780, not 7.8E+2."""
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        return d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize()


def _shown(d: Decimal) -> str:
    return format(_tidy(d), "f")


def value_contradiction(text: str, value: Number | None, unit: str | None) -> str | None:
    """None when ``value`` in ``unit`` is what ``text`` says, else what the text says.

    A text without a value ("完了", "-") accepts any value.  When the text's unit converts to
    ``unit`` the converted number must equal ``value`` exactly; otherwise (no unit, or 件 against
    手続) ``value`` must be the number the text says in its own unit.
    """
    fig = parse_figure(text)
    if fig.value is None:
        return None
    said = _decimal(fig.value)
    says = f"the text says {_shown(said)}" + (f" {fig.unit}" if fig.unit else "")
    factors = _factors(fig.unit, unit) if unit is not None else None
    if factors is None or factors[0] == factors[1]:
        if value is None or _decimal(value) != said:
            return says
        return None
    # Cross-multiplied, so that the comparison stays exact (241 秒 against minutes).
    if value is None or _decimal(value) * factors[1] != said * factors[0]:
        converted = convert(said, fig.unit, unit)
        assert converted is not None  # the factors exist
        return f"{says}, which is {_shown(converted)} {unit}"
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
