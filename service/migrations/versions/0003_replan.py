"""re-plans: jobs.replan (the published roster's assignments and the freeze) and
jobs.conflicts (the statements that leave no roster)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

Both columns are added in place and may be empty, so a 0002 database keeps every row (a
solve from before is simply not a re-plan).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("jobs", sa.Column("replan", sa.JSON(), nullable=True))
    op.add_column("jobs", sa.Column("conflicts", sa.JSON(), nullable=True))


def downgrade() -> None:
    # In place, never a batch copy: on SQLite that would recreate ``jobs`` and cascade away
    # its rosters and progress.
    op.drop_column("jobs", "conflicts")
    op.drop_column("jobs", "replan")
