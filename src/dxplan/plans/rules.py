"""Pure rules about plans: default evaluation scales, comparable ranks, whether an indicator met
its target, how search folds text and cuts snippets, what a department still has to report,
glossary terms in texts."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Final

from dxplan.figures import convert, is_dash

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

Span = tuple[int, int]
"""A fiscal year or an inclusive span of them, as (start_fy, end_fy): FY2023 is (2023, 2023)."""

COMPARISONS: Final = frozenset({">=", "<=", ">", "<", "="})


@dataclass(frozen=True)
class Measure:
    """A numeric figure of an indicator (baseline, target or actual): its value in its unit (the
    figure's own unit, else the indicator's) and the comparison its text states, if any."""

    value: Decimal
    unit: str | None = None
    op: str | None = None


def _in_unit(measure: Measure, unit: str | None) -> Decimal | None:
    return convert(measure.value, measure.unit, unit)


def target_comparison(
    target: Measure, *, baseline: Measure | None = None, targets: Sequence[Measure] = ()
) -> str:
    """The comparison an actual must pass to meet `target`: ">=", "<=", ">", "<" or "=".

    1. The comparison the target states: 以上 ">=", 以下 / 以内 "<=", 超 ">", 未満 "<", or
       "=" (exactly; given as the figure's `op`, no text implies it).
    2. Else a target below the baseline (現状値) is a reduction ("<="), above it a rise (">=").
    3. Else targets that fall from every year to the next (`targets`: the indicator's numeric
       targets in year order, such as 4分7秒 then 4分1秒) are a reduction ("<=").
    4. Else a target of zero is a ceiling ("<="): インシデント 0件 is met by none, not by any.
    5. Else the target is a level to reach (">=").
    """
    if target.op is not None:
        if target.op not in COMPARISONS:
            raise ValueError(f"op must be one of {sorted(COMPARISONS)}, got {target.op!r}")
        return target.op
    goal = target.value
    start = _in_unit(baseline, target.unit) if baseline is not None else None
    if start is not None and start != goal:
        return "<=" if goal < start else ">="
    series = [_in_unit(item, target.unit) for item in targets]
    if len(series) >= 2 and all(
        earlier is not None and later is not None and later < earlier
        for earlier, later in itertools.pairwise(series)
    ):
        return "<="
    return "<=" if goal == 0 else ">="


def target_met(target: Measure, actual: Measure, comparison: str) -> bool | None:
    """Does `actual` meet `target` under `comparison` (see `target_comparison`)?

    None when the actual's unit does not convert to the target's (件 against 手続): the two
    cannot be compared. Units that convert are compared exactly: 8割 against 80 %, 1時間 against
    3600 秒.
    """
    value = _in_unit(actual, target.unit)
    if value is None:
        return None
    goal = target.value
    if comparison == ">=":
        return value >= goal
    if comparison == "<=":
        return value <= goal
    if comparison == ">":
        return value > goal
    if comparison == "<":
        return value < goal
    if comparison == "=":
        return value == goal
    raise ValueError(f"comparison must be one of {sorted(COMPARISONS)}, got {comparison!r}")


@dataclass(frozen=True)
class TargetVerdict:
    """Whether an indicator met its target in one fiscal year (or span)."""

    start_fy: int
    end_fy: int
    met: bool


def latest_verdict(
    targets: Mapping[Span, Measure],
    actuals: Mapping[Span, Measure],
    baseline: Measure | None = None,
) -> TargetVerdict | None:
    """The verdict on the latest fiscal year (or span) for which an indicator has both a numeric
    target and a numeric actual; None if it has none, or their units do not convert.

    Textual targets and actuals ("完了", "-") are not passed in: they have no value to compare.
    """
    both = sorted((span for span in targets if span in actuals), key=lambda s: (s[1], s[0]))
    if not both:
        return None
    span = both[-1]
    series = [targets[key] for key in sorted(targets, key=lambda s: (s[1], s[0]))]
    target = targets[span]
    comparison = target_comparison(target, baseline=baseline, targets=series)
    met = target_met(target, actuals[span], comparison)
    return None if met is None else TargetVerdict(span[0], span[1], met)


@dataclass(frozen=True)
class TargetTally:
    """How many indicators met the target of their latest fiscal year with an actual.

    `counted` indicators have a numeric target and actual in a same year; `met` of them met it;
    `year` is the latest fiscal year among those counted (None when none is).
    """

    met: int
    counted: int
    year: int | None

    @property
    def share(self) -> float | None:
        """met ÷ counted, or None when nothing is counted."""
        return self.met / self.counted if self.counted else None


def tally(verdicts: Iterable[TargetVerdict | None]) -> TargetTally:
    """The tally of indicators' latest verdicts (None: an indicator that is not counted)."""
    counted = [verdict for verdict in verdicts if verdict is not None]
    return TargetTally(
        met=sum(verdict.met for verdict in counted),
        counted=len(counted),
        year=max((verdict.end_fy for verdict in counted), default=None),
    )


# --- Search: folding, terms, snippets -------------------------------------------------------------

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


# --- What a department still has to report in a fiscal year --------------------------------------


def covers(start_fy: int | None, end_fy: int | None, fy: int) -> bool:
    """Does the span start_fy..end_fy (inclusive; None: not stated) cover `fy`?"""
    return start_fy is not None and end_fy is not None and start_fy <= fy <= end_fy


def reports_in(
    fy: int, plan: Span, initiative: tuple[int | None, int | None], *, terminated: bool
) -> bool:
    """Does an initiative report in `fy`? Only while its plan covers the year, while its own
    period (where stated) does, and unless it was terminated (【計画終了】)."""
    if terminated or not covers(plan[0], plan[1], fy):
        return False
    start, end = initiative
    return (start is None or start <= fy) and (end is None or fy <= end)


def activity_due(planned: Mapping[Span, str | None], fy: int) -> bool:
    """Is an activity to be reported in `fy`? When its schedule plans a phase for a year or span
    covering `fy`, or when the schedule gives no years at all (the activity runs every year)."""
    spans = [span for span, phase in planned.items() if phase]
    return not spans or any(covers(start, end, fy) for start, end in spans)


def activity_reported(reported: Iterable[Span], fy: int) -> bool:
    """Has an activity been reported in `fy`: an actual phase or a status for a span covering it?
    `reported` are the spans that have one or the other."""
    return any(covers(start, end, fy) for start, end in reported)


def indicator_due(targets: Mapping[Span, str], fy: int) -> bool:
    """Is an actual of an indicator expected in `fy`? When a target (by its text) for a span
    covering `fy` is not a dash ("-": no target that year), or when it has no targets at all."""
    if not targets:
        return True
    return any(
        covers(start, end, fy) and not is_dash(text) for (start, end), text in targets.items()
    )


def goal_due(target_fy: int | None, fy: int) -> bool:
    """Is a verdict on a goal expected in `fy`? From its target year on (a goal with none: every
    year); a goal for FY2025 is not judged in FY2023."""
    return target_fy is None or target_fy <= fy


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


_REVISION_DATE = re.compile(r"^[0-9]{4}-(?:0[1-9]|1[0-2])(?:-[0-9]{2})?$")


def revision_date_problem(text: str, latest: str | None) -> str | None:
    """What is wrong with a revision's date (YYYY-MM-DD or YYYY-MM, as in the package's
    `revisions`), `latest` being the date of the plan's latest adopted revision; None if right.

    >>> revision_date_problem("2025-04-01", "2024-03"), revision_date_problem("2024-02", "2024-03")
    (None, 'a date not before the latest revision (2024-03)')
    """
    if not _REVISION_DATE.match(text):
        return "a date as YYYY-MM-DD or YYYY-MM"
    if len(text) == 10:
        try:
            date.fromisoformat(text)
        except ValueError:
            return "a date that exists"
    if latest is not None and text < latest[: len(text)]:
        return f"a date not before the latest revision ({latest})"
    return None
