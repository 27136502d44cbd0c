"""The published documents of the seed plans, built from the database as the pages, the API and
the CLI build them: the PDF's text (pdftotext) and the workbook's cells (openpyxl).

Each document is built once for the module (a PDF of a plan takes seconds)."""

from __future__ import annotations

import datetime
import io
import re
import subprocess
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.workbook import Workbook
from pypdf import PdfReader
from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session

from dxplan.accounts.context import Context
from dxplan.accounts.rules import Actor, Role
from dxplan.db import session_factory, unit_of_work
from dxplan.documents.build import Document, Format, build
from dxplan.documents.content import DocumentError, Kind, MissingDocumentError
from dxplan.errors import NotFoundError
from dxplan.evaluation.tables import summary_tables
from dxplan.interchange.importer import import_package
from dxplan.reporting.models import ReportingRound
from dxplan.reporting.queries import round_dashboard
from dxplan.reporting.services import accept_report, approve_round, open_round, submit_report

from support import SYSTEM, counting, empty_tables, load_demo_package

CODES = {
    "hadano-ict-plan": "142115",
    "hiratsuka-dx-action-plan-results": "142034",
    "hiratsuka-reform-plan-2020-2023": "142034",
    "isehara-ict-action-plan": "142140",
}
BUILT = [
    ("hadano-ict-plan", Kind.SHEETS),
    ("isehara-ict-action-plan", Kind.SHEETS),
    ("hiratsuka-dx-action-plan-results", Kind.PROGRESS),
    ("hiratsuka-reform-plan-2020-2023", Kind.PROGRESS),
    ("hiratsuka-reform-plan-2020-2023", Kind.SUMMARY),
    ("hadano-ict-plan", Kind.REVISIONS),
    ("isehara-ict-action-plan", Kind.REVISIONS),
]
ISEHARA_USER = Actor.user(1, "142140", [Role.VIEWER])


@pytest.fixture(scope="module")
def sessions(engine: Engine) -> Iterator[Any]:
    """The four seed plans with initiatives; 伊勢原市's is a draft."""
    empty_tables(engine)
    factory = session_factory(engine)
    with factory.begin() as session:
        for plan_id in CODES:
            doc = load_demo_package(plan_id)
            public = plan_id != "isehara-ict-action-plan"
            import_package(session, doc, source="t", actor=SYSTEM, publish=public)
    yield factory
    empty_tables(engine)


def _build(session: Session, plan_id: str, kind: Kind, fmt: Format, **extra: Any) -> Document:
    return build(session, CODES[plan_id], plan_id, kind, fmt, reader=SYSTEM, **extra)


@pytest.fixture(scope="module")
def documents(sessions: Any) -> dict[tuple[str, Kind, Format], Document]:
    """Every document the tests read, each built once."""
    out = {}
    with sessions() as session:
        for plan_id, kind in BUILT:
            for fmt in Format:
                out[plan_id, kind, fmt] = _build(session, plan_id, kind, fmt)
    return out


def pdf_pages(document: Document, *, layout: bool = False) -> list[str]:
    """The text of each page: in reading order (pdftotext), or laid out as printed (-layout),
    where lines of table cells side by side run together."""
    command = ["pdftotext", *(["-layout"] if layout else []), "-", "-"]
    result = subprocess.run(command, input=document.body, capture_output=True, check=True)
    return result.stdout.decode().split("\f")[:-1]


def squeezed(text: str) -> str:
    """Text without white space (pdftotext breaks lines inside table cells)."""
    return re.sub(r"\s+", "", text)


def workbook(document: Document) -> Workbook:
    return load_workbook(io.BytesIO(document.body))


def rows(book: Workbook, sheet: str) -> list[tuple[Any, ...]]:
    """The rows of a worksheet below its title and header rows."""
    return list(book[sheet].iter_rows(min_row=3, values_only=True))


def _draft_mark(page: str) -> bool:
    """Is 「案」 printed in the page's top margin (the first lines, standing alone)?"""
    return any(re.search(r"(^|\s)案$", line) for line in page.splitlines()[:4])


# --- sheets -----------------------------------------------------------------------------------


