"""Where a problem is, in words: the Japanese label of a field of a plan package or of an
initiative's package form, from its JSON path and the form itself (pure).

`$.indicators[0].actuals.2024.value` of an initiative whose first indicator is 利用率 reads
「指標『利用率』の2024年度実績値」; in a whole package, `$.initiatives[3]…` names the initiative
by its code first: 「取組1-1-(2)の指標『利用率』の2024年度実績値」. A path that names nothing
known still gets a label (the nearest thing it names), never the path itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from dxplan.problems import Problem

_PART = re.compile(r"\.([^.\[\]]+)|\[([0-9]+)\]|\[(\"(?:[^\"\\]|\\.)*\"…?)\]")

INITIATIVE_FIELDS = {
    "uid": "識別子（uid）",
    "code": "コード",
    "section": "区分",
    "title": "名称",
    "lead_departments": "主管課",
    "related_departments": "関係課",
    "implementing_departments": "実施課",
    "overview": "概要",
    "aims": "目指すもの",
    "priority": "重点取組",
    "national_dx": "自治体DX推進計画の重点取組事項（☆）",
    "added_fy": "追加された年度",
    "new_in_revision": "新規",
    "cross_listed": "再掲",
    "also_listed_as": "再掲先",
    "references": "備考（関連する計画）",
    "period": "取組期間",
    "terminated": "計画終了",
    "results": "取組結果",
    "fiscal_effects": "財政健全化効果額",
    "activities": "取組活動",
    "indicators": "評価指標",
    "goals": "達成するべき事項",
    "note": "備考",
}
_ACTIVITY_FIELDS = {
    "uid": "識別子（uid）",
    "title": "名称",
    "plan": "計画",
    "actual": "実績",
    "status": "進捗状況",
    "note": "備考",
}
_INDICATOR_FIELDS = {
    "uid": "識別子（uid）",
    "name": "名称",
    "unit": "単位",
    "cumulative": "累計",
    "baseline": "現状値",
    "targets": "目標値",
    "actuals": "実績値",
    "rationale": "指標の考え方",
    "note": "備考",
}
_GOAL_FIELDS = {
    "uid": "識別子（uid）",
    "text": "内容",
    "target_fy": "目標年度",
    "target_period": "目標期間",
    "achievement": "達成状況",
    "note": "説明",
}
_FIGURE_FIELDS = {
    "text": "",
    "value": "（数値）",
    "unit": "（単位）",
    "op": "（比較）",
    "note": "（注記）",
}
_PERIOD_FIELDS = {"start_fy": "の開始年度", "end_fy": "の終了年度"}
_TERMINATED_FIELDS = {"reason": "終了の理由", "successor": "後継の取組"}
_PLAN_FIELDS = {
    "uid": "計画の識別子（uid）",
    "id": "計画ID",
    "title": "計画の名称",
    "kind": "計画の種類",
    "period": "計画期間",
    "published": "公表日",
    "version": "版数",
    "upper_plans": "上位計画",
    "level_names": "階層の名称",
    "scales": "評価の区分",
    "source": "出典",
    "notes": "計画の注記",
}
_SECTION_FIELDS = {
    "uid": "識別子（uid）",
    "code": "コード",
    "title": "名称",
    "level": "階層",
    "parent": "上位の区分",
    "description": "説明",
    "note": "備考",
}
_MUNICIPALITY_FIELDS = {"code": "団体コード", "name": "団体名", "prefecture": "都道府県"}
_SCALES = {"progress": "進捗状況", "achievement": "達成状況"}


def path_parts(path: str) -> list[str | int]:
    """The keys and indexes of a JSON path as `problems.json_path` writes it."""
    parts: list[str | int] = []
    text = path.removeprefix("$")
    if text and text[0] not in ".[":
        text = "." + text  # a field as the audit trail names it: indicators[0].targets.2025
    for match in _PART.finditer(text):
        key, index, quoted = match.groups()
        if index is not None:
            parts.append(int(index))
        else:
            parts.append(key if key is not None else quoted)
    return parts


def year_label(key: object) -> str:
    """A per-year key in words: "2024" → 2024年度, "2020-2023" → 2020〜2023年度."""
    text = str(key)
    if re.fullmatch(r"[0-9]{4}", text):
        return f"{text}年度"
    if re.fullmatch(r"[0-9]{4}-[0-9]{4}", text):
        return text.replace("-", "〜") + "年度"
    return f"キー{text}"


def _nth(items: Any, index: object) -> Mapping[str, Any]:
    if isinstance(items, Sequence) and isinstance(index, int) and 0 <= index < len(items):
        item = items[index]
        return item if isinstance(item, Mapping) else {}
    return {}


def _named(kind: str, name: object, index: object) -> str:
    if isinstance(name, str) and name.strip():
        shown = name if len(name) <= 30 else name[:29] + "…"
        return f"{kind}『{shown}』"
    return f"{kind}（{index + 1 if isinstance(index, int) else index}番目）"


def _figure(rest: list[str | int]) -> str:
    return _FIGURE_FIELDS.get(str(rest[0]), "") if rest else ""


def _yearly(name: str, rest: list[str | int]) -> str:
    """ "2024年度の実績値" from ["2024", "value"] under actuals."""
    if not rest:
        return name
    return f"{year_label(rest[0])}{name}" + _figure(rest[1:])


def _activity(activity: Mapping[str, Any], index: object, rest: list[str | int]) -> str:
    base = _named("取組活動", activity.get("title"), index)
    if not rest:
        return base
    field = str(rest[0])
    name = _ACTIVITY_FIELDS.get(field, field)
    if field in ("plan", "actual", "status") and len(rest) > 1:
        return f"{base}の{year_label(rest[1])}の{name}"
    return f"{base}の{name}"


def _indicator(indicator: Mapping[str, Any], index: object, rest: list[str | int]) -> str:
    base = _named("指標", indicator.get("name"), index)
    if not rest:
        return base
    field = str(rest[0])
    name = _INDICATOR_FIELDS.get(field, field)
    if field in ("targets", "actuals"):
        return f"{base}の{_yearly(name, rest[1:])}"
    if field == "baseline":
        detail = "の年度" if rest[1:] == ["fy"] else _figure(rest[1:])
        return f"{base}の{name}{detail}"
    return f"{base}の{name}"


def _goal(goal: Mapping[str, Any], index: object, rest: list[str | int]) -> str:
    base = _named("達成するべき事項", goal.get("text"), index)
    if not rest:
        return base
    field = str(rest[0])
    name = _GOAL_FIELDS.get(field, field)
    if field == "target_period" and len(rest) > 1:
        return f"{base}の{name}{_PERIOD_FIELDS.get(str(rest[1]), '')}"
    return f"{base}の{name}"


def initiative_field_label(path: str | Sequence[str | int], form: Mapping[str, Any]) -> str:
    """The label of a field of an initiative's package form, from its path inside the form."""
    parts = path_parts(path) if isinstance(path, str) else list(path)
    if not parts:
        return "取組"
    field, rest = str(parts[0]), parts[1:]
    if field == "activities" and rest:
        return _activity(_nth(form.get("activities"), rest[0]), rest[0], rest[1:])
    if field == "indicators" and rest:
        return _indicator(_nth(form.get("indicators"), rest[0]), rest[0], rest[1:])
    if field == "goals" and rest:
        return _goal(_nth(form.get("goals"), rest[0]), rest[0], rest[1:])
    name = INITIATIVE_FIELDS.get(field, "取組")
    if field in ("results", "fiscal_effects") and rest:
        return _year_first(name, rest)
    if field == "period" and rest:
        return name + _PERIOD_FIELDS.get(str(rest[0]), "")
    if field == "terminated" and rest:
        return _TERMINATED_FIELDS.get(str(rest[0]), name)
    if field.endswith("_departments") and rest:
        return f"{name}（{rest[0] + 1 if isinstance(rest[0], int) else rest[0]}番目）"
    return name


