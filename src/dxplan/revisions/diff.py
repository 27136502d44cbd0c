"""What changed between two package forms of a plan (two revisions of it); standard library only.

Sections, initiatives and indicators are matched by their `uid` where both forms carry one, else
by code (an indicator by its name), so that a snapshot taken without uids (an imported package)
compares with one taken with them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any


@dataclass(frozen=True)
class InitiativeRef:
    """An initiative by its code and title."""

    code: str
    title: str


@dataclass(frozen=True)
class EndedInitiative:
    """An initiative terminated (【計画終了】) or removed from the plan."""

    code: str
    title: str
    removed: bool
    reason: str | None = None
    successor: str | None = None


@dataclass(frozen=True)
class Retitled:
    """An initiative with a new title."""

    code: str
    old_title: str
    new_title: str


@dataclass(frozen=True)
class TargetChange:
    """A target (目標値) of an indicator for a fiscal year (key "2025" or "2020-2023"), as
    printed; None where there was none or is none any more."""

    code: str
    indicator: str
    fiscal_year: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class SectionRef:
    """A section by its code and title."""

    code: str
    title: str


@dataclass(frozen=True)
class SectionMove:
    """A section under another parent, or in another place among its siblings."""

    code: str
    title: str
    old_parent: str | None
    new_parent: str | None


@dataclass(frozen=True)
class PackageDiff:
    """The differences between two package forms of a plan that a revision history tells."""

    added: list[InitiativeRef] = field(default_factory=list)
    ended: list[EndedInitiative] = field(default_factory=list)
    retitled: list[Retitled] = field(default_factory=list)
    targets: list[TargetChange] = field(default_factory=list)
    sections_added: list[SectionRef] = field(default_factory=list)
    sections_moved: list[SectionMove] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.added,
                self.ended,
                self.retitled,
                self.targets,
                self.sections_added,
                self.sections_moved,
            )
        )


Item = dict[str, Any]


def match_items(
    old: Sequence[Item], new: Sequence[Item], key: str = "code"
) -> list[tuple[Item | None, Item]]:
    """Each new item with the old item it is (None: a new one): by `uid` where both have one,
    else by `key`. An old item is matched at most once."""
    by_uid = {item["uid"]: item for item in old if item.get("uid")}
    by_key: dict[Any, list[Item]] = {}
    for item in old:
        by_key.setdefault(item.get(key), []).append(item)
    taken: set[int] = set()
    pairs: list[tuple[Item | None, Item]] = []
    for item in new:
        uid = item.get("uid")
        candidates = [by_uid[uid]] if uid in by_uid else by_key.get(item.get(key), [])
        found = next(
            (
                c
                for c in candidates
                if id(c) not in taken and (c.get("uid") is None or uid is None or c["uid"] == uid)
            ),
            None,
        )
        if found is not None:
            taken.add(id(found))
        pairs.append((found, item))
    return pairs


def diff_packages(old: dict[str, Any], new: dict[str, Any]) -> PackageDiff:
    """What `new` adds, ends, retitles, retargets and moves compared with `old`."""
    diff = PackageDiff()
    pairs = match_items(old.get("initiatives", []), new.get("initiatives", []))
    matched = {id(o) for o, _ in pairs if o is not None}
    for before, after in pairs:
        _initiative(diff, before, after)
    for item in old.get("initiatives", []):
        if id(item) not in matched:
            diff.ended.append(EndedInitiative(item["code"], item["title"], removed=True))
    _sections(diff, old.get("sections", []), new.get("sections", []))
    return diff


def _initiative(diff: PackageDiff, before: Item | None, after: Item) -> None:
    code, title = after["code"], after["title"]
    if before is None:
        diff.added.append(InitiativeRef(code, title))
        return
    if before["title"] != title:
        diff.retitled.append(Retitled(code, before["title"], title))
    ended = after.get("terminated")
    if ended is not None and before.get("terminated") is None:
        diff.ended.append(
            EndedInitiative(code, title, False, ended.get("reason"), ended.get("successor"))
        )
    diff.targets.extend(_targets(code, before.get("indicators", []), after.get("indicators", [])))


def _targets(code: str, old: Sequence[Item], new: Sequence[Item]) -> Iterator[TargetChange]:
    pairs = match_items(old, new, key="name")
    matched = {id(o) for o, _ in pairs if o is not None}
    gone = [(item, None) for item in old if id(item) not in matched]
    for before, after in [*pairs, *gone]:
        indicator = (after or before or {})["name"]
        old_targets = (before or {}).get("targets", {})
        new_targets = (after or {}).get("targets", {})
        for key in sorted({*old_targets, *new_targets}):
            was, now = old_targets.get(key), new_targets.get(key)
            if _figure_key(was) != _figure_key(now):
                yield TargetChange(code, indicator, key, _text(was), _text(now))


def _figure_key(figure: Item | None) -> tuple[Any, ...] | None:
    if figure is None:
        return None
    return (figure.get("text"), _number(figure.get("value")), figure.get("op"), figure.get("unit"))


def _number(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return value
    try:
        return Decimal(str(value))
    except InvalidOperation:  # pragma: no cover - str() of a number is a number
        return value


def _text(figure: Item | None) -> str | None:
    return None if figure is None else str(figure.get("text", figure.get("value")))


def _sections(diff: PackageDiff, old: Sequence[Item], new: Sequence[Item]) -> None:
    pairs = match_items(old, new)
    # An old parent's code as the code its section has in `new`.
    renamed = {o["code"]: n["code"] for o, n in pairs if o is not None}
    siblings: dict[str | None, list[tuple[int, Item]]] = {}
    old_index = {id(item): i for i, item in enumerate(old)}
    for before, after in pairs:
        if before is None:
            diff.sections_added.append(SectionRef(after["code"], after["title"]))
            continue
        old_parent = renamed.get(before.get("parent") or "", before.get("parent"))
        if old_parent != after.get("parent"):
            diff.sections_moved.append(
                SectionMove(after["code"], after["title"], old_parent, after.get("parent"))
            )
        else:
            siblings.setdefault(old_parent, []).append((old_index[id(before)], after))
    for group in siblings.values():
        for moved in _out_of_order(group):
            parent = moved.get("parent")
            diff.sections_moved.append(SectionMove(moved["code"], moved["title"], parent, parent))


def _out_of_order(group: list[tuple[int, Item]]) -> list[Item]:
    """The items (in their new order, with their old index) that left the longest run kept in
    the old order: the fewest that moved."""
    best: list[list[int]] = []  # best[i]: the longest increasing run ending at i (positions)
    for i, (index, _) in enumerate(group):
        run = max((best[j] for j in range(i) if group[j][0] < index), key=len, default=[])
        best.append([*run, i])
    longest: list[int] = max(best, key=len) if best else []
    kept = set(longest)
    return [item for i, (_, item) in enumerate(group) if i not in kept]