@pytest.mark.parametrize("plan_id", ["hadano-ict-plan", "isehara-ict-action-plan"])
def test_the_sheets_give_each_initiative_its_page_with_title_departments_and_targets(
    documents: dict[tuple[str, Kind, Format], Document], plan_id: str
) -> None:
    pages = pdf_pages(documents[plan_id, Kind.SHEETS, Format.PDF])
    package = load_demo_package(plan_id)
    initiatives = package["initiatives"]
    assert len(pages) >= len(initiatives) + 2  # the cover and the table of contents besides
    text = squeezed("".join(pages))
    for item in initiatives:
        heading = squeezed(f"{item['code']}　{item['title']}")
        starts = [i for i, page in enumerate(pages) if squeezed(page).find(heading) >= 0]
        assert len(starts) >= 2, item["code"]  # in the table of contents, and on its sheet
        for name in item.get("lead_departments") or []:
            assert squeezed(name) in text
        for indicator in item.get("indicators") or []:
            for target in (indicator.get("targets") or {}).values():
                assert squeezed(target["text"]) in text
    assert "目次" in pages[1]


def test_the_table_of_contents_gives_the_page_each_sheet_starts_on(
    documents: dict[tuple[str, Kind, Format], Document],
) -> None:
    pages = pdf_pages(documents["hadano-ict-plan", Kind.SHEETS, Format.PDF], layout=True)
    contents = "".join(p for p in pages[1:4] if "目次" in p or "...." in p)
    listed = re.search(r"1-2-\(1\)\s+SNS等による情報発信[\s.]+(\d+)", contents)
    assert listed is not None
    page = pages[int(listed.group(1)) - 1]
    assert re.search(r"1-2-\(1\)\s+SNS等による情報発信", page)
    assert "広報広聴課" in page
    footers = [re.findall(r"(\d+) / (\d+)", p)[-1] for p in pages]
    assert footers == [(str(n), str(len(pages))) for n in range(1, len(pages) + 1)]


def test_the_pdf_has_a_bookmark_and_a_contents_link_for_each_sheet(
    documents: dict[tuple[str, Kind, Format], Document],
) -> None:
    reader = PdfReader(
        io.BytesIO(documents["isehara-ict-action-plan", Kind.SHEETS, Format.PDF].body)
    )
    titles = []
    todo = list(reader.outline)
    while todo:
        entry = todo.pop(0)
        if isinstance(entry, list):
            todo[:0] = entry
        else:
            titles.append(entry.title)
    items = load_demo_package("isehara-ict-action-plan")["initiatives"]
    for item in items:
        assert any(item["code"] in t and item["title"] in t for t in titles), item["code"]
    links = [
        a.get_object()
        for page in reader.pages[1:3]
        for a in page.get("/Annots") or []
        if a.get_object().get("/Subtype") == "/Link"
    ]
    assert len(links) >= len(items)


def test_the_sheets_workbook_holds_targets_as_numbers_printed_as_the_plan_prints_them(
    documents: dict[tuple[str, Kind, Format], Document],
) -> None:
    book = workbook(documents["isehara-ict-action-plan", Kind.SHEETS, Format.XLSX])
    assert book.sheetnames == ["取組", "年度ごとの取組", "評価指標"]
    sheet = book["評価指標"]
    header = [c.value for c in sheet[2]]
    assert sheet.freeze_panes == "A3"
    assert sheet.print_title_rows == "$2:$2"
    row = next(r for r in sheet.iter_rows(min_row=3) if r[1].value == "オンライン手続数")
    cells = dict(zip(header, row, strict=True))
    target = cells["令和7年度 目標値"]
    assert target.value == 130
    assert target.number_format == '#,##0"手続き"'
    assert cells["現状値"].value == 104
    assert cells["現状値の年度"].value == 2022
    titles = [r[2] for r in rows(book, "取組")]
    assert titles == [
        i["title"] for i in load_demo_package("isehara-ict-action-plan")["initiatives"]
    ]


# --- progress ---------------------------------------------------------------------------------


