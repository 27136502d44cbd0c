"""Pure rules of revisions (改訂): what a revision's date may be."""

from __future__ import annotations

import re
from datetime import date

_REVISION_DATE = re.compile(r"^[0-9]{4}-(?:0[1-9]|1[0-2])(?:-[0-9]{2})?$")


def revision_date_problem(text: str, latest: str | None) -> str | None:
    """What is wrong with a revision's date (YYYY-MM-DD or YYYY-MM, as in the package's
    `revisions`), `latest` being the date of the plan's latest adopted revision; None if right.

    >>> revision_date_problem("2025-04-01", "2024-03"), revision_date_problem("2024-02", "2024-03")
    (None, '最新の改訂（2024-03）より前でない日付')
    """
    if not _REVISION_DATE.match(text):
        return "YYYY-MM-DD または YYYY-MM の形の日付"
    if len(text) == 10:
        try:
            date.fromisoformat(text)
        except ValueError:
            return "実在する日付"
    if latest is not None and text < latest[: len(text)]:
        return f"最新の改訂（{latest}）より前でない日付"
    return None
