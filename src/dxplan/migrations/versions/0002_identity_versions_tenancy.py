"""stable ids, row versions, tenant integrity in the schema, exact figures, audit old → new

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27

Existing rows are kept: uids are generated, row versions start at 1, the plan and municipality
of each row are filled from its parent, and the audit actor becomes an actor id ("cli" →
"system:cli"). Figure values become exact decimals (NUMERIC on PostgreSQL).
"""

import uuid
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VERSIONED = (
    "municipality", "department", "plan", "scale_label", "section", "initiative",
    "initiative_department", "activity", "activity_year", "initiative_result", "indicator",
    "indicator_value", "goal", "fiscal_effect", "published_figure", "revision", "revision_change",
)  # fmt: skip
IDENTIFIED = ("plan", "section", "initiative", "activity", "indicator", "goal")
FIGURES = ("indicator_value", "fiscal_effect", "published_figure")
# (table, column, parent table, parent's column, link column in table)
TENANT_COLUMNS = (
    ("initiative", "municipality_id", "plan", "municipality_id", "plan_id"),
    ("initiative_department", "municipality_id", "initiative", "municipality_id", "initiative_id"),
    ("activity", "plan_id", "initiative", "plan_id", "initiative_id"),
    ("activity_year", "plan_id", "activity", "plan_id", "activity_id"),
    ("goal", "plan_id", "initiative", "plan_id", "initiative_id"),
)
# Targets of composite foreign keys.
PAIRS = (
    ("department", "municipality_id"),
    ("plan", "municipality_id"),
    ("scale_label", "plan_id"),
    ("section", "plan_id"),
    ("initiative", "plan_id"),
    ("initiative", "municipality_id"),
    ("activity", "plan_id"),
)
DEFERRED: dict[str, Any] = {"deferrable": True, "initially": "DEFERRED"}
# (table, fk name, columns, referred table, referred columns, options); old single-column FKs
# have the same names (naming convention: first column).
NEW_FKS = (
    ("section", ["parent_id", "plan_id"], "section", {"ondelete": "CASCADE", **DEFERRED}),
    ("initiative", ["plan_id", "municipality_id"], "plan", {"ondelete": "CASCADE"}),
    ("initiative", ["section_id", "plan_id"], "section", DEFERRED),
    ("initiative", ["successor_id", "plan_id"], "initiative", DEFERRED),
    ("initiative_department", ["initiative_id", "municipality_id"], "initiative",
     {"ondelete": "CASCADE"}),
    ("initiative_department", ["department_id", "municipality_id"], "department", DEFERRED),
    ("activity", ["initiative_id", "plan_id"], "initiative", {"ondelete": "CASCADE", **DEFERRED}),
    ("activity_year", ["activity_id", "plan_id"], "activity", {"ondelete": "CASCADE", **DEFERRED}),
    ("activity_year", ["status_id", "plan_id"], "scale_label", DEFERRED),
    ("goal", ["initiative_id", "plan_id"], "initiative", {"ondelete": "CASCADE", **DEFERRED}),
    ("goal", ["achievement_id", "plan_id"], "scale_label", DEFERRED),
)  # fmt: skip
OLD_FK_OPTIONS: dict[tuple[str, str], dict[str, Any]] = {
    ("section", "parent_id"): {"ondelete": "CASCADE"},
    ("initiative", "plan_id"): {"ondelete": "CASCADE"},
    ("initiative", "section_id"): {"ondelete": "CASCADE"},
    ("initiative", "successor_id"): {"ondelete": "SET NULL"},
    ("initiative_department", "initiative_id"): {"ondelete": "CASCADE"},
    ("initiative_department", "department_id"): {"ondelete": "CASCADE"},
    ("activity", "initiative_id"): {"ondelete": "CASCADE"},
    ("activity_year", "activity_id"): {"ondelete": "CASCADE"},
    ("activity_year", "status_id"): {},
    ("goal", "initiative_id"): {"ondelete": "CASCADE"},
    ("goal", "achievement_id"): {},
}


def _fk_name(table: str, column: str, referred: str) -> str:
    return f"fk_{table}_{column}_{referred}"


def _tables_in_order(names: Sequence[str]) -> list[str]:
    order = [t for t, *_ in NEW_FKS]
    return sorted(set(names), key=lambda t: order.index(t) if t in order else -1)