def test_the_progress_report_has_the_index_table_and_each_initiatives_goals_and_verdicts(
    documents: dict[tuple[str, Kind, Format], Document],
) -> None:
    plan_id = "hiratsuka-dx-action-plan-results"
    pages = pdf_pages(documents[plan_id, Kind.PROGRESS, Format.PDF])
    package = load_demo_package(plan_id)
    text = "".join(pages)
    goals = [g for i in package["initiatives"] for g in i["goals"]]
    met = sum(g.get("achievement") == "達成" for g in goals)
    unmet = sum(g.get("achievement") == "未達成" for g in goals)
    assert (met, unmet) == (6, 2)  # seed 000 prints ⇒達成 six times and ⇒未達成 twice
    assert f"達成するべき事項 {len(goals)}件 ⇒達成 {met}件 ⇒未達成 {unmet}件" in text
    # Besides the tally, one verdict per goal:
    assert text.count("⇒達成") == met + 1
    assert text.count("⇒未達成") == unmet + 1
    laid_out = pdf_pages(documents[plan_id, Kind.PROGRESS, Format.PDF], layout=True)
    index = next(p for p in laid_out if "取組事項一覧" in p and "№" in p)
    assert re.search(r"№\s+区分\s+取組内容\s+推進課\s+実施課\s+備考", index)
    assert "（1）重点取組事項" in text
    assert "（2）取組事項" in text
    whole = squeezed(text)
    for item in package["initiatives"]:
        assert squeezed(item["title"]) in whole
        assert all(squeezed(d) in whole for d in item["lead_departments"])
        for result in item["results"].values():
            # Cells side by side wrap into each other's lines: their first lines are whole.
            assert squeezed(result)[:14] in whole
    assert len(pages) >= len(package["initiatives"]) + 3


def test_the_progress_workbook_has_the_index_results_by_year_and_goals(
    documents: dict[tuple[str, Kind, Format], Document],
) -> None:
    plan_id = "hiratsuka-dx-action-plan-results"
    book = workbook(documents[plan_id, Kind.PROGRESS, Format.XLSX])
    package = load_demo_package(plan_id)
    index = rows(book, "取組事項一覧")
    assert [c.value for c in book["取組事項一覧"][2]][:6] == [
        "№",
        "区分",
        "取組内容",
        "推進課",
        "実施課",
        "備考",
    ]
    assert [r[0] for r in index] == [i["code"] for i in package["initiatives"]]
    header = [c.value for c in book["取組結果"][2]]
    assert header[4:] == ["2021年度", "2022年度", "2023年度"]
    first = rows(book, "取組結果")[0]
    assert first[4:] == tuple(
        package["initiatives"][0]["results"][y] for y in ("2021", "2022", "2023")
    )
    verdicts = [r[5] for r in rows(book, "目標")]
    assert verdicts.count("達成") == 6
    assert verdicts.count("未達成") == 2


def test_a_progress_report_cut_at_an_earlier_year_leaves_out_the_later_results(
    sessions: Any,
) -> None:
    plan_id = "hiratsuka-dx-action-plan-results"
    with sessions() as session:
        document = _build(session, plan_id, Kind.PROGRESS, Format.XLSX, fy=2021)
    assert document.filename == f"{plan_id}-progress-2021.xlsx"
    book = workbook(document)
    assert [c.value for c in book["取組結果"][2]][4:] == ["2021年度"]
    assert book["取組結果"]["A1"].value.endswith("令和3年度 取組結果")


# --- summary ----------------------------------------------------------------------------------


def test_the_summary_prints_the_figures_their_recomputed_values_and_the_findings(
    documents: dict[tuple[str, Kind, Format], Document],
) -> None:
    plan_id = "hiratsuka-reform-plan-2020-2023"
    pages = pdf_pages(documents[plan_id, Kind.SUMMARY, Format.PDF])
    text = "".join(pages)
    package = load_demo_package(plan_id)
    fiscal = sum(
        Decimal(str(f["value"]))
        for i in package["initiatives"]
        for f in i.get("fiscal_effects", {}).values()
    )
    # Seed 002's summary tables computed from the items, the printed figures beside them: the
    # total of fiscal effects agrees, the share of 達成 (55 of 60) is 91.7%, not the 91.2% printed.
    assert "集計表" in text
    assert squeezed(text).count(f"{int(fiscal):,}千円") >= 2  # computed, and 掲載 (printed)
    assert f"掲載{int(fiscal):,}千円" in squeezed(text)
    assert "5591.7%掲載55掲載91.2%≠相違" in squeezed(text)
    laid_out = pdf_pages(documents[plan_id, Kind.SUMMARY, Format.PDF], layout=True)
    appendix = "".join(p for p in laid_out if "付録" in p)
    assert "付録 数値の検算" in appendix
    assert re.search(r"進捗率/2020/進捗率\s+不一致\s+91.4%\s+91.5%", appendix)
    assert "不一致 2件" in appendix
    printed = squeezed(text)
    for figure in package["published_figures"]:
        assert squeezed(figure["text"]) in printed, figure["name"]


