"""Fiscal years as municipal plans print them, read and written: 和暦 (令和3年度, R3, H28) and
Western years (2021年度), alone or as spans (FORMAT.md, "Normalisation rules"). Pure.

Reading (``parse_fiscal_year``, ``parse_fiscal_span``) accepts the forms municipal plans print:

* era years: ``令和3年度``, ``令和元年度``, ``令和三年度``, ``R3``, ``R3年度``, ``H28``, ``S54``;
* Western years: ``2021年度``, ``2021``, ``FY2021``;
* both together, which must agree: ``令和3(2021)年度``, ``令和3（2021）年度``, ``2021(令和3)年度``;
* spans: ``H28～R5``, ``令和2～5年度`` (the era carries over), ``令和2年度～令和5年度``,
  ``2020-2023``, ``2020～2023年度``, ``R2-R5``, ``平成28年度から令和5年度まで``.

Text is NFKC-normalised first (full-width digits, ``（）`` and ``～`` become ASCII) and all
white space is ignored, so ``令和 3 年度`` and ``令和７年度`` are read too.  A text wrapped as a
whole in brackets, as in ``（H28～R5）``, is unwrapped.

Rules where FORMAT.md is silent:

* Every fiscal year must lie in 1900–2200 (``fiscal.MIN_FY``..``fiscal.MAX_FY``).
* Era names map to Western years by the era's first calendar year: 令和 n = 2018 + n,
  平成 n = 1988 + n, 昭和 n = 1925 + n, 大正 n = 1911 + n, 明治 n = 1867 + n.  Writing
  (``format_wareki``) uses the latest era that began in the fiscal year's starting calendar year
  or before, so FY1989 is 平成元年度 and FY2019 is 令和元年度, as both are officially called.
  (For FY1912 and FY1926 this gives 大正元年度 and 昭和元年度 where budgets of the time said
  明治45年度 and 大正15年度; reading accepts both.)
* Reading accepts an era year past the era's end (平成31年度, and 平成32年度 as printed in plans
  made before 令和 was announced) as long as the year is in range; it rejects era year 0
  (the first year is written 元).
* A calendar year (``令和3年``) is not a fiscal year and is rejected; so are reversed spans.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from dxplan.fiscal import EXPECTED_RANGE, FiscalSpan, FiscalYearError, check_range

__all__ = [
    "format_seireki",
    "format_span",
    "format_wareki",
    "parse_fiscal_span",
    "parse_fiscal_year",
]


@dataclass(frozen=True)
class _Era:
    name: str
    letter: str
    first_year: int  # the Western calendar year of the era's first year (元年)


# Newest first: format_wareki takes the first era that had begun by the fiscal year.
_ERAS: tuple[_Era, ...] = (
    _Era("令和", "R", 2019),
    _Era("平成", "H", 1989),
    _Era("昭和", "S", 1926),
    _Era("大正", "T", 1912),
    _Era("明治", "M", 1868),
)
_ERA_BY_NAME: dict[str, _Era] = {era.name: era for era in _ERAS}
_ERA_BY_LETTER: dict[str, _Era] = {era.letter: era for era in _ERAS}

_EXPECTED_YEAR = (
    "expected a fiscal year such as 令和3年度, 令和元年度, R3, H28, 2021年度, 2021 "
    "or 令和3(2021)年度"
)
_EXPECTED_SPAN = (
    "expected a fiscal year or a span such as 令和2～5年度, H28～R5, 2020-2023 or "
    "平成28年度から令和5年度まで"
)

_KANJI_DIGITS = {
    "〇": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}

# An era year: 元, ASCII digits (after NFKC) or kanji numerals up to 九十九 / 百九十九.
_NUMBER = r"元|[0-9]{1,3}|[〇一二三四五六七八九十百]{1,5}"
_ERA_NAMES = "|".join(era.name for era in _ERAS)
_ERA_LETTERS = "".join(era.letter for era in _ERAS)
_ERA_PART = rf"(?:(?P<name>{_ERA_NAMES})|(?P<letter>[{_ERA_LETTERS}{_ERA_LETTERS.lower()}]))"

# 令和3, R3, 令和3(2021); the optional 年度 is handled by the caller.
_ERA_YEAR_RE = re.compile(rf"{_ERA_PART}(?P<num>{_NUMBER})(?:\((?P<western>[0-9]+)\))?")
# 2021, FY2021, 2021(令和3)
_WESTERN_YEAR_RE = re.compile(
    rf"(?:FY|fy)?(?P<western>[0-9]{{4}})(?:\({_ERA_PART}(?P<num>{_NUMBER})\))?"
)
# A bare era year in the second half of a span, taking the era of the first half: 令和2～5年度.
_BARE_NUMBER_RE = re.compile(rf"(?P<num>{_NUMBER})")

_SPAN_SEPARATORS = "~〜-‐‑–—―−"
_SPAN_SPLIT_RE = re.compile(f"[{re.escape(_SPAN_SEPARATORS)}]")
_KARA_MADE_RE = re.compile(r"(?P<start>.+?)から(?P<end>.+?)(?:まで)?")

_BRACKETS = {"(": ")", "[": "]", "【": "】", "「": "」", "〔": "〕"}


def _normalise(text: str) -> str:
    """NFKC, no white space, without brackets that wrap the whole text."""
    s = "".join(unicodedata.normalize("NFKC", text).split())
    while len(s) >= 2 and _BRACKETS.get(s[0]) == s[-1] and _balanced(s[1:-1], s[0], s[-1]):
        s = s[1:-1]
    return s


def _balanced(inner: str, opening: str, closing: str) -> bool:
    depth = 0
    for ch in inner:
        if ch == opening:
            depth += 1
        elif ch == closing:
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _is_ascii_digits(s: str) -> bool:
    return bool(s) and all("0" <= ch <= "9" for ch in s)


def _kanji_number(s: str) -> int | None:
    """Kanji numerals up to 999 (三, 十二, 二十八, 百五); None if malformed."""
    total = 0
    current: int | None = None
    for unit_char, unit in (("百", 100), ("十", 10)):
        if unit_char in s:
            head, _, s = s.partition(unit_char)
            if unit_char in s or len(head) > 1:
                return None
            if head == "":
                current = 1
            elif head in _KANJI_DIGITS and _KANJI_DIGITS[head] > 0:
                current = _KANJI_DIGITS[head]
            else:
                return None
            total += current * unit
    if s:
        if len(s) != 1 or s not in _KANJI_DIGITS:
            return None
        total += _KANJI_DIGITS[s]
    return total


def _era_year_number(text: str, num: str) -> int:
    if num == "元":
        return 1
    value = int(num) if _is_ascii_digits(num) else _kanji_number(num)
    if value is None:
        raise FiscalYearError(text, f"{num!r} is not a number; {_EXPECTED_YEAR}")
    if value == 0:
        raise FiscalYearError(
            text, "era years start at 1; the first year is written 元 (令和元年度)"
        )
    return value


def _era_of(name: str | None, letter: str | None) -> _Era:
    if name is not None:
        return _ERA_BY_NAME[name]
    assert letter is not None
    return _ERA_BY_LETTER[letter.upper()]


def _from_era(text: str, era: _Era, num: str) -> int:
    return check_range(text, era.first_year - 1 + _era_year_number(text, num))


def _strip_nendo(text: str, s: str) -> tuple[str, bool]:
    """Remove a trailing 年度; reject a bare 年 (a calendar year)."""
    if s.endswith("年度"):
        return s[:-2], True
    if s.endswith("年"):
        raise FiscalYearError(text, "a fiscal year (年度) was expected, not a calendar year (年)")
    return s, False


def _parse_year_part(text: str, s: str) -> tuple[int, _Era | None]:
    """Parse one year with no 年度 suffix; return it and the era it was written in."""
    m = _ERA_YEAR_RE.fullmatch(s)
    if m is not None:
        era = _era_of(m["name"], m["letter"])
        fy = _from_era(text, era, m["num"])
        if m["western"] is not None and int(m["western"]) != fy:
            raise FiscalYearError(
                text,
                f"the era year and the Western year disagree ({era.name}"
                f"{m['num']} is {fy}, not {m['western']})",
            )
        return fy, era
    m = _WESTERN_YEAR_RE.fullmatch(s)
    if m is not None:
        fy = check_range(text, int(m["western"]))
        if m["num"] is not None:
            era = _era_of(m["name"], m["letter"])
            era_fy = _from_era(text, era, m["num"])
            if era_fy != fy:
                raise FiscalYearError(
                    text,
                    f"the Western year and the era year disagree ({fy} is not "
                    f"{era.name}{m['num']}, which is {era_fy})",
                )
            return fy, era
        return fy, None
    if _is_ascii_digits(s):
        raise FiscalYearError(text, "a Western fiscal year has 4 digits (2021)")
    raise FiscalYearError(text, _EXPECTED_YEAR)


def parse_fiscal_year(text: str) -> int:
    """The fiscal year written in ``text``, as the Western year in which it starts.

    >>> parse_fiscal_year("令和3年度"), parse_fiscal_year("H28"), parse_fiscal_year("令和元年度")
    (2021, 2016, 2019)
    """
    s = _normalise(text)
    if not s:
        raise FiscalYearError(text, "the text is empty; " + _EXPECTED_YEAR)
    s, _ = _strip_nendo(text, s)
    if not s:
        raise FiscalYearError(text, _EXPECTED_YEAR)
    if _SPAN_SPLIT_RE.search(s) or "から" in s:
        raise FiscalYearError(text, "one fiscal year was expected, not a span")
    return _parse_year_part(text, s)[0]


def _split_span(text: str, s: str) -> tuple[str, str] | None:
    m = _KARA_MADE_RE.fullmatch(s)
    if m is not None:
        return m["start"], m["end"]
    if "から" in s or s.endswith("まで"):
        raise FiscalYearError(text, _EXPECTED_SPAN)
    parts = _SPAN_SPLIT_RE.split(s)
    if len(parts) == 1:
        return None
    if len(parts) != 2 or not parts[0] or not parts[1]:
        raise FiscalYearError(text, _EXPECTED_SPAN)
    return parts[0], parts[1]


def parse_fiscal_span(text: str) -> FiscalSpan:
    """The fiscal year or inclusive span of fiscal years written in ``text``.

    >>> parse_fiscal_span("令和2～5年度").key, parse_fiscal_span("H28～R5").key
    ('2020-2023', '2016-2023')
    """
    s = _normalise(text)
    if not s:
        raise FiscalYearError(text, "the text is empty; " + _EXPECTED_SPAN)
    halves = _split_span(text, s)
    if halves is None:
        return FiscalSpan.single(parse_fiscal_year(text))
    start_s, end_s = halves
    start_s, _ = _strip_nendo(text, start_s)
    end_s, _ = _strip_nendo(text, end_s)
    if not start_s or not end_s:
        raise FiscalYearError(text, _EXPECTED_SPAN)
    start, start_era = _parse_year_part(text, start_s)
    bare = _BARE_NUMBER_RE.fullmatch(end_s)
    if bare is not None and not (_is_ascii_digits(end_s) and len(end_s) == 4):
        # 令和2～5年度: the end is an era year of the start's era.
        if start_era is None:
            raise FiscalYearError(
                text, "the end of a span of Western years must be a 4-digit year (2020-2023)"
            )
        end = _from_era(text, start_era, bare["num"])
    else:
        end = _parse_year_part(text, end_s)[0]
    if end < start:
        raise FiscalYearError(text, f"a span must not end before it starts ({start} > {end})")
    return FiscalSpan(start, end)


def _era_for(fy: int) -> _Era:
    check_range(str(fy), fy)
    for era in _ERAS:
        if era.first_year <= fy:
            return era
    raise FiscalYearError(str(fy), EXPECTED_RANGE)  # pragma: no cover - MIN_FY is in 明治


def _era_number(era: _Era, fy: int) -> str:
    n = fy - era.first_year + 1
    return "元" if n == 1 else str(n)


def format_wareki(fy: int) -> str:
    """``2021`` → ``"令和3年度"``; ``2019`` → ``"令和元年度"``; ``2018`` → ``"平成30年度"``."""
    era = _era_for(fy)
    return f"{era.name}{_era_number(era, fy)}年度"


def format_seireki(fy: int) -> str:
    """``2021`` → ``"2021年度"``."""
    check_range(str(fy), fy)
    return f"{fy}年度"


def format_span(span: FiscalSpan, style: Literal["wareki", "seireki"] = "wareki") -> str:
    """A span as Japanese text.

    wareki: ``令和3年度``; ``令和2～5年度`` within one era; ``平成28～令和5年度`` across eras.
    seireki: ``2021年度``; ``2020～2023年度``.
    """
    if style == "seireki":
        if span.is_single:
            return format_seireki(span.start_fy)
        return f"{span.start_fy}～{span.end_fy}年度"
    if style != "wareki":
        raise ValueError(f"style must be 'wareki' or 'seireki', got {style!r}")
    if span.is_single:
        return format_wareki(span.start_fy)
    start_era = _era_for(span.start_fy)
    end_era = _era_for(span.end_fy)
    start = f"{start_era.name}{_era_number(start_era, span.start_fy)}"
    if start_era == end_era:
        return f"{start}～{_era_number(end_era, span.end_fy)}年度"
    return f"{start}～{end_era.name}{_era_number(end_era, span.end_fy)}年度"
