"""Admitting jobs (the web side): a bounded queue in the ``jobs`` table, each district's
share of it (:mod:`.quotas`), a retry time for a full queue, and a job's place in it (in
the districts' turn, :mod:`.fair_share`)."""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from service.db import Database
from service.jobs.fair_share import claim_sequence
from service.jobs.quotas import district_refusal, solve_seconds
from service.models import DONE, QUEUED, RUNNING, SOLVE, SWEEP, Base, Job, as_utc, new_id
from service.settings import Settings

_admit_lock = threading.Lock()
NEVER_AS_ASKED = 86_400
"""Retry-After (s) for a job no wait admits as it is (a sweep over its budget): a day."""
_ADMIT_LOCK_KEY = 0x1E6E7A


class QueueFull(Exception):
    """The queue, or the district's share of it, is full; try again after ``retry_after``
    seconds. ``detail`` says which limit, naming its setting."""

    def __init__(self, retry_after: int, detail: str) -> None:
        super().__init__(detail)
        self.retry_after = retry_after
        self.detail = detail


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
    variants: int = 1,
) -> str:
    """Queue a job and return its id; :class:`QueueFull` (429) when the queue or the
    district's share is full, or the job is beyond a district limit as asked.

    ``attached``: rows stored with the job in the same transaction (a sweep's own row, made
    with the ``job_id`` given here), so a job is never queued without them. ``variants``:
    a sweep's, for its solve-seconds and budget."""
    with _admit_lock, db.write() as session:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _ADMIT_LOCK_KEY})
        queued = session.scalar(select(func.count()).select_from(Job).where(Job.status == QUEUED))
        if (queued or 0) >= settings.queue_size:
            retry = retry_after(session, settings)
            raise QueueFull(
                retry,
                f"the queue is full ({queued} jobs waiting; LEGEVAKT_QUEUE_SIZE is "
                f"{settings.queue_size}); try again in {retry} s",
            )
        refusal = district_refusal(
            session,
            settings,
            district=district,
            time_limit=time_limit,
            workers=workers,
            variants=variants,
            is_sweep=kind == SWEEP,
            estimate=lambda: retry_after(session, settings),
        )
        if refusal is not None:
            # Every limit is a 429 (issue 14); one that no retry lifts says so in its detail
            # and asks the client to wait a whole window.
            raise QueueFull(refusal.retry_after or NEVER_AS_ASKED, refusal.detail)
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
            solve_seconds=solve_seconds(time_limit, workers, variants),
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
    """1 for the next job a worker takes (in the districts' turn)."""
    order = claim_sequence(session)
    return order.index(job.id) + 1 if job.id in order else len(order) + 1