def _year_first(name: str, rest: list[str | int]) -> str:
    """ "2024年度の財政健全化効果額の数値" from ["2024", "value"]."""
    return f"{year_label(rest[0])}の{name}" + _figure(rest[1:])


def package_field_label(path: str, doc: Mapping[str, Any]) -> str:
    """The label of a field of a whole plan package, from its path."""
    parts = path_parts(path)
    if not parts:
        return "計画パッケージ"
    top, rest = str(parts[0]), parts[1:]
    if top == "initiatives" and rest:
        item = _nth(doc.get("initiatives"), rest[0])
        code = item.get("code")
        named = f"取組{code}" if isinstance(code, str) else _named("取組", None, rest[0])
        if len(rest) == 1:
            return named
        return f"{named}の{initiative_field_label(rest[1:], item)}"
    if top == "sections" and rest:
        section = _nth(doc.get("sections"), rest[0])
        base = _named("区分", section.get("code"), rest[0])
        field = str(rest[1]) if len(rest) > 1 else ""
        return f"{base}の{_SECTION_FIELDS[field]}" if field in _SECTION_FIELDS else base
    if top == "plan":
        return _plan_label(rest)
    if top == "municipality":
        return _MUNICIPALITY_FIELDS.get(str(rest[0]), "団体") if rest else "団体"
    if top == "revisions":
        index = rest[0] if rest else None
        return f"改訂履歴（{index + 1 if isinstance(index, int) else ''}番目）"
    if top == "published_figures":
        figure = _nth(doc.get("published_figures"), rest[0] if rest else None)
        return _named("公表された数値", figure.get("name"), rest[0] if rest else None)
    if top == "glossary":
        entry = _nth(doc.get("glossary"), rest[0] if rest else None)
        return _named("用語解説", entry.get("term"), rest[0] if rest else None)
    if top == "format":
        return "形式"
    return "計画パッケージ"


def _plan_label(rest: list[str | int]) -> str:
    if not rest:
        return "計画"
    field = str(rest[0])
    if field == "scales" and len(rest) > 1:
        scale = _SCALES.get(str(rest[1]), str(rest[1]))
        at = f"（{rest[2] + 1}番目）" if len(rest) > 2 and isinstance(rest[2], int) else ""
        return f"{scale}の区分{at}"
    if field == "period" and len(rest) > 1:
        return "計画期間" + _PERIOD_FIELDS.get(str(rest[1]), "")
    return _PLAN_FIELDS.get(field, "計画")


def label_initiative_problems(
    problems: Sequence[Problem], form: Mapping[str, Any]
) -> list[Problem]:
    """The problems of an initiative's form, each with its field's label (kept where it has one)."""
    return [p if p.label else p.labelled(initiative_field_label(p.path, form)) for p in problems]


def label_package_problems(problems: Sequence[Problem], doc: Any) -> list[Problem]:
    """The problems of a plan package, each with its field's label (kept where it has one)."""
    if not isinstance(doc, Mapping):
        return [p if p.label else p.labelled("計画パッケージ") for p in problems]
    return [p if p.label else p.labelled(package_field_label(p.path, doc)) for p in problems]
