"""forecast submissions and snapshots; the forecast category of deals

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 02:43:55.677308
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RECORD_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "forecast_snapshots",
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("checkpoint", sa.String(length=20), nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("scope_id", RECORD_ID, nullable=True),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("p10", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("p50", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("p90", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("weighted_pipeline", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("submitted", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("actual", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("graded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("workspace_id", RECORD_ID, nullable=False),
        sa.Column("id", RECORD_ID, nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_forecast_snapshots_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forecast_snapshots")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("forecast_snapshots", schema=None) as batch_op:
        batch_op.create_index(
            "ix_forecast_snapshots_period",
            ["workspace_id", "period", "scope", "scope_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_forecast_snapshots_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "forecast_submissions",
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("user_id", RECORD_ID, nullable=True),
        sa.Column("team_id", RECORD_ID, nullable=True),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("submitted_by", RECORD_ID, nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", RECORD_ID, nullable=False),
        sa.Column("id", RECORD_ID, nullable=False),
        sa.ForeignKeyConstraint(
            ["submitted_by"], ["users.id"], name=op.f("fk_forecast_submissions_submitted_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_forecast_submissions_team_id_teams")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_forecast_submissions_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_forecast_submissions_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forecast_submissions")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("forecast_submissions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_forecast_submissions_period",
            ["workspace_id", "period", "submitted_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_forecast_submissions_workspace_id"), ["workspace_id"], unique=False
        )

    with op.batch_alter_table("deals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("forecast_category", sa.String(length=12), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("deals", schema=None) as batch_op:
        batch_op.drop_column("forecast_category")

    with op.batch_alter_table("forecast_submissions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_forecast_submissions_workspace_id"))
        batch_op.drop_index("ix_forecast_submissions_period")

    op.drop_table("forecast_submissions")
    with op.batch_alter_table("forecast_snapshots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_forecast_snapshots_workspace_id"))
        batch_op.drop_index("ix_forecast_snapshots_period")

    op.drop_table("forecast_snapshots")
