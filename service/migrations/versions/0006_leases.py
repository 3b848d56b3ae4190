"""leases and fair share: jobs.lease_until (indexed), jobs.owner, jobs.solve_seconds, and
district_turns

Revision ID: 0006
Revises: 0004
Create Date: 2027-01-10

Columns added in place (all may be empty) and one new table, so every row stays. A job
left ``running`` by an older version has no lease: it counts as expired, and the next
server to start queues it again, as before. Downgrading drops only what this adds.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("jobs", sa.Column("owner", sa.String(length=32), nullable=True))
    op.add_column("jobs", sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
    op.add_column("jobs", sa.Column("solve_seconds", sa.Float(), nullable=True))
    op.create_index("ix_jobs_lease_until", "jobs", ["lease_until"])
    op.create_table(
        "district_turns",
        sa.Column("district", sa.String(length=100), primary_key=True),
        sa.Column("last_claim_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    # In place, never a batch copy: on SQLite that would recreate ``jobs`` and cascade away
    # its rosters and progress.
    op.drop_table("district_turns")
    op.drop_index("ix_jobs_lease_until", table_name="jobs")
    op.drop_column("jobs", "solve_seconds")
    op.drop_column("jobs", "lease_until")
    op.drop_column("jobs", "owner")
