"""One table on one worksheet, as the documents' workbooks lay it out: a title row, a frozen
header row repeated on every printed page, bordered cells in BIZ UDPGothic, columns as wide as
their Japanese text, figures as numbers shown as printed ("29手続"), A4 landscape.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from dxplan.documents.content import Frame
from dxplan.documents.presentation import figure_text

FONT = "BIZ UDPGothic"
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DDE6F0")
_HEAD_FONT = Font(name=FONT, bold=True, size=10)
_BODY_FONT = Font(name=FONT, size=10)
_TITLE_FONT = Font(name=FONT, bold=True, size=13)
_WRAP = Alignment(wrap_text=True, vertical="top")
_NUMBER = re.compile(r"^(.*?)(-?[0-9][0-9,]*(?:\.[0-9]+)?)(.*)$", re.S)
_SHEET_NAME = re.compile(r"[\\/*?:\[\]]")


def text_width(text: str) -> float:
    """Width of the longest line in Excel's character units (a full-width character is two)."""
    lines = str(text).split("\n") or [""]
    return max(sum(1 if ord(ch) < 0x2E80 else 2 for ch in line) for line in lines)


def figure_cell(figure: dict[str, Any] | None) -> tuple[Any, str | None]:
    """A figure as a cell value and number format: its value as a number, shown as printed
    ("29手続", "1,500時間以上") where the text is that number with words around it; else the
    text."""
    if not figure:
        return None, None
    text, value = figure_text(figure), figure.get("value")
    if not isinstance(value, int | float) or isinstance(value, bool):
        return (text or None), None
    match = _NUMBER.match(text)
    if match is None or Decimal(match.group(2).replace(",", "")) != Decimal(str(value)):
        return (text or None), None
    before, digits, after = match.groups()
    if '"' in before + after or "\n" in before + after:
        return (text or None), None
    places = len(digits.split(".")[1]) if "." in digits else 0
    pattern = ("#,##0" if "," in digits or abs(value) < 1000 else "0") + (
        "." + "0" * places if places else ""
    )
    return value, f"{_literal(before)}{pattern}{_literal(after)}"


def _literal(text: str) -> str:
    return f'"{text}"' if text else ""


class Table:
    """One worksheet holding one table: a title row, a header row (frozen, repeated when
    printed), then the rows; columns sized to their contents."""

    def __init__(self, book: Workbook, title: str, frame: Frame, headers: Sequence[str]) -> None:
        name = _SHEET_NAME.sub("・", title)[:31]
        taken = {ws.title for ws in book.worksheets}
        base, n = name, 2
        while name in taken:
            suffix = f"({n})"
            name, n = base[: 31 - len(suffix)] + suffix, n + 1
        self.sheet: Worksheet = book.create_sheet(name)
        caption = f"{frame.municipality}　{frame.plan_title}　{frame.title}"
        if frame.draft:
            caption = "【案】" + caption
        self.sheet.append([caption])
        self.sheet["A1"].font = _TITLE_FONT
        self.sheet.append(list(headers))
        for cell in self.sheet[2]:
            cell.font, cell.fill, cell.border, cell.alignment = (
                _HEAD_FONT,
                _HEAD_FILL,
                _BORDER,
                _WRAP,
            )
        self.widths = [text_width(h) for h in headers]
        self.sheet.freeze_panes = "A3"
        self.sheet.print_title_rows = "2:2"
        self.sheet.page_setup.orientation = "landscape"
        self.sheet.page_setup.paperSize = self.sheet.PAPERSIZE_A4
        self.sheet.page_setup.fitToWidth = 1
        self.sheet.page_setup.fitToHeight = 0
        self.sheet.sheet_properties.pageSetUpPr.fitToPage = True
        self.sheet.oddFooter.center.text = "&P / &N"
        self.sheet.oddHeader.left.text = caption.replace("&", "&&")
        if frame.draft:
            self.sheet.oddHeader.right.text = "案"

    def add(self, values: Sequence[Any], formats: Sequence[str | None] = ()) -> None:
        """Append a row; `formats` gives number formats by column where needed."""
        self.sheet.append(list(values))
        row = self.sheet[self.sheet.max_row]
        for i, cell in enumerate(row):
            cell.font, cell.border, cell.alignment = _BODY_FONT, _BORDER, _WRAP
            number_format = formats[i] if i < len(formats) else None
            if number_format:
                cell.number_format = number_format
            shown = cell.value if cell.value is not None else ""
            if i < len(self.widths):
                self.widths[i] = max(self.widths[i], text_width(str(shown)))

    def finish(self, limits: Sequence[int] = ()) -> None:
        """Set the column widths (at most `limits[i]`, default 60; longer text wraps) and the
        print area."""
        for i, width in enumerate(self.widths):
            limit = limits[i] if i < len(limits) else 60
            self.sheet.column_dimensions[get_column_letter(i + 1)].width = max(
                min(width + 2, limit), 6
            )
        last = get_column_letter(max(len(self.widths), 1))
        self.sheet.print_area = f"A1:{last}{self.sheet.max_row}"
