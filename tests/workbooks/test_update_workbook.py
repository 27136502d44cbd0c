"""The update workbook on the seed plans: export (ids hidden, sheets protected, drop-downs of
the plan's scales, current values), import of a filled-in workbook through the write service,
and every way an import is refused with nothing changed."""

from __future__ import annotations

import copy
import datetime
import io
from typing import Any

import pytest
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from dxplan.accounts.context import Context
from dxplan.audit.models import AuditEntry
from dxplan.db import unit_of_work
from dxplan.editing.services import update_initiative
from dxplan.errors import NotFoundError
from dxplan.interchange.importer import import_package
from dxplan.plans.package.form import FormOptions, initiative_form
from dxplan.plans.queries import find_initiative
from dxplan.reporting.queries import round_dashboard
from dxplan.reporting.services import accept_report, approve_round, open_round, submit_report
from dxplan.revisions.services import open_revision
from dxplan.workbooks.problems import WorkbookError
from workbook_support import (
    DX,
    HADANO,
    HADANO_DX,
    HADANO_PLAN,
    HIRATSUKA,
    RESULTS_PLAN,
    editor,
    export,
    filled,
    find_row,
    header_column,
    import_,
    load_plans,
    open_book,
    package,
)

from support import SYSTEM, counting, load_demo_package


