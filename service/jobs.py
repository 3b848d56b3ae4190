"""Solves and sweeps outside the web process: a pool of worker processes fed from the database.

The queue is the ``jobs`` table, one queue for both kinds of job. The web process admits a
job (bounded: beyond ``queue_size`` queued jobs it refuses with 429) and its pool keeps
``pool_size`` worker processes alive (multiprocessing *spawn* context: a fresh interpreter,
no inherited threads or sockets). Each worker claims the oldest queued job (``FOR UPDATE
SKIP LOCKED`` on PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` serializes claims), loads its
scenario from the row, and solves it (a sweep: every variant in turn, in the same worker;
see :mod:`service.sweep_jobs`). A monitor thread in the worker writes the latest progress
(throttled) and polls the job's ``cancel_requested`` flag; when it is set, it sets the
solve's cancel ``Event``, the search stops and the best roster so far is stored (status
``cancelled``).

Recovery: workers die with the web process (``PR_SET_PDEATHSIG`` plus a watchdog on the
parent pid); on start, jobs left ``running`` are queued again; a worker that dies alone is
replaced and its job queued again, up to ``max_attempts`` starts. A run writes only while
its ``claim`` is the job's, so a run that was given up can never overwrite a later one.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import logging
import math
import multiprocessing
import os
import signal
import sys
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.context import SpawnProcess
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from service.db import Database
from service.models import (
    CANCELLED,
    DONE,
    FAILED,
    QUEUED,
    RUNNING,
    SOLVE,
    SWEEP,
    Base,
    Job,
    ProgressRow,
    RosterRow,
    as_utc,
    utcnow,
)
from service.settings import Settings

log = logging.getLogger("legevakt.jobs")

_admit_lock = threading.Lock()
_ADMIT_LOCK_KEY = 0x1E6E7A


class QueueFull(Exception):
    """The queue holds ``queue_size`` jobs; try again after ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"the queue is full; retry after {retry_after} s")
        self.retry_after = retry_after


def new_id() -> str:
    return uuid.uuid4().hex


# ---------------------------------------------------------------- web side: admitting


def submit(
    db: Database,
    settings: Settings,
    *,
    district: str,
    scenario_id: str | None,
    document: dict[str, Any],
    name: str,
    time_limit: float,
    seed: int,
    workers: int,
    kind: str = SOLVE,
    job_id: str | None = None,
    attached: Sequence[Base] = (),
) -> str:
    """Queue a job and return its id; :class:`QueueFull` when the queue is full.

    ``attached``: rows stored with the job in the same transaction (a sweep's own row, made
    with the ``job_id`` given here), so a job is never queued without them."""
    with _admit_lock, db.write() as session:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _ADMIT_LOCK_KEY})
        queued = session.scalar(select(func.count()).select_from(Job).where(Job.status == QUEUED))
        if (queued or 0) >= settings.queue_size:
            raise QueueFull(retry_after(session, settings))
        job = Job(
            id=job_id or new_id(),
            district=district,
            kind=kind,
            scenario_id=scenario_id,
            scenario_name=name,
            scenario_document=document,
            status=QUEUED,
            time_limit=time_limit,
            seed=seed,
            workers=workers,
            cancel_requested=False,
            attempts=0,
        )
        session.add(job)
        session.flush()  # the job first: the attached rows refer to it
        session.add_all(attached)
        return job.id


def retry_after(session: Session, settings: Settings) -> int:
    """Seconds until a place in the queue likely frees: with ``pool_size`` workers busy on
    jobs that take D seconds each, one finishes (and a queued one starts) every
    D / pool_size. D is the mean run time of the last finished jobs, or else the time limit
    of what is queued and running."""
    recent = session.execute(
        select(Job.started_at, Job.finished_at)
        .where(Job.status == DONE)
        .order_by(Job.finished_at.desc())
        .limit(20)
    ).all()
    runs = [
        (end - start).total_seconds()
        for start, end in ((as_utc(a), as_utc(b)) for a, b in recent)
        if start is not None and end is not None
    ]
    if runs:
        duration = sum(runs) / len(runs)
    else:
        mean = session.scalar(
            select(func.avg(Job.time_limit)).where(Job.status.in_((QUEUED, RUNNING)))
        )
        duration = float(mean or 1.0)
    return max(1, math.ceil(duration / max(1, settings.pool_size)))


