"""How search folds text, splits a query into words and cuts snippets around matches (pure)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

MAX_QUERY_LENGTH: Final = 200
"""The longest search query, in characters."""


_ASCII_LOWER: Final = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def fold(text: str) -> str:
    """Text as search compares it: NFKC (full-width letters and digits become ASCII, half-width
    katakana full-width), then ASCII letters in lower case. Other scripts keep their case, so that
    SQLite and PostgreSQL fold alike.

    >>> fold("ＡＩチャットボット"), fold("ｶﾅ Ai")
    ('aiチャットボット', 'カナ ai')
    """
    return unicodedata.normalize("NFKC", text).translate(_ASCII_LOWER)


def search_terms(query: str) -> list[str]:
    """The folded words of a query, in order and each once; words are separated by white space,
    half- or full-width ("窓口　AI" is two words)."""
    return list(dict.fromkeys(fold(query).split()))


def like_pattern(term: str) -> str:
    """A LIKE pattern (with escape character backslash) that matches text containing `term`.

    >>> like_pattern("100%_達成")
    '%100\\\\%\\\\_達成%'
    """
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass(frozen=True)
class Snippet:
    """A short extract of a text around a match, with the places of the search words in it:
    `highlights` are (start, end) offsets into `text`, in order, not overlapping."""

    text: str
    highlights: tuple[tuple[int, int], ...] = ()


ELLIPSIS: Final = "…"


def _folded_with_origins(text: str) -> tuple[str, list[tuple[int, int]]]:
    """`text` folded, and for each folded character the (start, end) of the characters of `text`
    it comes from. A character is folded with the marks that follow it (half-width ﾊﾞ is バ)."""
    clusters: list[tuple[int, int]] = []
    for index, char in enumerate(text):
        folded = fold(char)
        if clusters and folded and unicodedata.combining(folded[0]):
            clusters[-1] = (clusters[-1][0], index + 1)
        else:
            clusters.append((index, index + 1))
    parts: list[str] = []
    origins: list[tuple[int, int]] = []
    for start, end in clusters:
        folded = fold(text[start:end])
        parts.append(folded)
        origins.extend([(start, end)] * len(folded))
    return "".join(parts), origins


def _occurrences(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Where the (folded) terms occur in `text`, as merged (start, end) offsets into `text`."""
    folded, origins = _folded_with_origins(text)
    found: list[tuple[int, int]] = []
    for term in terms:
        if not term:
            continue
        at = folded.find(term)
        while at >= 0:
            found.append((origins[at][0], origins[at + len(term) - 1][1]))
            at = folded.find(term, at + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def snippet(text: str, terms: Sequence[str], *, width: int = 80, before: int = 20) -> Snippet:
    """About `width` characters of `text` around the first place where one of the (folded)
    `terms` occurs, starting up to `before` characters ahead of it, with "…" where the text is
    cut and line breaks shown as spaces; the start of the text when no term occurs in it.

    >>> snippet("RPAの導入により定型業務を自動化する", ["rpa"], width=10)
    Snippet(text='RPAの導入により定…', highlights=((0, 3),))
    """
    if width < 1 or before < 0:
        raise ValueError(f"width must be 1 or more and before 0 or more, got {width}, {before}")
    matches = _occurrences(text, terms)
    start = 0
    if matches:
        first_start, first_end = matches[0]
        # Up to `before` characters ahead of the match, the width used fully near the end of
        # the text, and the whole match in view unless it is wider than the snippet.
        start = min(max(0, first_start - before), max(0, len(text) - width))
        if first_end - start > width:
            start = min(first_start, first_end - width)
    end = min(len(text), start + width)
    lead = ELLIPSIS if start > 0 else ""
    tail = ELLIPSIS if end < len(text) else ""
    shown = text[start:end].replace("\r", " ").replace("\n", " ").replace("\t", " ")
    offset = len(lead) - start
    highlights = tuple(
        (max(s, start) + offset, min(e, end) + offset) for s, e in matches if s < end and e > start
    )
    return Snippet(text=f"{lead}{shown}{tail}", highlights=highlights)