@pytest.fixture
def plans(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    load_plans(sessions)
    return sessions


def _initiative(doc: dict[str, Any], code: str) -> dict[str, Any]:
    return next(i for i in doc["initiatives"] if i["code"] == code)


def _entries(sessions: sessionmaker[Session], action: str) -> list[AuditEntry]:
    with sessions() as session:
        query = select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        return list(session.scalars(query))


def _refused(sessions: sessionmaker[Session], data: bytes, **kwargs: Any) -> WorkbookError:
    with pytest.raises(WorkbookError) as caught:
        import_(sessions, data, **kwargs)
    return caught.value


def test_export_hides_the_ids_locks_what_may_not_change_and_lists_the_scales(
    plans: sessionmaker[Session],
) -> None:
    book = open_book(export(plans))
    assert book.sheetnames[:1] == ["はじめに"]
    assert {"取組活動", "評価指標", "目標", "取組結果"} <= set(book.sheetnames)
    assert book["_dxplan"].sheet_state == "veryHidden"
    assert book["_labels"].sheet_state == "veryHidden"
    assert book.security.lockStructure
    activities: Worksheet = book["取組活動"]
    assert activities.protection.sheet
    assert activities.column_dimensions["A"].hidden
    assert activities.column_dimensions["B"].hidden
    assert not activities.column_dimensions["C"].hidden
    assert activities.freeze_panes == "D2"
    row = find_row(activities, "25", "電子図書館")
    doc = package(plans)
    library = _initiative(doc, "25")
    assert activities.cell(row, 1).value == library["uid"]
    assert activities.cell(row, 2).value == library["activities"][0]["uid"]
    plan_col = header_column(activities, "計画（2023年度）")
    actual_col = header_column(activities, "実績（2023年度）")
    status_col = header_column(activities, "進捗状況")
    assert activities.cell(row, plan_col).value == "運用"
    assert activities.cell(row, actual_col).value == "運用"
    assert activities.cell(row, plan_col).protection.locked
    assert not activities.cell(row, actual_col).protection.locked
    assert not activities.cell(row, status_col).protection.locked
    assert activities.cell(row, 3).protection.locked
    validations = activities.data_validations.dataValidation
    assert len(validations) == 1
    assert validations[0].type == "list"
    assert "_labels" in (validations[0].formula1 or "")
    assert validations[0].showErrorMessage
    assert "一覧から選んで" in (validations[0].error or "")
    labels = [c.value for c in book["_labels"]["A"][1:] if c.value]
    assert labels == ["済", "概ね順調", "遅れ", "未着手", "休止"]
    goals = book["目標"]
    g = find_row(goals, "1", "2021年度上期")
    assert goals.cell(g, header_column(goals, "達成状況")).value == "未達成"
    assert goals.cell(g, header_column(goals, "目標年度")).value == "2023年度"
    results = book["取組結果"]
    r = find_row(results, "1")
    assert (
        results.cell(r, header_column(results, "取組結果")).value
        == _initiative(doc, "1")["results"]["2023"]
    )
    # Every initiative of the plan reports in 2023, each with one result row.
    assert results.max_row - 1 == len(doc["initiatives"])


def test_a_department_workbook_holds_only_the_departments_initiatives(
    plans: sessionmaker[Session],
) -> None:
    book = open_book(export(plans, department="企画政策課"))
    codes = {c.value for c in book["取組結果"]["C"][1:]}
    assert codes == {"19", "40"}
    assert book["_dxplan"]["B6"].value == "企画政策課"


def test_a_filled_in_workbook_changes_every_field_and_records_who_imported_it(
    plans: sessionmaker[Session],
) -> None:
    before = package(plans)
    data = filled(
        export(plans),
        {
            ("取組活動", "25", "電子図書館", "実績"): "運用・拡充",
            ("取組活動", "25", "電子図書館", "進捗状況"): "概ね順調",
            ("目標", "1", "2021年度上期", "達成状況"): "一部未達成",
            ("目標", "1", "2021年度上期", "説明"): "859種類をオンライン化した。\r\n一部は断念。",
            ("取組結果", "19", None, "取組結果"): "・マイナンバーカードの活用を検討しました。",
        },
    )
    report = import_(plans, data)
    assert [u.code for u in report.updates] == ["1", "19", "25"]
    assert report.changed_fields == 5
    after = package(plans)
    library = _initiative(after, "25")["activities"][0]
    assert library["actual"]["2023"] == "運用・拡充"
    assert library["status"] == {"2023": "概ね順調"}
    goal = _initiative(after, "1")["goals"][1]
    assert goal["achievement"] == "一部未達成"
    assert goal["note"] == "859種類をオンライン化した。\n一部は断念。"
    assert (
        _initiative(after, "19")["results"]["2023"] == "・マイナンバーカードの活用を検討しました。"
    )
    # Nothing else changed.
    for doc in (before, after):
        for code in ("1", "19", "25"):
            doc["initiatives"].remove(_initiative(doc, code))
    assert after == before
    updates = _entries(plans, "initiative.update")
    assert len(updates) == 3
    assert {e.actor_id for e in updates} == {DX.id}
    [summary] = _entries(plans, "workbook.import")
    assert summary.actor_id == DX.id
    assert summary.target_uid == before["plan"]["uid"]
    assert summary.detail is not None
    assert summary.detail["source"] == "更新.xlsx"
    assert summary.detail["changed"] == 5
    assert summary.detail["initiatives"] == ["1", "19", "25"]


def test_an_unchanged_workbook_changes_nothing(plans: sessionmaker[Session]) -> None:
    before = package(plans)
    report = import_(plans, export(plans))
    assert report.updates == []
    assert report.cells > 100
    assert package(plans) == before
    assert _entries(plans, "initiative.update") == []
    assert _entries(plans, "workbook.import") == []


def test_an_indicator_actual_is_stored_as_a_figure_in_the_indicators_unit(
    plans: sessionmaker[Session],
) -> None:
    data = export(plans, HADANO_DX, HADANO, HADANO_PLAN)
    data = filled(data, {("評価指標", "1-1-(1)", "その他手続", "実績値"): "３０手続以上"})
    import_(plans, data, HADANO_DX, HADANO, HADANO_PLAN)
    indicator = _initiative(package(plans, HADANO, HADANO_PLAN), "1-1-(1)")["indicators"][1]
    assert indicator["actuals"] == {"2023": {"text": "３０手続以上", "value": 30, "op": ">="}}


BAD_CELLS = [
    pytest.param(
        (HIRATSUKA, RESULTS_PLAN, "取組活動", "25", "電子図書館", "進捗状況"),
        "完璧",
        "進捗状況の区分のいずれか",
        id="status-not-in-scale",
    ),
    pytest.param(
        (HIRATSUKA, RESULTS_PLAN, "取組活動", "28", "通いの場", "実績"),
        "開催\n継続",
        "1行の文字列",
        id="activity-actual-two-lines",
    ),
    pytest.param(
        (HADANO, HADANO_PLAN, "評価指標", "1-1-(1)", "その他手続", "実績値"),
        "30件",
        "手続（指標の単位）",
        id="indicator-actual-in-another-unit",
    ),
    pytest.param(
        (HIRATSUKA, RESULTS_PLAN, "目標", "1", "毎年度10種類", "達成状況"),
        "ほぼ達成",
        "達成状況の区分のいずれか",
        id="achievement-not-in-scale",
    ),
    pytest.param(
        (HIRATSUKA, RESULTS_PLAN, "取組結果", "19", None, "取組結果"),
        datetime.datetime(2024, 3, 31),
        "日付や時刻ではなく",
        id="result-a-date",
    ),
]


@pytest.mark.parametrize(("where", "value", "expected"), BAD_CELLS)
def test_one_bad_cell_in_any_sheet_changes_nothing_and_says_where(
    plans: sessionmaker[Session], where: tuple[str, ...], value: Any, expected: str
) -> None:
    code, plan_id, sheet, initiative, item, header = where
    actor = DX if code == HIRATSUKA else HADANO_DX
    before = package(plans, code, plan_id)
    good = (
        ("取組結果", "1", None, "取組結果")
        if code == HIRATSUKA
        else ("取組結果", "1-1-(2)", None, "取組結果")
    )
    data = filled(
        export(plans, actor, code, plan_id),
        {good: "良い変更", (sheet, initiative, item, header): value},
    )
    error = _refused(plans, data, actor=actor, code=code, plan_id=plan_id)
    [problem] = error.problems
    book = open_book(data)
    row = find_row(book[sheet], initiative, item)
    assert (problem.sheet, problem.row) == (sheet, row)
    assert problem.header == header
    assert problem.column is not None
    assert problem.cell == f"{sheet}!{problem.column}{row}"
    assert expected in problem.expected
    assert str(value)[:2] in problem.found
    assert package(plans, code, plan_id) == before
    assert _entries(plans, "initiative.update") == []
    assert _entries(plans, "workbook.import") == []


def test_every_problem_of_a_workbook_is_listed(plans: sessionmaker[Session]) -> None:
    data = filled(
        export(plans),
        {
            ("取組活動", "25", "電子図書館", "進捗状況"): "完璧",
            ("目標", "1", "毎年度10種類", "達成状況"): "ほぼ達成",
        },
    )
    error = _refused(plans, data)
    assert [p.sheet for p in error.problems] == ["取組活動", "目標"]
    assert "取組活動!" in str(error)
    assert "目標!" in str(error)


def test_a_field_changed_by_someone_else_since_the_export_is_refused(
    plans: sessionmaker[Session],
) -> None:
    data = export(plans)
    with unit_of_work(plans) as session:
        initiative = find_initiative(session, HIRATSUKA, RESULTS_PLAN, "1")
        assert initiative is not None
        form = initiative_form(initiative, FormOptions())
        form["goals"][1]["note"] = "ほかの人の説明"
        form["results"]["2023"] = "ほかの人の結果"
        update_initiative(
            session, Context(SYSTEM, HIRATSUKA), RESULTS_PLAN, "1", form, initiative.row_version
        )
    before = package(plans)
    stale = filled(data, {("目標", "1", "2021年度上期", "説明"): "私の説明"})
    error = _refused(plans, stale)
    [problem] = error.problems
    assert (problem.sheet, problem.header) == ("目標", "説明")
    assert "ほかの人がこの欄を変更" in problem.expected
    assert "ほかの人の説明" in problem.expected
    assert package(plans) == before
    # A workbook that leaves those fields as exported changes only what it changes.
    other = filled(data, {("目標", "1", "毎年度10種類", "説明"): "毎年度の説明"})
    import_(plans, other)
    after = _initiative(package(plans), "1")
    assert after["goals"][0]["note"] == "毎年度の説明"
    assert after["goals"][1]["note"] == "ほかの人の説明"
    assert after["results"]["2023"] == "ほかの人の結果"


def test_a_department_editor_may_not_import_changes_to_another_departments_initiative(
    plans: sessionmaker[Session],
) -> None:
    planning = editor(plans, HIRATSUKA, "企画政策課")
    before = package(plans)
    data = filled(
        export(plans, planning),
        {
            ("取組結果", "19", None, "取組結果"): "企画政策課の結果",
            ("取組結果", "25", None, "取組結果"): "図書館の結果",
        },
    )
    error = _refused(plans, data, actor=planning)
    [problem] = error.problems
    assert problem.sheet == "取組結果"
    assert problem.row == find_row(open_book(data)["取組結果"], "25")
    assert "取組 25 を報告する権限" in problem.expected
    assert package(plans) == before
    # Its own department's initiative it may report on.
    own = filled(
        export(plans, planning, department="企画政策課"),
        {("取組結果", "19", None, "取組結果"): "企画政策課の結果"},
    )
    report = import_(plans, own, actor=planning)
    assert [u.code for u in report.updates] == ["19"]
    assert {e.actor_id for e in _entries(plans, "initiative.update")} == {planning.id}


def test_another_municipalitys_plan_is_not_found(plans: sessionmaker[Session]) -> None:
    with pytest.raises(NotFoundError):
        export(plans, HADANO_DX, HIRATSUKA, RESULTS_PLAN)
    data = export(plans)
    with pytest.raises(NotFoundError):
        import_(plans, data, HADANO_DX, HIRATSUKA, RESULTS_PLAN)


def test_a_workbook_of_another_plan_or_an_unknown_year_is_refused(
    plans: sessionmaker[Session],
) -> None:
    with unit_of_work(plans) as session:
        import_package(
            session, load_demo_package("hiratsuka-reform-plan-2020-2023"), source="t", actor=SYSTEM
        )
    data = export(plans)
    error = _refused(plans, data, plan_id="hiratsuka-reform-plan-2020-2023")
    assert "計画 hiratsuka-reform-plan-2020-2023 の更新用Excel" in error.problems[0].expected
    with pytest.raises(NotFoundError, match="from 2021 to 2023"):
        export(plans, fy=2030)
    error = _refused(plans, b"PK\x03\x04 not really a workbook")
    assert "更新用Excel（.xlsx）" in error.problems[0].expected


def test_rows_moved_or_added_are_refused(plans: sessionmaker[Session]) -> None:
    book = open_book(export(plans))
    results = book["取組結果"]
    first, second = results["A2"].value, results["A3"].value
    results["A2"], results["A3"] = second, first
    results.cell(results.max_row + 1, 6, "新しい行")
    out = io.BytesIO()
    book.save(out)
    error = _refused(plans, out.getvalue())
    assert [(p.sheet, p.row) for p in error.problems] == [
        ("取組結果", 2),
        ("取組結果", 3),
        ("取組結果", results.max_row),
    ]


def test_an_export_costs_the_same_queries_whatever_the_size_of_the_plan(
    plans: sessionmaker[Session], engine: Engine
) -> None:
    doubled = load_demo_package(HADANO_PLAN)
    doubled["plan"]["id"] = "hadano-doubled"
    copies = copy.deepcopy(doubled["initiatives"])
    for initiative in copies:
        initiative["code"] += "-2"
        initiative.pop("also_listed_as", None)
    doubled["initiatives"] += copies
    with unit_of_work(plans) as session:
        import_package(session, doubled, source="t", actor=SYSTEM)
    with counting(engine) as small:
        one = export(plans, HADANO_DX, HADANO, HADANO_PLAN)
    with counting(engine) as large:
        two = export(plans, HADANO_DX, HADANO, "hadano-doubled")
    assert len(small) == len(large)
    rows = open_book(one)["取組結果"].max_row - 1
    assert rows > 50
    assert open_book(two)["取組結果"].max_row - 1 == 2 * rows


def test_a_result_longer_than_a_cell_holds_is_locked_and_kept(
    plans: sessionmaker[Session],
) -> None:
    long = "長い取組結果。" * 6000  # 42,000 characters: more than an Excel cell's 32,767
    with unit_of_work(plans) as session:
        initiative = find_initiative(session, HIRATSUKA, RESULTS_PLAN, "19")
        assert initiative is not None
        form = initiative_form(initiative, FormOptions())
        form["results"]["2023"] = long
        update_initiative(
            session, Context(SYSTEM, HIRATSUKA), RESULTS_PLAN, "19", form, initiative.row_version
        )
    data = export(plans)
    results = open_book(data)["取組結果"]
    cell = results.cell(find_row(results, "19"), header_column(results, "取組結果"))
    assert cell.protection.locked
    assert len(cell.value) == 32_767
    report = import_(plans, filled(data, {("取組結果", "40", None, "取組結果"): "別の結果"}))
    assert [u.code for u in report.updates] == ["40"]
    assert _initiative(package(plans), "19")["results"]["2023"] == long


def test_an_item_removed_from_the_plan_since_the_export_is_named(
    plans: sessionmaker[Session],
) -> None:
    data = export(plans)
    with unit_of_work(plans) as session:
        context = Context(SYSTEM, HIRATSUKA)
        open_revision(session, context, RESULTS_PLAN, date="2026-12-01", version="第9.0版")
        initiative = find_initiative(session, HIRATSUKA, RESULTS_PLAN, "1")
        assert initiative is not None
        form = initiative_form(initiative, FormOptions())
        del form["goals"][1]
        update_initiative(session, context, RESULTS_PLAN, "1", form, initiative.row_version)
    before = package(plans)
    stale = filled(data, {("目標", "1", "2021年度上期", "達成状況"): "達成"})
    [problem] = _refused(plans, stale).problems
    assert problem.sheet == "目標"
    assert problem.header == "達成状況"
    assert "書き出した後に削除されています" in problem.expected
    assert package(plans) == before


def test_a_workbook_for_a_locked_year_is_a_correction_that_needs_its_reason(
    plans: sessionmaker[Session],
) -> None:
    """After the committee approved FY2023's round, the workbook's changes to that year are a
    correction: refused without a reason (nothing changed), applied with one and recorded so."""
    data = filled(export(plans), {("取組活動", "25", "電子図書館", "実績"): "運用・拡充"})
    context = Context(SYSTEM, HIRATSUKA)
    with unit_of_work(plans) as session:
        open_round(session, context, RESULTS_PLAN, 2023, datetime.date(2024, 5, 31))
        board = round_dashboard(
            session, SYSTEM, HIRATSUKA, RESULTS_PLAN, 2023, today=datetime.date(2024, 5, 1)
        )
        for row in board.departments:
            submit_report(session, context, RESULTS_PLAN, 2023, row.name)
            accept_report(session, context, RESULTS_PLAN, 2023, row.name)
        approve_round(session, context, RESULTS_PLAN, 2023)
    before = package(plans)
    problem = _refused(plans, data)
    assert "訂正する理由" in str(problem)
    assert package(plans) == before
    import_(plans, data, reason="実績の記載漏れを訂正")
    library = _initiative(package(plans), "25")["activities"][0]
    assert library["actual"]["2023"] == "運用・拡充"
    [correction] = _entries(plans, "initiative.correct")
    assert correction.actor_id == DX.id
    assert correction.detail == {"reason": "実績の記載漏れを訂正", "fiscal_years": [2023]}


def _results_of(data: bytes, count: int, wording: str = "") -> bytes:
    """The workbook with a new result for the first `count` initiatives of its 取組結果 sheet."""
    book = open_book(data)
    sheet = book["取組結果"]
    column = header_column(sheet, "取組結果")
    for row in range(2, 2 + count):
        sheet.cell(row, column, f"取組結果{wording}（{count}件の取込の{row}行目）")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_import_costs_the_same_statements_for_1_10_and_40_edited_initiatives(
    plans: sessionmaker[Session], engine: Engine
) -> None:
    statements = []
    for fy, count in ((2022, 1), (2023, 10), (2024, 40)):  # new results of a year each time
        data = _results_of(export(plans, HADANO_DX, HADANO, HADANO_PLAN, fy=fy), count)
        with counting(engine) as ran:
            report = import_(plans, data, HADANO_DX, HADANO, HADANO_PLAN)
        assert len(report.updates) == count
        statements.append(len(ran))
    assert statements[0] == statements[1] == statements[2], statements
    changed = []
    for fy, count in ((2022, 1), (2023, 10), (2024, 40)):  # the same results changed again
        data = _results_of(export(plans, HADANO_DX, HADANO, HADANO_PLAN, fy=fy), count, "改め")
        with counting(engine) as ran:
            report = import_(plans, data, HADANO_DX, HADANO, HADANO_PLAN)
        assert len(report.updates) == count
        changed.append(len(ran))
    assert changed[0] == changed[1] == changed[2], changed
    assert len(_entries(plans, "initiative.update")) == 2 * (1 + 10 + 40)
