"""scores and predictive models

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 11:52:39.726345
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "predictive_models",
        sa.Column("target", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("trained_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("window_end", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "features",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "metrics",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "calibration",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "readiness",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("artefact", sa.LargeBinary(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column(
            "workspace_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_predictive_models_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_predictive_models")),
        sa.UniqueConstraint(
            "workspace_id",
            "target",
            "version",
            name=op.f("uq_predictive_models_workspace_id_target_version"),
        ),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("predictive_models", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_predictive_models_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "predictions",
        sa.Column("model_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("object_type", sa.String(length=20), nullable=False),
        sa.Column(
            "record_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("probability", sa.Double(), nullable=False),
        sa.Column("band", sa.String(length=1), nullable=False),
        sa.Column("predicted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "workspace_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["model_id"],
            ["predictive_models.id"],
            name=op.f("fk_predictions_model_id_predictive_models"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_predictions_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_predictions")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("predictions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_predictions_model_id"), ["model_id"], unique=False)
        batch_op.create_index(
            "ix_predictions_record",
            ["workspace_id", "object_type", "record_id", "predicted_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_predictions_workspace_id"), ["workspace_id"], unique=False
        )

    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("score", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("score_band", sa.String(length=1), nullable=True))
        batch_op.add_column(
            sa.Column(
                "score_reasons",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("score_model", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("scored_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            "ix_contacts_workspace_score", ["workspace_id", "score"], unique=False
        )

    with op.batch_alter_table("deals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("win_probability", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("win_band", sa.String(length=1), nullable=True))
        batch_op.add_column(
            sa.Column(
                "win_reasons",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("win_model", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("scored_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("stalled_since", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:

    with op.batch_alter_table("deals", schema=None) as batch_op:
        batch_op.drop_column("stalled_since")
        batch_op.drop_column("scored_at")
        batch_op.drop_column("win_model")
        batch_op.drop_column("win_reasons")
        batch_op.drop_column("win_band")
        batch_op.drop_column("win_probability")

    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index("ix_contacts_workspace_score")
        batch_op.drop_column("scored_at")
        batch_op.drop_column("score_model")
        batch_op.drop_column("score_reasons")
        batch_op.drop_column("score_band")
        batch_op.drop_column("score")

    with op.batch_alter_table("predictions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_predictions_workspace_id"))
        batch_op.drop_index("ix_predictions_record")
        batch_op.drop_index(batch_op.f("ix_predictions_model_id"))

    op.drop_table("predictions")
    with op.batch_alter_table("predictive_models", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_predictive_models_workspace_id"))

    op.drop_table("predictive_models")
