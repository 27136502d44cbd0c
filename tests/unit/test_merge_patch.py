"""JSON Merge Patch against the examples of RFC 7396, appendix A."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from dxplan.web.api.merge_patch import merge_patch

# (original, patch, result), as RFC 7396 lists them.
RFC_7396_EXAMPLES: list[tuple[Any, Any, Any]] = [
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    (["a", "b"], ["c", "d"], ["c", "d"]),
    ({"a": "b"}, ["c"], ["c"]),
    ({"a": "foo"}, None, None),
    ({"a": "foo"}, "bar", "bar"),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
]


@pytest.mark.parametrize(("original", "patch", "result"), RFC_7396_EXAMPLES)
def test_merge_patch_gives_the_results_of_rfc_7396(original: Any, patch: Any, result: Any) -> None:
    assert merge_patch(original, patch) == result


def test_merge_patch_changes_neither_the_target_nor_the_patch() -> None:
    target = {"a": {"b": [1, 2], "c": 3}, "d": 4}
    patch = {"a": {"c": None, "e": {"f": 5}}, "d": None}
    kept_target, kept_patch = copy.deepcopy(target), copy.deepcopy(patch)
    assert merge_patch(target, patch) == {"a": {"b": [1, 2], "e": {"f": 5}}}
    assert (target, patch) == (kept_target, kept_patch)


def test_an_array_of_objects_is_replaced_whole_not_merged_item_by_item() -> None:
    target = {"indicators": [{"name": "a", "unit": "%"}, {"name": "b"}]}
    assert merge_patch(target, {"indicators": [{"name": "c"}]}) == {"indicators": [{"name": "c"}]}
