"""A plan's glossary (用語解説) on a real database: import, export, replace by term, query."""

from __future__ import annotations

import copy
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from dxplan.audit.models import AuditEntry
from dxplan.db import unit_of_work
from dxplan.interchange.exporter import export_package
from dxplan.interchange.importer import import_package
from dxplan.plans.models import GlossaryEntry, Plan
from dxplan.plans.queries import glossary_for_plan

from support import SYSTEM, counting, load_demo_package

HADANO = "142115"
PLAN = "hadano-ict-plan"

GLOSSARY = [
    {"term": "RPA", "reading": "アール・ピー・エー", "explanation": "定型作業の自動化です。"},
    {"term": "オープンデータ", "explanation": "公開されたデータです。\n第二段落。"},
    {"term": "AI", "explanation": "人工知能です。", "note": "見出しは「AI (人工知能)」"},
]


def _package(glossary: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    doc = load_demo_package(PLAN)
    doc["glossary"] = copy.deepcopy(GLOSSARY if glossary is None else glossary)
    return doc


def _import(sessions: sessionmaker[Session], doc: dict[str, Any], *, replace: bool = False) -> Any:
    with unit_of_work(sessions) as session:
        outcome = import_package(session, doc, source="test.json", actor=SYSTEM, replace=replace)
        return outcome.added, outcome.changed, outcome.removed


def _export(sessions: sessionmaker[Session]) -> dict[str, Any]:
    with unit_of_work(sessions) as session:
        return export_package(session, HADANO, PLAN, ids=False)


def _replace_entry(sessions: sessionmaker[Session]) -> AuditEntry:
    with sessions() as session:
        query = select(AuditEntry).where(AuditEntry.action == "plan.replace")
        entry = session.scalars(query.order_by(AuditEntry.id.desc())).first()
    assert entry is not None
    return entry


def test_a_glossary_is_exported_exactly_as_it_was_imported(
    sessions: sessionmaker[Session],
) -> None:
    doc = _package()
    _import(sessions, doc)
    exported = _export(sessions)
    assert exported["glossary"] == GLOSSARY
    assert exported == doc
    assert list(exported)[-1] == "glossary"


def test_a_glossary_stated_empty_stays_empty_and_one_not_given_stays_absent(
    sessions: sessionmaker[Session],
) -> None:
    _import(sessions, _package([]))
    assert _export(sessions)["glossary"] == []
    without = load_demo_package(PLAN)
    _import(sessions, without, replace=True)
    assert "glossary" not in _export(sessions)


def test_replacing_a_glossary_matches_entries_by_term_and_records_each_change(
    sessions: sessionmaker[Session],
) -> None:
    _import(sessions, _package())
    with sessions() as session:
        ids = dict(session.execute(select(GlossaryEntry.term, GlossaryEntry.id)).all())
    edited = copy.deepcopy(GLOSSARY)
    edited[1]["explanation"] = "機械判読に適したデータです。"
    del edited[0]  # RPA goes
    edited.append({"term": "DX", "explanation": "デジタル・トランスフォーメーションです。"})

    added, changed, removed = _import(sessions, _package(edited), replace=True)

    assert added == ["glossary term DX"]
    assert changed == ["glossary term オープンデータ"]
    assert removed == ["glossary term RPA"]
    assert _export(sessions)["glossary"] == edited
    with sessions() as session:
        after = dict(session.execute(select(GlossaryEntry.term, GlossaryEntry.id)).all())
    assert after["オープンデータ"] == ids["オープンデータ"]
    assert after["AI"] == ids["AI"]
    entry = _replace_entry(sessions)
    assert entry.changes == [
        {
            "field": "glossary",
            "old": ["RPA", "オープンデータ", "AI"],
            "new": ["オープンデータ", "AI", "DX"],
        },
        {
            "field": "glossary.オープンデータ.explanation",
            "old": GLOSSARY[1]["explanation"],
            "new": "機械判読に適したデータです。",
        },
    ]
    assert entry.detail is not None
    assert entry.detail["removed"] == ["glossary term RPA"]


def test_replacing_with_the_same_glossary_changes_nothing(sessions: sessionmaker[Session]) -> None:
    _import(sessions, _package())
    assert _import(sessions, _package(), replace=True) == ([], [], [])
    assert _replace_entry(sessions).changes is None


def test_a_reading_and_a_note_can_be_added_and_taken_away(sessions: sessionmaker[Session]) -> None:
    _import(sessions, _package())
    edited = copy.deepcopy(GLOSSARY)
    del edited[0]["reading"]
    edited[1]["reading"] = "オープンデータ"
    _import(sessions, _package(edited), replace=True)
    assert _export(sessions)["glossary"] == edited
    changes = _replace_entry(sessions).changes
    assert changes == [
        {"field": "glossary.RPA.reading", "old": "アール・ピー・エー", "new": None},
        {"field": "glossary.オープンデータ.reading", "old": None, "new": "オープンデータ"},
    ]


def test_deleting_a_plan_deletes_its_glossary(sessions: sessionmaker[Session]) -> None:
    _import(sessions, _package())
    with unit_of_work(sessions) as session:
        session.delete(session.scalars(select(Plan)).one())
    with sessions() as session:
        assert session.scalar(select(func.count(GlossaryEntry.id))) == 0


def test_glossary_for_plan_returns_the_entries_in_order_in_one_query(
    sessions: sessionmaker[Session], engine: Engine
) -> None:
    _import(sessions, _package())
    _import(sessions, {**load_demo_package("isehara-ict-action-plan"), "glossary": GLOSSARY[:1]})
    with sessions() as session, counting(engine) as statements:
        entries = glossary_for_plan(session, HADANO, PLAN)
        assert [e.term for e in entries] == ["RPA", "オープンデータ", "AI"]
        assert entries[0].reading == "アール・ピー・エー"
        assert entries[2].note == "見出しは「AI (人工知能)」"
    assert len(statements) == 1


def test_glossary_for_plan_of_another_municipality_or_unknown_plan_is_empty(
    sessions: sessionmaker[Session],
) -> None:
    _import(sessions, _package())
    with sessions() as session:
        assert glossary_for_plan(session, "142140", PLAN) == []
        assert glossary_for_plan(session, HADANO, "no-such-plan") == []
