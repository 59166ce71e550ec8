"""data quality: score snapshots, the cleansing agent's changesets and their items; a
workspace's phone region and quality targets

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 05:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RECORD_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _workspace_columns(table: str) -> list[sa.Column[int] | sa.Constraint]:
    return [
        sa.Column("workspace_id", RECORD_ID, nullable=False),
        sa.Column("id", RECORD_ID, nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f(f"fk_{table}_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.add_column(sa.Column("phone_region", sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column("quality_targets", sa.JSON(), nullable=True))
    op.create_table(
        "quality_snapshots",
        sa.Column("measured_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("dimensions", JSON, nullable=False),
        sa.Column("problems", JSON, nullable=False),
        *_workspace_columns("quality_snapshots"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("quality_snapshots", schema=None) as batch_op:
        batch_op.create_index(
            "ix_quality_snapshots_workspace_time", ["workspace_id", "measured_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_quality_snapshots_workspace_id"), ["workspace_id"], unique=False
        )
    op.create_table(
        "cleanse_changesets",
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", RECORD_ID, nullable=True),
        sa.Column("score_before", sa.Double(), nullable=True),
        sa.Column("summary", JSON, nullable=False),
        *_workspace_columns("cleanse_changesets"),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_cleanse_changesets_decided_by_users")
        ),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("cleanse_changesets", schema=None) as batch_op:
        batch_op.create_index(
            "ix_cleanse_changesets_workspace_time", ["workspace_id", "created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_cleanse_changesets_workspace_id"), ["workspace_id"], unique=False
        )
    op.create_table(
        "cleanse_changeset_items",
        sa.Column("changeset_id", RECORD_ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("object_type", sa.String(length=30), nullable=False),
        sa.Column("record_id", RECORD_ID, nullable=False),
        sa.Column("property", sa.String(length=100), nullable=True),
        sa.Column("old_value", JSON, nullable=True),
        sa.Column("new_value", JSON, nullable=True),
        sa.Column("confidence", sa.Double(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("details", JSON, nullable=False),
        sa.Column("journal", JSON, nullable=False),
        *_workspace_columns("cleanse_changeset_items"),
        sa.ForeignKeyConstraint(
            ["changeset_id"],
            ["cleanse_changesets.id"],
            name=op.f("fk_cleanse_changeset_items_changeset_id_cleanse_changesets"),
            ondelete="CASCADE",
        ),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("cleanse_changeset_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cleanse_changeset_items_changeset_id"), ["changeset_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_cleanse_changeset_items_workspace_id"), ["workspace_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("cleanse_changeset_items")
    op.drop_table("cleanse_changesets")
    op.drop_table("quality_snapshots")
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.drop_column("quality_targets")
        batch_op.drop_column("phone_region")
