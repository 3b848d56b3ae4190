"""A pool worker process: claim the next queued job (round-robin across districts), run it
(a solve or a sweep) under a lease it renews, repeat until told to stop; exit when the web
process goes, however it goes."""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys
import threading
import time
from typing import Any

from service.db import Database
from service.jobs import logs
from service.jobs.fair_share import lock_claims, mark_turn, next_job
from service.jobs.leases import lease_end
from service.jobs.monitor import Claimed
from service.models import RUNNING, SWEEP, new_id, utcnow
from service.settings import Settings

log = logging.getLogger("legevakt.jobs")


def claim_next(db: Database, settings: Settings, pid: int, owner: str) -> Claimed | None:
    """Take the next queued job in the districts' turn, with a lease for this worker of
    server ``owner``; ``None`` when there is none."""
    with db.write() as session:
        lock_claims(session)
        job = next_job(session, settings)
        if job is None:
            return None
        now = utcnow()
        job.status = RUNNING
        job.claim = new_id()
        job.owner = owner
        job.lease_until = lease_end(settings, now)
        job.worker_pid = pid
        job.started_at = now
        job.attempts += 1
        job.stage = "starting"
        mark_turn(session, job.district, now)
        return Claimed(
            job.id,
            job.kind,
            job.claim,
            dict(job.scenario_document),
            job.time_limit,
            job.seed,
            job.workers,
            job.cancel_requested,
            job.replan,
            district=job.district,
        )


def _die_with_parent(parent_pid: int) -> None:
    """Exit when the web process goes, however it goes (even SIGKILL)."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except OSError:
            pass

    def watch() -> None:
        while True:
            if os.getppid() != parent_pid:
                os._exit(0)
            time.sleep(0.5)

    if os.getppid() != parent_pid:
        os._exit(0)
    threading.Thread(target=watch, name="legevakt-parent-watch", daemon=True).start()


def worker_main(settings_data: dict[str, Any], stop: Any, parent_pid: int, owner: str) -> None:
    """Entry point of a worker process: claim, solve, repeat, until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the web process's to handle
    _die_with_parent(parent_pid)
    logs.configure(os.getpid())
    settings = Settings.model_validate(settings_data)
    # Here, not at the top: the engine (OR-Tools) loads in the workers, not the web process.
    from service.jobs.solve_job import run_job
    from service.jobs.sweep_job import run_sweep_job

    db = Database(settings.database_url)
    pid = os.getpid()
    while not stop.is_set():
        try:
            job = claim_next(db, settings, pid, owner)
        except Exception:
            log.exception("could not claim a job")
            job = None
            stop.wait(2.0)
        if job is None:
            stop.wait(settings.poll_interval)
            continue
        started = time.monotonic()
        if job.kind == SWEEP:
            status = run_sweep_job(db, settings, job)
        else:
            status = run_job(db, settings, job)
        job.log(log).info("%s %s in %.1f s", job.kind, status, time.monotonic() - started)
    db.dispose()
