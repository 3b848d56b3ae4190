"""A pool worker process: claim the oldest queued job, run it (a solve or a sweep), repeat
until told to stop; exit when the web process goes, however it goes."""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys
import threading
import time
from typing import Any

from sqlalchemy import select

from service.db import Database
from service.jobs import logs
from service.jobs.monitor import Claimed
from service.models import QUEUED, RUNNING, SWEEP, Job, new_id, utcnow
from service.settings import Settings

log = logging.getLogger("legevakt.jobs")


def claim_next(db: Database, pid: int) -> Claimed | None:
    """Take the oldest queued job, or ``None`` when there is none."""
    with db.write() as session:
        job_id = session.scalar(
            select(Job.id)
            .where(Job.status == QUEUED)
            .order_by(Job.created_at, Job.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        if job_id is None:
            return None
        job = session.get(Job, job_id)
        if job is None or job.status != QUEUED:
            return None
        job.status = RUNNING
        job.claim = new_id()
        job.worker_pid = pid
        job.started_at = utcnow()
        job.attempts += 1
        job.stage = "starting"
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


def worker_main(settings_data: dict[str, Any], stop: Any, parent_pid: int) -> None:
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
            job = claim_next(db, pid)
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
