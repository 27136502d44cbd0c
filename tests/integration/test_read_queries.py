"""The read queries of the pages (home, search, department worklist) on a real database, with
the demo packages: what each reader sees, how search matches, what a department still has to
report, and that each call costs the same number of queries however much data there is.

The data is read only, so it is imported once for the module: three plans published (平塚市's
policy and action plan results, 秦野市's ICT plan), two drafts (平塚市's reform plan, 伊勢原市's
plan), and a draft four times 秦野市's plan in a made-up municipality (131008), for the costs.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session, sessionmaker

from dxplan.accounts.rules import Actor, Role
from dxplan.db import Base, session_factory, unit_of_work
from dxplan.errors import InvalidQueryError, NotFoundError
from dxplan.interchange.importer import import_package
from dxplan.plans.departments import DepartmentSummary, municipality_departments
from dxplan.plans.parts import DepartmentRole
from dxplan.plans.queries import visible_plan_summaries
from dxplan.plans.search import MAX_LIMIT, MatchField, SearchHit, search
from dxplan.plans.targets import TargetTally
from dxplan.reporting.worklist import Pending, department_initiatives

from support import DEMO_PLAN_IDS, SYSTEM, counting, load_demo_package

HIRATSUKA, HADANO, ISEHARA, LARGE = "142034", "142115", "142140", "131008"
PUBLISHED = {"hiratsuka-digital-policy", "hiratsuka-dx-action-plan-results", "hadano-ict-plan"}
LARGE_PLAN = "hadano-ict-plan-times-four"
ALL_ROLES = list(Role)

LEAD, IMPLEMENTING = DepartmentRole.LEAD, DepartmentRole.IMPLEMENTING


def _figure(text: str, value: float | None, unit: str | None = None) -> dict[str, Any]:
    figure: dict[str, Any] = {"text": text, "value": value}
    if unit is not None:
        figure["unit"] = unit
    return figure


# Actuals given to 秦野市's plan (it prints none): for each indicator, its latest year with a
# numeric target and a numeric actual is judged.
HADANO_ACTUALS: dict[tuple[str, str], dict[str, dict[str, Any]]] = {
    # 3件以下 in FY2023: met.
    ("2-5-(3)", "インシデント(影響度レベル2以上)の件数"): {"2023": _figure("2件", 2)},
    # 75%以上 in FY2022 met, but 80%以上 in FY2023 (the latest) not.
    ("1-2-(4)", "ICTを活用できる教職員の割合"): {
        "2022": _figure("76%", 76),
        "2023": _figure("78%", 78),
    },
    # 4分7秒 in FY2024, falling to 4分1秒: a reduction, not met by 4分30秒.
    ("2-1-(11)", "医療機関への平均収容依頼時間(救急医療支援システム)"): {
        "2024": _figure("4分30秒", 270)
    },
    # 8,300 in FY2023: met.
    ("1-2-(1)", "X(旧:Twitter)フォロワー数"): {"2023": _figure("8,500", 8500)},
    # 780万件 in FY2021: met by 7,900,000件 (790万件).
    ("1-3-(1)", "年間アクセス数"): {"2021": _figure("7,900,000件", 7900000, "件")},
    # 54.4% in FY2021: not met.
    ("1-1-(3)", "交付率(対人口)"): {"2021": _figure("50.1%", 50.1)},
    # A textual target ("検討を踏まえ設定"): not counted.
    ("2-2-(1)", "課長級以上出席の会議(庁議除く)のペーパーレス化率"): {"2023": _figure("85%", 85)},
}
HADANO_TALLY = TargetTally(met=3, counted=6, year=2024)


def _hadano() -> dict[str, Any]:
    doc = load_demo_package("hadano-ict-plan")
    for item in doc["initiatives"]:
        for indicator in item.get("indicators", []):
            actuals = HADANO_ACTUALS.get((item["code"], indicator["name"]))
            if actuals is not None:
                indicator["actuals"] = actuals
    return doc


def _hiratsuka_reform() -> dict[str, Any]:
    doc = load_demo_package("hiratsuka-reform-plan-2020-2023")
    [item] = [item for item in doc["initiatives"] if item["code"] == "0701-02"]
    item["goals"][1]["achievement"] = None  # 公立園再編等の検討で… (FY2023): not yet judged
    return doc


def _large() -> dict[str, Any]:
    """秦野市's plan four times over in 131008, with a stored text that is not NFKC."""
    doc = _hadano()
    doc["municipality"] = {"code": LARGE, "name": "試験市", "prefecture": "東京都"}
    doc["plan"]["id"] = LARGE_PLAN
    for n in range(1, 4):
        for item in _hadano()["initiatives"]:
            item["code"] = f"{item['code']}-{n}"
            item.pop("terminated", None)
            doc["initiatives"].append(item)
    first = doc["initiatives"][0]
    first["title"] = "ＡＩ_ＯＣＲによる申請書の読取"
    first["overview"] = "ｶﾋﾟﾊﾞﾗ園の入園申請を\nオンライン化します。"
    return doc


