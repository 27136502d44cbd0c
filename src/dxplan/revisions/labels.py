"""The Japanese labels of revisions (改訂), as the pages show them (pure)."""

from __future__ import annotations

from typing import Final

CHANGE_BADGE_LABELS: Final[dict[str, str]] = {
    "new": "新規",
    "terminated": "終了",
}
"""The badge of a change a revision lists, by its kind (a modification has none)."""
