"""web app: users, web_sessions, publications, feed_tokens, drafts

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

New tables only: every row of a 0003 database stays as it was. Downgrading to 0003 drops
them (accounts, sessions, publications, calendar feeds and unsaved adjustments go; the
scenarios, solves, rosters and sweeps stay).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _district() -> sa.Column:
    return sa.Column("district", sa.String(length=100), nullable=False)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), autoincrement=True, primary_key=True),
        _district(),
        sa.Column("username", sa.String(length=100), nullable=False, unique=True),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        _when("last_failed_at", nullable=True),
        _when("created_at"),
    )
    op.create_index("ix_users_district", "users", ["district"])

    op.create_table(
        "web_sessions",
        sa.Column("token_hash", sa.String(length=64), primary_key=True),
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("csrf", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        _when("created_at"),
        _when("expires_at"),
    )
    op.create_index("ix_web_sessions_user_id", "web_sessions", ["user_id"])

    op.create_table(
        "publications",
        sa.Column("id", sa.Integer(), autoincrement=True, primary_key=True),
        _district(),
        sa.Column(
            "scenario_id",
            sa.String(length=32),
            sa.ForeignKey("scenarios.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column(
            "job_id",
            sa.String(length=32),
            sa.ForeignKey("jobs.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("published_by", sa.String(length=100), nullable=False),
        _when("published_at"),
    )
    for column in ("district", "scenario_id", "job_id"):
        op.create_index(f"ix_publications_{column}", "publications", [column])

    op.create_table(
        "feed_tokens",
        sa.Column("token_hash", sa.String(length=64), primary_key=True),
        _district(),
        sa.Column(
            "scenario_id",
            sa.String(length=32),
            sa.ForeignKey("scenarios.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("doctor", sa.Text(), nullable=False),
        _when("created_at"),
    )
    op.create_index("ix_feed_tokens_district", "feed_tokens", ["district"])
    op.create_index("ix_feed_tokens_scenario_id", "feed_tokens", ["scenario_id"])

    op.create_table(
        "drafts",
        sa.Column(
            "job_id",
            sa.String(length=32),
            sa.ForeignKey("jobs.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        _district(),
        sa.Column("fixed", sa.JSON(), nullable=False),
        sa.Column("absences", sa.JSON(), nullable=False),
        sa.Column(
            "replan_job_id",
            sa.String(length=32),
            sa.ForeignKey("jobs.id", ondelete="SET NULL"),
            nullable=True,
        ),
        _when("updated_at"),
    )
    op.create_index("ix_drafts_district", "drafts", ["district"])
    op.create_index("ix_drafts_replan_job_id", "drafts", ["replan_job_id"])


def downgrade() -> None:
    """Back to 0002: the web app's tables go; everything the API stored stays."""
    for table in ("drafts", "feed_tokens", "publications", "web_sessions", "users"):
        op.drop_table(table)