def _packages() -> list[dict[str, Any]]:
    special = {"hadano-ict-plan": _hadano, "hiratsuka-reform-plan-2020-2023": _hiratsuka_reform}
    docs = [
        special[plan_id]() if plan_id in special else load_demo_package(plan_id)
        for plan_id in DEMO_PLAN_IDS
    ]
    return [*docs, _large()]


def _empty(engine: Engine) -> None:
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(delete(table))


@pytest.fixture(scope="module")
def demo(engine: Engine) -> Iterator[sessionmaker[Session]]:
    _empty(engine)
    sessions = session_factory(engine)
    with unit_of_work(sessions) as session:
        for doc in _packages():
            published = doc["plan"]["id"] in PUBLISHED
            import_package(session, doc, source="test.json", actor=SYSTEM, publish=published)
    yield sessions
    _empty(engine)


@pytest.fixture
def session(demo: sessionmaker[Session]) -> Iterator[Session]:
    with demo() as session:
        yield session


def user(code: str, *roles: Role) -> Actor:
    return Actor.user(7, code, roles or [Role.VIEWER])


ANONYMOUS = None
HIRATSUKA_VIEWER = user(HIRATSUKA)
ISEHARA_VIEWER = user(ISEHARA)
LARGE_VIEWER = user(LARGE)

# --- Visibility and the home page ----------------------------------------------------------------


def _plans(session: Session, reader: Actor | None) -> list[tuple[str, str]]:
    return [(p.municipality_code, p.plan_id) for p in visible_plan_summaries(session, reader)]


PUBLIC_PLANS = [
    (HIRATSUKA, "hiratsuka-digital-policy"),
    (HIRATSUKA, "hiratsuka-dx-action-plan-results"),
    (HADANO, "hadano-ict-plan"),
]


def test_an_anonymous_reader_sees_the_published_plans_of_every_municipality(
    session: Session,
) -> None:
    assert _plans(session, ANONYMOUS) == PUBLIC_PLANS


@pytest.mark.parametrize("role", ALL_ROLES)
def test_a_user_of_any_role_sees_its_own_municipalitys_drafts_too(
    session: Session, role: Role
) -> None:
    assert _plans(session, user(HIRATSUKA, role)) == [
        (HIRATSUKA, "hiratsuka-digital-policy"),
        (HIRATSUKA, "hiratsuka-dx-action-plan-results"),
        (HIRATSUKA, "hiratsuka-reform-plan-2020-2023"),
        (HADANO, "hadano-ict-plan"),
    ]


def test_a_user_never_sees_another_municipalitys_drafts(session: Session) -> None:
    assert _plans(session, ISEHARA_VIEWER) == [*PUBLIC_PLANS, (ISEHARA, "isehara-ict-action-plan")]
    assert _plans(session, user(HADANO, Role.ADMIN)) == PUBLIC_PLANS


def test_a_user_without_a_role_sees_only_published_plans(session: Session) -> None:
    assert _plans(session, Actor.user(8, HIRATSUKA, [])) == PUBLIC_PLANS


