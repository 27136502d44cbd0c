"""Documents as PDF: Jinja templates (HTML with CSS paged media) laid out by WeasyPrint."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from dxplan.documents.content import Frame, row_label
from dxplan.documents.presentation import FLAG_LABELS, figure_text, flags
from dxplan.fiscal import FiscalYearError, format_span, parse_fy_key

TEMPLATES = Path(__file__).parent / "templates"


def css_string(text: str) -> Markup:
    """Text as a quoted CSS string (for `content:` in @page margin boxes)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    escaped = escaped.replace("<", "\\3C ").replace(">", "\\3E ")
    return Markup(f'"{escaped}"')


def _fy(key: str, style: str) -> str:
    try:
        return format_span(parse_fy_key(key), "wareki" if style == "wareki" else "seireki")
    except FiscalYearError:
        return key


def wareki_fy(key: str) -> str:
    """A per-year key in 和暦: "2021" → "令和3年度"."""
    return _fy(key, "wareki")


def seireki_fy(key: str) -> str:
    """A per-year key in 西暦: "2021" → "2021年度"."""
    return _fy(key, "seireki")


def circled(n: int) -> str:
    """①, ②, … (the seeds number goals so); beyond ⑳, "(21)"."""
    return chr(0x245F + n) if 1 <= n <= 20 else f"({n})"


def number(value: Decimal) -> str:
    """A recomputed value: thousands separated, no trailing zeros."""
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.normalize():,f}"


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(css_string=css_string, decimal=Decimal)
    env.globals.update(
        figure_text=figure_text,
        flags=flags,
        FLAG_LABELS=FLAG_LABELS,
        wareki_fy=wareki_fy,
        seireki_fy=seireki_fy,
        circled=circled,
        number=number,
        row_label=row_label,
    )
    return env


ENVIRONMENT = _environment()


def render_html(frame: Frame, content: dict[str, Any], plan_notes: str = "") -> str:
    """The document as HTML, ready for WeasyPrint."""
    template = ENVIRONMENT.get_template(f"{frame.kind.value}.html")
    return template.render(frame=frame, plan_notes=plan_notes, **content)


def render_pdf(frame: Frame, content: dict[str, Any], plan_notes: str = "") -> bytes:
    """The document as PDF bytes."""
    from weasyprint import HTML  # imported here: loading Pango costs time the CLI need not pay

    html = render_html(frame, content, plan_notes)
    pdf: bytes = HTML(string=html, base_url=str(TEMPLATES)).write_pdf()
    return pdf
