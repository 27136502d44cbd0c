"""Validation of a parsed plan package: the JSON Schema first, then the rules between fields.

Every problem names the JSON path, the value found and what was expected. The schema carries
two keywords of its own: `x-text` ("line" or "lines": which characters a string may hold) and
`x-number` (the digits a figure's value may have); see FORMAT.md, "Limits".
"""

from __future__ import annotations

import json
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
from dxplan.problems import Problem, json_path, printable, shown
from dxplan.tenancy.rules import PREFECTURES, municipality_code_problem

SCHEMA_RESOURCE = "dxplan-package-1.schema.json"

_JSON_TYPES = {
    dict: "an object",
    list: "an array",
    str: "a string",
    bool: "a boolean",
    int: "a number",
    float: "a number",
    Decimal: "a number written with a decimal point or an exponent",
    type(None): "null",
}
_TYPE_WORDS = {
    "object": "an object",
    "array": "an array",
    "string": "a string",
    "boolean": "true or false",
    "integer": "a whole number",
    "number": "a number",
    "null": "null",
}
# error.message of jsonschema quotes the instance: never echoed longer than this.
_MAX_MESSAGE = 200


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
    return f"{shown(value)} ({_kind(value)})"


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
    return f"the required field {name!r}" + (f": {described}" if described else "")


def _expected(error: ValidationError, schema: dict[str, Any]) -> str:
    """What a failed keyword expected, in words."""
    validator = str(error.validator)
    if validator == "x-text" or validator == "x-number":
        return error.message
    if validator == "maxLength":
        return f"at most {error.validator_value} characters"
    expected = schema.get("x-expected")
    if isinstance(expected, str):
        return expected
    if validator == "type":
        return " or ".join(_TYPE_WORDS.get(t, t) for t in _names(error.validator_value))
    if validator == "minItems":
        return f"at least {error.validator_value} item(s)"
    message = printable(error.message)
    return message if len(message) <= _MAX_MESSAGE else message[: _MAX_MESSAGE - 1] + "…"


def _text_detail(error: ValidationError) -> str:
    """Which character of a string broke its x-text rule, and where."""
    problem = text_problem(str(error.instance), multiline=error.validator_value == "lines")
    return problem[0] if problem else "a character not allowed"


def _schema_problem(error: ValidationError) -> list[Problem]:
    parts: list[str | int] = list(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    instance: Any = error.instance
    validator = str(error.validator)
    if "propertyNames" in error.absolute_schema_path:
        found = f"the key {shown(instance)}"
        if validator == "x-text":
            found += f" ({_text_detail(error)})"
        return [Problem(json_path(parts), found, _expected(error, schema))]
    if validator == "required":
        missing = [name for name in _names(error.validator_value) if name not in instance]
        return [
            Problem(
                json_path([*parts, name]),
                "nothing (the field is missing)",
                _required_expected(schema, name),
            )
            for name in missing
        ]
    if validator == "additionalProperties":
        allowed = set(schema.get("properties", {}))
        return [
            Problem(
                json_path([*parts, name]),
                f"the unknown field {shown(name)}",
                "only the fields of dxplan-package/1 (see FORMAT.md)",
            )
            for name in instance
            if name not in allowed
        ]
    found = _found(instance)
    if validator == "x-text":
        found = f"{shown(instance)} ({_text_detail(error)})"
    elif validator == "maxLength" and isinstance(instance, str):
        found = f"{shown(instance)} ({len(instance):,} characters)"
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
                found = f"arrays and objects nested over {MAX_DEPTH} levels deep"
                return [Problem(json_path(parts), found, DEPTH_EXPECTED)]
            items = node.items() if isinstance(node, dict) else enumerate(node)
            stack.extend(reversed([((*parts, k), v) for k, v in items]))
        elif isinstance(node, float | Decimal) and not Decimal(node).is_finite():
            problems.append(Problem(json_path(parts), _found(node), "a finite number"))
    return problems


def validate_package(doc: Any) -> list[Problem]:
    """Every problem of the document; empty when it can be imported."""
    if not isinstance(doc, dict):
        return [Problem("$", _found(doc), "an object (a plan package)")]
    problems = structure_problems(doc)
    if problems:
        return problems
    if doc.get("format") != FORMAT:
        found = "nothing" if "format" not in doc else shown(doc["format"])
        return [Problem("$.format", found, f'"{FORMAT}" (the only format version supported)')]
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
        return [Problem("$", _found(item), "an object (an initiative)")]
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
    others = {c: s for c, s in successors.items() if c != current["code"]}
    if code in others:
        yield Problem("$.code", shown(code), "a code not used by another initiative of the plan")
    sections = {s["code"]: i for i, s in enumerate(plan_doc["sections"])}
    initiatives = {c: i for i, c in enumerate([*others, code])}
    yield from _initiative_problems(item, (), sections, initiatives, _scales(plan_doc["plan"]))
    successor_of: dict[str, str | None] = dict(others)
    successor_of[code] = item.get("terminated", {}).get("successor")
    for cycle in _cycles(successor_of):
        if code in cycle:
            yield Problem(
                "$.terminated.successor",
                shown(successor_of[code]) + ", making a cycle " + " → ".join(cycle),
                "a chain of successors that ends: no initiative may succeed itself",
            )
    yield from _initiative_uid_problems(item, current)
    prefix = json_path(("initiatives", 0))
    for problem in figure_problems({"initiatives": [item]}):
        yield Problem("$" + problem.path.removeprefix(prefix), problem.found, problem.expected)


def _initiative_uid_problems(item: dict[str, Any], current: dict[str, Any]) -> Iterator[Problem]:
    if "uid" in item and item["uid"] != current.get("uid"):
        yield Problem("$.uid", shown(item["uid"]), f'"{current.get("uid")}", its own uid')
    for name in ("activities", "indicators", "goals"):
        known = {child.get("uid") for child in current.get(name, [])}
        seen: set[str] = set()
        for index, child in enumerate(item.get(name, [])):
            uid = child.get("uid")
            if uid is None:
                continue
            path = json_path((name, index, "uid"))
            if uid in seen:
                yield Problem(path, shown(uid), "a uid used once")
            elif uid not in known:
                expected = f"the uid of one of the initiative's {name}, or none for a new one"
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
            f'"{prefecture}" (the prefecture of code {code})',
        )


