"""What the consistency check reports, and how it compares: a finding is a printed figure that
disagrees with what it is recomputed from, with the arithmetic in English and Japanese; the
`Checker` compares printed figures with sums and computed values, judges the shares once all are
known (rounded or truncated as the document's other shares are), and collects the findings.
Pure (standard library only).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final, Literal

from dxplan.evaluation.facts import PrintedFigure
from dxplan.evaluation.tallies import percentage, quantize
from dxplan.figures import parse_figure

Severity = Literal["mismatch", "warning"]

MISMATCH: Final = "mismatch"
WARNING: Final = "warning"


@dataclass(frozen=True)
class Finding:
    """A published figure that does not agree with what it is recomputed from."""

    figure: str
    printed: str
    computed: str
    severity: Severity
    explanation: str
    # The same arithmetic in Japanese, for the pages and the published documents.
    explanation_ja: str = ""


@dataclass(frozen=True)
class How:
    """How a figure is recomputed, in English (`dxplan check`) and in Japanese (pages, PDFs)."""

    en: str
    ja: str

    def __add__(self, other: How) -> How:
        return How(self.en + other.en, self.ja + other.ja)


@dataclass(frozen=True)
class CheckReport:
    """The findings, and how many published figures were compared (agreeing or not)."""

    findings: list[Finding]
    checked: int

    @property
    def mismatches(self) -> int:
        return sum(f.severity == MISMATCH for f in self.findings)


# --- Numbers --------------------------------------------------------------------------------------


def _unit(text: str) -> str:
    """The unit printed after the number ("4,698,997千円" → "千円", "(1事業※)" → "事業")."""
    return parse_figure(text).unit or ""


def number_text(value: Decimal | int, unit: str = "") -> str:
    """A number as the explanations show it: 4,698,997千円, 91.25."""
    number = Decimal(value)
    body = f"{number:,f}" if number != number.to_integral_value() else f"{int(number):,}"
    return body + unit


def decimal_places(text: str) -> int:
    """How many decimals the printed text has ("91.2%" → 1)."""
    match = re.search(r"[0-9]+\.([0-9]+)", text)
    return len(match[1]) if match else 0


# --- The comparing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Share:
    figure: PrintedFigure
    numerator: Decimal
    denominator: Decimal
    numerator_name: str
    denominator_name: str


class Checker:
    """Compares the printed figures with what they are recomputed from; keeps the findings."""

    def __init__(self, figures: Iterable[PrintedFigure]) -> None:
        self.figures = {f.name: f for f in figures}
        self.findings: list[Finding] = []
        self.compared: set[str] = set()
        self.shares: list[_Share] = []

    def get(self, name: str) -> PrintedFigure | None:
        """The printed figure of that name, if the plan prints one."""
        return self.figures.get(name)

    def value(self, name: str) -> Decimal | None:
        """The printed figure's value (a dash is zero); None if the plan does not print it."""
        figure = self.figures.get(name)
        if figure is None:
            return None
        return figure.value if figure.value is not None else Decimal(0)

    def names(self, prefix: str) -> list[list[str]]:
        """The parts after `prefix` of the names of the printed figures under it."""
        return [n.split("/")[1:] for n in self.figures if n.startswith(prefix + "/")]

    def total(
        self, name: str, parts: Sequence[str], *, how: How, severity: Severity = MISMATCH
    ) -> None:
        """The figure `name` against the sum of the printed figures `parts` (those printed)."""
        figure = self.get(name)
        present = [p for p in parts if p in self.figures]
        if figure is None or not present:
            return
        values = [self.value(p) or Decimal(0) for p in present]
        terms = " + ".join(number_text(v) for v in values)
        self.compare(
            figure,
            sum(values, Decimal(0)),
            How(f"{how.en}: {terms}", f"{how.ja}：{terms}"),
            severity,
        )

    def compare(
        self, figure: PrintedFigure, computed: Decimal | int, how: How, severity: Severity
    ) -> None:
        """A printed figure against a computed value: equal, or within 約's precision."""
        self.compared.add(figure.name)
        printed = figure.value if figure.value is not None else Decimal(0)
        computed = Decimal(computed)
        unit = figure.unit or _unit(figure.text)
        if "約" in figure.text and printed:
            digits = len(str(int(abs(printed)))) - len(str(int(abs(printed))).rstrip("0"))
            if quantize(computed.scaleb(-digits), 0, truncate=False).scaleb(digits) == printed:
                return
        elif printed == computed:
            return
        self.findings.append(
            Finding(
                figure.name,
                figure.text,
                number_text(computed, unit),
                severity,
                f"{how.en} = {number_text(computed, unit)}, printed {figure.text}",
                f"{how.ja} ＝ {number_text(computed, unit)}（掲載 {figure.text}）",
            )
        )

    def share(self, name: str, numerator_name: str, denominator_name: str) -> None:
        """Keep the share `name` of numerator ÷ denominator, to be judged with the others."""
        figure = self.get(name)
        numerator, denominator = self.value(numerator_name), self.value(denominator_name)
        if figure is None or figure.value is None or numerator is None or not denominator:
            return
        self.shares.append(_Share(figure, numerator, denominator, numerator_name, denominator_name))

    def judge_shares(self) -> None:
        """Each share against its count ÷ total, rounded as the document's other shares are.

        A document rounds half up (四捨五入) unless at least two of its other shares are printed
        truncated, and more of them truncated than rounded: one truncated share is an error, not
        the document's way (only the shares where the two ways differ tell).
        """
        styles = [self._style(s) for s in self.shares]
        for index, share in enumerate(self.shares):
            others = Counter(style for i, style in enumerate(styles) if i != index and style)
            truncates = others["truncated"] >= 2 and others["truncated"] > others["rounded"]
            self._judge(share, truncates)

    @staticmethod
    def _style(share: _Share) -> str | None:
        """ "rounded" or "truncated" where the two differ and the printed share is one of them."""
        exact = percentage(share.numerator, share.denominator)
        places = decimal_places(share.figure.text)
        rounded = quantize(exact, places, truncate=False)
        truncated = quantize(exact, places, truncate=True)
        if rounded == truncated:
            return None
        return {rounded: "rounded", truncated: "truncated"}.get(share.figure.value or Decimal(-1))

    def _judge(self, share: _Share, truncates: bool) -> None:
        self.compared.add(share.figure.name)
        exact = percentage(share.numerator, share.denominator)
        places = max(decimal_places(share.figure.text), 1) if exact % 1 else 0
        printed = share.figure.value
        rounded = quantize(exact, places, truncate=False)
        truncated = quantize(exact, places, truncate=True)
        expected = truncated if truncates else rounded
        if printed == expected:
            return
        way = "truncated" if truncates else "rounded"
        way_ja = "切り捨て" if truncates else "四捨五入"
        division = f"{number_text(share.numerator)} ÷ {number_text(share.denominator)}"
        exact_text = f"{quantize(exact, 2, truncate=False)}%"
        how = f"{division} = {exact_text} ({way} {expected}%), printed {share.figure.text}"
        how_ja = f"{division} ＝ {exact_text}（{way_ja}で {expected}%）、掲載 {share.figure.text}"
        if printed == truncated:
            how += ": truncated where the document rounds"
            how_ja += "：ほかの割合は四捨五入なのに、切り捨てで掲載"
        elif printed == rounded:
            how += ": rounded where the document truncates"
            how_ja += "：ほかの割合は切り捨てなのに、四捨五入で掲載"
        self.findings.append(
            Finding(share.figure.name, share.figure.text, f"{expected}%", MISMATCH, how, how_ja)
        )
