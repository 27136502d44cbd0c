"""Permission rules: what an actor may do to what, as one pure function (standard library only).

Every service asks `decide` before it writes (and the web layer before it shows a draft), so that
pages, API and CLI apply the same rules. A target of another municipality is not merely
forbidden: it is `Verdict.NOT_FOUND`, so that nothing reveals that it exists (404, not 403).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field

from dxplan.accounts.labels import ROLE_NAMES


class Role(enum.StrEnum):
    """A user's role in one municipality."""

    ADMIN = "admin"  # users, and everything the DX division may do
    DX_DIVISION = "dx_division"  # the plan's structure, every initiative, revisions, publishing
    DEPARTMENT_EDITOR = "department_editor"  # the yearly fields of its departments' initiatives
    COMMITTEE = "committee"  # reads everything of its municipality, drafts included
    VIEWER = "viewer"  # reads everything of its municipality, drafts included


class Change(enum.StrEnum):
    """A kind of access, from reading a draft to managing users."""

    READ_DRAFT = "read_draft"  # read what is not published
    REPORT = "report"  # yearly fields: actual phases, statuses, results, actuals, goal verdicts
    EDIT_PLAN = "edit_plan"  # structure and planned fields: sections, initiatives, targets
    IMPORT_PLAN = "import_plan"  # create or replace a whole plan from a package
    PUBLISH = "publish"  # publish or unpublish a plan
    REVISE = "revise"  # open, edit and adopt revisions (改訂)
    MANAGE_USERS = "manage_users"  # accounts and roles
    RUN_ROUND = (
        "run_round"  # open a reporting round, accept or return reports, correct a locked year
    )
    APPROVE_ROUND = "approve_round"  # approve a reporting round, which locks its fiscal year


CHANGE_NAMES_JA: dict[Change, str] = {
    Change.READ_DRAFT: "非公開の計画の閲覧",
    Change.REPORT: "実績の報告",
    Change.EDIT_PLAN: "計画の内容の変更",
    Change.IMPORT_PLAN: "計画の取込",
    Change.PUBLISH: "計画の公開",
    Change.REVISE: "改訂",
    Change.MANAGE_USERS: "利用者の管理",
    Change.RUN_ROUND: "実績報告の運営",
    Change.APPROVE_ROUND: "実績報告の承認",
}
"""What each kind of access is called on pages and in messages."""


class Verdict(enum.StrEnum):
    """The answer: allowed, forbidden (403), or not found (404: another municipality's)."""

    ALLOWED = "allowed"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"


# What each role may do within its own municipality. A department editor's REPORT is further
# limited to the initiatives of its departments (see `decide`).
_GRANTS: dict[Role, frozenset[Change]] = {
    Role.ADMIN: frozenset(Change),
    Role.DX_DIVISION: frozenset(Change) - {Change.MANAGE_USERS, Change.APPROVE_ROUND},
    Role.DEPARTMENT_EDITOR: frozenset({Change.READ_DRAFT, Change.REPORT}),
    Role.COMMITTEE: frozenset({Change.READ_DRAFT, Change.APPROVE_ROUND}),
    Role.VIEWER: frozenset({Change.READ_DRAFT}),
}


def role_name_ja(role: Role) -> str:
    """The Japanese name of a role, for pages."""
    return ROLE_NAMES[role]


@dataclass(frozen=True)
class Actor:
    """Who acts: a user of one municipality, or a system actor (the CLI) acting for any.

    `id` is stable and goes into audit entries ("user:42", "system:cli").
    """

    id: str
    municipality_code: str | None = None
    roles: frozenset[Role] = frozenset()
    department_ids: frozenset[int] = frozenset()
    system: bool = False
    name: str = field(default="", compare=False)

    @classmethod
    def system_actor(cls, name: str) -> Actor:
        """A system actor, such as the command line ("system:cli")."""
        return cls(id=f"system:{name}", system=True, name=name)

    @classmethod
    def user(
        cls,
        user_id: int | str,
        municipality_code: str,
        roles: Iterable[Role],
        department_ids: Iterable[int] = (),
        name: str = "",
    ) -> Actor:
        """A user of one municipality with its roles (and departments, for an editor)."""
        return cls(
            id=f"user:{user_id}",
            municipality_code=municipality_code,
            roles=frozenset(roles),
            department_ids=frozenset(department_ids),
            name=name,
        )


@dataclass(frozen=True)
class Decision:
    """A verdict with its reason, in words a user can act on."""

    verdict: Verdict
    reason: str

    @property
    def allowed(self) -> bool:
        return self.verdict is Verdict.ALLOWED


def decide(
    actor: Actor,
    change: Change,
    municipality_code: str,
    department_ids: Iterable[int] = (),
) -> Decision:
    """May `actor` make `change` to a target of `municipality_code`?

    `department_ids` are the departments that lead, take part in or implement the target
    initiative (for REPORT); they do not matter for other changes.
    """
    if actor.system:
        return Decision(Verdict.ALLOWED, "システムによる操作です。")
    if actor.municipality_code != municipality_code:
        return Decision(Verdict.NOT_FOUND, "ほかの団体の情報です。")
    granting = [role for role in actor.roles if change in _GRANTS[role]]
    if not granting:
        roles = "、".join(role_name_ja(r) for r in sorted(actor.roles)) or "役割のない利用者"
        what = CHANGE_NAMES_JA[change]
        return Decision(Verdict.FORBIDDEN, f"{roles}には「{what}」の権限がありません。")
    only_editor = granting == [Role.DEPARTMENT_EDITOR]
    if change is Change.REPORT and only_editor and actor.department_ids.isdisjoint(department_ids):
        return Decision(
            Verdict.FORBIDDEN,
            "担当課編集者が報告できるのは、所属課が主管・関係・実施する取組だけです。",
        )
    names = "、".join(role_name_ja(r) for r in sorted(granting))
    return Decision(Verdict.ALLOWED, f"{names}には「{CHANGE_NAMES_JA[change]}」の権限があります。")