def _period_problems(period: dict[str, int], parts: tuple[str | int, ...]) -> Iterator[Problem]:
    if period["start_fy"] > period["end_fy"]:
        yield Problem(
            json_path(parts),
            f"start_fy {period['start_fy']} after end_fy {period['end_fy']}",
            "start_fy <= end_fy",
        )


def _date_problems(value: str, parts: tuple[str | int, ...]) -> Iterator[Problem]:
    pieces = [int(p) for p in value.split("-")]
    try:
        date(pieces[0], pieces[1] if len(pieces) > 1 else 1, pieces[2] if len(pieces) > 2 else 1)
    except ValueError:
        yield Problem(json_path(parts), shown(value), "a date that exists (YYYY-MM-DD or YYYY-MM)")


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
                yield Problem(json_path(parts), shown(entry["label"]), "a label used once")
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
            where = "an ordered label of the achievement scale"
            yield Problem(
                json_path((*at, "threshold")), shown(threshold), f"no threshold but on {where}"
            )
        elif threshold is not None and previous is not None and threshold >= previous[1]:
            yield Problem(
                json_path((*at, "threshold")),
                shown(threshold),
                f"a threshold below the better label's ({shown(previous[1])} at "
                f"{json_path(('plan', 'scales', kind, previous[0], 'threshold'))})",
            )
        if threshold is not None and not apart and kind == "achievement":
            previous = (index, threshold)
        if entry.get("on_track") and (kind != "progress" or apart):
            yield Problem(
                json_path((*at, "on_track")),
                "true",
                "on_track only on an ordered label of the progress scale",
            )


def _unique_codes(items: list[dict[str, Any]], name: str) -> Iterator[Problem]:
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        code = item["code"]
        if code in first:
            yield Problem(
                json_path((name, index, "code")),
                shown(code),
                f"a code not used before (already at {json_path((name, first[code]))})",
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
                f"a term not used before (already at {json_path(('glossary', first[term]))})",
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
                "the code of a section in $.sections, or null",
            )
            parent = None
        parent_of.setdefault(section["code"], parent)
    for cycle in _cycles(parent_of):
        yield Problem(
            json_path(("sections", index_of[cycle[0]], "parent")),
            "a cycle " + " → ".join(cycle),
            "a tree: no section may be its own ancestor",
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
            shown(cycle[1]) + ", making a cycle " + " → ".join(cycle),
            "a chain of successors that ends: no initiative may succeed itself",
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
                f"a uid not used before in the package (already at {first[uid]})",
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
        yield Problem(
            json_path((*parts, "section")), shown(item["section"]), "the code of a section"
        )
    if "period" in item:
        yield from _period_problems(item["period"], (*parts, "period"))
    successor = item.get("terminated", {}).get("successor")
    if successor is not None and (successor not in initiatives or successor == item["code"]):
        yield Problem(
            json_path((*parts, "terminated", "successor")),
            shown(successor),
            "the code of another initiative in $.initiatives",
        )
    for role in ("lead_departments", "related_departments", "implementing_departments"):
        names = item.get(role, [])
        for index, name in enumerate(names):
            if name in names[:index]:
                yield Problem(json_path((*parts, role, index)), shown(name), "each department once")
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
                    "a label of the plan's progress scale: " + " / ".join(scales["progress"]),
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
                f"the last year of target_period ({period['end_fy']})",
            )
    label = goal.get("achievement")
    if label is not None and label not in achievement:
        yield Problem(
            json_path((*parts, "achievement")),
            shown(label),
            "a label of the plan's achievement scale: " + " / ".join(achievement) + ", or null",
        )


def _year_key_problems(mapping: dict[str, Any], parts: tuple[str | int, ...]) -> Iterator[Problem]:
    for key in mapping:
        try:
            fiscal.parse_fy_key(key)
        except fiscal.FiscalYearError as exc:
            yield Problem(
                json_path((*parts, key)),
                f"the key {shown(key)}",
                exc.expected.removeprefix("expected "),
            )
