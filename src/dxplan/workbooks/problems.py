"""What is wrong in an update workbook: each problem at its cell (sheet, row, column and header),
a Problem like every other refusal; the error that lists them."""

from __future__ import annotations

from dataclasses import dataclass

from dxplan.errors import DxplanError
from dxplan.problems import Problem, printable

MAX_LISTED = 20


@dataclass(frozen=True)
class CellProblem(Problem):
    """A problem at a place of a workbook: its sheet, row, column letter and header (None where
    the problem is the whole file, sheet or row). `path` is the place as Excel names it
    (「取組活動!G5」), `label` the same in words."""

    sheet: str = ""
    row: int | None = None
    column: str | None = None
    header: str | None = None

    @property
    def cell(self) -> str:
        """The place as Excel names it: "取組活動!G5", "取組活動!5:5", "取組活動"."""
        return self.path

    def __str__(self) -> str:
        """For the command line: the cell as Excel names it, its header, the problem."""
        header = f"（{self.header}）" if self.header else ""
        return printable(f"{self.path}{header}：{self.found}（{self.expected}）")


def cell_problem(
    sheet: str, row: int | None, column: str | None, header: str | None, found: str, expected: str
) -> CellProblem:
    """A problem at a cell (or row, sheet, or the whole file when those are None)."""
    if row is None:
        path = sheet or "（ファイル）"
        label = f"シート「{sheet}」" if sheet else "ファイル全体"
    elif column is None:
        path = f"{sheet}!{row}:{row}"
        label = f"シート「{sheet}」の{row}行目"
    else:
        path = f"{sheet}!{column}{row}"
        label = f"シート「{sheet}」の{column}{row}（{header}）"
    return CellProblem(
        path, found, expected, label, sheet=sheet, row=row, column=column, header=header
    )


class WorkbookError(DxplanError):
    """A workbook that cannot be imported; nothing of it was written."""

    def __init__(self, source: str, problems: list[CellProblem]) -> None:
        self.source = source
        self.problems = problems
        listed = "；".join(str(p) for p in problems[:MAX_LISTED])
        more = f"；ほか{len(problems) - MAX_LISTED}件" if len(problems) > MAX_LISTED else ""
        super().__init__(printable(f"{source}：{len(problems)}件の誤り：{listed}{more}"))


def file_problem(source: str, expected: str, found: str = "") -> WorkbookError:
    """The error of a file that is not an update workbook that can be read."""
    return WorkbookError(source, [cell_problem("", None, None, None, found or source, expected)])
