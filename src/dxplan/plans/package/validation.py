"""Validation of a parsed plan package: the JSON Schema first, then the rules between fields.

Every problem names the JSON path, the value found and what was expected. The schema carries
two keywords of its own: `x-text` ("line" or "lines": which characters a string may hold) and
`x-number` (the digits a figure's value may have); see FORMAT.md, "Limits".
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from jsonschema.protocols import Validator
from jsonschema.validators import extend

from dxplan import fiscal
from dxplan.plans.package.figure_checks import figure_problems
from dxplan.plans.package.form import FORMAT
from dxplan.plans.package.values import DEPTH_EXPECTED, MAX_DEPTH, number_problem, text_problem
from dxplan.plans.rules import DEFAULT_SCALES
from dxplan.problems import Problem, json_path, shown
from dxplan.tenancy.rules import PREFECTURES, municipality_code_problem

SCHEMA_RESOURCE = "dxplan-package-1.schema.json"

_JSON_TYPES = {
    dict: "オブジェクト",
    list: "配列",
    str: "文字列",
    bool: "真偽値",
    int: "数値",
    float: "数値",
    Decimal: "小数点または指数で書かれた数値",
    type(None): "null",
}
_TYPE_WORDS = {
    "object": "オブジェクト",
    "array": "配列",
    "string": "文字列",
    "boolean": "true または false",
    "integer": "整数",
    "number": "数値",
    "null": "null",
}
_YEAR_KEY_EXPECTED = (
    f"2021 のような4桁の年度、または 2020-2023 のような年度の期間"
    f"（{fiscal.MIN_FY}〜{fiscal.MAX_FY}年度、期間は開始が終了より前）"
)
_YEAR_KEY = re.compile(r"([0-9]{4})(?:-([0-9]{4}))?")


def _year_key_expected(key: str) -> str:
    """What a per-year key that is not one should be, in words."""
    match = _YEAR_KEY.fullmatch(key)
    if match is None:
        return _YEAR_KEY_EXPECTED
    start, end = int(match[1]), int(match[2] or match[1])
    if not (fiscal.MIN_FY <= start <= fiscal.MAX_FY and fiscal.MIN_FY <= end <= fiscal.MAX_FY):
        return f"{fiscal.MIN_FY}〜{fiscal.MAX_FY}年度の年度"
    if end < start:
        return f"開始が終了より前の期間（{end}-{start}）"
    return f"1年度だけのキーは「{start}」（期間の形ではなく）"


_CHILDREN = {"activities": "取組活動", "indicators": "指標", "goals": "目標"}


@cache
def package_schema() -> dict[str, Any]:
    """The JSON Schema of dxplan-package/1, shipped inside the package."""
    text = resources.files("dxplan.plans.package").joinpath("schema", SCHEMA_RESOURCE).read_text()
    schema: dict[str, Any] = json.loads(text)
    return schema


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _x_text(validator: Validator, kind: str, instance: Any, schema: dict[str, Any]) -> Any:
    if isinstance(instance, str):
        problem = text_problem(instance, multiline=kind == "lines")
        if problem is not None:
            yield ValidationError(problem[1])


def _x_number(validator: Validator, limits: Any, instance: Any, schema: dict[str, Any]) -> Any:
    if _is_number(instance):
        expected = number_problem(instance)
        if expected is not None:
            yield ValidationError(expected)


def _is_integer(checker: Any, instance: Any) -> bool:
    """Only an int is a whole number: not 2021.0, not Decimal("2.021E+3")."""
    return isinstance(instance, int) and not isinstance(instance, bool)


# types-jsonschema leaves extend() untyped; it returns a subclass of the validator it extends.
_PackageValidator: type[Draft202012Validator] = extend(  # type: ignore[no-untyped-call]
    Draft202012Validator,
    validators={"x-text": _x_text, "x-number": _x_number},
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer),
)


@cache
def _validator() -> Draft202012Validator:
    return _PackageValidator(package_schema())


def _kind(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _found(value: Any) -> str:
    if isinstance(value, dict | list):
        return _kind(value)
    return f"{shown(value)}（{_kind(value)}）"


def _names(value: Any) -> list[str]:
    """A schema keyword's value as a list of names ("type": "string" or ["string", "null"])."""
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        resolved: dict[str, Any] = package_schema()["$defs"][ref.removeprefix("#/$defs/")]
        return _resolve(resolved)
    return node


