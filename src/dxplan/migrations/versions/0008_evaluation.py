"""evaluation: scale thresholds and labels outside the order, exact comparisons, people's verdicts

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27

Scale labels get a threshold (least achievement rate), `ordered` (false: 評価できない, 対象外)
and `on_track` (counts for 進捗率). Figures may state "=" (exactly). A person's verdict on an
indicator for a fiscal year is kept beside the computed one (indicator_evaluation).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# dxplan.db.ExactDecimal: NUMERIC on PostgreSQL, REAL on SQLite.
EXACT = sa.Numeric().with_variant(sa.Float(), "sqlite")
_FIGURE_TABLES = ("indicator_value", "fiscal_effect", "published_figure")
_OLD_OPS = "op IN ('>=', '<=', '>', '<')"
_NEW_OPS = "op IN ('>=', '<=', '>', '<', '=')"


def _ops(condition: str) -> None:
    for table in _FIGURE_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f"ck_{table}_op_known"), type_="check")
            batch.create_check_constraint(op.f(f"ck_{table}_op_known"), condition)


def upgrade() -> None:
    with op.batch_alter_table("scale_label") as batch:
        batch.add_column(sa.Column("threshold", EXACT, nullable=True))
        batch.add_column(
            sa.Column("ordered", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch.add_column(
            sa.Column("on_track", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    _ops(_NEW_OPS)
    op.create_table(
        "indicator_evaluation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("fy", sa.Integer(), nullable=False),
        sa.Column("computed_label", sa.String(100), nullable=True),
        sa.Column("computed_rate", EXACT, nullable=True),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
            name=op.f("fk_indicator_evaluation_indicator_id_indicator"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plan.id"],
            name=op.f("fk_indicator_evaluation_plan_id_plan"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_evaluation")),
        sa.UniqueConstraint(
            "indicator_id", "fy", name=op.f("uq_indicator_evaluation_indicator_id_fy")
        ),
    )
    op.create_index(
        op.f("ix_indicator_evaluation_indicator_id"), "indicator_evaluation", ["indicator_id"]
    )
    op.create_index(op.f("ix_indicator_evaluation_plan_id"), "indicator_evaluation", ["plan_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_indicator_evaluation_plan_id"), table_name="indicator_evaluation")
    op.drop_index(op.f("ix_indicator_evaluation_indicator_id"), table_name="indicator_evaluation")
    op.drop_table("indicator_evaluation")
    for table in _FIGURE_TABLES:
        op.execute(sa.text(f"UPDATE {table} SET op = NULL WHERE op = '='"))
    _ops(_OLD_OPS)
    with op.batch_alter_table("scale_label") as batch:
        batch.drop_column("on_track")
        batch.drop_column("ordered")
        batch.drop_column("threshold")
