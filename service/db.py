"""Engine, sessions and migrations.

SQLite (the default) is shared by the web process and the worker processes, so it runs in
WAL mode with a busy timeout, and every writing transaction starts with ``BEGIN IMMEDIATE``:
it takes the write lock up front instead of failing when a read turns into a write. Reading
sessions start a plain deferred ``BEGIN`` and never block writers. PostgreSQL needs none of
this.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_READ = "legevakt_read"
_MIGRATE_LOCK_KEY = 0x1E6E7C


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def make_engine(url: str) -> Engine:
    if not is_sqlite(url):
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cur = dbapi_connection.cursor()
        try:
            cur.execute("PRAGMA busy_timeout = 30000")
            cur.execute("PRAGMA foreign_keys = ON")
            cur.execute("PRAGMA synchronous = NORMAL")
            if ":memory:" not in url:
                cur.execute("PRAGMA journal_mode = WAL")
        finally:
            cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        read = conn.get_execution_options().get(_READ, False)
        conn.exec_driver_sql("BEGIN" if read else "BEGIN IMMEDIATE")

    return engine


class Database:
    """One engine and its sessions: ``write()`` commits at the end, ``read()`` never writes."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._writer = sessionmaker(self.engine, expire_on_commit=False)
        self._reader = sessionmaker(
            self.engine.execution_options(**{_READ: True}), expire_on_commit=False
        )

    @contextmanager
    def write(self) -> Iterator[Session]:
        with self._writer() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._reader() as session:
            yield session

    def ping(self) -> bool:
        try:
            with self.read() as session:
                session.execute(text("SELECT 1"))
        except Exception:
            return False
        return True

    def dispose(self) -> None:
        self.engine.dispose()


def upgrade(db: Database, revision: str = "head") -> None:
    """Apply the alembic migrations (``alembic upgrade head``) to the database."""
    from alembic import command  # alembic loads for migrations only (the CLI's token
    from alembic.config import Config  # commands and the workers never migrate)

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Servers starting at once on one database migrate one after the other (the
            # second then finds nothing to do); SQLite's BEGIN IMMEDIATE does this already.
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATE_LOCK_KEY})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def open_database(url: str, migrate: bool = True) -> Database:
    db = Database(url)
    if migrate:
        upgrade(db)
    return db
