"""the parts of an initiative are versioned with it (no row versions of their own), and insert
sentinels let many new rows of a table be written in one statement

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08

An initiative's departments, activities and their years, results, indicators and their values,
goals and fiscal effects change only through their initiative, whose row version every such
change moves: their own row versions are dropped. The tables written in bulk get a nullable
`_sentinel` column (SQLAlchemy's insert sentinel), which SQLite needs to insert many rows in
one statement and match them to their new ids.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PARTS = (
    "initiative_department", "activity", "activity_year", "initiative_result", "indicator",
    "indicator_value", "goal", "fiscal_effect",
)  # fmt: skip
BATCHED = (
    *PARTS, "scale_label", "section", "initiative", "published_figure", "revision_change",
    "glossary_entry", "audit_entry",
)  # fmt: skip


def upgrade() -> None:
    for table in PARTS:
        if op.get_context().dialect.name == "sqlite":
            # SQLite (3.35+) drops a plain column in place; batch mode would copy the table.
            op.execute(sa.text(f'ALTER TABLE "{table}" DROP COLUMN row_version'))
        else:
            op.drop_column(table, "row_version")
    for table in BATCHED:
        op.add_column(table, sa.Column("_sentinel", sa.Integer(), nullable=True))


def downgrade() -> None:
    for table in reversed(BATCHED):
        if op.get_context().dialect.name == "sqlite":
            op.execute(sa.text(f'ALTER TABLE "{table}" DROP COLUMN _sentinel'))
        else:
            op.drop_column(table, "_sentinel")
    for table in PARTS:
        op.add_column(
            table,
            sa.Column("row_version", sa.Integer(), nullable=False, server_default=sa.text("1")),
        )
