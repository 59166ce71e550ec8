"""jobs: ix_jobs_queued_order (priority, run_at, id) over queued jobs only replaces
ix_jobs_claimable (status, run_at). A claim asks for due queued jobs in (priority, run_at,
id) order; with the old index every due job was read and sorted first, so each claim cost
grew with the backlog (PostgreSQL, 18,000 queued jobs: a sequential scan and a sort of all
of them, 5.3 ms per claim of 200); the partial index is walked in that order and the walk
stops after the batch. Queries by status alone use ix_jobs_lease (status, lease_expires_at).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 22:55:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

QUEUED = sa.text("status = 'queued'")


def upgrade() -> None:
    op.create_index(
        "ix_jobs_queued_order",
        "jobs",
        ["priority", "run_at", "id"],
        postgresql_where=QUEUED,
        sqlite_where=QUEUED,
    )
    op.drop_index("ix_jobs_claimable", table_name="jobs")


def downgrade() -> None:
    op.create_index("ix_jobs_claimable", "jobs", ["status", "run_at"])
    op.drop_index("ix_jobs_queued_order", table_name="jobs")
