"""The Japanese summary of what a revision changed in an initiative or a section; standard
library only.

A revision made in dxplan lists each initiative it added, changed or ended, with a summary
generated from the changes recorded in it (old → new in the package form), such as
「指標『利用率』の2025年度目標値を 50% → 60% に変更」. The DX division may rewrite it before
adoption.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Final

from dxplan.plans.rules import yearly_field

NEW_INITIATIVE: Final = "新規追加"

_NAMES: Final[dict[str, str]] = {
    "overview": "概要",
    "aims": "目指すもの",
    "priority": "重点取組事項の指定",
    "national_dx": "自治体DX推進計画との関連",
    "added_fy": "追加年度",
    "new_in_revision": "【新】の表示",
    "cross_listed": "【再掲】の表示",
    "also_listed_as": "再掲先",
    "references": "関連計画",
    "note": "備考",
    "lead_departments": "主管課",
    "related_departments": "関係課",
    "implementing_departments": "実施課",
    "period": "取組期間",
    "activities": "取組スケジュール",
    "goals": "目標",
    "fiscal_effects": "財政健全化効果額",
    "terminated": "計画終了の理由・後継",
}
_INDEXED = re.compile(r"^(?P<kind>\w+)\[[0-9]+\](?P<rest>.*)$")
_SILENT = frozenset({"stated_empty", "terminated"})


def net_changes(recorded: Iterable[Iterable[Mapping[str, Any]]]) -> list[dict[str, Any]]:
    """Changes recorded one after another (audit entries' `changes`) as one change per field:
    the first old value and the last new one; a field back where it was is left out.

    A field in a child with a uid is told by that uid, not by its position, which may shift.
    """
    merged: dict[tuple[str, str | None], dict[str, Any]] = {}
    for changes in recorded:
        for change in changes:
            uid = change.get("uid")
            path = _INDEXED.sub(r"\g<kind>\g<rest>", change["field"]) if uid else change["field"]
            key = (path, uid)
            if key in merged:
                merged[key]["new"] = change["new"]
            else:
                merged[key] = dict(change)
    return [change for change in merged.values() if change["old"] != change["new"]]


def termination_summary(reason: str | None, successor: str | None) -> str:
    """「廃止（後継: 1-2-(3)）理由: …」"""
    text = "廃止"
    if successor:
        text += f"（後継: {successor}）"
    if reason:
        text += f"{'' if successor else ' '}理由: {reason}"
    return text


def initiative_summary(changes: Iterable[Mapping[str, Any]], names: Mapping[str, str]) -> str:
    """What the (net, structural) changes of an initiative did, phrase by phrase; `names` are
    the current names of its indicators by uid."""
    phrases: list[str] = []
    for change in changes:
        if yearly_field(change["field"]):
            continue
        phrase = _phrase(change, names)
        if phrase and phrase not in phrases:
            phrases.append(phrase)
    return "。".join(phrases)


def section_summary(
    code: str, title: str, *, added: bool, parent: str | None, reparented: bool
) -> str:
    """「区分 1-4『…』を追加」, 「… を 2 の下に移動」, 「… の順序を変更」."""
    name = f"区分 {code}『{title}』"
    if added:
        return f"{name}を追加"
    if not reparented:
        return f"{name}の順序を変更"
    return f"{name}を{'最上位' if parent is None else f' {parent} の下'}に移動"


def _figure(value: Any) -> str:
    if isinstance(value, Mapping):
        return str(value.get("text", value.get("value")))
    return str(value)


def _fiscal_year(key: str) -> str:
    return f"{key.replace('-', '～')}年度"


def _phrase(change: Mapping[str, Any], names: Mapping[str, str]) -> str | None:
    field, old, new = change["field"], change["old"], change["new"]
    if field == "title":
        return f"取組名を『{new}』に変更"
    if field in ("code", "section"):
        what = "取組番号" if field == "code" else "区分"
        return f"{what}を {old} から {new} に変更"
    if field == "terminated" and old and not new:
        return "計画終了を取り消し"
    if field in _SILENT:
        return None
    indexed = _INDEXED.match(field)
    if indexed is not None and indexed["kind"] == "indicators":
        return _indicator_phrase(indexed["rest"], old, new, names.get(change.get("uid") or ""))
    if indexed is not None and indexed["kind"] == "activities" and not indexed["rest"]:
        return f"活動『{new}』を追加" if old is None else f"活動『{old}』を削除"
    top = re.split(r"[.\[]", field, maxsplit=1)[0]
    return f"{_NAMES.get(top, top)}を変更"


def _indicator_phrase(rest: str, old: Any, new: Any, name: str | None) -> str:
    if not rest:
        return f"指標『{new}』を追加" if old is None else f"指標『{old}』を削除"
    if rest == ".name":
        return f"指標名を『{old}』から『{new}』に変更"
    label = f"指標『{name}』" if name else "指標"
    if rest.startswith(".targets."):
        year = _fiscal_year(rest.removeprefix(".targets."))
        if old is None:
            return f"{label}の{year}目標値を {_figure(new)} に設定"
        if new is None:
            return f"{label}の{year}目標値（{_figure(old)}）を削除"
        return f"{label}の{year}目標値を {_figure(old)} → {_figure(new)} に変更"
    if rest.startswith(".baseline"):
        return f"{label}の現状値を変更"
    return f"{label}を変更"