def requeue_interrupted(db: Database) -> int:
    """Queue again the jobs that were running when the service last stopped or died."""
    with db.write() as session:
        result = session.execute(
            update(Job)
            .where(Job.status == RUNNING)
            .values(**_requeued())
            .execution_options(synchronize_session=False)
        )
        count = int(getattr(result, "rowcount", 0) or 0)
    if count:
        log.info("queued %d interrupted job(s) again", count)
    return count


def _requeued() -> dict[str, Any]:
    return {
        "status": QUEUED,
        "claim": None,
        "worker_pid": None,
        "started_at": None,
        "stage": None,
        "stage_index": None,
        "objective": None,
        "bound": None,
        "progress_elapsed": None,
    }


def queue_position(session: Session, job: Job) -> int:
    """1 for the next job a worker takes."""
    earlier = (Job.created_at < job.created_at) | (
        (Job.created_at == job.created_at) & (Job.id < job.id)
    )
    ahead = session.scalar(
        select(func.count()).select_from(Job).where(Job.status == QUEUED).where(earlier)
    )
    return int(ahead or 0) + 1


# ---------------------------------------------------------------- web side: the pool


class WorkerPool:
    """``pool_size`` spawned worker processes, replaced when one dies."""

    def __init__(self, settings: Settings, db: Database) -> None:
        self.settings = settings
        self.db = db
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

    def start(self) -> None:
        requeue_interrupted(self.db)
        with self._lock:
            self._procs = [self._spawn(k) for k in range(self.size)]
        self._supervisor = threading.Thread(
            target=self._supervise, name="legevakt-pool-supervisor", daemon=True
        )
        self._supervisor.start()

    def _spawn(self, k: int) -> SpawnProcess:
        proc = self._ctx.Process(
            target=worker_main,
            args=(self.settings.for_worker(), self._stop, os.getpid()),
            name=f"legevakt-worker-{k}",
            daemon=True,
        )
        proc.start()
        return proc

    def _supervise(self) -> None:
        quick_deaths = [0] * self.size  # deaths soon after a start, in a row, per slot
        started = [time.monotonic()] * self.size
        respawn_at: dict[int, float] = {}
        while not self._stopping.wait(0.5):
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
                select(Job).where(Job.status == RUNNING).where(Job.worker_pid == pid)
            ).all()
            for job in jobs:
                if job.attempts >= self.settings.max_attempts:
                    job.status = FAILED
                    job.finished_at = utcnow()
                    job.claim = None
                    job.error = (
                        f"the worker process died (exit code {exitcode}) in each of "
                        f"{job.attempts} attempts"
                    )
                else:
                    for key, value in _requeued().items():
                        setattr(job, key, value)

    def stop(self, grace: float = 2.0) -> None:
        """Stop the workers; jobs they were running are queued again for the next start."""
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
            requeue_interrupted(self.db)
        except Exception:
            log.exception("could not queue the interrupted jobs again")


# ---------------------------------------------------------------- worker side


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
        )


class Monitor:
    """Writes a running job's latest progress and watches its cancel flag.

    ``history``: also keep every report as a ``progress`` row (solves; a sweep shows only
    the latest, of the variant being solved)."""

    def __init__(self, db: Database, job: Claimed, interval: float, history: bool = True) -> None:
        self.db = db
        self.job = job
        self.interval = interval
        self.history = history
        self.cancel = threading.Event()
        self.lost = False  # the job was given up (server restart): write nothing more
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
                job = session.get(Job, self.job.id)
                if job is None or job.claim != self.job.claim:
                    self.lost = True
                    self.cancel.set()
                    return
                if job.cancel_requested:
                    self.cancel.set()
                if latest is not None and latest is not self._written:
                    job.stage = latest.stage
                    job.stage_index = latest.stage_index
                    job.objective = _finite(latest.objective)
                    job.bound = _finite(latest.bound)
                    job.progress_elapsed = round(latest.elapsed, 3)
                    if self.history:
                        session.add(
                            ProgressRow(
                                job_id=job.id,
                                stage=latest.stage,
                                stage_index=latest.stage_index,
                                elapsed=round(latest.elapsed, 3),
                                objective=_finite(latest.objective),
                                bound=_finite(latest.bound),
                            )
                        )
                    self._written = latest
        except Exception:
            log.exception("job %s: could not write progress", self.job.id)


