"""The write path on a real database: identity kept across replaces, old → new in the audit
trail, permission judged on what changes, stale versions refused."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from dxplan.accounts.context import Context
from dxplan.accounts.rules import Actor, Role
from dxplan.audit.models import AuditEntry
from dxplan.db import unit_of_work
from dxplan.editing.services import update_initiative
from dxplan.errors import (
    InvalidChangeError,
    NotFoundError,
    PermissionDeniedError,
    StaleVersionError,
)
from dxplan.interchange.errors import PackageError
from dxplan.interchange.exporter import export_package
from dxplan.interchange.importer import import_package
from dxplan.plans.models import Initiative, Plan
from dxplan.plans.services import set_publication
from dxplan.plans.writing import batches as bulk
from dxplan.revisions.services import open_revision
from dxplan.tenancy.models import Department

from support import DEMO_PLAN_IDS, SYSTEM, counting, load_demo_package, without_uids

HADANO = "142115"
PLAN = "hadano-ict-plan"


def _import(sessions: sessionmaker[Session], doc: dict[str, Any], *, replace: bool = False) -> Any:
    with unit_of_work(sessions) as session:
        outcome = import_package(session, doc, source="test.json", actor=SYSTEM, replace=replace)
        return outcome.added, outcome.changed, outcome.removed


def _export(sessions: sessionmaker[Session], code: str = HADANO, plan: str = PLAN) -> Any:
    with unit_of_work(sessions) as session:
        return export_package(session, code, plan)


def _entries(sessions: sessionmaker[Session], action: str) -> list[AuditEntry]:
    with sessions() as session:
        query = select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        return list(session.scalars(query))


@pytest.mark.parametrize("plan_id", DEMO_PLAN_IDS)
def test_replacing_a_plan_with_its_own_export_changes_nothing(
    sessions: sessionmaker[Session], plan_id: str
) -> None:
    doc = load_demo_package(plan_id)
    _import(sessions, doc)
    exported = _export(sessions, doc["municipality"]["code"], plan_id)
    assert _import(sessions, exported, replace=True) == ([], [], [])
    assert _export(sessions, doc["municipality"]["code"], plan_id) == exported
    # The unchanged package without ids (matched by codes and positions) changes nothing either.
    assert _import(sessions, load_demo_package(plan_id), replace=True) == ([], [], [])
    assert _export(sessions, doc["municipality"]["code"], plan_id) == exported
    assert _entries(sessions, "initiative.update") == []
    plan_entries = _entries(sessions, "plan.replace")
    assert [entry.changes for entry in plan_entries] == [None, None]


def test_an_edited_package_changes_only_what_was_edited_and_keeps_every_id(
    sessions: sessionmaker[Session],
) -> None:
    _import(sessions, load_demo_package(PLAN))
    exported = _export(sessions)
    edited = copy.deepcopy(exported)
    first = edited["initiatives"][0]
    first["title"] = "各種手続のオンライン化の推進（改）"
    first["indicators"][1]["targets"]["2025"] = {"text": "40手続", "value": 40}
    del edited["initiatives"][5]  # ended: it disappears from the plan
    edited["initiatives"].insert(
        2,
        {
            "code": "1-1-(9)",
            "section": "1-1",
            "title": "新しい取組",
            "lead_departments": ["デジタル推進課"],
        },
    )
    gone = exported["initiatives"][5]

    added, changed, removed = _import(sessions, edited, replace=True)

    assert added == ["initiative 1-1-(9) 新しい取組"]
    assert changed == ["initiative 1-1-(1)"]
    assert removed == [f"initiative {gone['code']} {gone['title']}"]
    after = _export(sessions)
    kept = {i["code"]: i for i in after["initiatives"]}
    for before in exported["initiatives"]:
        if before["code"] != gone["code"]:
            assert kept[before["code"]]["uid"] == before["uid"]
            for name in ("indicators", "goals", "activities"):
                old_ids = [child["uid"] for child in before.get(name, [])]
                assert [child["uid"] for child in kept[before["code"]].get(name, [])] == old_ids
    assert without_uids(after) == without_uids(
        {**edited, "initiatives": [without_uids(i) for i in edited["initiatives"]]}
    )
    [update] = _entries(sessions, "initiative.update")
    assert update.target_uid == first["uid"]
    assert update.target_key == f"{HADANO}/{PLAN}/1-1-(1)"
    assert update.actor_id == SYSTEM.id
    old_target = exported["initiatives"][0]["indicators"][1]["targets"]["2025"]
    assert update.changes == [
        {"field": "title", "old": "各種手続のオンライン化の推進", "new": first["title"]},
        {
            "field": "indicators[1].targets.2025",
            "old": old_target,
            "new": {"text": "40手続", "value": 40},
            "uid": first["indicators"][1]["uid"],
        },
    ]
    [deleted] = _entries(sessions, "initiative.delete")
    assert deleted.target_uid == gone["uid"]
    [created] = _entries(sessions, "initiative.create")
    assert created.changes == [{"field": "title", "old": None, "new": "新しい取組"}]


def test_a_package_with_a_uid_of_another_plan_is_refused(sessions: sessionmaker[Session]) -> None:
    _import(sessions, load_demo_package(PLAN))
    foreign_uid = _export(sessions)["initiatives"][0]["uid"]
    other = load_demo_package("isehara-ict-action-plan")
    other["initiatives"][3]["uid"] = foreign_uid
    with pytest.raises(PackageError) as caught:
        _import(sessions, other)
    [problem] = caught.value.problems
    assert problem.path == "$.initiatives[3].uid"
    assert "ほかの計画の取組のuid" in problem.expected


def test_an_indicator_uid_moved_to_another_initiative_is_refused(
    sessions: sessionmaker[Session],
) -> None:
    _import(sessions, load_demo_package(PLAN))
    doc = _export(sessions)
    moved = doc["initiatives"][0]["indicators"][0].pop("uid")
    doc["initiatives"][1]["indicators"][0]["uid"] = moved
    with pytest.raises(PackageError) as caught:
        _import(sessions, doc, replace=True)
    [problem] = caught.value.problems
    assert problem.path == "$.initiatives[1].indicators[0].uid"
    assert problem.expected == (
        "新しいuid、またはこの位置にある指標のuid（これは取組1-1-(1)の指標のuidです）"
    )


def _edited_across_batches(exported: dict[str, Any]) -> dict[str, Any]:
    """An edit that reaches far: a removal, a new initiative, codes swapped and successors
    named across the whole plan, a title and a target changed."""
    edited = copy.deepcopy(exported)
    items = edited["initiatives"]
    items[0]["title"] += "（改）"
    items[0]["indicators"][1]["targets"]["2025"] = {"text": "40手続", "value": 40}
    items[2]["code"], items[50]["code"] = items[50]["code"], items[2]["code"]
    items[1]["terminated"] = {"reason": "統合", "successor": items[50]["code"]}
    del items[30]
    new = {"code": "9-9-(9)", "section": items[0]["section"], "title": "新しい取組"}
    items.insert(45, new)
    items[4]["terminated"] = {"successor": "9-9-(9)"}
    new["terminated"] = {"successor": items[3]["code"]}
    return edited


def _replace_trail(sessions: sessionmaker[Session], plan_id: str) -> list[Any]:
    """What a replace of the plan wrote in the audit trail, without uids and the plan id."""
    with sessions() as session:
        query = (
            select(AuditEntry)
            .where(AuditEntry.target_key.like(f"{HADANO}/{plan_id}%"))
            .order_by(AuditEntry.id)
        )
        entries = list(session.scalars(query))[1:]  # after the first import's
        trail = [[e.action, e.target_key, e.changes, e.detail] for e in entries]
    return without_uids(json.loads(json.dumps(trail).replace(plan_id, "PLAN")))


def test_a_replace_of_many_batches_writes_what_one_batch_writes(
    sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    results = []
    for plan_id, batch_size in ((PLAN, 1000), (f"{PLAN}-batched", 7)):
        monkeypatch.setattr(bulk, "BATCH_SIZE", batch_size)
        doc = load_demo_package(PLAN)
        doc["plan"]["id"] = plan_id
        _import(sessions, doc)
        outcome = _import(
            sessions, _edited_across_batches(_export(sessions, HADANO, plan_id)), replace=True
        )
        exported = without_uids(_export(sessions, HADANO, plan_id))
        exported["plan"]["id"] = "PLAN"
        results.append((outcome, exported, _replace_trail(sessions, plan_id)))
    one_batch, many_batches = results
    assert many_batches == one_batch
    outcome, _, trail = one_batch
    assert outcome == (
        ["initiative 9-9-(9) 新しい取組"],
        [f"initiative {code}" for code in ("1-1-(1)", "1-1-(2)", "2-4-(1)", "1-1-(5)", "1-1-(3)")],
        ["initiative 2-1-(8) 財産調査のオンライン化による事務の効率化"],
    )
    assert [(action, key.rsplit("/", 1)[-1]) for action, key, _, _ in trail] == [
        ("initiative.delete", "2-1-(8)"),
        ("initiative.update", "1-1-(1)"),
        ("initiative.update", "1-1-(2)"),
        ("initiative.update", "2-4-(1)"),
        ("initiative.update", "1-1-(5)"),
        ("initiative.create", "9-9-(9)"),
        ("initiative.update", "1-1-(3)"),
        ("plan.replace", "PLAN"),
    ]
    # Codes swapped between batches show the stored codes, not the temporary ones.
    assert trail[3][2] == [{"field": "code", "old": "1-1-(3)", "new": "2-4-(1)"}]
    assert trail[4][2][-1] == {"field": "terminated.successor", "old": None, "new": "9-9-(9)"}


# -- editing one initiative, as pages and the API will ---------------------------------------


def _form_and_version(sessions: sessionmaker[Session], code: str) -> tuple[dict[str, Any], int]:
    form = next(i for i in _export(sessions)["initiatives"] if i["code"] == code)
    with sessions() as session:
        version = session.scalars(select(Initiative.row_version).where(Initiative.code == code))
        return form, version.one()


def _department_id(sessions: sessionmaker[Session], name: str) -> int:
    with sessions() as session:
        return session.scalars(select(Department.id).where(Department.name == name)).one()


def _editor(sessions: sessionmaker[Session], department: str) -> Context:
    actor = Actor.user(5, HADANO, [Role.DEPARTMENT_EDITOR], [_department_id(sessions, department)])
    return Context(actor, HADANO)


def _open_revision(sessions: sessionmaker[Session], plan_id: str = PLAN) -> None:
    """Open a revision of the plan, inside which its structure and targets may change."""
    with unit_of_work(sessions) as session:
        open_revision(session, Context(SYSTEM, HADANO), plan_id, date="2026-04", version="第3.0版")


def _update(
    sessions: sessionmaker[Session], context: Context, code: str, form: Any, version: int
) -> Any:
    with unit_of_work(sessions) as session:
        return update_initiative(session, context, PLAN, code, form, version)


def test_a_department_editor_records_an_actual_of_its_own_initiative(
    sessions: sessionmaker[Session],
) -> None:
    _import(sessions, load_demo_package(PLAN))
    form, version = _form_and_version(sessions, "1-1-(1)")
    form["indicators"][1]["actuals"] = {"2023": {"text": "30手続", "value": 30}}
    form["results"] = {"2023": "オンライン申請を拡大した。"}
    changes = _update(sessions, _editor(sessions, "デジタル推進課"), "1-1-(1)", form, version)
    assert [c.field for c in changes] == ["results.2023", "indicators[1].actuals.2023"]
    after, new_version = _form_and_version(sessions, "1-1-(1)")
    assert new_version == version + 1
    assert after["indicators"][1]["actuals"] == {"2023": {"text": "30手続", "value": 30}}
    assert after["results"] == {"2023": "オンライン申請を拡大した。"}
    [entry] = _entries(sessions, "initiative.update")
    assert entry.actor_id == "user:5"


def test_a_department_editor_cannot_change_a_target(sessions: sessionmaker[Session]) -> None:
    _import(sessions, load_demo_package(PLAN))
    form, version = _form_and_version(sessions, "1-1-(1)")
    form["indicators"][1]["targets"]["2025"] = {"text": "99手続", "value": 99}
    with pytest.raises(PermissionDeniedError, match="2025年度目標値を変更できません"):
        _update(sessions, _editor(sessions, "デジタル推進課"), "1-1-(1)", form, version)
    assert _form_and_version(sessions, "1-1-(1)")[1] == version
    assert _entries(sessions, "initiative.update") == []


def test_a_department_editor_cannot_edit_another_departments_initiative(
    sessions: sessionmaker[Session],
) -> None:
    _import(sessions, load_demo_package(PLAN))
    form, version = _form_and_version(sessions, "1-1-(1)")
    form["results"] = {"2024": "…"}
    with pytest.raises(PermissionDeniedError, match="所属課が主管・関係・実施する取組だけ"):
        _update(sessions, _editor(sessions, "図書館"), "1-1-(1)", form, version)


def test_another_municipality_is_told_the_initiative_does_not_exist(
    sessions: sessionmaker[Session],
) -> None:
    _import(sessions, load_demo_package(PLAN))
    _import(sessions, load_demo_package("isehara-ict-action-plan"))
    form, version = _form_and_version(sessions, "1-1-(1)")
    form["results"] = {"2024": "…"}
    stranger = Context(Actor.user(6, "142140", [Role.ADMIN]), HADANO)
    with pytest.raises(NotFoundError):
        _update(sessions, stranger, "1-1-(1)", form, version)


def test_a_write_on_a_stale_version_is_refused_with_the_current_values(
    sessions: sessionmaker[Session],
) -> None:
    _import(sessions, load_demo_package(PLAN))
    _open_revision(sessions)
    dx = Context(Actor.user(1, HADANO, [Role.DX_DIVISION]), HADANO)
    form, version = _form_and_version(sessions, "1-1-(2)")
    mine, theirs = copy.deepcopy(form), copy.deepcopy(form)
    theirs["title"] = "先に保存された題名"
    _update(sessions, dx, "1-1-(2)", theirs, version)
    mine["title"] = "後から保存する題名"
    with pytest.raises(StaleVersionError) as caught:
        _update(sessions, dx, "1-1-(2)", mine, version)
    assert caught.value.current == version + 1
    assert caught.value.values["title"] == "先に保存された題名"


def test_a_status_outside_the_plans_scale_is_refused(sessions: sessionmaker[Session]) -> None:
    _import(sessions, load_demo_package(PLAN))
    _open_revision(sessions)
    dx = Context(Actor.user(1, HADANO, [Role.DX_DIVISION]), HADANO)
    form, version = _form_and_version(sessions, "1-1-(1)")
    form["goals"] = [{"text": "目標", "achievement": "大成功"}]
    with pytest.raises(InvalidChangeError, match="計画の達成状況の区分"):
        _update(sessions, dx, "1-1-(1)", form, version)


@pytest.mark.parametrize("plan_id", DEMO_PLAN_IDS)
def test_every_demo_package_edited_and_replaced_keeps_the_ids_of_what_stayed(
    sessions: sessionmaker[Session], plan_id: str
) -> None:
    doc = load_demo_package(plan_id)
    code = doc["municipality"]["code"]
    _import(sessions, doc)
    exported = _export(sessions, code, plan_id)
    edited = copy.deepcopy(exported)
    edited["initiatives"][0]["title"] += "（改）"
    last = edited["initiatives"].pop()
    for item in edited["initiatives"]:  # nothing may name the initiative that ends
        if (item.get("terminated") or {}).get("successor") == last["code"]:
            del item["terminated"]["successor"]
    added, changed, removed = _import(sessions, edited, replace=True)
    assert added == []
    assert removed == [f"initiative {last['code']} {last['title']}"]
    assert f"initiative {edited['initiatives'][0]['code']}" in changed
    assert _export(sessions, code, plan_id) == edited


def test_the_dx_division_ends_an_initiative_into_a_successor(
    sessions: sessionmaker[Session],
) -> None:
    _import(sessions, load_demo_package(PLAN))
    _open_revision(sessions)
    dx = Context(Actor.user(1, HADANO, [Role.DX_DIVISION]), HADANO)
    form, version = _form_and_version(sessions, "1-1-(2)")
    form["terminated"] = {"reason": "1-1-(3)に統合", "successor": "1-1-(3)"}
    changes = _update(sessions, dx, "1-1-(2)", form, version)
    assert [(c.field, c.old, c.new) for c in changes] == [
        ("terminated", False, True),
        ("terminated.reason", None, "1-1-(3)に統合"),
        ("terminated.successor", None, "1-1-(3)"),
    ]
    after, _ = _form_and_version(sessions, "1-1-(2)")
    assert after["terminated"] == {"reason": "1-1-(3)に統合", "successor": "1-1-(3)"}


def test_editing_an_initiative_costs_the_same_queries_in_a_plan_four_times_larger(
    sessions: sessionmaker[Session], engine: Engine
) -> None:
    small = load_demo_package(PLAN)
    large = load_demo_package(PLAN)
    large["plan"]["id"] = "hadano-ict-plan-large"
    for n in range(1, 4):
        for item in load_demo_package(PLAN)["initiatives"]:
            item["code"] = f"{item['code']}-{n}"
            item.pop("terminated", None)
            large["initiatives"].append(item)
    _import(sessions, small)
    _import(sessions, large)
    _open_revision(sessions)
    _open_revision(sessions, "hadano-ict-plan-large")
    dx = Context(Actor.user(1, HADANO, [Role.DX_DIVISION]), HADANO)
    counts = []
    for plan_id in (PLAN, "hadano-ict-plan-large"):
        with sessions() as session:
            version = session.scalars(
                select(Initiative.row_version)
                .join(Initiative.plan)
                .where(Initiative.code == "1-1-(1)", Plan.slug == plan_id)
            ).one()
        form = next(i for i in _export(sessions, HADANO, plan_id)["initiatives"])
        form["title"] = "題名を変える"
        with counting(engine) as statements, unit_of_work(sessions) as session:
            update_initiative(session, dx, plan_id, "1-1-(1)", form, version)
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_a_recoded_section_keeps_its_id_and_the_audit_shows_its_old_code(
    sessions: sessionmaker[Session],
) -> None:
    _import(sessions, load_demo_package(PLAN))
    doc = _export(sessions)
    section = next(s for s in doc["sections"] if s["code"] == "1-1")
    section["code"] = "1-1a"
    for other in doc["sections"]:
        if other.get("parent") == "1-1":
            other["parent"] = "1-1a"
    for item in doc["initiatives"]:
        if item["section"] == "1-1":
            item["section"] = "1-1a"
    _import(sessions, doc, replace=True)
    after = _export(sessions)
    assert next(s for s in after["sections"] if s["code"] == "1-1a")["uid"] == section["uid"]
    [entry] = _entries(sessions, "plan.replace")[-1:]
    assert {"field": "sections[1].code", "old": "1-1", "new": "1-1a", "uid": section["uid"]} in (
        entry.changes or []
    )


def test_an_initiative_inserted_first_leaves_the_versions_of_the_others_alone(
    sessions: sessionmaker[Session],
) -> None:
    _import(sessions, load_demo_package(PLAN))
    with sessions() as session:
        before = dict(session.execute(select(Initiative.code, Initiative.row_version)).all())
    doc = _export(sessions)
    doc["initiatives"].insert(0, {"code": "0-0", "section": "1-1", "title": "先頭の取組"})
    _import(sessions, doc, replace=True)
    with sessions() as session:
        after = dict(session.execute(select(Initiative.code, Initiative.row_version)).all())
    assert after.pop("0-0") == 1
    assert after == before
    assert [i["code"] for i in _export(sessions)["initiatives"]] == [
        i["code"] for i in doc["initiatives"]
    ]


def test_plans_are_drafts_until_the_dx_division_publishes_them(
    sessions: sessionmaker[Session],
) -> None:
    _import(sessions, load_demo_package(PLAN))
    editor = _editor(sessions, "デジタル推進課")
    dx = Context(Actor.user(1, HADANO, [Role.DX_DIVISION]), HADANO)
    stranger = Context(Actor.user(2, "142140", [Role.ADMIN]), HADANO)
    with sessions() as session:
        assert session.scalars(select(Plan.public)).one() is False
    with pytest.raises(PermissionDeniedError), unit_of_work(sessions) as session:
        set_publication(session, editor, PLAN, public=True)
    with pytest.raises(NotFoundError), unit_of_work(sessions) as session:
        set_publication(session, stranger, PLAN, public=True)
    with unit_of_work(sessions) as session:
        assert set_publication(session, dx, PLAN, public=True) is True
    with unit_of_work(sessions) as session:
        assert set_publication(session, dx, PLAN, public=True) is False  # already public
    with sessions() as session:
        plan = session.scalars(select(Plan)).one()
        assert plan.public is True
        assert plan.public_since is not None
    [entry] = _entries(sessions, "plan.publish")
    assert entry.actor_id == "user:1"
    assert entry.changes is not None
    assert entry.changes[0] == {"field": "public", "old": False, "new": True}
    with unit_of_work(sessions) as session:
        set_publication(session, dx, PLAN, public=False)
    assert len(_entries(sessions, "plan.unpublish")) == 1
