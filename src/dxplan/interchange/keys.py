"""Per-year map keys of plan packages: "2021" for one fiscal year, "2020-2023" for a span."""

from __future__ import annotations


def parse_year_key(key: str) -> tuple[int, int]:
    """The (start_fy, end_fy) of a validated key."""
    start, _, end = key.partition("-")
    return int(start), int(end or start)


def year_key(start_fy: int, end_fy: int) -> str:
    """The key of a span of fiscal years."""
    return str(start_fy) if start_fy == end_fy else f"{start_fy}-{end_fy}"


def number_out(value: float | None) -> int | float | None:
    """A stored number as it goes into JSON: whole numbers as integers, as they came in."""
    if value is not None and float(value).is_integer():
        return int(value)
    return value
