"""Full-text search of the plans a reader may see: initiative titles, overviews, aims and
indicator names, alike on SQLite and PostgreSQL.

Text is compared folded (`rules.fold`): NFKC, so that full-width letters and digits match their
ASCII forms and half-width katakana the full-width ones, with ASCII letters in lower case ("ai"
finds "AI" and "ＡＩ"). The query is folded in Python; the stored text in SQL: on PostgreSQL by
`normalize(…, NFKC)` (which needs a UTF8 database, as dxplan's are) and `translate` of A-Z, on
SQLite by the same Python function, given to each connection. Words match anywhere, as
substrings (LIKE with `%`, `_` and `\\` escaped), so one- and two-character words such as "市",
"AI" or "窓口" are found; without an index, each search reads the text of every visible
initiative, which is quick at the size of municipal plans (thousands of initiatives).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Text,
    and_,
    case,
    exists,
    literal,
    or_,
    select,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from dxplan.accounts.rules import Actor
from dxplan.errors import InvalidQueryError
from dxplan.plans.models import Initiative, Plan
from dxplan.plans.parts import Indicator
from dxplan.plans.search_text import (
    MAX_QUERY_LENGTH,
    Snippet,
    fold,
    like_pattern,
    search_terms,
    snippet,
)
from dxplan.plans.visibility import visible_plans
from dxplan.tenancy.models import Municipality

MAX_LIMIT = 200
"""The most results one search returns."""

_SQLITE_FOLD = "dxplan_fold"
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class MatchField(enum.StrEnum):
    """Where the words were found, best first (the order of ranking)."""

    TITLE = "title"
    OVERVIEW = "overview"
    AIMS = "aims"
    INDICATOR = "indicator"


@dataclass(frozen=True)
class SearchHit:
    """An initiative that has every word of the query, with where they were found.

    `snippet` is cut from the field that has most of the words (`field`; for an indicator, the
    name of `indicator_name`), with their places in it to highlight.
    """

    municipality_code: str
    municipality_name: str
    plan_id: str
    plan_title: str
    plan_public: bool
    initiative_code: str
    initiative_uid: str
    initiative_title: str
    field: MatchField
    snippet: Snippet
    indicator_name: str | None = None


class _Folded(FunctionElement[str]):
    """A text folded in SQL as `rules.fold` folds it in Python."""

    type = Text()
    name = "dxplan_fold"
    inherit_cache = True


@compiles(_Folded)
def _fold_elsewhere(element: _Folded, compiler: SQLCompiler, **kw: Any) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(_Folded, "sqlite")
def _fold_sqlite(element: _Folded, compiler: SQLCompiler, **kw: Any) -> str:
    return f"{_SQLITE_FOLD}({compiler.process(element.clauses, **kw)})"


@compiles(_Folded, "postgresql")
def _fold_postgresql(element: _Folded, compiler: SQLCompiler, **kw: Any) -> str:
    text = compiler.process(element.clauses, **kw)
    return f"translate(normalize({text}, NFKC), '{_UPPER}', '{_UPPER.lower()}')"


def _fold_or_null(value: object) -> str | None:
    return None if value is None else fold(str(value))


def _prepare(session: Session) -> None:
    """Give a SQLite connection the fold function (once per connection; no statement runs)."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    pooled = connection.connection
    if not pooled.info.get(_SQLITE_FOLD):
        pooled.driver_connection.create_function(  # type: ignore[union-attr]
            _SQLITE_FOLD, 1, _fold_or_null, deterministic=True
        )
        pooled.info[_SQLITE_FOLD] = True


def _contains(column: Any, pattern: str) -> ColumnElement[bool]:
    return _Folded(column).like(pattern, escape="\\")


def _terms(query: str, limit: int) -> list[str]:
    if len(query) > MAX_QUERY_LENGTH:
        raise InvalidQueryError(
            "query",
            f"{len(query)} characters",
            f"at most {MAX_QUERY_LENGTH} characters",
        )
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidQueryError("limit", str(limit), f"a number from 1 to {MAX_LIMIT}")
    return search_terms(query)


def search(
    session: Session, reader: Actor | None, query: str, *, limit: int = 50
) -> list[SearchHit]:
    """The initiatives of the plans the reader may see that have every word of `query` (words
    separated by white space, half- or full-width) in their title, overview, aims or an
    indicator's name: those with more words in the title first, then by municipality, plan and
    the order of the plan. An empty query finds nothing; InvalidQueryError for a query longer
    than `MAX_QUERY_LENGTH` or a limit outside 1..`MAX_LIMIT` (at most two queries)."""
    terms = _terms(query, limit)
    if not terms:
        return []
    _prepare(session)
    patterns = [like_pattern(term) for term in terms]
    fields = (Initiative.title, Initiative.overview, Initiative.aims)

    def anywhere(pattern: str) -> ColumnElement[bool]:
        in_indicator = exists().where(
            Indicator.initiative_id == Initiative.id, _contains(Indicator.name, pattern)
        )
        return or_(*(_contains(column, pattern) for column in fields), in_indicator)

    in_title: ColumnElement[int] = literal(0)
    for pattern in patterns:
        in_title = in_title + case((_contains(Initiative.title, pattern), 1), else_=0)
    statement = (
        select(
            Municipality.code,
            Municipality.name,
            Plan.slug,
            Plan.title,
            Plan.public,
            Initiative.id,
            Initiative.code,
            Initiative.uid,
            Initiative.title,
            Initiative.overview,
            Initiative.aims,
        )
        .join(Plan, Initiative.plan_id == Plan.id)
        .join(Municipality, Plan.municipality_id == Municipality.id)
        .where(visible_plans(reader), and_(*(anywhere(pattern) for pattern in patterns)))
        .order_by(in_title.desc(), Municipality.code, Plan.slug, Initiative.position)
        .limit(limit)
    )
    rows = session.execute(statement).all()
    if not rows:
        return []
    names = _indicator_names(session, [row[5] for row in rows], patterns)
    return [_hit(row, names.get(row[5], []), terms) for row in rows]


def _indicator_names(
    session: Session, initiative_ids: list[int], patterns: list[str]
) -> dict[int, list[str]]:
    """The names of those initiatives' indicators that have one of the words, in order."""
    statement = (
        select(Indicator.initiative_id, Indicator.name)
        .where(Indicator.initiative_id.in_(initiative_ids))
        .where(or_(*(_contains(Indicator.name, pattern) for pattern in patterns)))
        .order_by(Indicator.initiative_id, Indicator.position)
    )
    names: dict[int, list[str]] = {}
    for initiative_id, name in session.execute(statement):
        names.setdefault(initiative_id, []).append(name)
    return names


def _hit(row: Any, indicator_names: list[str], terms: list[str]) -> SearchHit:
    candidates: list[tuple[MatchField, str]] = [
        (MatchField.TITLE, row[8]),
        (MatchField.OVERVIEW, row[9] or ""),
        (MatchField.AIMS, row[10] or ""),
        *((MatchField.INDICATOR, name) for name in indicator_names),
    ]
    # The field with most of the words; on a tie, the first (title, overview, aims, indicators).
    found = [sum(term in folded for term in terms) for folded in (fold(t) for _, t in candidates)]
    field, text = candidates[found.index(max(found))]
    return SearchHit(
        municipality_code=row[0],
        municipality_name=row[1],
        plan_id=row[2],
        plan_title=row[3],
        plan_public=row[4],
        initiative_code=row[6],
        initiative_uid=row[7],
        initiative_title=row[8],
        field=field,
        snippet=snippet(text, terms),
        indicator_name=text if field is MatchField.INDICATOR else None,
    )
