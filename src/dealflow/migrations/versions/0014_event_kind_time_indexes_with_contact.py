"""activities' and engagement events' (workspace, kind, time) indexes carry the contact:
ix_activities_workspace_kind_time_contact and ix_engagement_workspace_kind_time_contact
(workspace_id, kind, occurred_at, contact_id) replace the indexes without the contact and serve
the same queries, while scoring's behaviour reads (each event's contact, of some kinds, in a
window) find the contact in the index instead of reading every event's row (SQLite, bench
database of 102k contacts: activity totals 0.28 -> 0.07 s, engagement window counts 0.26 ->
0.20 s, last reply 0.10 -> 0.05 s)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 21:20:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = {"activities": "activities", "engagement_events": "engagement"}
COLUMNS = ["workspace_id", "kind", "occurred_at"]


def upgrade() -> None:
    for table, prefix in TABLES.items():
        op.create_index(f"ix_{prefix}_workspace_kind_time_contact", table, [*COLUMNS, "contact_id"])
        op.drop_index(f"ix_{prefix}_workspace_kind_time", table_name=table)


def downgrade() -> None:
    for table, prefix in TABLES.items():
        op.create_index(f"ix_{prefix}_workspace_kind_time", table, COLUMNS)
        op.drop_index(f"ix_{prefix}_workspace_kind_time_contact", table_name=table)
