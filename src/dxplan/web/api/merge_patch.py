"""JSON Merge Patch (RFC 7396): what a PATCH of the API applies to a package form.

An object in the patch merges into the target key by key, a null removes the key, anything
else (a string, a number, an array) replaces the value whole. Small enough to keep here rather
than depend on a library for it.
"""

from __future__ import annotations

from typing import Any


def merge_patch(target: Any, patch: Any) -> Any:
    """The target with the patch applied; neither argument is changed.

    The result shares the values the patch leaves alone with `target`, and those it puts in
    with `patch`: copy it before changing it in place.

    >>> merge_patch({"a": 1, "b": {"c": 2, "d": 3}}, {"a": None, "b": {"c": 4}, "e": [5]})
    {'b': {'c': 4, 'd': 3}, 'e': [5]}
    """
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result
