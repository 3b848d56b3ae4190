"""Which queued job runs next: the queue is taken round-robin across the districts with
queued work, the district whose last claim is oldest first (one never served before
first of all), and within a district its oldest job. So a district that queued 50 jobs
delays another district's one job by at most one job per worker, where oldest-first
would make it wait for all 50. A district at its ``max_running`` is passed over until one
of its jobs ends.

Claims are serialised (PostgreSQL: an advisory lock; SQLite: ``BEGIN IMMEDIATE``), so the
turns are exact across servers; ``SKIP LOCKED`` still passes over a row being cancelled."""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterable

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from service.models import QUEUED, RUNNING, DistrictTurn, Job, as_utc
from service.settings import Settings

_CLAIM_LOCK_KEY = 0x1E6E7B
_NEVER = dt.datetime.min.replace(tzinfo=dt.UTC)
TurnKey = tuple[int, dt.datetime, dt.datetime, str]


def lock_claims(session: Session) -> None:
    """One claim at a time across every server (PostgreSQL; SQLite's write lock is one)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CLAIM_LOCK_KEY})


def turn_key(last_claim: dt.datetime | None, oldest_queued: dt.datetime, district: str) -> TurnKey:
    """Districts are served in the order of this key: never served, then longest since
    their last claim; ties by their oldest queued job."""
    if last_claim is None:
        return (0, _NEVER, as_utc(oldest_queued) or _NEVER, district)
    return (1, as_utc(last_claim) or _NEVER, as_utc(oldest_queued) or _NEVER, district)


def _turns(session: Session, districts: Iterable[str]) -> dict[str, dt.datetime]:
    names = list(districts)
    if not names:
        return {}
    rows = session.execute(
        select(DistrictTurn.district, DistrictTurn.last_claim_at).where(
            DistrictTurn.district.in_(names)
        )
    ).all()
    return {d: t for d, t in rows}


def next_job(session: Session, settings: Settings) -> Job | None:
    """The job to claim now (locked where the database can), or ``None``. Call inside a
    writing transaction after :func:`lock_claims`."""
    heads = session.execute(
        select(Job.district, func.min(Job.created_at))
        .where(Job.status == QUEUED)
        .group_by(Job.district)
    ).all()
    if not heads:
        return None
    turns = _turns(session, (d for d, _ in heads))
    running = {
        d: int(n)
        for d, n in session.execute(
            select(Job.district, func.count()).where(Job.status == RUNNING).group_by(Job.district)
        )
    }
    for district, _ in sorted(heads, key=lambda h: turn_key(turns.get(h[0]), h[1], h[0])):
        limit = settings.limits_of(district)[0].max_running
        if limit is not None and running.get(district, 0) >= limit:
            continue
        job_id = session.scalar(
            select(Job.id)
            .where(Job.status == QUEUED)
            .where(Job.district == district)
            .order_by(Job.created_at, Job.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        job = session.get(Job, job_id) if job_id is not None else None
        if job is not None and job.status == QUEUED:
            return job
    return None


def mark_turn(session: Session, district: str, now: dt.datetime) -> None:
    """The district has just had a job claimed: it goes to the back of the round."""
    turn = session.get(DistrictTurn, district)
    if turn is None:
        session.add(DistrictTurn(district=district, last_claim_at=now))
    else:
        turn.last_claim_at = now


def claim_sequence(session: Session) -> list[str]:
    """Every queued job's id in the order workers will take them, if nothing else is
    queued meanwhile and no district is held back by its ``max_running``."""
    rows = session.execute(
        select(Job.id, Job.district, Job.created_at)
        .where(Job.status == QUEUED)
        .order_by(Job.created_at, Job.id)
    ).all()
    queues: dict[str, deque[tuple[str, dt.datetime]]] = {}
    for job_id, district, created in rows:
        queues.setdefault(district, deque()).append((job_id, created))
    turns = _turns(session, queues)
    keys = {d: turn_key(turns.get(d), q[0][1], d) for d, q in queues.items()}
    order: list[str] = []
    served = 0
    while keys:
        district = min(keys, key=keys.__getitem__)
        queue = queues[district]
        order.append(queue.popleft()[0])
        served += 1
        if queue:  # to the back of the round, after everyone served before
            keys[district] = (2, _NEVER + dt.timedelta(microseconds=served), _NEVER, district)
        else:
            del keys[district]
    return order
