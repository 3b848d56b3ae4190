"""Leases and fair share without a server, on the database itself (SQLite, and PostgreSQL
when the environment names one): the districts' turns and ``max_running``, a lease taken
over only once it has run out and the old run then writing nothing, and the limits'
settings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from service.db import Database, open_database
from service.jobs.admission import queue_position
from service.jobs.leases import requeue_expired, requeue_owned
from service.jobs.monitor import Monitor
from service.jobs.solve_job import _finish
from service.jobs.worker import claim_next
from service.models import DONE, FAILED, QUEUED, RUNNING, Job, utcnow
from service.settings import DistrictLimits, Settings
from tests.service.svc_harness import db_kinds, fresh_database


@pytest.fixture(params=db_kinds())
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    database = open_database(fresh_database(request.param, tmp_path))
    try:
        yield database
    finally:
        database.dispose()


def _settings(db: Database, **values: object) -> Settings:
    return Settings.model_validate({"database_url": db.url, **values})


def _queue(db: Database, *districts: str) -> list[str]:
    """One queued job per name, a millisecond apart, in this order; their ids."""
    start = utcnow() - dt.timedelta(minutes=1)
    ids = []
    with db.write() as session:
        for k, district in enumerate(districts):
            job = Job(
                id=f"{k:032x}",
                district=district,
                scenario_name="x",
                scenario_document={},
                status=QUEUED,
                time_limit=1.0,
                workers=1,
                created_at=start + dt.timedelta(milliseconds=k),
            )
            session.add(job)
            ids.append(job.id)
    return ids


def _set(db: Database, job_id: str, **values: object) -> None:
    with db.write() as session:
        job = session.get(Job, job_id)
        assert job is not None
        for key, value in values.items():
            setattr(job, key, value)


def _job(db: Database, job_id: str) -> Job:
    with db.read() as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job


def test_claims_go_round_robin_and_respect_max_running(db: Database) -> None:
    settings = _settings(db, district_limits={"a": {"max_running": 1}})
    ids = _queue(db, "a", "a", "a", "a", "b", "c")
    with db.read() as session:
        positions = {i: queue_position(session, _job(db, i)) for i in ids}
    # Never served districts first (oldest job first), then round the districts in turn.
    assert [positions[i] for i in ids] == [1, 4, 5, 6, 2, 3]
    first = claim_next(db, settings, 1, "s1")
    assert first is not None and first.id == ids[0]
    # "a" has its one running job: passed over while "b" and "c" go.
    claimed = [claim_next(db, settings, 1, "s1") for _ in range(3)]
    assert [c.id if c else None for c in claimed] == [ids[4], ids[5], None]
    _set(db, ids[0], status=DONE)
    again = claim_next(db, settings, 1, "s1")
    assert again is not None and again.id == ids[1]


def test_a_lease_is_taken_only_once_it_has_run_out(db: Database) -> None:
    settings = _settings(db, lease_seconds=3, max_attempts=2)
    (job_id,) = _queue(db, "a")
    old = claim_next(db, settings, 11, "s1")
    assert old is not None
    # Another server starting (or reaping) leaves a live lease alone; so does its stop.
    assert requeue_expired(db, settings) == 0 and requeue_owned(db, "s2") == 0
    assert _job(db, job_id).claim == old.claim
    # The heartbeat renews the lease every third of it.
    monitor = Monitor(db, old, 0.5, lease=3)
    before = _job(db, job_id).lease_until
    monitor._renewed -= 1.0
    monitor.tick()
    after = _job(db, job_id).lease_until
    assert before is not None and after is not None and after > before and not monitor.lost
    # Run out: queued again and claimed by the other server.
    _set(db, job_id, lease_until=utcnow() - dt.timedelta(seconds=1))
    assert requeue_expired(db, settings) == 1
    new = claim_next(db, settings, 22, "s2")
    assert new is not None and new.id == job_id and new.claim != old.claim
    # The first run learns it has lost the job, and what it would store is dropped.
    monitor.tick()
    assert monitor.lost and monitor.cancel.is_set()
    _finish(db, old, DONE, {"summary": {}}, "optimal", None)
    row = _job(db, job_id)
    assert (row.status, row.claim, row.owner, row.attempts) == (RUNNING, new.claim, "s2", 2)
    # The old server stopping queues again only its own jobs: none now.
    assert requeue_owned(db, "s1") == 0 and requeue_owned(db, "s2") == 1
    # Out of attempts: a lease that runs out fails the job, naming the setting.
    again = claim_next(db, settings, 22, "s2")
    assert again is not None
    _set(db, job_id, lease_until=utcnow() - dt.timedelta(seconds=1))
    assert requeue_expired(db, settings) == 1
    row = _job(db, job_id)
    assert row.status == FAILED and row.error is not None
    assert "lease ran out" in row.error and "LEGEVAKT_MAX_ATTEMPTS is 2" in row.error
    with db.read() as session:
        assert session.scalars(select(Job.status)).all() == [FAILED]


def test_district_limits_and_their_names() -> None:
    settings = Settings.model_validate(
        {
            "database_url": "sqlite:///x.db",
            "max_queued_per_district": 5,
            "district_limits": {"hallingdal": {"max_running": 2}},
        }
    )
    limits, names = settings.limits_of("hallingdal")
    assert limits == DistrictLimits(max_running=2, max_queued=5)
    assert names["max_running"] == "LEGEVAKT_DISTRICT_LIMITS['hallingdal'].max_running"
    assert names["max_queued"] == "LEGEVAKT_MAX_QUEUED_PER_DISTRICT"
    assert settings.limits_of("vaga")[0] == DistrictLimits(max_queued=5)
    # A worker rebuilds the same limits (an override's unnamed limits follow the defaults).
    rebuilt = Settings.model_validate(settings.for_worker())
    assert rebuilt.limits_of("hallingdal") == settings.limits_of("hallingdal")
