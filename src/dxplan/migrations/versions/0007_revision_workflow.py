"""the revision workflow: open and adopted revisions, their snapshots, changes linked to them

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27

Revisions already stored (imported from packages) are adopted and get a uid; they have no
snapshot until a package is imported again. At most one revision of a plan is open (a partial
unique index). Audit entries name the revision a change was made in.
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("state = 'open'")


def upgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("revision") as batch:
        batch.add_column(sa.Column("uid", sa.String(36), nullable=True))
        batch.add_column(
            sa.Column(
                "state",
                sa.Enum("open", "adopted", name="revision_state", native_enum=False, length=32),
                nullable=False,
                server_default="adopted",
            )
        )
        batch.add_column(sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("adopted_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("snapshot", sa.LargeBinary(), nullable=True))
    for row_id in bind.execute(sa.text("SELECT id FROM revision")).scalars().all():
        bind.execute(
            sa.text("UPDATE revision SET uid = :uid WHERE id = :id"),
            {"uid": str(uuid.uuid4()), "id": row_id},
        )
    with op.batch_alter_table("revision") as batch:
        batch.alter_column("uid", existing_type=sa.String(36), nullable=False)
        batch.create_unique_constraint("uq_revision_uid", ["uid"])
    op.create_index(
        "uq_revision_open_plan_id",
        "revision",
        ["plan_id"],
        unique=True,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )
    with op.batch_alter_table("revision_change") as batch:
        batch.add_column(sa.Column("subject_uid", sa.String(36), nullable=True))
        batch.add_column(
            sa.Column("summary_edited", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("audit_entry") as batch:
        batch.add_column(sa.Column("revision_uid", sa.String(36), nullable=True))
        batch.create_index("ix_audit_entry_revision_uid", ["revision_uid"])


def downgrade() -> None:
    with op.batch_alter_table("audit_entry") as batch:
        batch.drop_index("ix_audit_entry_revision_uid")
        batch.drop_column("revision_uid")
    with op.batch_alter_table("revision_change") as batch:
        batch.drop_column("summary_edited")
        batch.drop_column("subject_uid")
    op.drop_index("uq_revision_open_plan_id", table_name="revision")
    # Open revisions are not part of the older schema's history.
    op.execute(sa.text("DELETE FROM revision WHERE state = 'open'"))
    with op.batch_alter_table("revision") as batch:
        batch.drop_constraint("uq_revision_uid", type_="unique")
        batch.drop_column("snapshot")
        batch.drop_column("adopted_at")
        batch.drop_column("opened_at")
        batch.drop_column("state")
        batch.drop_column("uid")
