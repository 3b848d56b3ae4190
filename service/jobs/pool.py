"""The pool of worker processes (the web side): ``pool_size`` spawned workers, replaced when
one dies. Jobs whose lease has run out (a crashed server's, any server's) are queued again,
at the start and every second; a stopping server queues again only its own."""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from multiprocessing.context import SpawnProcess

from sqlalchemy import select

from service.db import Database
from service.jobs.leases import requeue_expired, requeue_owned, requeued
from service.jobs.worker import worker_main
from service.models import FAILED, RUNNING, Job, new_id, utcnow
from service.settings import Settings

log = logging.getLogger("legevakt.jobs")


#: Seconds between looks for jobs whose lease has run out.
REAP_INTERVAL = 1.0


class WorkerPool:
    """``pool_size`` spawned worker processes, replaced when one dies. ``owner`` names this
    server in the jobs its workers claim."""

    def __init__(
        self, settings: Settings, db: Database, on_expired: Callable[[int], None] | None = None
    ) -> None:
        self.settings = settings
        self.db = db
        self.on_expired = on_expired  # told how many expired leases each sweep found
        self.owner = new_id()
        self._ctx = multiprocessing.get_context("spawn")
        self._stop = self._ctx.Event()
        self._procs: list[SpawnProcess] = []
        self._stopping = threading.Event()
        self._supervisor: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def size(self) -> int:
        return self.settings.pool_size

    def alive(self) -> int:
        with self._lock:
            return sum(p.is_alive() for p in self._procs)

    def _requeue_expired(self) -> None:
        found = requeue_expired(self.db, self.settings)
        if found and self.on_expired is not None:
            self.on_expired(found)

    def start(self) -> None:
        self._requeue_expired()
        with self._lock:
            self._procs = [self._spawn(k) for k in range(self.size)]
        self._supervisor = threading.Thread(
            target=self._supervise, name="legevakt-pool-supervisor", daemon=True
        )
        self._supervisor.start()

    def _spawn(self, k: int) -> SpawnProcess:
        proc = self._ctx.Process(
            target=worker_main,
            args=(self.settings.for_worker(), self._stop, os.getpid(), self.owner),
            name=f"legevakt-worker-{k}",
            daemon=True,
        )
        proc.start()
        return proc

    def _supervise(self) -> None:
        quick_deaths = [0] * self.size  # deaths soon after a start, in a row, per slot
        started = [time.monotonic()] * self.size
        respawn_at: dict[int, float] = {}
        reaped = time.monotonic()
        while not self._stopping.wait(0.5):
            if time.monotonic() - reaped >= REAP_INTERVAL:
                reaped = time.monotonic()
                try:
                    self._requeue_expired()
                except Exception:
                    log.exception("could not queue again the jobs whose lease ran out")
            with self._lock:
                now = time.monotonic()
                for k, proc in enumerate(self._procs):
                    if self._stopping.is_set():
                        break
                    if k in respawn_at:
                        if now >= respawn_at[k]:
                            del respawn_at[k]
                            proc.close()
                            self._procs[k] = self._spawn(k)
                            started[k] = now
                        continue
                    if proc.is_alive():
                        continue
                    log.warning("worker %s (pid %s) died, exit code %s", k, proc.pid, proc.exitcode)
                    try:
                        self._worker_died(proc.pid, proc.exitcode)
                    except Exception:
                        log.exception("could not recover the job of worker pid %s", proc.pid)
                    # A worker that keeps dying at once (a broken install, say) is restarted
                    # ever more slowly, up to once a minute, instead of in a tight loop.
                    quick_deaths[k] = quick_deaths[k] + 1 if now - started[k] < 10 else 0
                    respawn_at[k] = now + min(60.0, 0.5 * 2 ** quick_deaths[k]) - 0.5

    def _worker_died(self, pid: int | None, exitcode: int | None) -> None:
        with self.db.write() as session:
            jobs = session.scalars(
                select(Job)
                .where(Job.status == RUNNING)
                .where(Job.owner == self.owner)
                .where(Job.worker_pid == pid)
                .with_for_update()
            ).all()
            for job in jobs:
                if job.attempts >= self.settings.max_attempts:
                    job.status = FAILED
                    job.finished_at = utcnow()
                    job.claim = None
                    job.lease_until = None
                    job.error = (
                        f"the worker process died (exit code {exitcode}) in each of "
                        f"{job.attempts} attempts"
                    )
                else:
                    for key, value in requeued().items():
                        setattr(job, key, value)

    def stop(self, grace: float = 2.0) -> None:
        """Stop the workers; jobs they were running (this server's, no other's) are queued
        again for the next start."""
        self._stopping.set()
        self._stop.set()
        if self._supervisor is not None:
            self._supervisor.join(timeout=5)
        with self._lock:
            deadline = time.monotonic() + grace
            for proc in self._procs:
                proc.join(timeout=max(0.0, deadline - time.monotonic()))
            for proc in self._procs:
                if proc.is_alive():
                    proc.terminate()
            for proc in self._procs:
                proc.join(timeout=5)
                if proc.is_alive():
                    proc.kill()
                    proc.join(timeout=5)
            self._procs = []
        try:
            requeue_owned(self.db, self.owner)
        except Exception:
            log.exception("could not queue the interrupted jobs again")
