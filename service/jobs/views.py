"""How a job reads in an answer: the fields the solve and sweep status answers share."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from service.jobs.admission import queue_position
from service.models import QUEUED, Job, as_utc, utcnow


def elapsed_of(job: Job, now: dt.datetime | None = None) -> float | None:
    """Seconds the job has run (so far, or in all)."""
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