def test_the_command_line_sees_every_plan(session: Session) -> None:
    assert len(_plans(session, SYSTEM)) == len(DEMO_PLAN_IDS) + 1


def test_the_home_page_counts_initiatives_and_indicators(session: Session) -> None:
    [hadano] = [
        p for p in visible_plan_summaries(session, ANONYMOUS) if p.plan_id == "hadano-ict-plan"
    ]
    assert (hadano.municipality_name, hadano.initiatives, hadano.indicators) == ("秦野市", 62, 93)
    assert (hadano.start_fy, hadano.end_fy, hadano.public) == (2021, 2025, True)
    assert hadano.kind.value == "action_plan"


def test_the_home_page_tallies_the_latest_targets_met(session: Session) -> None:
    tallies = {p.plan_id: p.targets for p in visible_plan_summaries(session, LARGE_VIEWER)}
    assert tallies["hadano-ict-plan"] == HADANO_TALLY
    assert tallies["hadano-ict-plan"].share == 0.5
    assert tallies[LARGE_PLAN] == TargetTally(met=12, counted=24, year=2024)
    # Plans without actuals count nothing.
    assert tallies["hiratsuka-dx-action-plan-results"] == TargetTally(met=0, counted=0, year=None)


# --- Search -------------------------------------------------------------------------------------


def _found(hits: list[SearchHit]) -> list[tuple[str, str]]:
    return [(hit.plan_id, hit.initiative_code) for hit in hits]


def test_search_never_returns_drafts_of_other_municipalities(session: Session) -> None:
    # ごみ収集 is in 平塚市's published results (34), its reform plan (draft) and 伊勢原市's draft.
    assert _found(search(session, ANONYMOUS, "ごみ収集")) == [
        ("hiratsuka-dx-action-plan-results", "34")
    ]
    assert _found(search(session, HIRATSUKA_VIEWER, "ごみ収集")) == [
        ("hiratsuka-dx-action-plan-results", "34"),
        ("hiratsuka-reform-plan-2020-2023", "0701-03"),
    ]
    assert _found(search(session, ISEHARA_VIEWER, "ごみ収集")) == [
        ("hiratsuka-dx-action-plan-results", "34"),
        ("isehara-ict-action-plan", "3-12"),
    ]
    assert search(session, HIRATSUKA_VIEWER, "eMAFF") == []
    assert _found(search(session, ISEHARA_VIEWER, "eMAFF")) == [("isehara-ict-action-plan", "3-5")]


def test_a_hit_says_where_it_is_and_which_field_matched(session: Session) -> None:
    [hit] = search(session, ANONYMOUS, "フォロワー")
    assert (hit.municipality_code, hit.municipality_name) == (HADANO, "秦野市")
    assert (hit.plan_id, hit.initiative_code) == ("hadano-ict-plan", "1-2-(1)")
    assert hit.initiative_title == "SNS等による情報発信"
    assert (hit.plan_public, hit.field, hit.indicator_name) == (
        True,
        MatchField.INDICATOR,
        "X(旧:Twitter)フォロワー数",
    )
    assert hit.snippet.text == "X(旧:Twitter)フォロワー数"
    assert hit.snippet.highlights == ((12, 17),)
    assert len(hit.initiative_uid) == 36
    assert hit.plan_title.startswith("秦野市")


@pytest.mark.parametrize("query", ["市", "AI", "窓口"])
def test_one_and_two_character_words_are_found(session: Session, query: str) -> None:
    hits = search(session, ANONYMOUS, query, limit=MAX_LIMIT)
    assert hits
    for hit in hits:
        start, end = hit.snippet.highlights[0]
        assert hit.snippet.text[start:end].upper() == query


def test_ascii_and_full_width_latin_match_whatever_their_case(session: Session) -> None:
    expected = _found(search(session, ANONYMOUS, "AI", limit=MAX_LIMIT))
    assert ("hadano-ict-plan", "2-1-(2)") in expected  # AI-OCR(OCRの自動読み取り)の導入検討
    for query in ("ai", "Ai", "ａｉ", "ＡＩ"):
        assert _found(search(session, ANONYMOUS, query, limit=MAX_LIMIT)) == expected


