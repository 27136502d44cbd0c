"""Each figure of a package against its own text: the value (in the figure's unit) and the op.

A figure's ``value`` is the number in the figure's unit: the figure's own ``unit`` if it has
one; else, for an indicator's baseline, targets and actuals, the indicator's ``unit``; else, for
fiscal effects, 千円; else none (a published figure).  The text is read by
``dxplan.figures.parse_figure``; see ``dxplan.figures.contradiction`` for when they agree.

Run on a package that passed the JSON Schema checks.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from dxplan.figures import (
    convert,
    op_contradiction,
    parse_figure,
    value_contradiction,
)
from dxplan.problems import Problem, json_path, shown

FISCAL_EFFECT_UNIT = "千円"
"""The unit of ``fiscal_effects`` values: thousand yen, as the seeds print them."""

Path = tuple[str | int, ...]


def _figures(doc: Mapping[str, Any]) -> Iterator[tuple[Path, Mapping[str, Any], str | None]]:
    """Every figure of the package: its path, the figure, and the unit its value is in."""
    for i, initiative in enumerate(doc.get("initiatives") or []):
        for j, indicator in enumerate(initiative.get("indicators") or []):
            unit = indicator.get("unit")
            at: Path = ("initiatives", i, "indicators", j)
            baseline = indicator.get("baseline")
            if baseline is not None:
                yield (*at, "baseline"), baseline, unit
            for kind in ("targets", "actuals"):
                for key, figure in (indicator.get(kind) or {}).items():
                    yield (*at, kind, key), figure, unit
        for key, figure in (initiative.get("fiscal_effects") or {}).items():
            yield ("initiatives", i, "fiscal_effects", key), figure, FISCAL_EFFECT_UNIT
    for k, figure in enumerate(doc.get("published_figures") or []):
        yield ("published_figures", k), figure, None


_OP_WORDS = {">=": "以上", "<=": "以下", ">": "超", "<": "未満"}


def _expected_value(text: str, unit: str | None) -> str:
    """What the text gives in ``unit``: 「文字列のとおり29」, 「文字列の7800000件のとおり780」."""
    fig = parse_figure(text)
    assert fig.value is not None  # only a text with a value contradicts a value
    converted = convert(fig.value, fig.unit, unit) if unit is not None else None
    said = Decimal(repr(fig.value)) if isinstance(fig.value, float) else Decimal(fig.value)
    if converted is None or converted == said:
        return f"文字列のとおり {format(said, 'f')}"
    return f"文字列の {format(said, 'f')}{fig.unit} のとおり {format(converted, 'f')}"


def _expected_op(text: str) -> str:
    """The op the text's comparison word gives, in words."""
    op = parse_figure(text).op
    if op is None:
        return "op なし（文字列に比較の語がありません）、または「=」"
    return f"「{op}」（文字列のとおり{_OP_WORDS.get(op, op)}）"


def unit_problem(text: str, unit: str | None) -> str | None:
    """What an indicator's figure in `unit` should say instead of `text`, when the text states a
    number in a unit that does not convert to the indicator's ("10件" for a % indicator); None
    when it can be read in the indicator's unit (or has no number, or no unit)."""
    fig = parse_figure(text)
    if unit is None or fig.value is None or fig.unit is None or fig.per is not None:
        return None
    if convert(fig.value, fig.unit, unit) is not None:
        return None
    return f"{unit}（指標の単位）で表した数値（例：30{unit}、30）"


def figure_problems(doc: Mapping[str, Any]) -> Iterator[Problem]:
    """One problem for each figure whose value or op disagrees with its text, and for each
    figure of an indicator whose text is a number in a unit that is not the indicator's."""
    for path, figure, indicator_unit in _figures(doc):
        text = figure["text"]
        unit = figure.get("unit") or indicator_unit
        value = figure.get("value")
        with_text = f"（文字列は {shown(text)}）"
        in_other_unit = None
        if "indicators" in path and figure.get("unit") is None:
            in_other_unit = unit_problem(text, indicator_unit)
        if in_other_unit is not None:
            found = f"{shown(text)}（単位「{parse_figure(text).unit}」）"
            yield Problem(path=json_path((*path, "text")), found=found, expected=in_other_unit)
            continue
        if value_contradiction(text, value, unit) is not None:
            yield Problem(
                path=json_path((*path, "value")),
                found=f"{shown(value)}{with_text}",
                expected=_expected_value(text, unit),
            )
        op = figure.get("op")
        if op_contradiction(text, op) is not None:
            yield Problem(
                path=json_path((*path, "op")),
                found=f"{shown(op) if op is not None else 'op なし'}{with_text}",
                expected=_expected_op(text),
            )