RESULTS = "hiratsuka-dx-action-plan-results"


def test_seed_000s_summary_counts_its_goals_from_the_items(sessions: Any) -> None:
    with sessions() as session:
        document = _build(session, RESULTS, Kind.SUMMARY, Format.PDF)
    text = squeezed("".join(pdf_pages(document)))
    verdicts = [
        goal.get("achievement")
        for item in load_demo_package(RESULTS)["initiatives"]
        for goal in item.get("goals", [])
    ]
    met, missed = verdicts.count("達成"), verdicts.count("未達成")
    assert (met, missed) == (6, 2)
    assert f"達成{met}{met * 100 / (met + missed):.1f}%" in text
    assert f"未達成{missed}{missed * 100 / (met + missed):.1f}%" in text


def test_the_summary_workbook_has_a_sheet_per_table_with_numbers(
    documents: dict[tuple[str, Kind, Format], Document],
) -> None:
    book = workbook(documents["hiratsuka-reform-plan-2020-2023", Kind.SUMMARY, Format.XLSX])
    assert {"進捗状況", "進捗率", "達成状況", "付録 数値の検算"} <= set(book.sheetnames)
    sheet = book["進捗状況"]
    header = [c.value for c in sheet[2]]
    first = dict(zip(header, [c.value for c in sheet[3]], strict=True))
    assert first["項目"] == "令和2年度"
    assert first["事業数"] == 23
    assert isinstance(first["事業数"], int)
    # The year's roll-ups of the 集計表: the whole plan, each section and each lead department.
    package = load_demo_package("hiratsuka-reform-plan-2020-2023")
    year = int(
        re.findall(
            r"-([0-9]{4})[.]xlsx$",
            documents["hiratsuka-reform-plan-2020-2023", Kind.SUMMARY, Format.XLSX].filename,
        )[0]
    )
    tables = summary_tables(package, year)
    rollups = book[f"{year}年度の集計"]
    header = [c.value for c in rollups[2]]
    table = [dict(zip(header, [c.value for c in r], strict=True)) for r in rollups.iter_rows(3)]
    assert table[0]["集計の単位"] == "計画全体"
    assert table[0]["取組数"] == len(package["initiatives"])
    assert [r["名称"] for r in table if r["集計の単位"] == "区分"] == [
        r.name for r in tables.by_section
    ]
    assert sum(r["取組数"] for r in table if r["集計の単位"] == "区分") == len(
        package["initiatives"]
    )
    assert table[0]["達成するべき事項：達成"] == tables.plan_row.goals.counts["達成"]
    assert isinstance(table[0]["取組数"], int)
    findings = rows(book, "付録 数値の検算")
    assert [r[0] for r in findings if r[1] == "不一致"] == [
        "進捗率/2020/進捗率",
        "達成状況/達成/割合",
    ]


# --- revisions --------------------------------------------------------------------------------


def test_the_revision_history_lists_every_change_with_its_date(
    documents: dict[tuple[str, Kind, Format], Document],
) -> None:
    plan_id = "hadano-ict-plan"
    pages = pdf_pages(documents[plan_id, Kind.REVISIONS, Format.PDF])
    text = squeezed("".join(pages))
    assert "【改訂履歴】" in text
    for header in ("改定日", "計画番号", "計画名称", "主な改定内容（概要）"):
        assert header in text
    assert "令和4年6月" in text
    assert "令和5年3月" in text
    for revision in load_demo_package(plan_id)["revisions"]:
        for change in revision["changes"]:
            # Cells side by side wrap into each other's lines: their first lines are whole.
            assert squeezed(change["initiative"]) in text
            assert squeezed(change["title"][:12]) in text
            assert squeezed(change["summary"][:20]) in text
    book = workbook(documents[plan_id, Kind.REVISIONS, Format.XLSX])
    listed = rows(book, "改訂履歴")
    changes = [c for r in load_demo_package(plan_id)["revisions"] for c in r["changes"]]
    assert [(r[2], r[5]) for r in listed] == [(c["initiative"], c["summary"]) for c in changes]
    assert listed[0][0] == "令和4年6月"


