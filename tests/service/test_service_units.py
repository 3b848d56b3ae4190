"""The service's parts without a server: settings, input checks, tokens, migrations, and
its own lint and type checks (the project-wide ones do not cover ``service/``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, select, update

from service.auth import check_district, create_token, district_of, hash_token, revoke_token
from service.checks import Problem, check_plain, check_scenario
from service.db import MIGRATIONS, Database, open_database, upgrade
from service.models import Base, Token, as_utc
from service.settings import Settings, normalize_database_url

ROOT = Path(__file__).resolve().parents[2]


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for key in ("DATABASE_URL", "LEGEVAKT_DATABASE_URL", "LEGEVAKT_QUEUE_SIZE"):
        monkeypatch.delenv(key, raising=False)
    default = Settings()
    assert default.database_url == f"sqlite:///{tmp_path / 'legevakt.db'}"
    assert default.pool_size >= 1
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@127.0.0.1/db")
    monkeypatch.setenv("LEGEVAKT_QUEUE_SIZE", "7")
    settings = Settings()
    assert settings.database_url == "postgresql+psycopg://u:p@127.0.0.1/db"
    assert settings.queue_size == 7
    assert Settings.model_validate(settings.for_worker()) == settings
    assert normalize_database_url("postgres://h/d") == "postgresql+psycopg://h/d"
    assert normalize_database_url("sqlite:////abs.db") == "sqlite:////abs.db"


def test_check_plain() -> None:
    check_plain({"a": ["fine", 1, 2.5, None, {"æøå": "Vågå"}]})
    for bad, words in (
        ({"a": ["x\x00y"]}, "a[0]: text may not contain NUL"),
        ({"b": {"c": "\ud800"}}, "b.c: text contains an unpaired surrogate"),
        ({"n": float("inf")}, "n: inf is not a finite number"),
        ({"k\x00": 1}, "a field name text may not contain NUL"),
    ):
        with pytest.raises(Problem) as caught:
            check_plain(bad)
        assert words in caught.value.lines[0]
    deep: object = "x"
    for _ in range(5000):  # deeper than the recursion limit: checked without recursion
        deep = [deep]
    check_plain(deep)


def test_check_scenario_limits(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path}/x.db", max_doctors=2)
    with pytest.raises(Problem) as caught:
        check_scenario({"doctors": [{}, {}, {}]}, settings, root="scenario")
    assert caught.value.lines == [
        "scenario.doctors: 3 doctors; this service takes at most 2 per scenario "
        "(limit LEGEVAKT_MAX_DOCTORS)"
    ]
    with pytest.raises(Problem) as caught:
        check_scenario("not a mapping", settings)
    assert caught.value.lines[0].startswith("(document):")


def test_district_names() -> None:
    assert check_district("  Hallingdal legevakt ") == "Hallingdal legevakt"
    assert check_district("vågå-1") == "vågå-1"
    for bad in ("", " ", "-x", "a" * 101, "x\x00", "a/b"):
        with pytest.raises(ValueError):
            check_district(bad)


def test_tokens_are_stored_only_as_hashes(tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path}/t.db")
    try:
        token = create_token(db, "hallingdal")
        assert district_of(db, token) == "hallingdal"
        assert district_of(db, token + "x") is None
        with db.read() as session:
            (row,) = session.scalars(select(Token)).all()
        assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in (tmp_path / "t.db").read_bytes().decode("latin-1")
    finally:
        db.dispose()


def test_migrations_match_the_models_and_run_twice(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    url = f"sqlite:///{tmp_path}/m.db"
    open_database(url).dispose()
    db = open_database(url)  # a second start changes nothing
    try:
        with db.engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
            assert set(inspect(conn).get_table_names()) == {
                "alembic_version",
                "tokens",
                "scenarios",
                "jobs",
                "rosters",
                "progress",
                "sweeps",
                "sweep_variants",
                "sweep_files",
                "users",
                "web_sessions",
                "publications",
                "feed_tokens",
                "drafts",
                "district_turns",
            }
    finally:
        db.dispose()


def test_last_use_is_noted_once_a_minute(tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path}/t.db")
    try:
        token = create_token(db, "hallingdal")

        def last_used() -> dt.datetime | None:
            with db.read() as session:
                return session.scalar(select(Token.last_used_at))

        assert last_used() is None
        assert district_of(db, token) == "hallingdal"
        noted = last_used()
        assert noted is not None
        assert district_of(db, token) == "hallingdal"
        assert last_used() == noted  # within the minute: no write
        with db.write() as session:
            earlier = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=61)
            session.execute(update(Token).values(last_used_at=earlier))
        assert district_of(db, token) == "hallingdal"
        again = as_utc(last_used())
        assert again is not None and again > (as_utc(noted) or noted)
        (info, fresh) = revoke_token(db, 1)
        assert fresh and info.revoked_at is not None
        assert district_of(db, token) is None
    finally:
        db.dispose()


def test_migration_0005_up_and_down(tmp_path: Path) -> None:
    """A 0004 database's tokens keep working; downgrading forgets the revoked tokens (0004
    could not refuse them) and keeps the others."""
    db = Database(f"sqlite:///{tmp_path}/m.db")
    try:
        upgrade(db, "0004")
        columns = {c["name"] for c in inspect(db.engine).get_columns("tokens")}
        assert not {"last_used_at", "revoked_at"} & columns
        with db.engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO tokens (district, token_hash, created_at) VALUES "
                f"('old', '{hash_token('lv_old')}', '2026-11-01 12:00:00.000000'), "
                f"('old', '{hash_token('lv_gone')}', '2026-11-02 12:00:00.000000')"
            )
        upgrade(db)
        assert district_of(db, "lv_old") == district_of(db, "lv_gone") == "old"
        revoke_token(db, 2)
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0004")
        with db.engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT id, district FROM tokens").all()
        assert [tuple(r) for r in rows] == [(1, "old")]
        upgrade(db)
        assert district_of(db, "lv_old") == "old" and district_of(db, "lv_gone") is None
    finally:
        db.dispose()


def test_ci_postgres_script_parses() -> None:
    subprocess.run(["bash", "-n", str(ROOT / "service" / "ci_postgres.sh")], check=True)
