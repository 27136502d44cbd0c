"""How ``parse_figure`` reads a figure's text, step by step: the words it knows (comparisons,
qualifiers, periods), the note marks and remarks it drops, the number with 万/億/兆 and the unit.

Each step takes the NFKC-normalised text without white space (see ``dxplan.figures`` for the
rules) and returns what it read and the rest. Pure (standard library only).
"""

from __future__ import annotations

import re
from decimal import Decimal

from dxplan.units import UNIT_ALIASES

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

SIGNS = {"▲": -1, "△": -1, "▼": -1, "-": -1, "−": -1, "+": 1}
"""Sign marks before the number: ▲, △, ▼, - and − mean minus, + plus."""

_MULTIPLIERS = {"兆": 10**12, "億": 10**8, "万": 10**4}

_NUMBER_RE = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?")
_PER_SUFFIX_RE = re.compile(r"/(?P<per>[^0-9/]+)$")
_INNER_REMARK_RE = re.compile(r"\([^()]*\)")
NOTE_MARK_RE = re.compile(r"※[0-9]*|\*+")
"""Note marks (※, ※1, *), which a figure's reading ignores."""
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

_UNIT_CANNOT_END_WITH = tuple(word for word, _ in _OP_WORDS) + _TRAILING_WORDS


def _unwrap(s: str) -> str:
    while s.startswith("(") and s.endswith(")") and _INNER_REMARK_RE.fullmatch(s):
        s = s[1:-1]
    return s


def strip_remarks(s: str) -> str:
    """Unwrap a text bracketed as a whole and drop the bracketed remarks inside or after it."""
    s = _unwrap(s)
    previous = None
    while previous != s:
        previous = s
        s = _INNER_REMARK_RE.sub("", s)
    return s


def strip_end(s: str) -> tuple[str, str | None, bool, str | None]:
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


def strip_start(s: str) -> tuple[str, str | None]:
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
                    and (rest[0] in _DIGITS or rest[0] in SIGNS or rest.startswith(_LEADING_WORDS))
                ):
                    s, per, changed = rest, word_per, True
                    break
    return s, per


def to_number(d: Decimal, *, whole_is_int: bool, written_decimal: bool) -> int | float:
    """A value as a figure holds it: int when whole (if written with a decimal: `whole_is_int`)."""
    if d == d.to_integral_value() and (whole_is_int or not written_decimal):
        return int(d)
    return float(d) + 0.0  # + 0.0 turns -0.0 into 0.0


def duration(s: str) -> Decimal | None:
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


def read_number(s: str) -> tuple[Decimal, bool, bool, str] | None:
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


def read_unit(rest: str) -> str | bool | None:
    """The unit in ``rest``: a str, None for no unit, False when ``rest`` is not a unit."""
    if not rest:
        return None
    if rest in UNIT_ALIASES:
        return UNIT_ALIASES[rest]
    if len(rest) > _UNIT_MAX_LEN or not _UNIT_RE.fullmatch(rest):
        return False
    if any(ch in _PARTICLES for ch in rest):
        return False
    if rest.endswith(_UNIT_CANNOT_END_WITH):
        return False  # a second comparison or qualifier, as in "5超超": not a figure
    return rest