def upgrade() -> None:
    bind = op.get_bind()
    # 1. New columns, nullable for now.
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("row_version", sa.Integer(), nullable=True))
            if table in IDENTIFIED:
                batch.add_column(sa.Column("uid", sa.String(36), nullable=True))
            if table in FIGURES:
                batch.add_column(sa.Column("unit", sa.String(100), nullable=True))
            for t, column, *_ in TENANT_COLUMNS:
                if t == table:
                    batch.add_column(sa.Column(column, sa.Integer(), nullable=True))
    # 2. Fill them from what is there.
    for table in VERSIONED:
        op.execute(sa.text(f"UPDATE {table} SET row_version = 1"))
    for table in IDENTIFIED:
        ids = bind.execute(sa.text(f"SELECT id FROM {table}")).scalars().all()
        for row_id in ids:
            bind.execute(
                sa.text(f"UPDATE {table} SET uid = :uid WHERE id = :id"),
                {"uid": str(uuid.uuid4()), "id": row_id},
            )
    for table, column, parent, parent_column, link in TENANT_COLUMNS:
        op.execute(
            sa.text(
                f"UPDATE {table} SET {column} = (SELECT {parent}.{parent_column} FROM {parent} "
                f"WHERE {parent}.id = {table}.{link})"
            )
        )
    # 3. Constraints: not null, unique ids and pairs, composite foreign keys.
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch:
            batch.alter_column("row_version", existing_type=sa.Integer(), nullable=False)
            if table in IDENTIFIED:
                batch.alter_column("uid", existing_type=sa.String(36), nullable=False)
                batch.create_unique_constraint(f"uq_{table}_uid", ["uid"])
            for t, column, *_ in TENANT_COLUMNS:
                if t == table:
                    batch.alter_column(column, existing_type=sa.Integer(), nullable=False)
            for t, column in PAIRS:
                if t == table:
                    batch.create_unique_constraint(f"uq_{table}_id_{column}", ["id", column])
    for table in _tables_in_order([t for t, *_ in NEW_FKS]):
        with op.batch_alter_table(table) as batch:
            for t, columns, referred, options in NEW_FKS:
                if t != table:
                    continue
                name = _fk_name(table, columns[0], referred)
                batch.drop_constraint(name, type_="foreignkey")
                batch.create_foreign_key(name, referred, columns, ["id", columns[1]], **options)
            if table == "initiative_department":
                batch.drop_index("ix_initiative_department_department_id")
                batch.create_index(
                    "ix_initiative_department_department_role", ["department_id", "role"]
                )
    # 4. Exact figures; the audit trail's actor becomes an actor id and gains old → new.
    if bind.dialect.name == "postgresql":
        for table in FIGURES:
            op.alter_column(
                table,
                "value",
                type_=sa.Numeric(),
                existing_type=sa.Float(),
                postgresql_using="value::numeric",
            )
    with op.batch_alter_table("audit_entry") as batch:
        batch.alter_column(
            "actor", new_column_name="actor_id", existing_type=sa.String(200), nullable=False
        )
        batch.add_column(sa.Column("target_uid", sa.String(36), nullable=True))
        batch.add_column(sa.Column("changes", sa.JSON(none_as_null=True), nullable=True))
        batch.drop_index("ix_audit_entry_municipality_id")
        batch.create_index("ix_audit_entry_municipality_at", ["municipality_id", "at"])
        batch.create_index("ix_audit_entry_target_uid", ["target_uid"])
    op.execute(sa.text("UPDATE audit_entry SET actor_id = 'system:' || actor_id"))


def downgrade() -> None:
    bind = op.get_bind()
    op.execute(
        sa.text(
            "UPDATE audit_entry SET actor_id = substr(actor_id, 8) WHERE actor_id LIKE 'system:%'"
        )
    )
    with op.batch_alter_table("audit_entry") as batch:
        batch.drop_index("ix_audit_entry_target_uid")
        batch.drop_index("ix_audit_entry_municipality_at")
        batch.create_index("ix_audit_entry_municipality_id", ["municipality_id"])
        batch.drop_column("changes")
        batch.drop_column("target_uid")
        batch.alter_column(
            "actor_id", new_column_name="actor", existing_type=sa.String(200), nullable=False
        )
    if bind.dialect.name == "postgresql":
        for table in FIGURES:
            op.alter_column(
                table,
                "value",
                type_=sa.Float(),
                existing_type=sa.Numeric(),
                postgresql_using="value::double precision",
            )
    for table in reversed(_tables_in_order([t for t, *_ in NEW_FKS])):
        with op.batch_alter_table(table) as batch:
            for t, columns, referred, _ in NEW_FKS:
                if t != table:
                    continue
                name = _fk_name(table, columns[0], referred)
                batch.drop_constraint(name, type_="foreignkey")
                batch.create_foreign_key(
                    name, referred, [columns[0]], ["id"], **OLD_FK_OPTIONS[table, columns[0]]
                )
            if table == "initiative_department":
                batch.drop_index("ix_initiative_department_department_role")
                batch.create_index("ix_initiative_department_department_id", ["department_id"])
    for table in reversed(VERSIONED):
        with op.batch_alter_table(table) as batch:
            for t, column in PAIRS:
                if t == table:
                    batch.drop_constraint(f"uq_{table}_id_{column}", type_="unique")
            if table in IDENTIFIED:
                batch.drop_constraint(f"uq_{table}_uid", type_="unique")
                batch.drop_column("uid")
            for t, column, *_ in TENANT_COLUMNS:
                if t == table:
                    batch.drop_column(column)
            if table in FIGURES:
                batch.drop_column("unit")
            batch.drop_column("row_version")
