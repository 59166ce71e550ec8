"""a workspace's own point rules for lead and deal scoring; on PostgreSQL, an index that
ranks contacts by score with the unscored last

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 02:58:43.073602
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RECORD_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "scoring_rules",
        sa.Column("target", sa.String(length=20), nullable=False),
        sa.Column("rules", JSON, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", RECORD_ID, nullable=True),
        sa.Column("workspace_id", RECORD_ID, nullable=False),
        sa.Column("id", RECORD_ID, nullable=False),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name=op.f("fk_scoring_rules_updated_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_scoring_rules_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scoring_rules")),
        sa.UniqueConstraint(
            "workspace_id", "target", name=op.f("uq_scoring_rules_workspace_id_target")
        ),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("scoring_rules", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_scoring_rules_workspace_id"), ["workspace_id"], unique=False
        )
    if op.get_bind().dialect.name == "postgresql":
        op.create_index(
            "ix_contacts_workspace_score_rank",
            "contacts",
            ["workspace_id", sa.text("score DESC NULLS LAST"), sa.text("id DESC")],
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_contacts_workspace_score_rank", table_name="contacts")
    with op.batch_alter_table("scoring_rules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scoring_rules_workspace_id"))
    op.drop_table("scoring_rules")