def test_stored_text_is_folded_too(session: Session) -> None:
    # The title is stored with full-width letters, the overview with half-width katakana.
    for query in ("ai_ocr", "ＡＩ＿ＯＣＲ", "カピバラ", "ｶﾋﾟﾊﾞﾗ"):
        hits = search(session, LARGE_VIEWER, query)
        assert _found(hits) == [(LARGE_PLAN, "1-1-(1)")], query
    [hit] = search(session, LARGE_VIEWER, "カピバラ")
    assert hit.field is MatchField.OVERVIEW
    assert hit.snippet.text == "ｶﾋﾟﾊﾞﾗ園の入園申請を オンライン化します。"
    assert hit.snippet.highlights == ((0, 6),)


def test_every_word_must_match_in_some_field(session: Session) -> None:
    both = _found(search(session, ANONYMOUS, "窓口　オンライン", limit=MAX_LIMIT))
    windows = set(_found(search(session, ANONYMOUS, "窓口", limit=MAX_LIMIT)))
    online = set(_found(search(session, ANONYMOUS, "オンライン", limit=MAX_LIMIT)))
    assert both
    assert set(both) == windows & online
    assert _found(search(session, ANONYMOUS, "窓口 オンライン", limit=MAX_LIMIT)) == both
    assert search(session, ANONYMOUS, "窓口 存在しない語") == []


def test_title_matches_come_first(session: Session) -> None:
    hits = search(session, ANONYMOUS, "オンライン", limit=MAX_LIMIT)
    fields = [hit.field for hit in hits]
    titles = fields.count(MatchField.TITLE)
    assert 0 < titles < len(fields)
    assert fields[:titles] == [MatchField.TITLE] * titles


def test_wildcards_in_a_query_are_taken_literally(session: Session) -> None:
    # Three of 秦野市's aims print a "%" (90%以上, 80%(2,890時間), 25%(…)).
    assert _found(search(session, ANONYMOUS, "%", limit=MAX_LIMIT)) == [
        ("hadano-ict-plan", "1-2-(4)"),
        ("hadano-ict-plan", "2-1-(13)"),
        ("hadano-ict-plan", "2-3-(1)"),
    ]
    assert _found(search(session, ANONYMOUS, "%以上")) == [("hadano-ict-plan", "1-2-(4)")]
    assert search(session, ANONYMOUS, "_") == []
    assert search(session, ANONYMOUS, "\\") == []
    # "i_o" is not "i-o": AI-OCR (秦野市 2-1-(2)) is not found, AI_OCR is.
    assert _found(search(session, LARGE_VIEWER, "i_o")) == [(LARGE_PLAN, "1-1-(1)")]


def test_an_empty_query_finds_nothing(session: Session) -> None:
    assert search(session, ANONYMOUS, "") == []
    assert search(session, ANONYMOUS, " 　 ") == []


def test_a_query_longer_than_200_characters_is_refused(session: Session) -> None:
    assert search(session, ANONYMOUS, "市" * 200, limit=1) == []
    with pytest.raises(
        InvalidQueryError, match="query: found 201 characters, expected at most 200"
    ):
        search(session, ANONYMOUS, "市" * 201)


def test_a_limit_outside_its_range_is_refused(session: Session) -> None:
    assert len(search(session, ANONYMOUS, "市", limit=3)) == 3
    for limit in (0, MAX_LIMIT + 1):
        with pytest.raises(InvalidQueryError, match="limit"):
            search(session, ANONYMOUS, "市", limit=limit)


# --- Departments --------------------------------------------------------------------------------

FY2023 = datetime.date(2023, 10, 1)


def _items(worklist: Any) -> list[tuple[str, str, tuple[DepartmentRole, ...], bool, int]]:
    return [
        (item.plan_id, item.initiative_code, item.roles, item.reports, item.pending)
        for item in worklist.items
    ]


