"""The stored things, as SQLAlchemy 2 typed ORM classes (the migrations create them)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def new_id() -> str:
    """A job's, a scenario's or a claim's id: 32 lower-case hex digits."""
    return uuid.uuid4().hex


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def as_utc(moment: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive datetimes; everything is stored in UTC."""
    if moment is None:
        return None
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


class Base(DeclarativeBase):
    pass


QUEUED, RUNNING, DONE, FAILED, CANCELLED = "queued", "running", "done", "failed", "cancelled"
JOB_STATUSES = (QUEUED, RUNNING, DONE, FAILED, CANCELLED)
ACTIVE = (QUEUED, RUNNING)
FINISHED = (DONE, FAILED, CANCELLED)
#: What a job runs: one solve, or every variant of a sweep (one after the other).
SOLVE, SWEEP = "solve", "sweep"
#: A stored variant's status: solved and valid, or not (its errors say why).
VARIANT_DONE, VARIANT_FAILED = "done", "failed"

MEDIA_TYPES = {
    ".csv": "text/csv; charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".md": "text/markdown; charset=utf-8",
    ".png": "image/png",
    ".json": "application/json",
}
TABLES = ("summary.csv", "summary.xlsx", "summary.md")


class Token(Base):
    """A bearer token of one district; only its SHA-256 is kept. ``last_used_at`` is written
    at most once a minute; a revoked token keeps its row (``revoked_at``) and is refused."""

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    district: Mapped[str] = mapped_column(String(100), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class ScenarioRow(Base):
    """A scenario document as posted (validated), owned by one district."""

    __tablename__ = "scenarios"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    district: Mapped[str] = mapped_column(String(100), index=True)
    name: Mapped[str] = mapped_column(Text)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    doctors: Mapped[int] = mapped_column(Integer)
    instances: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Job(Base):
    """A solve or a sweep: its request, where it is, its latest progress, and how it ended.

    ``scenario_document`` is a copy of the scenario as it was submitted (a sweep's base), so
    a job and its results outlive a deleted scenario. ``claim`` names the current run of the
    job: a worker writes only while its claim is the job's, so a run that was given up
    cannot overwrite a later one. ``lease_until``: the run's worker renews it while it runs;
    only once it has passed may another server take the job (``owner`` names the server).
    """

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    district: Mapped[str] = mapped_column(String(100), index=True)
    kind: Mapped[str] = mapped_column(String(16), index=True, default=SOLVE, server_default=SOLVE)
    scenario_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("scenarios.id", ondelete="SET NULL"), index=True
    )
    scenario_name: Mapped[str] = mapped_column(Text)
    scenario_document: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), index=True, default=QUEUED)
    time_limit: Mapped[float] = mapped_column(Float)
    seed: Mapped[int] = mapped_column(Integer, default=0)
    workers: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # Latest progress (the history is in ``progress``).
    stage: Mapped[str | None] = mapped_column(String(32))
    stage_index: Mapped[int | None] = mapped_column(Integer)
    objective: Mapped[float | None] = mapped_column(Float)
    bound: Mapped[float | None] = mapped_column(Float)
    progress_elapsed: Mapped[float | None] = mapped_column(Float)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    claim: Mapped[str | None] = mapped_column(String(32))
    worker_pid: Mapped[int | None] = mapped_column(Integer)
    owner: Mapped[str | None] = mapped_column(String(32))
    lease_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    #: What the job may use: time limit x CP-SAT workers (x variants of a sweep), seconds;
    #: counted against its district's ``max_solve_seconds_per_day``.
    solve_seconds: Mapped[float | None] = mapped_column(Float)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    roster_status: Mapped[str | None] = mapped_column(String(16))
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: A re-plan: ``{"assignments": [...], "freeze_until": date or null, "published_solve_id"}``.
    replan: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: When no roster can satisfy the scenario's statements: the lines that say which.
    conflicts: Mapped[list[str] | None] = mapped_column(JSON)


class DistrictTurn(Base):
    """When a district last had a job claimed: the queue is taken round-robin across
    districts, the district waiting longest first."""

    __tablename__ = "district_turns"

    district: Mapped[str] = mapped_column(String(100), primary_key=True)
    last_claim_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class RosterRow(Base):
    """The roster a job produced (also the best so far of a cancelled one)."""

    __tablename__ = "rosters"

    job_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True
    )
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ProgressRow(Base):
    """One progress report of a running job (written at most every progress_interval)."""

    __tablename__ = "progress"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    job_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("jobs.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    stage: Mapped[str] = mapped_column(String(32))
    stage_index: Mapped[int] = mapped_column(Integer)
    elapsed: Mapped[float] = mapped_column(Float)
    objective: Mapped[float | None] = mapped_column(Float)
    bound: Mapped[float | None] = mapped_column(Float)


class SweepRow(Base):
    """What a sweep job runs and how far it is; its summary rows once it has finished.

    ``spec`` is the sweep as the library reads it: ``base`` stands for the job's
    ``scenario_document`` and each ``merge`` entry is a key of ``merges`` (its tag and a copy
    of its scenario), so a sweep runs, and runs again after a restart, from its own rows."""

    __tablename__ = "sweeps"

    job_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(Text)
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    merges: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: Every variant in the plan's order: name, kind (base, grid, variant), description.
    planned: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    variants_done: Mapped[int] = mapped_column(Integer, default=0)
    variants_failed: Mapped[int] = mapped_column(Integer, default=0)
    current_variant: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)


class SweepVariantRow(Base):
    """One finished variant of a sweep: its scenario, its roster (none when it failed), and
    its timing; written as it finishes, so a restarted sweep goes on from there."""

    __tablename__ = "sweep_variants"

    job_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(Text, primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    scenario: Mapped[dict[str, Any]] = mapped_column(JSON)
    roster: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    seconds: Mapped[float] = mapped_column(Float)
    cpu_seconds: Mapped[float] = mapped_column(Float)
    errors: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SweepFileRow(Base):
    """A file a sweep wrote (``summary.csv``, ``summary.xlsx``, ``summary.md``,
    ``plots/<name>.png``), kept in the database so it survives restarts and moves."""

    __tablename__ = "sweep_files"

    job_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    media_type: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# ---------------------------------------------------------------- the coordinators' web app


class User(Base):
    """A coordinator's account: one district, a password hash (argon2), and the count of
    failed sign-ins in a row that slows further tries."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    district: Mapped[str] = mapped_column(String(100), index=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(Text)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WebSession(Base):
    """A signed-in browser: the cookie holds a random token, the row its SHA-256, the
    form token (CSRF) and the language chosen."""

    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    csrf: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8), default="nb")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class Publication(Base):
    """A roster marked published: the period's (scenario's) reference for re-planning and
    what its doctors' calendar feeds show. The newest publication of a period counts."""

    __tablename__ = "publications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    district: Mapped[str] = mapped_column(String(100), index=True)
    scenario_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("scenarios.id", ondelete="SET NULL"), index=True
    )
    job_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("jobs.id", ondelete="CASCADE"), index=True
    )
    published_by: Mapped[str] = mapped_column(String(100))
    published_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FeedToken(Base):
    """A doctor's calendar subscription for a period (the newest published roster); the
    URL carries a random token, the row only its SHA-256."""

    __tablename__ = "feed_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    district: Mapped[str] = mapped_column(String(100), index=True)
    scenario_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("scenarios.id", ondelete="CASCADE"), index=True
    )
    doctor: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Draft(Base):
    """Adjustments a coordinator is making to a solve's roster, not yet saved: duties to
    fix and absences to add; ``replan_job_id`` is the re-plan made from them."""

    __tablename__ = "drafts"

    job_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True
    )
    district: Mapped[str] = mapped_column(String(100), index=True)
    fixed: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    absences: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    replan_job_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("jobs.id", ondelete="SET NULL"), index=True
    )
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
