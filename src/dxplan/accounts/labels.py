"""The Japanese names of the roles (pure; keyed by the values of `accounts.rules.Role`)."""

from __future__ import annotations

from typing import Final

ROLE_NAMES: Final[dict[str, str]] = {
    "admin": "管理者",
    "dx_division": "DX推進担当課",
    "department_editor": "担当課編集者",
    "committee": "推進委員会",
    "viewer": "閲覧者",
}