def test_a_department_sees_what_it_still_has_to_report(session: Session) -> None:
    # 保育課 leads and implements three of 平塚市's published results, each with one activity
    # reported in no year.
    worklist = department_initiatives(session, ANONYMOUS, HIRATSUKA, "保育課", today=FY2023)
    assert (worklist.department_name, worklist.fiscal_year) == ("保育課", 2023)
    results = "hiratsuka-dx-action-plan-results"
    assert _items(worklist) == [
        (results, "11", (LEAD, IMPLEMENTING), True, 1),
        (results, "14", (LEAD, IMPLEMENTING), True, 1),
        (results, "27", (LEAD, IMPLEMENTING), True, 1),
    ]
    [activity] = worklist.items[0].activities
    assert activity.title.startswith("ICTの導入にかかる経費")


def test_a_department_of_the_readers_municipality_sees_its_drafts_and_goals_to_judge(
    session: Session,
) -> None:
    worklist = department_initiatives(session, HIRATSUKA_VIEWER, HIRATSUKA, "保育課", today=FY2023)
    [*_, reform] = worklist.items
    assert (reform.plan_id, reform.initiative_code, reform.roles) == (
        "hiratsuka-reform-plan-2020-2023",
        "0701-02",
        (LEAD,),
    )
    [goal] = reform.goals
    assert goal.title.startswith("公立園再編等の検討で")
    # In FY2022 the goal (for FY2023) is not due yet.
    earlier = department_initiatives(
        session, HIRATSUKA_VIEWER, HIRATSUKA, "保育課", today=datetime.date(2022, 4, 1)
    )
    assert earlier.items[-1].goals == ()


def test_nothing_is_pending_where_the_plan_does_not_cover_the_year(session: Session) -> None:
    # 平塚市's results cover FY2021-2023; 31 March 2024 is still FY2023, 1 April is FY2024.
    march = department_initiatives(
        session, ANONYMOUS, HIRATSUKA, "保育課", today=datetime.date(2024, 3, 31)
    )
    assert [item.reports for item in march.items] == [True, True, True]
    april = department_initiatives(
        session, ANONYMOUS, HIRATSUKA, "保育課", today=datetime.date(2024, 4, 1)
    )
    assert [(item.reports, item.pending) for item in april.items] == [(False, 0)] * 3


def test_indicators_are_due_in_the_years_of_their_targets_unless_measured(
    session: Session,
) -> None:
    # 秦野市 2-1-(11), led by 消防管理課: three indicators with targets for FY2024 and FY2025;
    # 平均収容依頼時間 has an actual for FY2024.
    fy2024 = department_initiatives(
        session, ANONYMOUS, HADANO, "消防管理課", today=datetime.date(2024, 6, 1)
    )
    [item] = fy2024.items
    assert (item.initiative_code, item.roles) == ("2-1-(11)", (LEAD,))
    assert [i.title for i in item.indicators] == [
        "システム使用率(救急医療支援システム)",
        "システム使用件数(映像通報システム)",
    ]
    assert len(item.activities) == 4
    assert all(isinstance(activity, Pending) for activity in item.activities)
    fy2023 = department_initiatives(session, ANONYMOUS, HADANO, "消防管理課", today=FY2023)
    assert fy2023.items[0].indicators == ()


def test_a_department_is_found_by_its_id_too(session: Session) -> None:
    by_name = department_initiatives(session, ANONYMOUS, HADANO, "消防管理課", today=FY2023)
    by_id = department_initiatives(session, ANONYMOUS, HADANO, by_name.department_id, today=FY2023)
    assert by_id == by_name


