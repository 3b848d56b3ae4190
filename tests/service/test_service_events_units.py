"""The events stream, the job metrics and the log format without a server: the heartbeat
of a quiet stream and its end when the client goes, a sweep's state sent only when it
changed (also across a reconnect), the database-derived gauges, histogram and failures,
a route template for an answer given before routing, and ``key=value`` log lines."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from fastapi import FastAPI
from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from service.db import Database, open_database
from service.jobs.logs import KeyValueFormatter, job_log
from service.metrics import HttpMetrics, make_metrics
from service.models import DONE, FAILED, QUEUED, RUNNING, SOLVE, SWEEP, Job, SweepRow, new_id
from service.progress_events import SweepCursor, poll_sweep, stream

T0 = dt.datetime(2027, 2, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(f"sqlite:///{tmp_path / 'units.db'}")
    yield database
    database.dispose()


def add_job(db: Database, district: str, kind: str, status: str, seconds: float = 0) -> str:
    job_id = new_id()
    started = T0 if status != QUEUED else None
    finished = T0 + dt.timedelta(seconds=seconds) if status in (DONE, FAILED) else None
    with db.write() as session:
        session.add(
            Job(
                id=job_id,
                district=district,
                kind=kind,
                scenario_name="Doktor Hemmelig's roster",
                scenario_document={"name": "Doktor Hemmelig"},
                status=status,
                time_limit=10,
                started_at=started,
                finished_at=finished,
            )
        )
    return job_id


class Client:
    """A stand-in for the request: ``gone_after`` calls to is_disconnected, it has gone."""

    def __init__(self, gone_after: int) -> None:
        self.calls = 0
        self.gone_after = gone_after

    async def is_disconnected(self) -> bool:
        self.calls += 1
        return self.calls >= self.gone_after


def test_a_quiet_stream_sends_heartbeats_and_stops_when_the_client_goes() -> None:
    polls: list[int] = []

    def poll() -> tuple[list[str], bool]:
        polls.append(1)
        return [], False

    async def run() -> list[str]:
        client: Any = Client(gone_after=6)
        return [c async for c in stream(poll, client, interval=0.01, heartbeat=0.02)]

    chunks = anyio.run(run)
    assert chunks[0].startswith("retry: ")
    assert ": keep-alive\n\n" in chunks and len(chunks) < 6
    assert len(polls) == 6  # not one more after the client went


def test_a_sweep_s_state_is_sent_when_it_changes_and_not_again_on_a_reconnect(
    db: Database,
) -> None:
    job_id = add_job(db, "d", SWEEP, RUNNING)
    with db.write() as session:
        planned = [{"name": "base", "kind": "base"}, {"name": "cap=20", "kind": "grid"}]
        session.add(SweepRow(job_id=job_id, name="s", spec={}, merges={}, planned=planned))
        session.flush()
        session.get(SweepRow, job_id).current_variant = "base"  # type: ignore[union-attr]
    cursor = SweepCursor(job_id)
    first, finished = poll_sweep(db, cursor)
    assert len(first) == 1 and not finished
    assert '"current_variant": "base"' in first[0] and '"variants_total": 2' in first[0]
    assert poll_sweep(db, cursor) == ([], False)  # nothing changed
    assert poll_sweep(db, SweepCursor(job_id, cursor.last_id)) == ([], False)  # a reconnect
    with db.write() as session:
        session.get(Job, job_id).stage = "fairness"  # type: ignore[union-attr]
    changed, _ = poll_sweep(db, cursor)
    assert len(changed) == 1 and '"stage": "fairness"' in changed[0]
    with db.write() as session:
        session.get(Job, job_id).status = DONE  # type: ignore[union-attr]
    end, finished = poll_sweep(db, cursor)
    assert finished and len(end) == 1 and end[0].startswith("event: end\n")


def _families(text: str) -> dict[str, Any]:
    return {f.name: f for f in text_string_to_metric_families(text)}


def _values(family: Any, sample: str | None = None) -> dict[tuple[str, ...], float]:
    return {
        tuple(v for k, v in sorted(s.labels.items())): s.value
        for s in family.samples
        if sample is None or s.name == sample
    }


def test_the_job_metrics_come_from_the_database(db: Database) -> None:
    add_job(db, "hallingdal", SOLVE, QUEUED)
    add_job(db, "hallingdal", SOLVE, QUEUED)
    add_job(db, "hallingdal", SOLVE, RUNNING)
    add_job(db, "hallingdal", SOLVE, DONE, seconds=4)
    add_job(db, "hallingdal", SOLVE, FAILED, seconds=40)
    add_job(db, "molde", SWEEP, DONE, seconds=0.5)
    metrics = make_metrics(lambda: db)
    text = generate_latest(metrics.registry).decode()
    assert "Hemmelig" not in text
    families = _families(text)
    assert _values(families["legevakt_jobs_queued"]) == {
        ("hallingdal", "solve"): 2.0,
        ("molde", "sweep"): 0.0,
    }
    assert _values(families["legevakt_jobs_running"])[("hallingdal", "solve")] == 1.0
    assert _values(families["legevakt_job_failures"]) == {
        ("hallingdal", "solve"): 1.0,
        ("molde", "sweep"): 0.0,
    }
    seconds = families["legevakt_job_seconds"]
    assert _values(seconds, "legevakt_job_seconds_count")[("hallingdal", "solve")] == 2.0
    assert _values(seconds, "legevakt_job_seconds_sum")[("hallingdal", "solve")] == (
        pytest.approx(44.0, abs=0.01)
    )
    buckets = _values(seconds, "legevakt_job_seconds_bucket")
    assert buckets[("hallingdal", "solve", "5.0")] == 1.0
    assert buckets[("hallingdal", "solve", "60.0")] == 2.0
    assert buckets[("molde", "sweep", "1.0")] == 1.0
    assert make_metrics(lambda: None).registry is not metrics.registry  # no global registry


def test_an_answer_given_before_routing_is_counted_by_its_route_template() -> None:
    app = FastAPI()

    @app.get("/v1/solves/{job_id}")
    def solve(job_id: str) -> dict[str, str]:
        return {"id": job_id}

    metrics = make_metrics(lambda: None)
    refused = HttpMetrics(app, metrics, app.router)
    scope = {"type": "http", "method": "GET", "path": "/v1/solves/" + "a" * 32}
    assert refused.template(scope) == "/v1/solves/{job_id}"
    assert refused.template({**scope, "path": "/nowhere/" + "a" * 32}) == "unmatched"
    assert refused.template({**scope, "method": "DELETE"}) == "/v1/solves/{job_id}"


def test_a_job_s_log_lines_carry_its_id_and_district() -> None:
    record = logging.LogRecord(
        "legevakt.jobs", logging.INFO, __file__, 1, "solve %s", ("done",), None
    )
    formatter = KeyValueFormatter("%(levelname)s %(message)s")
    adapter = job_log(logging.getLogger("legevakt.jobs"), "abc123", "Nord Gudbrandsdal")
    _, kwargs = adapter.process("x", {})
    for key, value in kwargs["extra"].items():
        setattr(record, key, value)
    assert formatter.format(record) == (
        'INFO solve done district="Nord Gudbrandsdal" job_id=abc123'
    )