def _required_expected(schema: dict[str, Any], name: str) -> str:
    node = _resolve(schema.get("properties", {}).get(name, {}))
    described = node.get("x-expected")
    return f"必須の項目「{name}」" + (f"：{described}" if described else "")


def _expected(error: ValidationError, schema: dict[str, Any]) -> str:
    """What a failed keyword expected, in words."""
    validator = str(error.validator)
    if validator == "x-text" or validator == "x-number":
        return error.message
    if validator == "maxLength":
        return f"{error.validator_value:,}文字以内"
    expected = schema.get("x-expected")
    if isinstance(expected, str):
        return expected
    if validator == "type":
        return "または".join(_TYPE_WORDS.get(t, t) for t in _names(error.validator_value))
    return _keyword_expected(validator, error.validator_value)


def _keyword_expected(validator: str, value: Any) -> str:
    """What a JSON Schema keyword without an `x-expected` of its own asks for, in words."""
    if validator == "minItems":
        return f"{value}件以上の配列"
    if validator == "maxItems":
        return f"{value}件以内の配列"
    if validator == "minLength":
        return "空でない文字列" if value == 1 else f"{value}文字以上の文字列"
    if validator == "minimum":
        return f"{shown(value)}以上の数値"
    if validator == "maximum":
        return f"{shown(value)}以下の数値"
    if validator == "enum" and isinstance(value, list):
        return "次のいずれか：" + "、".join(shown(v) for v in value)
    if validator == "const":
        return shown(value)
    if validator == "uniqueItems":
        return "同じ値を二度含まない配列"
    return "FORMAT.md に定める形の値"


def _text_detail(error: ValidationError) -> str:
    """Which character of a string broke its x-text rule, and where."""
    problem = text_problem(str(error.instance), multiline=error.validator_value == "lines")
    return problem[0] if problem else "使えない文字"


def _schema_problem(error: ValidationError) -> list[Problem]:
    parts: list[str | int] = list(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    instance: Any = error.instance
    validator = str(error.validator)
    if "propertyNames" in error.absolute_schema_path:
        found = f"キー {shown(instance)}"
        if validator == "x-text":
            found += f"（{_text_detail(error)}）"
        return [Problem(json_path(parts), found, _expected(error, schema))]
    if validator == "required":
        missing = [name for name in _names(error.validator_value) if name not in instance]
        return [
            Problem(
                json_path([*parts, name]),
                "なし（項目がありません）",
                _required_expected(schema, name),
            )
            for name in missing
        ]
    if validator == "additionalProperties":
        allowed = set(schema.get("properties", {}))
        return [
            Problem(
                json_path([*parts, name]),
                f"不明な項目 {shown(name)}",
                "dxplan-package/1 の項目だけ（FORMAT.md を参照）",
            )
            for name in instance
            if name not in allowed
        ]
    found = _found(instance)
    if validator == "x-text":
        found = f"{shown(instance)}（{_text_detail(error)}）"
    elif validator == "maxLength" and isinstance(instance, str):
        found = f"{shown(instance)}（{len(instance):,}文字）"
    return [Problem(json_path(parts), found, _expected(error, schema))]


def schema_problems(doc: Any) -> list[Problem]:
    """Problems against the JSON Schema, sorted by path."""
    found: list[tuple[Problem, bool]] = []
    for error in _validator().iter_errors(doc):
        found.extend((p, error.validator == "x-text") for p in _schema_problem(error))
    # A string with a character it may not hold may fail its pattern or length too: say why once.
    bad_text = {p.path for p, is_text in found if is_text}
    kept = [p for p, is_text in found if is_text or p.path not in bad_text]
    unique = {(p.path, p.found, p.expected): p for p in kept}
    return sorted(unique.values(), key=lambda p: p.path)


def structure_problems(doc: Any) -> list[Problem]:
    """Nesting deeper than MAX_DEPTH and non-finite numbers, found without recursion."""
    problems: list[Problem] = []
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), doc)]
    while stack:
        parts, node = stack.pop()
        if isinstance(node, dict | list):
            if len(parts) >= MAX_DEPTH:
                found = f"{MAX_DEPTH}段を超えて入れ子になった配列とオブジェクト"
                return [Problem(json_path(parts), found, DEPTH_EXPECTED)]
            items = node.items() if isinstance(node, dict) else enumerate(node)
            stack.extend(reversed([((*parts, k), v) for k, v in items]))
        elif isinstance(node, float | Decimal) and not Decimal(node).is_finite():
            problems.append(Problem(json_path(parts), _found(node), "有限の数値"))
    return problems


