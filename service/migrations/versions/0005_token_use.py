"""tokens: last_used_at (when it last authenticated) and revoked_at (revoked tokens stay
listed and never authenticate again)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

Both columns are added in place and may be empty, so a 0004 database keeps every token
working (never used, as far as it knows). Downgrading to 0004 first deletes the revoked
tokens (0004 has no way to refuse them), then drops the columns.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("tokens", sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("tokens", sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM tokens WHERE revoked_at IS NOT NULL"))
    # In place, never a batch copy (as in 0003).
    op.drop_column("tokens", "revoked_at")
    op.drop_column("tokens", "last_used_at")
