"""outbox without the index of workspace_id alone: ix_outbox_workspace_topic leads with
workspace_id and serves every query (and cascading delete) the dropped one did, while each
index is paid by every event written (a bulk import's record.created events above all)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 10:15:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_workspace_id")


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_workspace_id", ["workspace_id"], unique=False)