def validate_package(doc: Any) -> list[Problem]:
    """Every problem of the document; empty when it can be imported."""
    if not isinstance(doc, dict):
        return [Problem("$", _found(doc), "オブジェクト（計画パッケージ）")]
    problems = structure_problems(doc)
    if problems:
        return problems
    if doc.get("format") != FORMAT:
        found = "なし" if "format" not in doc else shown(doc["format"])
        return [Problem("$.format", found, f"「{FORMAT}」（対応している唯一の形式）")]
    problems = schema_problems(doc)
    if problems:
        return problems
    return list(_rule_problems(doc))


@cache
def _initiative_validator() -> Draft202012Validator:
    schema = package_schema()
    return _PackageValidator(
        {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": "#/$defs/initiative"}
    )


def initiative_problems(
    plan_doc: dict[str, Any],
    item: Any,
    current: dict[str, Any],
    successors: Mapping[str, str | None],
) -> list[Problem]:
    """Every problem of `item` as the new package form of the initiative whose form (with uids)
    is `current`; empty when it can be stored.

    `plan_doc` is the plan's package without initiatives (its `plan` and `sections`), and
    `successors` maps the code of each initiative of the plan to its successor's code (None
    without one). Paths start at the initiative: `$.indicators[1].actuals.2023.value`. A uid,
    where given, must be the initiative's own, or one of the children in that list.
    """
    if not isinstance(item, dict):
        return [Problem("$", _found(item), "オブジェクト（取組）")]
    problems = structure_problems(item)
    if problems:
        return problems
    found: list[Problem] = []
    for error in _initiative_validator().iter_errors(item):
        found.extend(_schema_problem(error))
    if found:
        return sorted({(p.path, p.found, p.expected): p for p in found}.values(), key=_by_path)
    return list(_initiative_rule_problems(plan_doc, item, current, successors))


def _by_path(problem: Problem) -> str:
    return problem.path


def _initiative_rule_problems(
    plan_doc: dict[str, Any],
    item: dict[str, Any],
    current: dict[str, Any],
    successors: Mapping[str, str | None],
) -> Iterator[Problem]:
    code = item["code"]
    others = {c: s for c, s in successors.items() if c != current.get("code")}
    if code in others:
        yield Problem("$.code", shown(code), "計画のほかの取組で使われていないコード")
    sections = {s["code"]: i for i, s in enumerate(plan_doc["sections"])}
    initiatives = {c: i for i, c in enumerate([*others, code])}
    yield from _initiative_problems(item, (), sections, initiatives, _scales(plan_doc["plan"]))
    successor_of: dict[str, str | None] = dict(others)
    successor_of[code] = item.get("terminated", {}).get("successor")
    for cycle in _cycles(successor_of):
        if code in cycle:
            yield Problem(
                "$.terminated.successor",
                shown(successor_of[code]) + "（" + " → ".join(cycle) + " と循環します）",
                "終わりのある後継のつながり（取組は自分自身の後継になれません）",
            )
    yield from _initiative_uid_problems(item, current)
    prefix = json_path(("initiatives", 0))
    for problem in figure_problems({"initiatives": [item]}):
        yield Problem("$" + problem.path.removeprefix(prefix), problem.found, problem.expected)


def _initiative_uid_problems(item: dict[str, Any], current: dict[str, Any]) -> Iterator[Problem]:
    if "uid" in item and item["uid"] != current.get("uid"):
        yield Problem("$.uid", shown(item["uid"]), f"この取組のuid「{current.get('uid')}」")
    for name in ("activities", "indicators", "goals"):
        known = {child.get("uid") for child in current.get(name, [])}
        seen: set[str] = set()
        for index, child in enumerate(item.get(name, [])):
            uid = child.get("uid")
            if uid is None:
                continue
            path = json_path((name, index, "uid"))
            if uid in seen:
                yield Problem(path, shown(uid), "一度だけ使われるuid")
            elif uid not in known:
                expected = f"この取組の{_CHILDREN[name]}のuid（新しく加えるならuidなし）"
                yield Problem(path, shown(uid), expected)
            seen.add(uid)


def _rule_problems(doc: dict[str, Any]) -> Iterator[Problem]:
    yield from _municipality_problems(doc["municipality"])
    plan = doc["plan"]
    yield from _period_problems(plan["period"], ("plan", "period"))
    if "published" in plan:
        yield from _date_problems(plan["published"], ("plan", "published"))
    scales = _scales(plan)
    yield from _scale_problems(plan)
    sections = {s["code"]: i for i, s in enumerate(doc["sections"])}
    yield from _unique_codes(doc["sections"], "sections")
    yield from _section_tree_problems(doc["sections"], sections)
    initiatives = {item["code"]: i for i, item in enumerate(doc["initiatives"])}
    yield from _unique_codes(doc["initiatives"], "initiatives")
    yield from _successor_cycles(doc["initiatives"], initiatives)
    yield from _unique_uids(doc)
    for index, item in enumerate(doc["initiatives"]):
        yield from _initiative_problems(item, ("initiatives", index), sections, initiatives, scales)
    for index, revision in enumerate(doc.get("revisions", [])):
        yield from _date_problems(revision["date"], ("revisions", index, "date"))
    yield from _unique_terms(doc.get("glossary", []))
    yield from figure_problems(doc)


def _municipality_problems(municipality: dict[str, Any]) -> Iterator[Problem]:
    code = municipality["code"]
    reason = municipality_code_problem(code)
    if reason:
        yield Problem("$.municipality.code", shown(code), reason)
        return
    prefecture = PREFECTURES[code[:2]]
    if municipality["prefecture"] != prefecture:
        yield Problem(
            "$.municipality.prefecture",
            shown(municipality["prefecture"]),
            f"「{prefecture}」（団体コード{code}の都道府県）",
        )


def _period_problems(period: dict[str, int], parts: tuple[str | int, ...]) -> Iterator[Problem]:
    if period["start_fy"] > period["end_fy"]:
        yield Problem(
            json_path(parts),
            f"開始年度 {period['start_fy']} が終了年度 {period['end_fy']} より後",
            "開始年度が終了年度以前の期間",
        )


def _date_problems(value: str, parts: tuple[str | int, ...]) -> Iterator[Problem]:
    pieces = [int(p) for p in value.split("-")]
    try:
        date(pieces[0], pieces[1] if len(pieces) > 1 else 1, pieces[2] if len(pieces) > 2 else 1)
    except ValueError:
        yield Problem(json_path(parts), shown(value), "実在する日付（YYYY-MM-DD または YYYY-MM）")


def _scales(plan: dict[str, Any]) -> dict[str, list[str]]:
    declared = plan.get("scales", {})
    return {
        kind: [entry["label"] for entry in declared.get(kind, default)]
        for kind, default in DEFAULT_SCALES.items()
    }


def _scale_problems(plan: dict[str, Any]) -> Iterator[Problem]:
    for kind, entries in plan.get("scales", {}).items():
        seen: set[str] = set()
        for index, entry in enumerate(entries):
            if entry["label"] in seen:
                parts = ("plan", "scales", kind, index, "label")
                yield Problem(json_path(parts), shown(entry["label"]), "一度だけ使われる区分名")
            seen.add(entry["label"])
        yield from _scale_flag_problems(kind, entries)


def _scale_flag_problems(kind: str, entries: list[dict[str, Any]]) -> Iterator[Problem]:
    """Thresholds on the achievement scale only, falling from the best ordered label down;
    `on_track` on the progress scale only; neither on a label outside the order."""
    previous: tuple[int, Any] | None = None
    for index, entry in enumerate(entries):
        at = ("plan", "scales", kind, index)
        threshold = entry.get("threshold")
        apart = entry.get("outside_order", False)
        if threshold is not None and (kind != "achievement" or apart):
            yield Problem(
                json_path((*at, "threshold")),
                shown(threshold),
                "しきい値なし（しきい値は達成状況の順序のある区分だけに付けます）",
            )
        elif threshold is not None and previous is not None and threshold >= previous[1]:
            yield Problem(
                json_path((*at, "threshold")),
                shown(threshold),
                f"一つ上の区分のしきい値（{shown(previous[1])}、"
                f"{json_path(('plan', 'scales', kind, previous[0], 'threshold'))}）より小さい値",
            )
        if threshold is not None and not apart and kind == "achievement":
            previous = (index, threshold)
        if entry.get("on_track") and (kind != "progress" or apart):
            yield Problem(
                json_path((*at, "on_track")),
                "true",
                "on_track は進捗状況の順序のある区分だけに付けます",
            )


def _unique_codes(items: list[dict[str, Any]], name: str) -> Iterator[Problem]:
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        code = item["code"]
        if code in first:
            yield Problem(
                json_path((name, index, "code")),
                shown(code),
                f"まだ使われていないコード（{json_path((name, first[code]))} で使われています）",
            )
        else:
            first[code] = index


def _unique_terms(entries: list[dict[str, Any]]) -> Iterator[Problem]:
    first: dict[str, int] = {}
    for index, entry in enumerate(entries):
        term = entry["term"]
        if term in first:
            yield Problem(
                json_path(("glossary", index, "term")),
                shown(term),
                f"まだ使われていない用語（{json_path(('glossary', first[term]))} にあります）",
            )
        else:
            first[term] = index


def _cycles(successor_of: dict[str, str | None]) -> Iterator[list[str]]:
    """Each cycle of a code → code mapping once, as the codes in order, the first repeated."""
    reported: set[str] = set()
    for code in successor_of:
        chain: list[str] = []
        current: str | None = code
        while current is not None and current not in chain:
            chain.append(current)
            current = successor_of.get(current)
        if current is not None and current not in reported:
            cycle = chain[chain.index(current) :]
            reported.update(cycle)
            yield [*cycle, current]


def _section_tree_problems(
    sections: list[dict[str, Any]], index_of: dict[str, int]
) -> Iterator[Problem]:
    parent_of: dict[str, str | None] = {}
    for index, section in enumerate(sections):
        parent = section.get("parent")
        if parent is not None and parent not in index_of:
            yield Problem(
                json_path(("sections", index, "parent")),
                shown(parent),
                "計画の区分（$.sections）のコード、またはnull",
            )
            parent = None
        parent_of.setdefault(section["code"], parent)
    for cycle in _cycles(parent_of):
        yield Problem(
            json_path(("sections", index_of[cycle[0]], "parent")),
            " → ".join(cycle) + " の循環",
            "木構造（区分は自分自身の上位になれません）",
        )


def _successor_cycles(
    initiatives: list[dict[str, Any]], index_of: dict[str, int]
) -> Iterator[Problem]:
    """A chain of successors must end: A → B → A cannot be written (nor imported)."""
    successor_of: dict[str, str | None] = {}
    for item in initiatives:
        successor = item.get("terminated", {}).get("successor")
        known = successor in index_of and successor != item["code"]
        successor_of.setdefault(item["code"], successor if known else None)
    for cycle in _cycles(successor_of):
        yield Problem(
            json_path(("initiatives", index_of[cycle[0]], "terminated", "successor")),
            shown(cycle[1]) + "（" + " → ".join(cycle) + " と循環します）",
            "終わりのある後継のつながり（取組は自分自身の後継になれません）",
        )


def _uid_holders(doc: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], dict[str, Any]]]:
    """Every object that may carry a uid, with its path, in document order."""
    yield ("plan",), doc["plan"]
    for index, section in enumerate(doc["sections"]):
        yield ("sections", index), section
    for index, item in enumerate(doc["initiatives"]):
        yield ("initiatives", index), item
        for name in ("activities", "indicators", "goals"):
            for position, child in enumerate(item.get(name, [])):
                yield ("initiatives", index, name, position), child


