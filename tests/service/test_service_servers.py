"""Several servers on one database (PostgreSQL when the tests have one, else one SQLite
file; see ``shared_db_kind``): two real servers
started at once; one restarting leaves the other's running job alone, and when that other
is SIGKILLed (its workers die with it) its job waits out its lease and then finishes on
the survivor, never running twice at once, and no job is lost."""

from __future__ import annotations

import datetime as dt
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from legevakt_opt.checks import validate_roster
from legevakt_opt.scenario import scenario_from_data
from tests.service.svc_harness import Server, fresh_database, scenario_doc, shared_db_kind, wait_for

LEASE = 3.0
SETTINGS = {"pool_size": 2, "lease_seconds": LEASE, "progress_interval": 0.25}


@pytest.fixture(params=shared_db_kind())
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return fresh_database(request.param, tmp_path)


def _row(url: str, job_id: str) -> dict[str, Any]:
    """The job's run as the database has it."""
    from service.db import Database
    from service.models import Job, as_utc

    db = Database(url)
    try:
        with db.read() as session:
            job = session.get(Job, job_id)
            assert job is not None
            return {
                "status": job.status,
                "claim": job.claim,
                "pid": job.worker_pid,
                "attempts": job.attempts,
                "started_at": as_utc(job.started_at),
            }
    finally:
        db.dispose()


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")


def _running_on(url: str, job_id: str, servers: list[Server], timeout: float = 30) -> Server:
    """Wait until the job runs; the server whose worker runs it."""
    deadline = time.monotonic() + timeout
    while True:
        row = _row(url, job_id)
        if row["status"] == "running" and row["pid"] is not None:
            for server in servers:
                if row["pid"] in server.worker_pids():
                    return server
        assert time.monotonic() < deadline, f"the job did not start: {row}"
        time.sleep(0.05)


def test_two_servers_restart_and_sigkill(database: str, tmp_path: Path) -> None:
    folders = [tmp_path / "a", tmp_path / "b"]
    for folder in folders:
        folder.mkdir()
    servers = [Server(database, folder, **SETTINGS) for folder in folders]
    try:
        with ThreadPoolExecutor(2) as pool:  # at once: their migrations must not collide
            list(pool.map(lambda s: s.start(), servers))
        token = servers[0].token("shared")
        doc = scenario_doc("small-lis1")
        api = servers[0].client(token)
        sid = api.post("/v1/scenarios", json=doc).json()["id"]
        solve = {"scenario_id": sid, "time_limit": 2, "workers": 2}

        # A server restarting (a stop queues again its own jobs only, a start only those
        # whose lease has run out) leaves the other server's running job alone.
        live = api.post("/v1/solves", json={**solve, "time_limit": 60}).json()["id"]
        holder = _running_on(database, live, servers)
        other = servers[1] if holder is servers[0] else servers[0]
        before = _row(database, live)
        other.stop()
        other.start()  # on another port
        assert _row(database, live) == before
        api.close()
        api = holder.client(token)
        api.delete(f"/v1/solves/{live}")
        assert wait_for(api, live)["attempts"] == 1

        # A server SIGKILLed mid-solve: its job finishes on the other within lease + solve.
        api.close()
        api = other.client(token)
        killed_job = api.post("/v1/solves", json=solve).json()["id"]
        more = [
            api.post("/v1/solves", json={**solve, "time_limit": 1, "seed": k}).json()["id"]
            for k in (1, 2)
        ]
        victim = _running_on(database, killed_job, servers)
        survivor = servers[1] if victim is servers[0] else servers[0]
        first = _row(database, killed_job)
        workers = victim.worker_pids()
        killed = dt.datetime.now(dt.UTC)
        victim.sigkill()
        deadline = time.monotonic() + 5
        while not all(_gone(pid) for pid in workers):
            assert time.monotonic() < deadline, "workers outlived the server"
            time.sleep(0.02)
        gone = dt.datetime.now(dt.UTC)
        api.close()
        api = survivor.client(token)
        done = [wait_for(api, job_id, timeout=LEASE + 2 + 15) for job_id in [killed_job, *more]]
        assert [j["status"] for j in done] == ["done"] * 3, done
        for job in done:
            roster = api.get(f"/v1/solves/{job['id']}/roster").json()
            assert validate_roster(scenario_from_data(doc), roster).ok
        rerun = _row(database, killed_job)
        assert rerun["attempts"] == 2 and rerun["claim"] != first["claim"]
        assert rerun["pid"] in survivor.worker_pids()
        # Taken over only after the first run's workers were gone, and not before its
        # lease could have run out (it was renewed at most a third of a lease before).
        assert rerun["started_at"] > gone
        assert (rerun["started_at"] - killed).total_seconds() >= LEASE * 2 / 3 - 0.25
        # Within a lease and a solve of the kill (and some seconds to build, check, store).
        finished = dt.datetime.fromisoformat(done[0]["finished_at"].replace("Z", "+00:00"))
        assert (finished - killed).total_seconds() < LEASE + solve["time_limit"] + 8
        assert all(j["attempts"] <= 2 for j in done), done
        # The survivor counted the lease it found run out (its /metrics, no token).
        with httpx.Client(base_url=survivor.base_url) as anon:
            text = anon.get("/metrics").text
        expiries = {
            s.name: s.value
            for family in text_string_to_metric_families(text)
            for s in family.samples
            if s.name == "legevakt_lease_expiries_total"
        }
        taken_over = sum(j["attempts"] == 2 for j in done)  # the killed job, maybe one more
        assert expiries == {"legevakt_lease_expiries_total": float(taken_over)}, text[:2000]
        api.close()
    finally:
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(lambda s: s.stop(), servers))
