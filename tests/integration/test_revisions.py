"""The revision workflow on a real database: open a revision, change the plan inside it, adopt
it; who may, the audit trail, snapshots, the diff between revisions, export and re-import."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from dxplan.accounts.context import Context
from dxplan.accounts.rules import Actor, Role
from dxplan.audit.models import AuditEntry
from dxplan.db import unit_of_work
from dxplan.editing.sections import add_section, move_section
from dxplan.editing.services import add_initiative, update_initiative
from dxplan.errors import (
    InvalidChangeError,
    NotFoundError,
    PermissionDeniedError,
    StaleVersionError,
)
from dxplan.interchange.exporter import export_package
from dxplan.interchange.importer import import_package
from dxplan.plans.models import Initiative, Revision, RevisionChange, RevisionState, Section
from dxplan.revisions.queries import (
    RevisionSummary,
    find_revision,
    open_revision_summary,
    plan_as_of,
    plan_revisions,
    revision_diff,
)
from dxplan.revisions.services import (
    adopt_revision,
    discard_revision,
    open_revision,
    update_open_revision,
)

from support import SYSTEM, counting, load_demo_package

HADANO = "142115"
PLAN = "hadano-ict-plan"
DX = Context(Actor.user(1, HADANO, [Role.DX_DIVISION]), HADANO)
TARGET_SUMMARY = "指標『その他手続のオンライン化数』の2025年度目標値を 28手続 → 35手続 に変更"
ENDED_SUMMARY = "廃止（後継: 1-1-(3)）理由: 1-1-(3)に統合"


def _import(sessions: sessionmaker[Session], doc: dict[str, Any], *, replace: bool = False) -> Any:
    with unit_of_work(sessions) as session:
        outcome = import_package(session, doc, source="test.json", actor=SYSTEM, replace=replace)
        return outcome.added, outcome.changed, outcome.removed


def _export(sessions: sessionmaker[Session], plan_id: str = PLAN) -> dict[str, Any]:
    with unit_of_work(sessions) as session:
        return export_package(session, HADANO, plan_id)


def _run(sessions: sessionmaker[Session], action: Callable[[Session], Any]) -> Any:
    with unit_of_work(sessions) as session:
        return action(session)


def _open(
    sessions: sessionmaker[Session], context: Context = DX, plan_id: str = PLAN
) -> RevisionSummary:
    return _run(
        sessions,
        lambda s: open_revision(
            s, context, plan_id, date="2026-04-01", version="第3.0版", summary="令和8年度改定"
        ),
    )


def _form_and_version(
    sessions: sessionmaker[Session], code: str, plan_id: str = PLAN
) -> tuple[dict[str, Any], int]:
    form = next(i for i in _export(sessions, plan_id)["initiatives"] if i["code"] == code)
    with sessions() as session:
        version = session.scalars(
            select(Initiative.row_version).where(Initiative.uid == form["uid"])
        ).one()
    return form, version


def _update(
    sessions: sessionmaker[Session], code: str, edit: Callable[[dict[str, Any]], None]
) -> None:
    form, version = _form_and_version(sessions, code)
    edit(form)
    _run(sessions, lambda s: update_initiative(s, DX, PLAN, code, form, version))


def _raise_target(form: dict[str, Any]) -> None:
    form["indicators"][1]["targets"]["2025"] = {"text": "35手続", "value": 35}


def _end(form: dict[str, Any]) -> None:
    form["terminated"] = {"reason": "1-1-(3)に統合", "successor": "1-1-(3)"}


NEW_INITIATIVE = {
    "code": "1-2-(11)",
    "title": "生成AIを活用した問合せ対応",
    "lead_departments": ["デジタル推進課"],
    "overview": "市民からの問合せにAIチャットボットで24時間応答する。",
}


def _add(sessions: sessionmaker[Session]) -> dict[str, Any]:
    return _run(sessions, lambda s: add_initiative(s, DX, PLAN, dict(NEW_INITIATIVE), "1-2"))


def _entries(sessions: sessionmaker[Session], action: str) -> list[AuditEntry]:
    with sessions() as session:
        query = select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        return list(session.scalars(query))


@pytest.fixture
def hadano(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    _import(sessions, load_demo_package(PLAN))
    return sessions


# -- the whole cycle ----------------------------------------------------------------------------


def test_a_revision_adds_raises_and_ends_initiatives_and_joins_the_history(
    hadano: sessionmaker[Session],
) -> None:
    imported = plan_revisions_of(hadano)[-1]
    opened = _open(hadano)
    assert opened.state == "open"
    _add(hadano)
    _update(hadano, "1-1-(1)", _raise_target)
    _update(hadano, "1-1-(2)", _end)

    adopted = _run(hadano, lambda s: adopt_revision(s, DX, PLAN, opened.uid))

    assert adopted.state == "adopted"
    assert adopted.adopted_at is not None
    assert [(c.kind, c.initiative_code, c.summary) for c in adopted.changes] == [
        ("new", "1-2-(11)", "新規追加"),
        ("modified", "1-1-(1)", TARGET_SUMMARY),
        ("terminated", "1-1-(2)", ENDED_SUMMARY),
    ]
    with hadano() as session:
        rows = session.scalars(select(RevisionChange).order_by(RevisionChange.id)).all()
        assert [row.kind.value for row in rows[-3:]] == ["new", "modified", "terminated"]
    exported = _export(hadano)
    assert exported["plan"]["version"] == "第3.0版"
    assert exported["revisions"][-1] == {
        "date": "2026-04-01",
        "version": "第3.0版",
        "changes": [
            {
                "initiative": "1-2-(11)",
                "title": "生成AIを活用した問合せ対応",
                "kind": "new",
                "summary": "新規追加",
            },
            {
                "initiative": "1-1-(1)",
                "title": "各種手続のオンライン化の推進",
                "kind": "modified",
                "summary": TARGET_SUMMARY,
            },
            {
                "initiative": "1-1-(2)",
                "title": "住民異動届出等におけるスマート窓口の導入",
                "kind": "terminated",
                "summary": ENDED_SUMMARY,
            },
        ],
        "note": "令和8年度改定",
    }
    # The plan as it stood at each revision, and what changed between them.
    with hadano() as session:
        assert plan_as_of(session, HADANO, PLAN, adopted.uid) == exported
        assert plan_as_of(session, HADANO, PLAN, imported.uid) == load_demo_package(PLAN)
        diff = revision_diff(session, HADANO, PLAN, imported.uid, adopted.uid)
    assert [(a.code, a.title) for a in diff.added] == [("1-2-(11)", "生成AIを活用した問合せ対応")]
    assert [(e.code, e.removed, e.successor) for e in diff.ended] == [("1-1-(2)", False, "1-1-(3)")]
    assert [(t.code, t.indicator, t.fiscal_year, t.old, t.new) for t in diff.targets] == [
        ("1-1-(1)", "その他手続のオンライン化数", "2025", "28手続", "35手続")
    ]
    assert (diff.retitled, diff.sections_added, diff.sections_moved) == ([], [], [])
    # The export imports again as it is, into the same plan and as a new one.
    assert _import(hadano, exported, replace=True) == ([], [], [])
    assert _export(hadano) == exported
    copied = copy.deepcopy(exported)
    copied["plan"] = {k: v for k, v in copied["plan"].items() if k != "uid"}
    copied["plan"]["id"] = f"{PLAN}-copy"
    for item in [*copied["sections"], *copied["initiatives"]]:
        item.pop("uid", None)
        for name in ("activities", "indicators", "goals"):
            for child in item.get(name, []):
                child.pop("uid", None)
    _import(hadano, copied)
    assert _export(hadano, f"{PLAN}-copy")["revisions"] == exported["revisions"]


def plan_revisions_of(sessions: sessionmaker[Session]) -> list[RevisionSummary]:
    with sessions() as session:
        return plan_revisions(session, HADANO, PLAN)


def test_changes_inside_a_revision_are_audited_and_linked_to_it(
    hadano: sessionmaker[Session],
) -> None:
    opened = _open(hadano)
    added = _add(hadano)
    _update(hadano, "1-1-(1)", _raise_target)
    [opening] = _entries(hadano, "revision.open")
    assert (opening.actor_id, opening.target_uid) == ("user:1", opened.uid)
    assert opening.changes == [
        {"field": "date", "old": None, "new": "2026-04-01"},
        {"field": "version", "old": None, "new": "第3.0版"},
        {"field": "summary", "old": None, "new": "令和8年度改定"},
    ]
    [created] = _entries(hadano, "initiative.create")
    assert (created.target_uid, created.revision_uid) == (added["uid"], opened.uid)
    assert created.target_key == f"{HADANO}/{PLAN}/1-2-(11)"
    [updated] = _entries(hadano, "initiative.update")
    assert updated.revision_uid == opened.uid
    assert updated.changes is not None
    assert updated.changes[0]["field"] == "indicators[1].targets.2025"
    _run(hadano, lambda s: adopt_revision(s, DX, PLAN))
    [adoption] = _entries(hadano, "revision.adopt")
    assert adoption.target_uid == opened.uid
    assert adoption.changes == [
        {"field": "state", "old": "open", "new": "adopted"},
        {"field": "plan.version", "old": None, "new": "第3.0版"},
    ]


def test_yearly_fields_change_without_a_revision_and_stay_out_of_an_open_one(
    hadano: sessionmaker[Session],
) -> None:
    def actual(form: dict[str, Any]) -> None:
        form["indicators"][1]["actuals"] = {"2023": {"text": "30手続", "value": 30}}

    _update(hadano, "1-1-(1)", actual)  # no revision open
    opened = _open(hadano)
    _update(hadano, "1-1-(3)", lambda form: form.update(results={"2023": "交付を進めた。"}))
    assert [e.revision_uid for e in _entries(hadano, "initiative.update")] == [None, None]
    with hadano() as session:
        summary = open_revision_summary(session, HADANO, PLAN)
    assert summary is not None
    assert (summary.uid, summary.changes) == (opened.uid, [])


@pytest.mark.parametrize(
    ("name", "edit"),
    [
        ("a raised target", _raise_target),
        ("a new title", lambda form: form.update(title="新しい題名")),
        ("an ended initiative", _end),
    ],
)
def test_the_plan_itself_changes_only_inside_an_open_revision(
    hadano: sessionmaker[Session], name: str, edit: Callable[[dict[str, Any]], None]
) -> None:
    before = _export(hadano)
    code = "1-1-(1)" if edit is _raise_target else "1-1-(2)"
    with pytest.raises(InvalidChangeError, match="まず改訂を開始してください"):
        _update(hadano, code, edit)
    with pytest.raises(InvalidChangeError, match="まず改訂を開始してください"):
        _add(hadano)
    with pytest.raises(InvalidChangeError, match="まず改訂を開始してください"):
        _run(hadano, lambda s: add_section(s, DX, PLAN, {"code": "4", "title": "新しい方針"}))
    assert _export(hadano) == before
    assert _entries(hadano, "initiative.update") == []


# -- who may revise -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.DX_DIVISION, Role.ADMIN])
def test_the_dx_division_and_an_admin_may_revise(hadano: sessionmaker[Session], role: Role) -> None:
    context = Context(Actor.user(7, HADANO, [role]), HADANO)
    opened = _open(hadano, context)
    update = lambda s: update_open_revision(  # noqa: E731
        s,
        context,
        PLAN,
        opened.uid,
        expected_version=opened.row_version,
        date="2026-05",
        version="第3.1版",
        summary=None,
    )
    assert _run(hadano, update).date == "2026-05"
    assert _run(hadano, lambda s: adopt_revision(s, context, PLAN)).state == "adopted"


@pytest.mark.parametrize("role", [Role.DEPARTMENT_EDITOR, Role.COMMITTEE, Role.VIEWER])
def test_other_roles_may_not_revise(hadano: sessionmaker[Session], role: Role) -> None:
    context = Context(Actor.user(8, HADANO, [role]), HADANO)
    with pytest.raises(PermissionDeniedError, match="「改訂」の権限がありません"):
        _open(hadano, context)
    opened = _open(hadano)
    with pytest.raises(PermissionDeniedError):
        _run(hadano, lambda s: adopt_revision(s, context, PLAN))
    with pytest.raises(PermissionDeniedError):
        _run(hadano, lambda s: discard_revision(s, context, PLAN))
    with pytest.raises(PermissionDeniedError):
        _run(hadano, lambda s: add_initiative(s, context, PLAN, dict(NEW_INITIATIVE), "1-2"))
    with pytest.raises(PermissionDeniedError):
        _run(hadano, lambda s: add_section(s, context, PLAN, {"code": "4", "title": "方針"}))
    assert plan_revisions_of(hadano)[-1] == opened


def test_another_municipality_is_told_the_plan_does_not_exist(
    hadano: sessionmaker[Session],
) -> None:
    stranger = Context(Actor.user(9, "142140", [Role.ADMIN]), HADANO)
    with pytest.raises(NotFoundError):
        _open(hadano, stranger)
    opened = _open(hadano)
    actions: list[Callable[[Session], Any]] = [
        lambda s: adopt_revision(s, stranger, PLAN),
        lambda s: discard_revision(s, stranger, PLAN),
        lambda s: update_open_revision(
            s,
            stranger,
            PLAN,
            opened.uid,
            expected_version=opened.row_version,
            date="2026-05",
            version=None,
            summary=None,
        ),
        lambda s: add_initiative(s, stranger, PLAN, dict(NEW_INITIATIVE), "1-2"),
        lambda s: add_section(s, stranger, PLAN, {"code": "4", "title": "方針"}),
        lambda s: move_section(s, stranger, PLAN, "2-5", parent="1", expected_version=1),
    ]
    for action in actions:
        with pytest.raises(NotFoundError):
            _run(hadano, action)


# -- the open revision --------------------------------------------------------------------------


def test_a_plan_has_at_most_one_open_revision(hadano: sessionmaker[Session]) -> None:
    opened = _open(hadano)
    with pytest.raises(InvalidChangeError, match="確定するか、取り消してから") as caught:
        _open(hadano)
    assert "「第3.0版」（改訂中）" in str(caught.value)
    _run(hadano, lambda s: adopt_revision(s, DX, PLAN))
    assert _open(hadano).uid != opened.uid  # once adopted, the next may open


def test_a_revision_date_must_be_a_date_not_before_the_latest_revision(
    hadano: sessionmaker[Session],
) -> None:
    for date in ("2026/04/01", "2026-02-30", "2025-02"):  # the latest revision is of 2025-03
        with pytest.raises(InvalidChangeError, match="date"):
            _run(hadano, lambda s, date=date: open_revision(s, DX, PLAN, date=date))
    assert _run(hadano, lambda s: open_revision(s, DX, PLAN, date="2025-03")).date == "2025-03"


def test_summaries_are_edited_before_adoption_and_given_back(
    hadano: sessionmaker[Session],
) -> None:
    opened = _open(hadano)
    _update(hadano, "1-1-(1)", _raise_target)
    [change] = plan_revisions_of(hadano)[-1].changes
    current = plan_revisions_of(hadano)[-1]

    def edit(version: int, summaries: dict[str, str | None]) -> RevisionSummary:
        return _run(
            hadano,
            lambda s: update_open_revision(
                s,
                DX,
                PLAN,
                opened.uid,
                expected_version=version,
                date="2026-04-01",
                version="第3.0版",
                summary="令和8年度改定",
                change_summaries=summaries,
            ),
        )

    assert change.subject_uid is not None
    edited = edit(current.row_version, {change.subject_uid: "オンライン化の目標を引き上げ。"})
    assert [(c.summary, c.summary_edited) for c in edited.changes] == [
        ("オンライン化の目標を引き上げ。", True)
    ]
    # A later change to the same initiative keeps the summary written by hand.
    _update(hadano, "1-1-(1)", lambda form: form.update(title="各種手続のオンライン化"))
    assert plan_revisions_of(hadano)[-1].changes[0].summary == "オンライン化の目標を引き上げ。"
    with pytest.raises(StaleVersionError):
        edit(edited.row_version, {change.subject_uid: None})
    given_back = edit(plan_revisions_of(hadano)[-1].row_version, {change.subject_uid: None})
    assert [(c.summary, c.summary_edited) for c in given_back.changes] == [
        (f"{TARGET_SUMMARY}。取組名を『各種手続のオンライン化』に変更", False)
    ]
    with pytest.raises(InvalidChangeError, match="変更内容の一覧にある"):
        edit(given_back.row_version, {"no-such-uid": "?"})


def test_a_change_made_and_undone_leaves_nothing_to_list(hadano: sessionmaker[Session]) -> None:
    _open(hadano)
    _update(hadano, "1-1-(1)", _raise_target)
    _update(
        hadano,
        "1-1-(1)",
        lambda form: form["indicators"][1]["targets"].update(
            {"2025": {"text": "28手続", "value": 28}}
        ),
    )
    assert plan_revisions_of(hadano)[-1].changes == []


def test_only_a_revision_without_changes_is_discarded(hadano: sessionmaker[Session]) -> None:
    _open(hadano)
    _add(hadano)
    with pytest.raises(InvalidChangeError, match="1-2-\\(11\\)"):
        _run(hadano, lambda s: discard_revision(s, DX, PLAN))
    _run(hadano, lambda s: adopt_revision(s, DX, PLAN))
    opened = _open(hadano)
    _run(hadano, lambda s: discard_revision(s, DX, PLAN, opened.uid))
    assert [r.state for r in plan_revisions_of(hadano)] == ["adopted"] * 5
    assert len(_entries(hadano, "revision.discard")) == 1
    with pytest.raises(NotFoundError):
        _run(hadano, lambda s: adopt_revision(s, DX, PLAN))


def test_an_adopted_revision_is_not_adopted_or_edited_again(hadano: sessionmaker[Session]) -> None:
    opened = _open(hadano)
    _run(hadano, lambda s: adopt_revision(s, DX, PLAN, opened.uid))
    with pytest.raises(InvalidChangeError, match="確定済み"):
        _run(hadano, lambda s: adopt_revision(s, DX, PLAN, opened.uid))


def test_a_replace_keeps_the_open_revision_and_the_history_from_the_package(
    hadano: sessionmaker[Session],
) -> None:
    opened = _open(hadano)
    _add(hadano)
    doc = _export(hadano)
    doc["revisions"][0]["note"] = "注記"
    _import(hadano, doc, replace=True)
    revisions = plan_revisions_of(hadano)
    assert [(r.state, r.uid == opened.uid) for r in revisions] == [("adopted", False)] * 4 + [
        ("open", True)
    ]
    assert revisions[-1].changes[0].initiative_code == "1-2-(11)"
    assert "revisions" not in _export(hadano)["revisions"][0]  # the open one is not exported
    assert len(_export(hadano)["revisions"]) == 4


# -- the tree -----------------------------------------------------------------------------------


def test_sections_are_added_and_moved_inside_a_revision(hadano: sessionmaker[Session]) -> None:
    imported = plan_revisions_of(hadano)[-1]
    opened = _open(hadano)
    new = _run(
        hadano,
        lambda s: add_section(
            s, DX, PLAN, {"code": "1-4", "title": "窓口のデジタル化", "parent": "1"}
        ),
    )
    with hadano() as session:
        version = session.scalars(select(Section.row_version).where(Section.code == "2-5")).one()
    moved = _run(
        hadano,
        lambda s: move_section(s, DX, PLAN, "2-5", parent="1", index=0, expected_version=version),
    )
    assert moved["parent"] == "1"
    [move] = _entries(hadano, "section.move")
    assert (move.target_uid, move.revision_uid) == (moved["uid"], opened.uid)
    assert move.changes == [
        {"field": "parent", "old": "2", "new": "1"},
        {"field": "position", "old": 4, "new": 0},
    ]
    with pytest.raises(StaleVersionError):
        _run(
            hadano,
            lambda s: move_section(s, DX, PLAN, "2-5", parent="2", expected_version=version),
        )
    with pytest.raises(InvalidChangeError, match="その下位でもない"):
        _run(
            hadano,
            lambda s: move_section(s, DX, PLAN, "1", parent="1-1", expected_version=1),
        )
    codes = [(s["code"], s["parent"]) for s in _export(hadano)["sections"]]
    assert codes[:8] == [
        ("1", None),
        ("2-5", "1"),
        ("1-1", "1"),
        ("1-2", "1"),
        ("1-3", "1"),
        ("1-4", "1"),
        ("2", None),
        ("2-1", "2"),
    ]
    adopted = _run(hadano, lambda s: adopt_revision(s, DX, PLAN))
    assert [(c.kind, c.initiative_code, c.subject_uid, c.summary) for c in adopted.changes] == [
        ("new", None, new["uid"], "区分 1-4『窓口のデジタル化』を追加"),
        ("modified", None, moved["uid"], f"区分 2-5『{moved['title']}』を 1 の下に移動"),
    ]
    with hadano() as session:
        diff = revision_diff(session, HADANO, PLAN, imported.uid, adopted.uid)
    assert [(s.code, s.title) for s in diff.sections_added] == [("1-4", "窓口のデジタル化")]
    assert [(m.code, m.old_parent, m.new_parent) for m in diff.sections_moved] == [
        ("2-5", "2", "1")
    ]


def test_a_new_initiative_comes_after_the_last_of_its_section(
    hadano: sessionmaker[Session],
) -> None:
    _open(hadano)
    with hadano() as session:
        before = dict(session.execute(select(Initiative.code, Initiative.row_version)).all())
    added = _add(hadano)
    assert added["section"] == "1-2"
    codes = [i["code"] for i in _export(hadano)["initiatives"]]
    in_section = [
        i["code"] for i in load_demo_package(PLAN)["initiatives"] if i["section"] == "1-2"
    ]
    assert codes.index("1-2-(11)") == codes.index(in_section[-1]) + 1
    with hadano() as session:
        after = dict(session.execute(select(Initiative.code, Initiative.row_version)).all())
    assert after.pop("1-2-(11)") == 1
    assert after == before  # shifted positions are no new versions
    with pytest.raises(InvalidChangeError, match="計画のほかの取組で使われていない"):
        _add(hadano)
    with pytest.raises(InvalidChangeError, match="section"):
        _run(hadano, lambda s: add_initiative(s, DX, PLAN, {"code": "x", "title": "x"}, "9-9"))


# -- storage ------------------------------------------------------------------------------------


def test_one_open_revision_per_plan_is_kept_by_the_database(
    hadano: sessionmaker[Session],
) -> None:
    _open(hadano)
    with hadano() as session:
        plan_id = session.scalars(select(Revision.plan_id)).first()
        session.add(Revision(plan_id=plan_id, position=9, date="2026-05", state=RevisionState.OPEN))
        with pytest.raises(IntegrityError):
            session.flush()


def test_the_workflow_costs_the_same_queries_in_a_plan_four_times_larger(
    hadano: sessionmaker[Session], engine: Engine
) -> None:
    large = load_demo_package(PLAN)
    large["plan"]["id"] = f"{PLAN}-large"
    for n in range(1, 4):
        for item in load_demo_package(PLAN)["initiatives"]:
            item["code"] = f"{item['code']}-{n}"
            item.pop("terminated", None)
            large["initiatives"].append(item)
    _import(hadano, large)
    counts = []
    for plan_id in (PLAN, f"{PLAN}-large"):
        with counting(engine) as statements:
            _open(hadano, plan_id=plan_id)
            _run(hadano, lambda s, p=plan_id: add_initiative(s, DX, p, dict(NEW_INITIATIVE), "1-2"))
            _run(
                hadano,
                lambda s, p=plan_id: add_section(s, DX, p, {"code": "4", "title": "方針"}),
            )
            _run(hadano, lambda s, p=plan_id: adopt_revision(s, DX, p))
            with hadano() as session:
                plan_revisions(session, HADANO, plan_id)
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_a_package_with_one_more_revision_keeps_the_stored_history(
    hadano: sessionmaker[Session],
) -> None:
    before = plan_revisions_of(hadano)
    doc = _export(hadano)
    doc["revisions"].append({"date": "2026-03", "version": "第3.0版", "changes": []})
    _import(hadano, doc, replace=True)
    after = plan_revisions_of(hadano)
    assert [r.uid for r in after[:4]] == [r.uid for r in before]
    with hadano() as session:
        assert find_revision(session, HADANO, PLAN, after[4].uid).version == "第3.0版"
        assert plan_as_of(session, HADANO, PLAN, after[4].uid)["revisions"][-1]["date"] == "2026-03"
        # The earlier latest revision keeps the snapshot it had.
        assert plan_as_of(session, HADANO, PLAN, after[3].uid) == load_demo_package(PLAN)
        with pytest.raises(NotFoundError):
            find_revision(session, HADANO, PLAN, "no-such-uid")