def _finite(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return float(value)


def run_job(db: Database, settings: Settings, job: Claimed) -> str:
    """Solve one claimed job and store how it ended; returns the final status."""
    from legevakt_opt.engine import SolveOptions, solve
    from legevakt_opt.scenario import ScenarioError, scenario_from_data

    monitor = Monitor(db, job, settings.progress_interval)
    monitor.start()
    roster: dict[str, Any] | None = None
    error: str | None = None
    status = FAILED
    roster_status: str | None = None
    try:
        scenario = scenario_from_data(job.document)
        result = solve(
            scenario,
            SolveOptions(time_limit=job.time_limit, workers=job.workers, seed=job.seed),
            on_progress=monitor.on_progress,
            cancel=monitor.cancel,
        )
        if result.valid:
            roster = result.roster
            roster_status = result.status
            status = CANCELLED if monitor.cancel.is_set() else DONE
        else:
            n = len(result.validation.breaches) if result.validation is not None else 0
            error = f"internal error: the roster failed validation ({n} breaches); not stored"
    except ScenarioError as exc:
        error = "the scenario is not valid: " + "; ".join(exc.errors)
    except Exception as exc:  # a failed solve must not take the worker down
        log.exception("job %s failed", job.id)
        error = f"internal error while solving ({type(exc).__name__})"
    finally:
        monitor.stop()
    if monitor.lost:
        return "lost"
    stored = store_with_retries(
        lambda: _finish(db, job, status, roster, roster_status, error), f"job {job.id}"
    )
    return status if stored else "lost"


def store_with_retries(
    store: Callable[[], None],
    what: str,
    give_up: tuple[type[BaseException], ...] = (),
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
            log.exception("%s: could not store the result (attempt %d)", what, attempt + 1)
            time.sleep(0.5 * (attempt + 1))
    return False


def _finish(
    db: Database,
    job: Claimed,
    status: str,
    roster: dict[str, Any] | None,
    roster_status: str | None,
    error: str | None,
) -> None:
    with db.write() as session:
        row = session.get(Job, job.id)
        if row is None or row.claim != job.claim:
            return
        if status == DONE and row.cancel_requested:
            status = CANCELLED
        row.status = status
        row.finished_at = utcnow()
        row.error = error
        row.roster_status = roster_status
        if roster is not None:
            row.summary = roster.get("summary")
            levels = roster.get("objective", {}).get("levels") or []
            if levels:
                last = levels[-1]
                row.stage = last.get("name", row.stage)
                row.stage_index = len(levels) - 1
                row.objective = _finite(last.get("value"))
                row.bound = _finite(last.get("bound"))
            old = session.get(RosterRow, job.id)
            if old is not None:
                session.delete(old)
                session.flush()
            session.add(RosterRow(job_id=job.id, document=roster))


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
    logging.basicConfig(
        level=logging.INFO, format=f"%(levelname)s [worker {os.getpid()}] %(message)s"
    )
    settings = Settings.model_validate(settings_data)
    import legevakt_opt.engine  # noqa: F401  (warm up: the first job should not wait for it)

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
            from service.sweep_jobs import run_sweep_job

            status = run_sweep_job(db, settings, job)
        else:
            status = run_job(db, settings, job)
        log.info("%s %s %s in %.1f s", job.kind, job.id, status, time.monotonic() - started)
    db.dispose()


def elapsed_of(job: Job, now: dt.datetime | None = None) -> float | None:
    """Seconds the job has run (so far, or in all)."""
    from service.models import as_utc

    started = as_utc(job.started_at)
    if started is None:
        return None
    end = as_utc(job.finished_at) or (now or utcnow())
    return round(max(0.0, (end - started).total_seconds()), 3)


def job_fields(session: Session, job: Job) -> dict[str, Any]:
    """What a solve's and a sweep's status answers both show of their job: identity,
    settings, times, queue place, cancel and error."""
    return {
        "id": job.id,
        "status": job.status,
        "scenario_id": job.scenario_id,
        "scenario_name": job.scenario_name,
        "time_limit": job.time_limit,
        "seed": job.seed,
        "workers": job.workers,
        "created_at": as_utc(job.created_at) or job.created_at,
        "started_at": as_utc(job.started_at),
        "finished_at": as_utc(job.finished_at),
        "elapsed": elapsed_of(job),
        "queue_position": queue_position(session, job) if job.status == QUEUED else None,
        "cancel_requested": job.cancel_requested,
        "error": job.error,
        "attempts": job.attempts,
    }
