"""Documents as PDF: Jinja templates (HTML with CSS paged media) laid out by WeasyPrint."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from dxplan.documents.content import Frame
from dxplan.documents.figure_tables import row_label
from dxplan.documents.presentation import figure_text, flags
from dxplan.fiscal import FiscalYearError, parse_fy_key
from dxplan.plans.labels import FLAG_LABELS
from dxplan.wareki import format_span

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


PLACEHOLDER = "0000"


def render_html(
    frame: Frame,
    content: dict[str, Any],
    plan_notes: str = "",
    *,
    pages: dict[str, int] | None = None,
    total_pages: int | None = None,
    toc_only: bool = False,
) -> str:
    """The document as HTML, ready for WeasyPrint; `pages` gives the table of contents its page
    numbers (by anchor), `total_pages` the footers their total, `toc_only` leaves the body out."""
    template = ENVIRONMENT.get_template(f"{frame.kind.value}.html")
    known = pages or {}
    return template.render(
        frame=frame,
        plan_notes=plan_notes,
        page_of=lambda anchor: known.get(anchor, PLACEHOLDER),
        total_pages=total_pages,
        toc_only=toc_only,
        **content,
    )


def render_pdf(frame: Frame, content: dict[str, Any], plan_notes: str = "") -> bytes:
    """The document as PDF bytes.

    The table of contents gets its page numbers without CSS target-counter(), which makes
    WeasyPrint lay a long document out again and again: the document is laid out once with
    placeholders in the contents, the anchors' pages read from that layout, and only the cover
    and contents laid out again with the numbers, replacing the first pages (the numbers take
    no more room than the placeholders, so the pages stay the same; where they do not, the whole
    document is laid out again).
    """
    from weasyprint import HTML  # imported here: loading Pango costs time the CLI need not pay

    base_url = str(TEMPLATES)
    document = HTML(string=render_html(frame, content, plan_notes), base_url=base_url).render()
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, 1):
        for anchor in page.anchors:
            pages.setdefault(anchor, number)  # a box on several pages starts on the first
    if not any(a.startswith("toc-") for a in pages):
        return bytes(document.write_pdf())
    front = pages["toc-end"]
    total = len(document.pages)
    html = render_html(frame, content, plan_notes, pages=pages, total_pages=total, toc_only=True)
    contents = HTML(string=html, base_url=base_url).render()
    if len(contents.pages) != front:  # the numbers made the contents longer: lay it all out
        html = render_html(frame, content, plan_notes, pages=pages)
        return bytes(HTML(string=html, base_url=base_url).write_pdf())
    merged = document.copy([*contents.pages, *document.pages[front:]])
    return bytes(merged.write_pdf())
