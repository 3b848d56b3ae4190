"""sweeps: jobs.kind, and the sweeps, sweep_variants and sweep_files tables

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

Existing jobs are solves (``kind`` defaults to ``solve`` on the server side), so a 0001
database keeps every row. The column is added in place (``ALTER TABLE ... ADD COLUMN``),
never by copying the table: on SQLite a batch copy would drop and recreate ``jobs`` and
take its rosters and progress with it (their foreign keys cascade).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _job_id() -> sa.Column:
    return sa.Column(
        "job_id",
        sa.String(length=32),
        sa.ForeignKey("jobs.id", ondelete="CASCADE"),
        primary_key=True,
    )


def upgrade() -> None:
    op.add_column(
        "jobs",
        sa.Column("kind", sa.String(length=16), nullable=False, server_default="solve"),
    )
    op.create_index("ix_jobs_kind", "jobs", ["kind"])

    op.create_table(
        "sweeps",
        _job_id(),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.Column("merges", sa.JSON(), nullable=False),
        sa.Column("planned", sa.JSON(), nullable=False),
        sa.Column("variants_done", sa.Integer(), nullable=False),
        sa.Column("variants_failed", sa.Integer(), nullable=False),
        sa.Column("current_variant", sa.Text(), nullable=True),
        sa.Column("summary", sa.JSON(), nullable=True),
    )

    op.create_table(
        "sweep_variants",
        _job_id(),
        sa.Column("name", sa.Text(), primary_key=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("scenario", sa.JSON(), nullable=False),
        sa.Column("roster", sa.JSON(), nullable=True),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("cpu_seconds", sa.Float(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )

    op.create_table(
        "sweep_files",
        _job_id(),
        sa.Column("name", sa.String(length=200), primary_key=True),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    """Back to 0001: sweeps are gone (0001 would take a sweep job for a solve)."""
    op.drop_table("sweep_files")
    op.drop_table("sweep_variants")
    op.drop_table("sweeps")
    op.execute(sa.text("DELETE FROM jobs WHERE kind <> 'solve'"))
    op.drop_index("ix_jobs_kind", table_name="jobs")
    op.drop_column("jobs", "kind")
