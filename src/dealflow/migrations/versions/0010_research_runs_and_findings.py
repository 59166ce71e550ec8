"""research runs and findings of the prospecting agent (what a company's website says,
quoted, with source URLs)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 05:09:38.414632
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RECORD_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "research_runs",
        sa.Column("company_id", RECORD_ID, nullable=False),
        sa.Column("contact_id", RECORD_ID, nullable=True),
        sa.Column("requested_by", RECORD_ID, nullable=True),
        sa.Column("start_url", sa.String(length=2000), nullable=False),
        sa.Column("method", sa.String(length=100), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("pages", JSON, nullable=False),
        sa.Column("refused", JSON, nullable=False),
        sa.Column("set_aside", JSON, nullable=False),
        sa.Column("workspace_id", RECORD_ID, nullable=False),
        sa.Column("id", RECORD_ID, nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_research_runs_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_research_runs_contact_id_contacts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by"],
            ["users.id"],
            name=op.f("fk_research_runs_requested_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_research_runs_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_research_runs")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("research_runs", schema=None) as batch_op:
        batch_op.create_index(
            "ix_research_runs_company", ["workspace_id", "company_id", "started_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_research_runs_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "research_findings",
        sa.Column("run_id", RECORD_ID, nullable=False),
        sa.Column("company_id", RECORD_ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("snippet", sa.Text(), nullable=False),
        sa.Column("source_url", sa.String(length=2000), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("method", sa.String(length=100), nullable=False),
        sa.Column("workspace_id", RECORD_ID, nullable=False),
        sa.Column("id", RECORD_ID, nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_research_findings_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["research_runs.id"],
            name=op.f("fk_research_findings_run_id_research_runs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_research_findings_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_research_findings")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("research_findings", schema=None) as batch_op:
        batch_op.create_index(
            "ix_research_findings_company", ["workspace_id", "company_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_research_findings_run_id"), ["run_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_research_findings_workspace_id"), ["workspace_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("research_findings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_research_findings_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_research_findings_run_id"))
        batch_op.drop_index("ix_research_findings_company")

    op.drop_table("research_findings")
    with op.batch_alter_table("research_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_research_runs_workspace_id"))
        batch_op.drop_index("ix_research_runs_company")

    op.drop_table("research_runs")
