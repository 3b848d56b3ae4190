"""Leases: a running job is its worker's only until its ``lease_until``. The worker renews
the lease every third of ``lease_seconds`` while it runs; once the lease has passed, any
server may queue the job again (counting the attempt). So several servers can share one
database: a server that starts or stops touches only its own jobs and those whose lease is
over, never another server's live ones."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlalchemy import ColumnElement, exists, or_, select

from service.db import Database
from service.models import FAILED, QUEUED, RUNNING, Job, utcnow
from service.settings import Settings

log = logging.getLogger("legevakt.jobs")


def lease_end(settings: Settings, now: dt.datetime | None = None) -> dt.datetime:
    """When a lease taken or renewed now runs out."""
    return (now or utcnow()) + dt.timedelta(seconds=settings.lease_seconds)


def requeued() -> dict[str, Any]:
    """A job's fields when it is queued again (its run given up)."""
    return {
        "status": QUEUED,
        "claim": None,
        "owner": None,
        "lease_until": None,
        "worker_pid": None,
        "started_at": None,
        "stage": None,
        "stage_index": None,
        "objective": None,
        "bound": None,
        "progress_elapsed": None,
    }


def _expired(now: dt.datetime) -> ColumnElement[bool]:
    # No lease at all: left running by a version before leases; over too.
    return (Job.status == RUNNING) & or_(Job.lease_until.is_(None), Job.lease_until < now)


def requeue_expired(db: Database, settings: Settings) -> int:
    """Queue again the running jobs whose lease has run out (their server or worker is gone
    or stopped answering); one that has had ``max_attempts`` starts fails instead. Returns
    how many were queued or failed."""
    now = utcnow()
    with db.read() as session:  # the usual case, nothing expired: no write lock
        if not session.scalar(select(exists().where(_expired(now)))):
            return 0
    count = 0
    with db.write() as session:
        jobs = session.scalars(
            select(Job).where(_expired(now)).with_for_update(skip_locked=True)
        ).all()
        for job in jobs:
            count += 1
            if job.attempts >= settings.max_attempts:
                job.status = FAILED
                job.finished_at = now
                job.claim = None
                job.lease_until = None
                job.error = (
                    f"the job's lease ran out (its server or worker stopped) in each of "
                    f"{job.attempts} attempts; LEGEVAKT_MAX_ATTEMPTS is {settings.max_attempts}"
                )
            else:
                for key, value in requeued().items():
                    setattr(job, key, value)
    if count:
        log.info("%d job(s) whose lease had run out queued again (or failed)", count)
    return count


def requeue_owned(db: Database, owner: str) -> int:
    """Queue again the jobs this server's workers were running (at a stop, once they are
    gone): the next start of any server picks them up at once, with no lease to wait out."""
    with db.write() as session:
        jobs = session.scalars(
            select(Job).where(Job.status == RUNNING).where(Job.owner == owner).with_for_update()
        ).all()
        for job in jobs:
            for key, value in requeued().items():
                setattr(job, key, value)
    if jobs:
        log.info("queued %d interrupted job(s) again", len(jobs))
    return len(jobs)
