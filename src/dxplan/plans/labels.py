"""The plan's Japanese labels, as the pages and the published documents show them (pure): an
initiative's departments by role, its flags, where a search found it, the orders of the plan
page, and the fields of an initiative a change names."""

from __future__ import annotations

from typing import Final

ROLE_LABELS: Final[dict[str, str]] = {
    "lead_departments": "主管課",
    "related_departments": "関係課",
    "implementing_departments": "実施課",
}
"""The department fields of an initiative's package form, in the plans' order."""

DEPARTMENT_ROLE_LABELS: Final[dict[str, str]] = {
    "lead": "主管",
    "related": "関係",
    "implementing": "実施",
}
"""What a department does in an initiative (`plans.parts.DepartmentRole`), in a word."""

FLAG_LABELS: Final[dict[str, str]] = {
    "priority": "重点",
    "national_dx": "☆ 自治体DX推進計画",
    "new": "新",
    "cross_listed": "再掲",
    "terminated": "計画終了",
}
"""An initiative's marks (`documents.presentation.flags`), in the order they are shown."""

MATCH_FIELD_LABELS: Final[dict[str, str]] = {
    "title": "取組名",
    "overview": "概要",
    "aims": "目指すもの",
    "indicator": "評価指標",
}
"""Where a search found its words (`plans.search.MatchField`)."""

SORT_LABELS: Final[dict[str, str]] = {
    "code": "番号順",
    "title": "取組名順",
    "department": "担当課順",
    "status": "進捗状況順",
}
"""The orders the plan page lists initiatives in, the default first."""
