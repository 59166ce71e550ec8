"""inquiry classification: a workspace's labels, the classifier's answers, the labels people
gave (training data and corrections) and the trained models

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 05:04:55.818828
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inquiry_classifications",
        sa.Column("object_type", sa.String(length=20), nullable=False),
        sa.Column(
            "record_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("label", sa.String(length=60), nullable=False),
        sa.Column("confidence", sa.Double(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("model_version", sa.Integer(), nullable=True),
        sa.Column("classified_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "workspace_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_inquiry_classifications_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inquiry_classifications")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("inquiry_classifications", schema=None) as batch_op:
        batch_op.create_index(
            "ix_inquiry_classifications_record",
            ["workspace_id", "object_type", "record_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_inquiry_classifications_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "inquiry_labels",
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("is_sales", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "workspace_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_inquiry_labels_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inquiry_labels")),
        sa.UniqueConstraint(
            "workspace_id", "name", name=op.f("uq_inquiry_labels_workspace_id_name")
        ),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("inquiry_labels", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inquiry_labels_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "inquiry_models",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("trained_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("embedder", sa.String(length=80), nullable=False),
        sa.Column(
            "labels",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "metrics",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("artefact", sa.LargeBinary(), nullable=False),
        sa.Column(
            "workspace_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_inquiry_models_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inquiry_models")),
        sa.UniqueConstraint(
            "workspace_id", "version", name=op.f("uq_inquiry_models_workspace_id_version")
        ),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("inquiry_models", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inquiry_models_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "inquiry_feedback",
        sa.Column("object_type", sa.String(length=20), nullable=True),
        sa.Column("record_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("label", sa.String(length=60), nullable=False),
        sa.Column(
            "corrects_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("given_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("given_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "workspace_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["corrects_id"],
            ["inquiry_classifications.id"],
            name=op.f("fk_inquiry_feedback_corrects_id_inquiry_classifications"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["given_by"], ["users.id"], name=op.f("fk_inquiry_feedback_given_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_inquiry_feedback_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inquiry_feedback")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("inquiry_feedback", schema=None) as batch_op:
        batch_op.create_index(
            "ix_inquiry_feedback_record", ["workspace_id", "object_type", "record_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_inquiry_feedback_workspace_id"), ["workspace_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("inquiry_feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inquiry_feedback_workspace_id"))
        batch_op.drop_index("ix_inquiry_feedback_record")

    op.drop_table("inquiry_feedback")
    with op.batch_alter_table("inquiry_models", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inquiry_models_workspace_id"))

    op.drop_table("inquiry_models")
    with op.batch_alter_table("inquiry_labels", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inquiry_labels_workspace_id"))

    op.drop_table("inquiry_labels")
    with op.batch_alter_table("inquiry_classifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inquiry_classifications_workspace_id"))
        batch_op.drop_index("ix_inquiry_classifications_record")

    op.drop_table("inquiry_classifications")
