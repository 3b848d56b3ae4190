"""Migration 0004 (the web app's tables) on a database that already holds rows: a server
started on a populated 0003 database upgrades it and serves every old row; the new tables
take accounts and sessions; and downgrading to 0003 drops only them."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, text

from service.db import MIGRATIONS, Database, upgrade
from service.web.accounts import create_user
from tests.service.svc_harness import db_kinds, running_server
from tests.service.test_service_sweeps import (
    LEGACY_JOB,
    LEGACY_SCENARIO,
    LEGACY_TOKEN,
    legacy_database,
)

WEB_TABLES = {"users", "web_sessions", "publications", "feed_tokens", "drafts"}


@pytest.mark.parametrize("kind", db_kinds())
def test_0003_to_0004_keeps_the_rows(kind: str, tmp_path: Path) -> None:
    url = legacy_database(kind, tmp_path)
    db = Database(url)
    try:
        upgrade(db, "0003")
        assert not WEB_TABLES & set(inspect(db.engine).get_table_names())
    finally:
        db.dispose()
    with running_server(url, tmp_path, pool_size=1) as server:
        with server.client(LEGACY_TOKEN) as api:
            assert api.get(f"/v1/scenarios/{LEGACY_SCENARIO}").json()["name"] == "legacy"
            job = api.get(f"/v1/solves/{LEGACY_JOB}").json()
            assert job["status"] == "done"
            roster = api.get(f"/v1/solves/{LEGACY_JOB}/roster").json()
            assert roster["legacy"] is True
        db = Database(url)
        try:
            assert set(inspect(db.engine).get_table_names()) >= WEB_TABLES
            create_user(db, "sweeps", "kari", "hemmelig-1")
        finally:
            db.dispose()
        with httpx.Client(base_url=server.base_url, follow_redirects=True) as browser:
            form = browser.get("/app/login").text
            csrf = re.search(r'name="csrf" value="([^"]+)"', form)
            assert csrf is not None
            page = browser.post(
                "/app/login",
                data={"username": "kari", "password": "hemmelig-1", "csrf": csrf.group(1)},
            )
            assert page.status_code == 200 and "legacy" in page.text
    db = Database(url)
    try:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0003")
        assert not WEB_TABLES & set(inspect(db.engine).get_table_names())
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM jobs")).scalar() == 1
            assert conn.execute(text("SELECT count(*) FROM scenarios")).scalar() == 1
    finally:
        db.dispose()
