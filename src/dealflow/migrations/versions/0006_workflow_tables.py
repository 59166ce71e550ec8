"""workflow tables (enrolments, steps, run trail)

Revision ID: 0006
Revises: 0004
Create Date: 2026-11-28 02:38:59.410854
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RECORD_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "workflows",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("object_type", sa.String(length=30), nullable=False),
        sa.Column("current_version", sa.Integer(), nullable=False),
        sa.Column("is_enabled", sa.Boolean(), nullable=False),
        sa.Column("enabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_scheduled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", RECORD_ID, nullable=False),
        sa.Column("id", RECORD_ID, nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_workflows_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workflows")),
        sa.UniqueConstraint("workspace_id", "name", name=op.f("uq_workflows_workspace_id_name")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("workflows", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_workflows_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "workflow_enrolments",
        sa.Column("workflow_id", RECORD_ID, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("object_type", sa.String(length=30), nullable=False),
        sa.Column("record_id", RECORD_ID, nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("enrolment_key", sa.String(length=200), nullable=False),
        sa.Column("trigger", sa.String(length=60), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("workspace_id", RECORD_ID, nullable=False),
        sa.Column("id", RECORD_ID, nullable=False),
        sa.ForeignKeyConstraint(
            ["workflow_id"],
            ["workflows.id"],
            name=op.f("fk_workflow_enrolments_workflow_id_workflows"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_workflow_enrolments_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workflow_enrolments")),
        sa.UniqueConstraint("enrolment_key", name=op.f("uq_workflow_enrolments_enrolment_key")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("workflow_enrolments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_workflow_enrolments_record",
            ["workspace_id", "object_type", "record_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_workflow_enrolments_workflow_record",
            ["workflow_id", "record_id", "status"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_workflow_enrolments_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "workflow_versions",
        sa.Column("id", RECORD_ID, nullable=False),
        sa.Column("workflow_id", RECORD_ID, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "definition",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workflow_id"],
            ["workflows.id"],
            name=op.f("fk_workflow_versions_workflow_id_workflows"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workflow_versions")),
        sa.UniqueConstraint(
            "workflow_id", "version", name=op.f("uq_workflow_versions_workflow_id_version")
        ),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "workflow_steps",
        sa.Column("id", RECORD_ID, nullable=False),
        sa.Column("enrolment_id", RECORD_ID, nullable=False),
        sa.Column("path", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column(
            "result",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["workflow_enrolments.id"],
            name=op.f("fk_workflow_steps_enrolment_id_workflow_enrolments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workflow_steps")),
        sa.UniqueConstraint(
            "enrolment_id", "path", name=op.f("uq_workflow_steps_enrolment_id_path")
        ),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "workflow_trail",
        sa.Column("enrolment_id", RECORD_ID, nullable=False),
        sa.Column("object_type", sa.String(length=30), nullable=False),
        sa.Column("record_id", RECORD_ID, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column(
            "details",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("workspace_id", RECORD_ID, nullable=False),
        sa.Column("id", RECORD_ID, nullable=False),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["workflow_enrolments.id"],
            name=op.f("fk_workflow_trail_enrolment_id_workflow_enrolments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_workflow_trail_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workflow_trail")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("workflow_trail", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_workflow_trail_enrolment_id"), ["enrolment_id"], unique=False
        )
        batch_op.create_index(
            "ix_workflow_trail_record",
            ["workspace_id", "object_type", "record_id", "at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_workflow_trail_workspace_id"), ["workspace_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("workflow_trail", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workflow_trail_workspace_id"))
        batch_op.drop_index("ix_workflow_trail_record")
        batch_op.drop_index(batch_op.f("ix_workflow_trail_enrolment_id"))

    op.drop_table("workflow_trail")
    op.drop_table("workflow_steps")
    op.drop_table("workflow_versions")
    with op.batch_alter_table("workflow_enrolments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workflow_enrolments_workspace_id"))
        batch_op.drop_index("ix_workflow_enrolments_workflow_record")
        batch_op.drop_index("ix_workflow_enrolments_record")

    op.drop_table("workflow_enrolments")
    with op.batch_alter_table("workflows", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workflows_workspace_id"))

    op.drop_table("workflows")