def _unique_uids(doc: dict[str, Any]) -> Iterator[Problem]:
    first: dict[str, str] = {}
    for parts, holder in _uid_holders(doc):
        uid = holder.get("uid")
        if uid is None:
            continue
        if uid in first:
            yield Problem(
                json_path((*parts, "uid")),
                shown(uid),
                f"パッケージでまだ使われていないuid（{first[uid]} で使われています）",
            )
        else:
            first[uid] = json_path((*parts, "uid"))


def _initiative_problems(
    item: dict[str, Any],
    parts: tuple[str | int, ...],
    sections: dict[str, int],
    initiatives: dict[str, int],
    scales: dict[str, list[str]],
) -> Iterator[Problem]:
    if item["section"] not in sections:
        yield Problem(json_path((*parts, "section")), shown(item["section"]), "計画の区分のコード")
    if "period" in item:
        yield from _period_problems(item["period"], (*parts, "period"))
    successor = item.get("terminated", {}).get("successor")
    if successor is not None and (successor not in initiatives or successor == item["code"]):
        yield Problem(
            json_path((*parts, "terminated", "successor")),
            shown(successor),
            "計画のほかの取組（$.initiatives）のコード",
        )
    for role in ("lead_departments", "related_departments", "implementing_departments"):
        names = item.get(role, [])
        for index, name in enumerate(names):
            if name in names[:index]:
                yield Problem(json_path((*parts, role, index)), shown(name), "一度だけ記載する課")
    for key in ("results", "fiscal_effects"):
        yield from _year_key_problems(item.get(key, {}), (*parts, key))
    for index, activity in enumerate(item.get("activities", [])):
        at = (*parts, "activities", index)
        for key in ("plan", "actual", "status"):
            yield from _year_key_problems(activity.get(key, {}), (*at, key))
        for fy, label in activity.get("status", {}).items():
            if label not in scales["progress"]:
                yield Problem(
                    json_path((*at, "status", fy)),
                    shown(label),
                    "計画の進捗状況の区分のいずれか：" + "、".join(scales["progress"]),
                )
    for index, indicator in enumerate(item.get("indicators", [])):
        at = (*parts, "indicators", index)
        for key in ("targets", "actuals"):
            yield from _year_key_problems(indicator.get(key, {}), (*at, key))
    for index, goal in enumerate(item.get("goals", [])):
        yield from _goal_problems(goal, (*parts, "goals", index), scales["achievement"])


def _goal_problems(
    goal: dict[str, Any], parts: tuple[str | int, ...], achievement: list[str]
) -> Iterator[Problem]:
    period = goal.get("target_period")
    if period is not None:
        yield from _period_problems(period, (*parts, "target_period"))
        if "target_fy" in goal and goal["target_fy"] != period["end_fy"]:
            yield Problem(
                json_path((*parts, "target_fy")),
                shown(goal["target_fy"]),
                f"目標期間の最終年度（{period['end_fy']}）",
            )
    label = goal.get("achievement")
    if label is not None and label not in achievement:
        yield Problem(
            json_path((*parts, "achievement")),
            shown(label),
            "計画の達成状況の区分のいずれか：" + "、".join(achievement) + "（またはnull）",
        )


def _year_key_problems(mapping: dict[str, Any], parts: tuple[str | int, ...]) -> Iterator[Problem]:
    for key in mapping:
        try:
            fiscal.parse_fy_key(key)
        except fiscal.FiscalYearError:
            yield Problem(json_path((*parts, key)), f"キー {shown(key)}", _year_key_expected(key))