# --- draft marks, access, errors --------------------------------------------------------------


def test_a_document_is_marked_draft_on_every_page_until_its_year_is_locked(
    documents: dict[tuple[str, Kind, Format], Document], sessions: Any
) -> None:
    pages = pdf_pages(documents["isehara-ict-action-plan", Kind.REVISIONS, Format.PDF], layout=True)
    assert len(pages) >= 2
    assert all(_draft_mark(p) for p in pages)
    draft = documents["isehara-ict-action-plan", Kind.REVISIONS, Format.XLSX]
    assert workbook(draft)["改訂履歴"]["A1"].value.startswith("【案】")
    assert draft.display_name.endswith("（案）.xlsx")
    # The committee approves the year's reporting round: the year is locked, its documents final.
    year = int(re.findall(r"-([0-9]{4})[.]xlsx$", draft.filename)[0])
    plan_id, context = "isehara-ict-action-plan", Context(SYSTEM, "142140")
    with unit_of_work(sessions) as session:
        open_round(session, context, plan_id, year, datetime.date(year + 1, 5, 31))
        board = round_dashboard(
            session, SYSTEM, "142140", plan_id, year, today=datetime.date(year + 1, 5, 1)
        )
        for row in board.departments:
            submit_report(session, context, plan_id, year, row.name)
            accept_report(session, context, plan_id, year, row.name)
        approve_round(session, context, plan_id, year)
    try:
        with sessions() as session:
            final = _build(session, plan_id, Kind.REVISIONS, Format.PDF, fy=year)
            final_book = _build(session, plan_id, Kind.REVISIONS, Format.XLSX, fy=year)
    finally:
        with unit_of_work(sessions) as session:
            session.execute(delete(ReportingRound))
    final_pages = pdf_pages(final, layout=True)
    assert len(final_pages) == len(pages)
    assert not any(_draft_mark(p) for p in final_pages)
    assert not workbook(final_book)["改訂履歴"]["A1"].value.startswith("【案】")
    assert "案" not in final.display_name


def test_a_draft_plans_documents_are_only_for_its_municipalitys_users(sessions: Any) -> None:
    args = ("142140", "isehara-ict-action-plan", Kind.REVISIONS, Format.XLSX)
    with sessions() as session:
        assert build(session, *args, reader=ISEHARA_USER).body
        with pytest.raises(NotFoundError):
            build(session, *args, reader=None)
        with pytest.raises(NotFoundError):
            build(session, *args, reader=Actor.user(2, "142115", [Role.ADMIN]))


def test_a_year_outside_the_plan_or_a_document_without_data_is_refused_clearly(
    sessions: Any,
) -> None:
    with (
        sessions() as session,
        pytest.raises(DocumentError, match="outside the plan's period 2021–2023"),
    ):
        _build(session, "hiratsuka-dx-action-plan-results", Kind.SHEETS, Format.PDF, fy=2024)
    with sessions() as session, pytest.raises(MissingDocumentError, match="no revision history"):
        _build(session, "hiratsuka-dx-action-plan-results", Kind.REVISIONS, Format.PDF)


def test_a_document_costs_the_same_queries_whatever_the_size_of_the_plan(
    sessions: Any, engine: Engine
) -> None:
    counts = []
    for plan_id in ("isehara-ict-action-plan", "hadano-ict-plan"):
        with sessions() as session, counting(engine) as statements:
            _build(session, plan_id, Kind.SHEETS, Format.XLSX)
        counts.append(len(statements))
    assert counts[0] == counts[1]
    assert counts[0] < 25


def test_progress_is_reported_up_to_the_whole(sessions: Any) -> None:
    told: list[tuple[int, int]] = []
    with sessions() as session:
        _build(
            session,
            "hiratsuka-dx-action-plan-results",
            Kind.PROGRESS,
            Format.XLSX,
            progress=lambda done, total: told.append((done, total)),
        )
    assert told[0] == (1, 45)  # 44 initiatives, then the workbook written
    assert told[-1] == (45, 45)
    assert [d for d, _ in told] == sorted(d for d, _ in told)
