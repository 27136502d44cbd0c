"""Per-year map keys of plan packages: "2021" for one fiscal year, "2020-2023" for a span."""

from __future__ import annotations

import re


def parse_year_key(key: str) -> tuple[int, int]:
    """The (start_fy, end_fy) of a validated key."""
    start, _, end = key.partition("-")
    return int(start), int(end or start)


def year_key(start_fy: int, end_fy: int) -> str:
    """The key of a span of fiscal years."""
    return str(start_fy) if start_fy == end_fy else f"{start_fy}-{end_fy}"


# A figure printed with a zero decimal ("3.0", "74.0%") keeps its decimal in JSON too.
_ZERO_DECIMAL = re.compile(r"[0-9][.．]0+(?![0-9０-９])")


def number_out(value: float | None, text: str) -> int | float | None:
    """A stored number as it goes into JSON: a whole number is an integer unless the figure's
    text prints it with a zero decimal (then 3.0 stays 3.0)."""
    if value is None:
        return None
    if float(value).is_integer() and not _ZERO_DECIMAL.search(text):
        return int(value)
    return float(value)
