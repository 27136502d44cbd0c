"""The lock of a reporting round, as `editing.services.update_initiative` asks it.

A yearly field belongs to the fiscal year in its path (`indicators[0].actuals.2023`; a span
"2021-2023" to each of its years); a goal's verdict and note, which carry no year, to the plan's
latest round. A year whose round the committee approved is locked: changing it is a correction,
which needs a reason and Change.RUN_ROUND (DX division, admin). While a round is open, a
department editor cannot change the year's fields of an initiative once its department's report
is submitted or accepted (a return reopens them): InvalidChangeError, as the
state, not the editor's role, stands in the way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from dxplan.accounts.rules import Actor, Change, Verdict, decide
from dxplan.errors import InvalidChangeError, NotFoundError, PermissionDeniedError
from dxplan.problems import Problem
from dxplan.reporting.models import ReportingRound, RoundSubmission
from dxplan.reporting.rules import RoundState, editable_by_department, year_span

_YEAR = re.compile(r"\.([0-9]{4}(?:-[0-9]{4})?)$")


def field_years(fields: Iterable[str], latest_round: int | None) -> set[int]:
    """The fiscal years that changes to yearly `fields` belong to (see the module)."""
    years: set[int] = set()
    for path in fields:
        match = _YEAR.search(path)
        if match:
            start, end = year_span(match.group(1))
            years.update(range(start, end + 1))
        elif path.startswith("goals[") and latest_round is not None:
            years.add(latest_round)
    return years


class YearLocks:
    """The reporting rounds of one plan, loaded once (one query), to judge any number of
    yearly changes of its initiatives."""

    def __init__(self, rounds: Iterable[ReportingRound]) -> None:
        self.rounds = {r.fiscal_year: r for r in rounds}

    @classmethod
    def load(cls, session: Session, plan_id: int) -> YearLocks:
        """The plan's rounds with their submissions and departments."""
        statement = (
            select(ReportingRound)
            .where(ReportingRound.plan_id == plan_id)
            .options(
                selectinload(ReportingRound.submissions).selectinload(RoundSubmission.department)
            )
        )
        return cls(session.scalars(statement))

    def guard(
        self,
        actor: Actor,
        municipality_code: str,
        department_ids: Iterable[int],
        fields: list[str],
        reason: str | None,
    ) -> list[int]:
        """Refuse yearly changes that a round's state forbids; return the locked fiscal years
        that the change corrects (with its reason), empty when it corrects none."""
        rounds = self.rounds
        if not fields or not rounds:
            return []
        years = field_years(fields, max(rounds))
        locked = sorted(
            fy for fy in years if fy in rounds and rounds[fy].state is RoundState.APPROVED
        )
        runs_rounds = decide(actor, Change.RUN_ROUND, municipality_code)
        if runs_rounds.verdict is Verdict.NOT_FOUND:
            raise NotFoundError("not found")
        if locked:
            shown = "、".join(f"{fy}年度" for fy in locked)
            if not runs_rounds.allowed:
                raise PermissionDeniedError(
                    f"{shown}の実績は推進委員会の承認により確定しています。"
                    "訂正できるのはDX推進担当課だけです（訂正の理由が必要です）。"
                )
            if not (reason or "").strip():
                expected = f"{shown}は確定済みです。訂正する理由を入力してください"
                raise InvalidChangeError([Problem("reason", "（なし）", expected, "訂正の理由")])
        if not runs_rounds.allowed:
            self._refuse_submitted(actor, set(department_ids), years)
        return locked

    def _refuse_submitted(self, actor: Actor, department_ids: set[int], years: set[int]) -> None:
        """An editor's change of a year its department already submitted (or had accepted)."""
        mine = department_ids & actor.department_ids
        for fy in sorted(years):
            found = self.rounds.get(fy)
            if found is None or found.state is not RoundState.OPEN:
                continue
            closed = [
                s.department.name
                for s in found.submissions
                if s.department_id in mine and not editable_by_department(s.state)
            ]
            if closed:
                expected = (
                    f"{'、'.join(closed)}の{fy}年度の報告は提出済みです。"
                    "DX推進担当課が差し戻すまで変更できません"
                )
                label = f"{fy}年度の実績"
                raise InvalidChangeError([Problem(f"{fy}", "提出済み", expected, label)])


def guard_yearly_changes(
    session: Session,
    actor: Actor,
    municipality_code: str,
    plan_id: int,
    department_ids: Iterable[int],
    fields: list[str],
    reason: str | None,
) -> list[int]:
    """`YearLocks.guard` for one change: the plan's rounds loaded for it (one query)."""
    if not fields:
        return []
    locks = YearLocks.load(session, plan_id)
    return locks.guard(actor, municipality_code, department_ids, fields, reason)
