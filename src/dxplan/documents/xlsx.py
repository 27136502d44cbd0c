"""Documents as Excel workbooks: real cells (numbers as numbers, fiscal years as columns), styled
and frozen header rows, widths that fit Japanese text, and print titles, so that they print.
One writer per kind of document; each table is a `documents.worksheet.Table`."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

from dxplan.documents.content import Frame, Kind
from dxplan.documents.figure_tables import row_label
from dxplan.documents.initiatives import section_label
from dxplan.documents.pdf import circled, seireki_fy, wareki_fy
from dxplan.documents.presentation import flags
from dxplan.documents.worksheet import Table, figure_cell
from dxplan.evaluation.rules import LabelTally
from dxplan.evaluation.tables import SummaryTables
from dxplan.evaluation.tallies import quantize
from dxplan.plans.labels import FLAG_LABELS


def _sheets(book: Workbook, frame: Frame, c: dict[str, Any]) -> None:
    years: list[str] = c["years"]
    main = Table(
        book,
        "取組",
        frame,
        [
            "番号",
            "区分",
            "名称",
            "主管課等",
            "関係課等",
            "区分（重点・新など）",
            "概要",
            "目指すもの",
        ],
    )
    schedule = Table(book, "年度ごとの取組", frame, ["番号", "取組内容", *map(wareki_fy, years)])
    indicator_years = sorted({y for v in c["sheets"] for y in v["indicator_years"]})
    indicators = Table(
        book,
        "評価指標",
        frame,
        ["番号", "評価指標", "単位", "現状値", "現状値の年度"]
        + [f"{wareki_fy(y)} {what}" for y in indicator_years for what in ("目標値", "実績値")]
        + ["指標の考え方"],
    )
    for v in c["sheets"]:
        item = v["item"]
        related = list(
            dict.fromkeys(
                (item.get("related_departments") or [])
                + (item.get("implementing_departments") or [])
            )
        )
        main.add(
            [
                item.get("code"),
                " ／ ".join(f"{s.get('code')} {s.get('title')}" for s in v["path"]),
                item.get("title"),
                "、".join(item.get("lead_departments") or []),
                "、".join(related),
                "、".join(FLAG_LABELS[f] for f in flags(item)),
                item.get("overview"),
                item.get("aims"),
            ]
        )
        for activity in item.get("activities") or []:
            cells = []
            for y in years:
                parts = []
                if (activity.get("plan") or {}).get(y):
                    parts.append(f"計画：{activity['plan'][y]}")
                if (activity.get("actual") or {}).get(y):
                    parts.append(f"実績：{activity['actual'][y]}")
                if (activity.get("status") or {}).get(y):
                    parts.append(f"進捗：{activity['status'][y]}")
                cells.append("\n".join(parts) or None)
            schedule.add([item.get("code"), activity.get("title"), *cells])
        for indicator in item.get("indicators") or []:
            baseline = indicator.get("baseline")
            values, formats = [], []
            value, fmt = figure_cell(baseline)
            values += [value, (baseline or {}).get("fy")]
            formats += [fmt, "0"]
            for y in indicator_years:
                for field in ("targets", "actuals"):
                    value, fmt = figure_cell((indicator.get(field) or {}).get(y))
                    values.append(value)
                    formats.append(fmt)
            indicators.add(
                [
                    item.get("code"),
                    indicator.get("name"),
                    indicator.get("unit"),
                    *values,
                    indicator.get("rationale"),
                ],
                [None, None, None, *formats],
            )
    main.finish([12, 40, 40, 24, 30, 20, 80, 80])
    schedule.finish([12, 50])
    indicators.finish([12, 40, 10, 16, 10, *[16] * (2 * len(indicator_years)), 80])


def _progress(book: Workbook, frame: Frame, c: dict[str, Any]) -> None:
    index = Table(
        book, "取組事項一覧", frame, ["№", "区分", "取組内容", "推進課", "実施課", "備考", "重点"]
    )
    for _, name, rows in c["groups"]:
        for v in rows:
            top = v["top"]
            index.add(
                [
                    v["item"].get("code"),
                    section_label(top) if top else "",
                    v["label"],
                    "、".join(v["lead"]),
                    "、".join(v["implementing"]),
                    "、".join(v["item"].get("references") or []),
                    name,
                ]
            )
    index.finish([8, 30, 50, 24, 30, 30, 16])
    years = sorted({y for v in c["initiatives"] for y in (v["result_years"] or v["years"])})
    results = Table(
        book, "取組結果", frame, ["№", "取組内容", "目的", "活動内容", *map(seireki_fy, years)]
    )
    phases = Table(
        book, "計画と実績", frame, ["№", "活動内容", "区分", *map(seireki_fy, c["years"])]
    )
    goals = Table(
        book, "目標", frame, ["№", "取組内容", "番号", "目標", "目標年度", "達成状況", "説明"]
    )
    for v in c["initiatives"]:
        item = v["item"]
        results.add(
            [
                item.get("code"),
                v["label"],
                item.get("overview"),
                "\n".join(a.get("title") or "" for a in item.get("activities") or []),
                *((item.get("results") or {}).get(y) for y in years),
            ]
        )
        for row in v["schedule"]:
            phases.add(
                [item.get("code"), row["title"], "計画", *(row["plan"].get(y) for y in c["years"])]
            )
            phases.add(
                [
                    item.get("code"),
                    row["title"],
                    "実績",
                    *(
                        " ".join(filter(None, [row["actual"].get(y), row["status"].get(y)])) or None
                        for y in c["years"]
                    ),
                ]
            )
        for n, goal in enumerate(item.get("goals") or [], 1):
            goals.add(
                [
                    item.get("code"),
                    v["label"],
                    circled(n),
                    goal.get("text"),
                    goal.get("target_fy"),
                    goal.get("achievement"),
                    goal.get("note"),
                ],
                [None, None, None, None, "0"],
            )
    results.finish([8, 36, 50, 50, *[60] * len(years)])
    phases.finish([8, 50, 8, *[24] * len(c["years"])])
    goals.finish([8, 36, 6, 60, 10, 12, 80])


def _summary(book: Workbook, frame: Frame, c: dict[str, Any]) -> None:
    for t in c["all_tables"]:
        headers = ["項目"]
        for column in t.columns:
            headers += [column, f"{column}（再計算）"] if t.recomputed else [column]
        table = Table(book, t.name, frame, headers)
        for row in t.rows:
            values: list[Any] = [row_label(row)]
            formats: list[str | None] = [None]
            for column in t.columns:
                cell = t.cell(row, column)
                value, fmt = figure_cell(cell) if cell else (None, None)
                values.append(value)
                formats.append(fmt)
                if t.recomputed:
                    computed = cell["computed"] if cell else None
                    values.append(
                        None
                        if computed is None
                        else float(computed)
                        if computed % 1
                        else int(computed)
                    )
                    formats.append("#,##0.0" if computed is not None and computed % 1 else "#,##0")
            table.add(values, formats)
        table.finish([40, *[18] * (len(headers) - 1)])
    _rollups(book, frame, c["summary"])
    findings = Table(book, "付録 数値の検算", frame, ["数値", "判定", "公表値", "再計算", "説明"])
    for f in c["findings"]:
        findings.add(
            [
                f.figure,
                "不一致" if f.severity == "mismatch" else "注意",
                f.printed,
                f.computed,
                f.explanation_ja or f.explanation,
            ]
        )
    findings.finish([50, 8, 18, 18, 90])


def _counted(tally: LabelTally, label: str) -> int:
    """How many verdicts of a label, on the order or counted apart."""
    return tally.counts.get(label, tally.apart.get(label, 0))


def _rollups(book: Workbook, frame: Frame, tables: SummaryTables) -> None:
    """The year's roll-ups of the 集計表 (the whole plan, by section, by lead department): one
    row per group, a column per status, goal verdict and indicator verdict (counted apart: the
    labels outside the order), numbers as numbers."""
    if tables.plan_row is None:
        return
    rows = [("計画全体", tables.plan_row)]
    rows += [("区分", row) for row in tables.by_section]
    rows += [("担当課（主管課）", row) for row in tables.by_department]
    goals = [*tables.achievement_labels, *tables.apart_labels]
    headers = [
        "集計の単位",
        "名称",
        "取組数",
        *(f"活動：{label}" for label in tables.progress_labels),
        "進捗率",
        *(f"達成するべき事項：{label}" for label in goals),
        *(f"評価指標：{label}" for label in goals),
        "評価指標：評価待ち",
        "財政健全化効果額（千円）",
    ]
    table = Table(book, f"{tables.fy}年度の集計", frame, headers)
    for unit, row in rows:
        rate = None if row.rate is None else float(quantize(row.rate, 1, truncate=False)) / 100

        fiscal = row.fiscal
        values = [
            unit,
            row.name,
            row.initiatives,
            *(row.statuses.get(label, 0) for label in tables.progress_labels),
            rate,
            *(_counted(row.goals, label) for label in goals),
            *(_counted(row.indicators, label) for label in goals),
            row.indicators.pending,
            None if fiscal is None else (float(fiscal) if fiscal % 1 else int(fiscal)),
        ]
        formats: list[str | None] = [None] * len(values)
        formats[3 + len(tables.progress_labels)] = "0.0%"
        formats[-1] = "#,##0"
        table.add(values, formats)
    table.finish([16, 30, *[12] * (len(headers) - 2)])


def _revisions(book: Workbook, frame: Frame, c: dict[str, Any]) -> None:
    kinds = {"new": "新規", "modified": "変更", "terminated": "計画終了"}
    table = Table(
        book,
        "改訂履歴",
        frame,
        ["改定日", "版", "計画番号", "計画名称", "区分", "主な改定内容（概要）"],
    )
    for r in c["revisions"]:
        for change in r["changes"] or [None]:
            if change is None:
                table.add([r["date"], r["version"], None, None, None, r["note"]])
                continue
            table.add(
                [
                    r["date"],
                    r["version"],
                    change.get("initiative"),
                    change.get("title"),
                    kinds.get(change.get("kind") or "", change.get("kind")),
                    change.get("summary"),
                ]
            )
    table.finish([16, 10, 12, 40, 10, 90])


WRITERS = {
    Kind.SHEETS: _sheets,
    Kind.PROGRESS: _progress,
    Kind.SUMMARY: _summary,
    Kind.REVISIONS: _revisions,
}


def render_xlsx(frame: Frame, content: dict[str, Any]) -> bytes:
    """The document as an .xlsx workbook."""
    book = Workbook()
    default = book.active
    WRITERS[frame.kind](book, frame, content)
    if default is not None:
        book.remove(default)
    book.properties.title = f"{frame.plan_title} {frame.title}"
    book.properties.creator = frame.municipality
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
