"""Pure rules about plans: default evaluation scales, comparable ranks."""

from __future__ import annotations

import re
from datetime import date
from typing import Final

# Seed 002 (平塚市行財政改革計画 取組結果) prints these definitions; FORMAT.md makes them the
# default when a package declares no scales. Best first.
DEFAULT_SCALES: Final[dict[str, list[dict[str, str]]]] = {
    "progress": [
        {"label": "済", "definition": "当該活動が終了した。"},
        {"label": "概ね順調", "definition": "当初の見通しどおり又は見通しよりも早く進捗している。"},
        {"label": "遅れ", "definition": "当初の見通しに比べ遅れている。"},
        {"label": "未着手", "definition": "当該活動に着手する予定の時期に着手していない。"},
        {"label": "休止", "definition": "当該活動を休止とした。"},
    ],
    "achievement": [
        {"label": "達成", "definition": "達成するべき事項を達成した。"},
        {"label": "一部未達成", "definition": "達成するべき事項のうち、一部を達成できなかった。"},
        {"label": "未達成", "definition": "達成するべき事項を達成できなかった。"},
    ],
}


def comparable_score(rank: int, labels: int) -> float:
    """A label's place on its scale as a number from 1.0 (best) to 0.0 (worst).

    Scales of different cities (済…休止, A–D, 1–5, ○△×) can be compared through this score.
    """
    if labels < 1 or not 1 <= rank <= labels:
        raise ValueError(f"rank {rank} is not on a scale of {labels} labels")
    if labels == 1:
        return 1.0
    return (labels - rank) / (labels - 1)


# The yearly fields of an initiative's package form: what a department reports every year
# (actual phases, statuses, result narratives, indicator actuals, goal verdicts and their
# explanations). Everything else is the plan itself, kept by the DX division.
_YEARLY_FIELD = re.compile(
    r"^(?:activities\[[0-9]+\]\.(?:actual|status)\.[0-9-]+"
    r"|results\.[0-9-]+"
    r"|indicators\[[0-9]+\]\.actuals\.[0-9-]+"
    r"|goals\[[0-9]+\]\.(?:achievement|note))$"
)


def yearly_field(path: str) -> bool:
    """Is the field at `path` (in an initiative's package form) a yearly field?

    >>> yearly_field("indicators[0].actuals.2023"), yearly_field("indicators[0].targets.2023")
    (True, False)
    """
    return _YEARLY_FIELD.match(path) is not None


_REVISION_DATE = re.compile(r"^[0-9]{4}-(?:0[1-9]|1[0-2])(?:-[0-9]{2})?$")


def revision_date_problem(text: str, latest: str | None) -> str | None:
    """What is wrong with a revision's date (YYYY-MM-DD or YYYY-MM, as in the package's
    `revisions`), `latest` being the date of the plan's latest adopted revision; None if right.

    >>> revision_date_problem("2025-04-01", "2024-03"), revision_date_problem("2024-02", "2024-03")
    (None, 'a date not before the latest revision (2024-03)')
    """
    if not _REVISION_DATE.match(text):
        return "a date as YYYY-MM-DD or YYYY-MM"
    if len(text) == 10:
        try:
            date.fromisoformat(text)
        except ValueError:
            return "a date that exists"
    if latest is not None and text < latest[: len(text)]:
        return f"a date not before the latest revision ({latest})"
    return None
