"""Pure rules about plans: default evaluation scales, comparable ranks, whether an indicator met
its target, how search folds text and cuts snippets, what a department still has to report,
glossary terms in texts."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

# Seed 002 (平塚市行財政改革計画 取組結果) prints these definitions; FORMAT.md makes them the
# default when a package declares no scales. Best first.
DEFAULT_SCALES: Final[dict[str, list[dict[str, str]]]] = {
    "progress": [
        {"label": "済", "definition": "当該活動が終了した。"},
        {"label": "概ね順調", "definition": "当初の見通しどおり又は見通しよりも早く進捗している。"},
        {"label": "遅れ", "definition": "当初の見通しに比べ遅れている。"},
        {"label": "未着手", "definition": "当該活動に着手する予定の時期に着手していない。"},
        {"label": "休止", "definition": "当該活動を休止とした。"},
    ],
    "achievement": [
        {"label": "達成", "definition": "達成するべき事項を達成した。"},
        {"label": "一部未達成", "definition": "達成するべき事項のうち、一部を達成できなかった。"},
        {"label": "未達成", "definition": "達成するべき事項を達成できなかった。"},
    ],
}


def comparable_score(rank: int, labels: int) -> float:
    """A label's place on its scale as a number from 1.0 (best) to 0.0 (worst).

    Scales of different cities (済…休止, A–D, 1–5, ○△×) can be compared through this score.
    """
    if labels < 1 or not 1 <= rank <= labels:
        raise ValueError(f"rank {rank} is not on a scale of {labels} labels")
    if labels == 1:
        return 1.0
    return (labels - rank) / (labels - 1)


# The yearly fields of an initiative's package form: what a department reports every year
# (actual phases, statuses, result narratives, indicator actuals, goal verdicts and their
# explanations). Everything else is the plan itself, kept by the DX division.
_YEARLY_FIELD = re.compile(
    r"^(?:activities\[[0-9]+\]\.(?:actual|status)\.[0-9-]+"
    r"|results\.[0-9-]+"
    r"|indicators\[[0-9]+\]\.actuals\.[0-9-]+"
    r"|goals\[[0-9]+\]\.(?:achievement|note))$"
)


def yearly_field(path: str) -> bool:
    """Is the field at `path` (in an initiative's package form) a yearly field?

    >>> yearly_field("indicators[0].actuals.2023"), yearly_field("indicators[0].targets.2023")
    (True, False)
    """
    return _YEARLY_FIELD.match(path) is not None


# --- Indicators: is a target met ----------------------------------------------------------------


# --- Search: folding, terms, snippets -------------------------------------------------------------


# --- What a department still has to report in a fiscal year --------------------------------------


def link_terms(text: str, terms: Iterable[str]) -> list[tuple[str, str | None]]:
    """Split `text` into segments: plain text (None) or an occurrence of a glossary term (the term).

    The segments joined give `text` back. At each place the longest term wins, so occurrences
    never overlap: 「さがみオープンデータ推進研究会」 is one occurrence, not 「オープンデータ」
    in it. Only the first occurrence of each term is linked, as a printed plan marks a term
    once (with 「」 or ※); a later one stays plain text, and no shorter term is linked inside
    it. A term that starts or ends with a Latin letter or digit is not found inside a longer
    Latin word (「AI」 not in 「EMAIL」).

    >>> link_terms("AI-OCRを導入、AI技術も。", ["AI", "AI-OCR"])
    [('AI-OCR', 'AI-OCR'), ('を導入、', None), ('AI', 'AI'), ('技術も。', None)]
    """
    candidates: dict[str, list[str]] = {}
    for each in sorted({t for t in terms if t}, key=len, reverse=True):
        candidates.setdefault(each[0], []).append(each)
    segments: list[tuple[str, str | None]] = []
    linked: set[str] = set()
    plain_from = position = 0
    while position < len(text):
        term = _term_at(text, position, candidates.get(text[position], []))
        if term is None:
            position += 1
            continue
        if term not in linked:
            if plain_from < position:
                segments.append((text[plain_from:position], None))
            segments.append((term, term))
            linked.add(term)
            plain_from = position + len(term)
        position += len(term)
    if plain_from < len(text):
        segments.append((text[plain_from:], None))
    return segments


def _term_at(text: str, position: int, candidates: list[str]) -> str | None:
    """The first of `candidates` (longest first) that occurs at `position` as a whole word."""
    for term in candidates:
        if text.startswith(term, position) and _whole(text, position, position + len(term)):
            return term
    return None


def _whole(text: str, start: int, end: int) -> bool:
    """Does text[start:end] not continue a Latin word on either side?"""
    joins_before = start > 0 and _latin(text[start]) and _latin(text[start - 1])
    joins_after = end < len(text) and _latin(text[end - 1]) and _latin(text[end])
    return not (joins_before or joins_after)


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()
