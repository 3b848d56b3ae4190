"""Admitting jobs (the web side): a bounded queue in the ``jobs`` table, a retry time for a
full queue, and a job's place in it."""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from service.db import Database
from service.models import DONE, QUEUED, RUNNING, SOLVE, Base, Job, as_utc, new_id
from service.settings import Settings

_admit_lock = threading.Lock()
_ADMIT_LOCK_KEY = 0x1E6E7A


class QueueFull(Exception):
    """The queue holds ``queue_size`` jobs; try again after ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"the queue is full; retry after {retry_after} s")
        self.retry_after = retry_after


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
    replan: dict[str, Any] | None = None,
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
            replan=replan,
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


def queue_position(session: Session, job: Job) -> int:
    """1 for the next job a worker takes."""
    earlier = (Job.created_at < job.created_at) | (
        (Job.created_at == job.created_at) & (Job.id < job.id)
    )
    ahead = session.scalar(
        select(func.count()).select_from(Job).where(Job.status == QUEUED).where(earlier)
    )
    return int(ahead or 0) + 1
