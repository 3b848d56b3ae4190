"""Crash safety: SIGKILL the server during solves and start it again on the same database.
Its workers died with it; once their leases run out every job completes and every stored
scenario is intact. Then a
worker of the new server is killed alone mid-solve: it is replaced and its job run again."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import httpx
import pytest

from legevakt_opt.checks import validate_roster
from legevakt_opt.scenario import scenario_from_data
from tests.service.svc_harness import Server, db_kinds, fresh_database, scenario_doc, wait_for

#: Short, so the killed server's jobs are not waited for long (the lease must run out).
LEASE = 3


@pytest.fixture(params=db_kinds())
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return fresh_database(request.param, tmp_path)


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")  # a zombie no one has reaped yet is dead too


def _db_jobs(url: str) -> dict[str, tuple[str, int | None]]:
    """Each job's status and worker pid, read from the database directly."""
    from sqlalchemy import select

    from service.db import Database
    from service.models import Job

    db = Database(url)
    try:
        with db.read() as session:
            return {j.id: (j.status, j.worker_pid) for j in session.scalars(select(Job))}
    finally:
        db.dispose()


def _running(api: httpx.Client, count: int, timeout: float = 60) -> list[str]:
    """Wait until ``count`` solves are running; their ids."""
    deadline = time.monotonic() + timeout
    while True:
        running = [j["id"] for j in api.get("/v1/solves").json() if j["status"] == "running"]
        if len(running) >= count:
            return running
        assert time.monotonic() < deadline, "the solves did not start"
        time.sleep(0.05)


def _running_here(url: str, server: Server, timeout: float = 60) -> int:
    """Wait until one of the server's own workers runs a job (the dead server's runs show
    as running until their leases run out); that worker's pid."""
    deadline = time.monotonic() + timeout
    while True:
        mine = set(server.worker_pids())
        pids = [pid for status, pid in _db_jobs(url).values() if status == "running"]
        if any(pid in mine for pid in pids):
            return next(pid for pid in pids if pid in mine and pid is not None)
        assert time.monotonic() < deadline, "no job started on the new server"
        time.sleep(0.05)


def test_sigkill_restart_and_dead_worker(database: str, tmp_path: Path) -> None:
    first = Server(database, tmp_path, pool_size=2, lease_seconds=LEASE).start()
    servers = [first]
    try:
        token = first.token("restart")
        docs = {name: scenario_doc(name) for name in ("small-lis1", "hallingdal")}
        names = ["hallingdal", "small-lis1", "hallingdal"]
        with first.client(token) as api:
            ids = {
                name: api.post("/v1/scenarios", json=doc).json()["id"] for name, doc in docs.items()
            }
            jobs = [
                api.post(
                    "/v1/solves",
                    json={"scenario_id": ids[name], "time_limit": 2, "workers": 2, "seed": k},
                ).json()["id"]
                for k, name in enumerate(names)
            ]
            _running(api, 2)  # both workers mid-solve, the third job queued
        workers = first.worker_pids()
        assert len(workers) == 2
        first.sigkill()
        deadline = time.monotonic() + 5
        while not all(_gone(pid) for pid in workers):
            assert time.monotonic() < deadline, "workers outlived the server"
            time.sleep(0.05)
        stale = [status for status, _ in _db_jobs(database).values()]
        interrupted = stale.count("running")
        assert interrupted >= 1 and "queued" in stale, stale

        second = Server(database, tmp_path, pool_size=2, lease_seconds=LEASE).start()
        servers.append(second)
        with second.client(token) as api:  # the token is in the same database
            victim = _running_here(database, second)
            os.kill(victim, signal.SIGKILL)
            finished = [wait_for(api, job_id, timeout=120) for job_id in jobs]
            assert [j["status"] for j in finished] == ["done"] * 3, finished
            # 3 first runs, those interrupted again after the restart, and the victim's job
            # once more (unless it finished in the instant before the kill).
            attempts = sum(j["attempts"] for j in finished)
            assert 3 + interrupted <= attempts <= 3 + interrupted + 1, finished
            assert f"(pid {victim}) died" in second.log.read_text()
            assert victim not in second.worker_pids() and len(second.worker_pids()) == 2
            for job, name in zip(finished, names, strict=True):
                roster = api.get(f"/v1/solves/{job['id']}/roster").json()
                assert validate_roster(scenario_from_data(docs[name]), roster).ok
            listed = api.get("/v1/scenarios").json()
            assert {s["id"] for s in listed} == set(ids.values())
            for name, sid in ids.items():
                assert api.get(f"/v1/scenarios/{sid}").json()["document"] == docs[name]
    finally:
        for server in servers:
            server.stop()