def test_a_department_seen_only_in_another_municipalitys_draft_is_not_found(
    session: Session,
) -> None:
    # こどもみらい課 is named only in 伊勢原市's draft.
    for reader in (ANONYMOUS, HIRATSUKA_VIEWER):
        with pytest.raises(NotFoundError):
            department_initiatives(session, reader, ISEHARA, "こどもみらい課", today=FY2023)
    worklist = department_initiatives(
        session, ISEHARA_VIEWER, ISEHARA, "こどもみらい課", today=FY2023
    )
    assert worklist.items
    # Another municipality's department, by id, is not found in this one.
    with pytest.raises(NotFoundError):
        department_initiatives(session, ISEHARA_VIEWER, HIRATSUKA, worklist.department_id)
    with pytest.raises(NotFoundError):
        department_initiatives(session, ANONYMOUS, HADANO, "存在しない課")


def test_the_departments_of_a_municipality_are_counted_by_role(session: Session) -> None:
    departments = {d.name: d for d in municipality_departments(session, ANONYMOUS, HIRATSUKA)}
    assert departments["保育課"] == DepartmentSummary(
        id=departments["保育課"].id, name="保育課", lead=3, related=0, implementing=3, initiatives=3
    )
    # 資産経営課 is named only in the reform plan, a draft.
    assert "資産経営課" not in departments
    own = {d.name: d for d in municipality_departments(session, HIRATSUKA_VIEWER, HIRATSUKA)}
    assert own["保育課"].lead == 4
    assert own["資産経営課"].initiatives > 0
    assert list(own) == sorted(own)


def test_the_departments_of_a_municipality_with_nothing_to_show_are_not_found(
    session: Session,
) -> None:
    for reader in (ANONYMOUS, HIRATSUKA_VIEWER):
        with pytest.raises(NotFoundError):
            municipality_departments(session, reader, ISEHARA)
    with pytest.raises(NotFoundError):
        municipality_departments(session, SYSTEM, "999999")
    assert municipality_departments(session, ISEHARA_VIEWER, ISEHARA)


# --- Costs --------------------------------------------------------------------------------------


def _cost(demo: sessionmaker[Session], engine: Engine, read: Any) -> int:
    with counting(engine) as statements, demo() as session:
        read(session)
    return len(statements)


def test_each_read_costs_the_same_queries_with_four_times_the_data(
    demo: sessionmaker[Session], engine: Engine
) -> None:
    """The reader of 131008 sees 秦野市's plan four times over besides what anyone sees."""
    reads = {
        "summaries": lambda reader, code: lambda s: visible_plan_summaries(s, reader),
        "search": lambda reader, code: lambda s: search(s, reader, "AI", limit=MAX_LIMIT),
        "worklist": lambda reader, code: (
            lambda s: department_initiatives(s, reader, code, "デジタル推進課", today=FY2023)
        ),
        "departments": lambda reader, code: lambda s: municipality_departments(s, reader, code),
    }
    costs = {
        name: (
            _cost(demo, engine, read(ANONYMOUS, HADANO)),
            _cost(demo, engine, read(LARGE_VIEWER, LARGE)),
        )
        for name, read in reads.items()
    }
    assert costs == {
        "summaries": (2, 2),
        "search": (2, 2),
        "worklist": (5, 5),
        "departments": (2, 2),
    }


def test_a_terminated_initiative_has_nothing_to_report(session: Session) -> None:
    # 秦野市 2-1-(3), led by 防災課, ended (【計画終了】) into 3-2-(2).
    worklist = department_initiatives(session, ANONYMOUS, HADANO, "防災課", today=FY2023)
    by_code = {item.initiative_code: item for item in worklist.items}
    assert (by_code["2-1-(3)"].reports, by_code["2-1-(3)"].pending) == (False, 0)
    assert by_code["3-2-(2)"].reports


def test_a_user_of_another_municipality_sees_a_departments_published_initiatives_only(
    session: Session,
) -> None:
    worklist = department_initiatives(session, ISEHARA_VIEWER, HIRATSUKA, "保育課", today=FY2023)
    assert [item.plan_id for item in worklist.items] == ["hiratsuka-dx-action-plan-results"] * 3
    own = department_initiatives(
        session, user(HIRATSUKA, Role.DEPARTMENT_EDITOR), HIRATSUKA, "保育課"
    )
    assert len(own.items) == 4
    assert own.fiscal_year >= 2026  # today, in Japan
