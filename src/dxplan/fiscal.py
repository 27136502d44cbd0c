"""Japanese fiscal years (年度), stored as the Western year in which they start: spans of them,
package keys ("2021", "2020-2023"), and the calendar (the fiscal year of a date, today in Japan).

A Japanese fiscal year runs from 1 April to 31 March; 令和3年度 is the year from April 2021 to
March 2022 and is stored as 2021 (FORMAT.md, "Normalisation rules").  Every fiscal year must lie
in 1900–2200 (``MIN_FY``..``MAX_FY``), a rule where FORMAT.md is silent.

Fiscal years as plans print them (令和3年度, R3, H28～R5) are read and written by
``dxplan.wareki``.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

__all__ = [
    "EXPECTED_RANGE",
    "MAX_FY",
    "MIN_FY",
    "FiscalSpan",
    "FiscalYearError",
    "check_range",
    "fiscal_year_of",
    "parse_fy_key",
    "today_in_japan",
]

JST = datetime.timezone(datetime.timedelta(hours=9), "JST")
"""Japan Standard Time: the time zone of every date a municipality works with."""

MIN_FY = 1900
"""The earliest fiscal year accepted anywhere (here and in `wareki`)."""

MAX_FY = 2200
"""The latest fiscal year accepted anywhere (here and in `wareki`)."""


class FiscalYearError(ValueError):
    """A text that is not a fiscal year (or span) in any accepted form.

    The message quotes the text and says what was expected; ``text`` holds the text as given.
    """

    def __init__(self, text: str, expected: str) -> None:
        self.text = text
        self.expected = expected
        super().__init__(f"{text!r} is not a fiscal year: {expected}")


_EXPECTED_KEY = 'expected a package key: one 4-digit year "2021" or a span "2020-2023"'
EXPECTED_RANGE = f"fiscal years must lie between {MIN_FY} and {MAX_FY}"
"""What a fiscal year out of range is told."""

_FY_KEY_RE = re.compile(r"(?P<start>[0-9]{4})(?:-(?P<end>[0-9]{4}))?")


def check_range(text: str, fy: int) -> int:
    """``fy`` if it lies in ``MIN_FY``..``MAX_FY``; else FiscalYearError about ``text``."""
    if not MIN_FY <= fy <= MAX_FY:
        raise FiscalYearError(text, f"{EXPECTED_RANGE} (this is {fy})")
    return fy


@dataclass(frozen=True, order=True)
class FiscalSpan:
    """An inclusive range of fiscal years; a single year has ``start_fy == end_fy``."""

    start_fy: int
    end_fy: int

    def __post_init__(self) -> None:
        for fy in (self.start_fy, self.end_fy):
            if isinstance(fy, bool) or not isinstance(fy, int):
                raise TypeError(f"fiscal years are int, got {fy!r}")
        text = f"{self.start_fy}-{self.end_fy}"
        check_range(text, self.start_fy)
        check_range(text, self.end_fy)
        if self.start_fy > self.end_fy:
            raise FiscalYearError(text, "a span must not end before it starts")

    @classmethod
    def single(cls, fy: int) -> FiscalSpan:
        """The span of one fiscal year."""
        return cls(fy, fy)

    @property
    def key(self) -> str:
        """The package key (FORMAT.md): ``"2021"`` for one year, ``"2020-2023"`` for a span."""
        if self.start_fy == self.end_fy:
            return str(self.start_fy)
        return f"{self.start_fy}-{self.end_fy}"

    @property
    def years(self) -> range:
        """The fiscal years of the span, in order."""
        return range(self.start_fy, self.end_fy + 1)

    @property
    def is_single(self) -> bool:
        """True when the span is one fiscal year."""
        return self.start_fy == self.end_fy

    def __str__(self) -> str:
        return self.key


def parse_fy_key(key: str) -> FiscalSpan:
    """The span named by a package key: ``"2021"`` or ``"2020-2023"`` (strict).

    Keys are 4-digit Western years, the span form with start < end; nothing else is accepted
    (no spaces, no full-width digits, no ``"2021-2021"``).
    """
    m = _FY_KEY_RE.fullmatch(key)
    if m is None:
        raise FiscalYearError(key, _EXPECTED_KEY)
    start = check_range(key, int(m["start"]))
    if m["end"] is None:
        return FiscalSpan.single(start)
    end = check_range(key, int(m["end"]))
    if end < start:
        raise FiscalYearError(key, f"a span must not end before it starts ({start} > {end})")
    if end == start:
        raise FiscalYearError(key, f'a one-year key is written "{start}", not as a span')
    return FiscalSpan(start, end)


def fiscal_year_of(date: datetime.date) -> int:
    """The fiscal year a date falls in: 1 April starts a fiscal year.

    >>> fiscal_year_of(datetime.date(2022, 3, 31)), fiscal_year_of(datetime.date(2022, 4, 1))
    (2021, 2022)
    """
    return date.year if date.month >= 4 else date.year - 1


def today_in_japan() -> datetime.date:
    """Today's date in Japan."""
    return datetime.datetime.now(JST).date()
