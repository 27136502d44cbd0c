"""Import → export on a real database gives the same document back."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from dxplan.db import unit_of_work
from dxplan.interchange.exporter import export_package
from dxplan.interchange.importer import import_package

from support import DEMO_PLAN_IDS, SYSTEM, load_demo_package, shared_path


def _round_trip(sessions: sessionmaker[Session], doc: dict[str, Any]) -> dict[str, Any]:
    with unit_of_work(sessions) as session:
        import_package(session, doc, source="test", actor=SYSTEM)
    with unit_of_work(sessions) as session:
        return export_package(session, doc["municipality"]["code"], doc["plan"]["id"], ids=False)


@pytest.mark.parametrize("plan_id", DEMO_PLAN_IDS)
def test_every_demo_package_survives_import_and_export_unchanged(
    sessions: sessionmaker[Session], plan_id: str
) -> None:
    doc = load_demo_package(plan_id)
    exported = _round_trip(sessions, doc)
    assert exported == doc
    # Whole numbers come back as integers, exactly as they went in.
    assert json.dumps(exported, sort_keys=True) == json.dumps(doc, sort_keys=True)


# Where a demo package was corrected after its reference transcription in ../shared/reference,
# the path (as dxplan.problems.json_path writes it) and the value set there.
# The fixes come from dxplan.plans.package.figure_checks (a value is in its figure's unit).
REFERENCE_FIXES: dict[str, dict[str, Any]] = {
    "hiratsuka-reform-plan-2020-2023.json": {
        # 「約47億円」 (seed 002, 7 総括) is kept as 4,700,000, in 千円 like every money figure.
        "$.published_figures[231].unit": "千円",
    },
}

_PATH_PART = re.compile(r"\.([^.\[]+)|\[([0-9]+)\]")


def _with_fixes(doc: dict[str, Any], fixes: dict[str, Any]) -> dict[str, Any]:
    """``doc`` with each path of ``fixes`` set to its value."""
    for path, value in fixes.items():
        assert path.startswith("$"), path
        parts: list[str | int] = [
            key if key else int(index) for key, index in _PATH_PART.findall(path[1:])
        ]
        node: Any = doc
        for part in parts[:-1]:
            node = node[part]
        node[parts[-1]] = value
    return doc


REFERENCES = [
    ("hiratsuka-dx-action-plan-results", "hiratsuka-dx-action-plan-results.json"),
    ("hadano-ict-plan", "hadano-ict-plan.json"),
    ("hiratsuka-reform-plan-2020-2023", "hiratsuka-reform-plan-2020-2023.json"),
]


def _fixed_reference(reference: str) -> dict[str, Any]:
    """A reference package of ../shared/reference with the fixes listed in REFERENCE_FIXES."""
    doc = json.loads(shared_path("reference", reference).read_text(encoding="utf-8"))
    return _with_fixes(doc, REFERENCE_FIXES.get(reference, {}))


@pytest.mark.parametrize(("plan_id", "reference"), REFERENCES)
def test_a_demo_package_is_its_reference_with_the_listed_fixes(
    plan_id: str, reference: str
) -> None:
    assert load_demo_package(plan_id) == _fixed_reference(reference)


@pytest.mark.parametrize("reference", sorted(REFERENCE_FIXES))
def test_every_listed_fix_changes_the_reference(reference: str) -> None:
    original = json.loads(shared_path("reference", reference).read_text(encoding="utf-8"))
    for path, value in REFERENCE_FIXES[reference].items():
        fixed = _with_fixes(json.loads(json.dumps(original)), {path: value})
        assert fixed != original, path


@pytest.mark.parametrize(("plan_id", "reference"), REFERENCES)
def test_export_reproduces_the_reference_package(
    sessions: sessionmaker[Session], plan_id: str, reference: str
) -> None:
    expected = _fixed_reference(reference)
    assert _round_trip(sessions, load_demo_package(plan_id)) == expected


def test_a_plan_with_its_own_scales_keeps_them_in_order(sessions: sessionmaker[Session]) -> None:
    doc = load_demo_package("hadano-ict-plan")
    doc["plan"]["scales"] = {
        "progress": [
            {"label": "A", "definition": "計画どおり"},
            {"label": "B"},
            {"label": "C"},
            {"label": "D"},
        ],
        "achievement": [{"label": "○"}, {"label": "△"}, {"label": "×"}],
    }
    doc["initiatives"][0]["activities"][0]["status"] = {"2021": "B", "2022": "A"}
    doc["initiatives"][0]["activities"][0]["plan"] = {"2021": "検討", "2022-2023": "導入"}
    assert _round_trip(sessions, doc) == doc


def test_absent_and_stated_empty_collections_stay_distinct(
    sessions: sessionmaker[Session],
) -> None:
    doc = load_demo_package("hiratsuka-reform-plan-2020-2023")
    first = doc["initiatives"][0]
    first["related_departments"] = []  # a blank 関係課 cell
    first.pop("goals", None)  # no goals column at all
    first["indicators"] = [{"name": "件数", "targets": {}, "cumulative": False}]
    doc["revisions"] = [{"date": "2024-03", "changes": []}]
    assert _round_trip(sessions, doc) == doc


def test_optional_fields_given_as_null_come_back_omitted(
    sessions: sessionmaker[Session],
) -> None:
    doc = load_demo_package("hadano-ict-plan")
    doc["initiatives"][0]["aims"] = None
    doc["sections"][0]["description"] = None
    exported = _round_trip(sessions, doc)
    assert "aims" not in exported["initiatives"][0]
    assert "description" not in exported["sections"][0]


def test_a_plan_declaring_only_its_progress_scale_keeps_the_default_achievement_scale(
    sessions: sessionmaker[Session],
) -> None:
    doc = load_demo_package("hiratsuka-reform-plan-2020-2023")
    doc["plan"]["scales"] = {"progress": [{"label": "A"}, {"label": "B"}, {"label": "C"}]}
    assert _round_trip(sessions, doc) == doc  # 達成 etc. still valid for the goals
