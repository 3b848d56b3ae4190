"""In a worker, beside a running job: its lease renewed, its latest progress written
(throttled), its cancel flag watched, and its outcome stored with retries. A run writes
only while its ``claim`` is the job's (checked on the row locked for the write), so a run
that was given up can never overwrite a later one."""

from __future__ import annotations

import datetime as dt
import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from service.db import Database
from service.jobs.logs import JobLog, job_log
from service.models import Job, ProgressRow, utcnow

log = logging.getLogger("legevakt.jobs")


@dataclass(frozen=True)
class Claimed:
    id: str
    kind: str
    claim: str
    document: dict[str, Any]
    time_limit: float
    seed: int
    workers: int
    cancel_requested: bool
    replan: dict[str, Any] | None = None
    #: For the log lines (``district=``); never the job's contents.
    district: str = ""

    def log(self, logger: logging.Logger) -> JobLog:
        """``logger`` with this job's ``job_id`` and ``district`` on every line."""
        return job_log(logger, self.id, self.district)


class Monitor:
    """Renews a running job's lease, writes its latest progress and watches its cancel flag.

    ``interval``: seconds between progress writes; ``lease``: the lease's length, renewed
    every third of it (the thread wakes often enough for both). ``history``: also keep
    every report as a ``progress`` row (solves; a sweep shows only the latest, of the
    variant being solved)."""

    def __init__(
        self,
        db: Database,
        job: Claimed,
        interval: float,
        history: bool = True,
        lease: float = 30.0,
    ) -> None:
        self.db = db
        self.job = job
        self.interval = min(interval, lease / 3)
        self.lease = lease
        self.history = history
        self.cancel = threading.Event()
        self.lost = False  # the job was given up (its lease taken over): write nothing more
        self._renewed = time.monotonic()  # the claim took the first lease
        self._latest: Any = None
        self._written: Any = None
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="legevakt-monitor", daemon=True)
        if job.cancel_requested:
            self.cancel.set()

    def on_progress(self, progress: Any) -> None:
        with self._lock:
            self._latest = progress

    def forget(self) -> None:
        """Drop a report not written yet (a sweep's next variant starts from nothing)."""
        with self._lock:
            self._latest = None

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        self._thread.join()
        self.tick()

    def _run(self) -> None:
        while not self._done.wait(self.interval):
            self.tick()

    def tick(self) -> None:
        with self._lock:
            latest = self._latest
        try:
            with self.db.write() as session:
                job = session.get(Job, self.job.id, with_for_update=True)
                if job is None or job.claim != self.job.claim:
                    self.lost = True
                    self.cancel.set()
                    return
                if job.cancel_requested:
                    self.cancel.set()
                now = time.monotonic()
                if now - self._renewed >= self.lease / 3:
                    job.lease_until = utcnow() + dt.timedelta(seconds=self.lease)
                    self._renewed = now
                if latest is not None and latest is not self._written:
                    job.stage = latest.stage
                    job.stage_index = latest.stage_index
                    job.objective = finite(latest.objective)
                    job.bound = finite(latest.bound)
                    job.progress_elapsed = round(latest.elapsed, 3)
                    if self.history:
                        session.add(
                            ProgressRow(
                                job_id=job.id,
                                stage=latest.stage,
                                stage_index=latest.stage_index,
                                elapsed=round(latest.elapsed, 3),
                                objective=finite(latest.objective),
                                bound=finite(latest.bound),
                            )
                        )
                    self._written = latest
        except Exception:
            self.job.log(log).exception("could not write progress")


def finite(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return float(value)


def store_with_retries(
    store: Callable[[], None],
    what: str,
    give_up: tuple[type[BaseException], ...] = (),
    logger: logging.Logger | JobLog = log,
) -> bool:
    """Store a job's outcome, trying again a few times (the database may be busy or
    restarting). False when it could not be stored, or ``give_up`` was raised (the job is
    no longer this run's)."""
    for attempt in range(5):
        try:
            store()
            return True
        except give_up:
            return False
        except Exception:
            logger.exception("%s: could not store the result (attempt %d)", what, attempt + 1)
            time.sleep(0.5 * (attempt + 1))
    return False
