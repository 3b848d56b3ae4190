"""Each district's share at admission (the web side): how many of its jobs may wait, how
many solve-seconds it may ask for in a day, and how large one of its sweeps may be. The
limits are ``Settings.limits_of(district)``; a refusal names the setting it comes from.

Solve-seconds: a job asks for its time limit × its CP-SAT workers (× its variants, for a
sweep), counted for every job the district submitted in the last 24 hours except those
cancelled before they started. A sweep's budget: its variants × its time limit."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from service.models import CANCELLED, QUEUED, Job, as_utc, utcnow
from service.settings import Settings

DAY = dt.timedelta(hours=24)
SMALLER = "a smaller job is needed: the same one will not be admitted later"


@dataclass(frozen=True)
class Refusal:
    """Why a job is not admitted (429): ``retry_after`` seconds, or ``None`` when it never
    could be as asked (then the answer waits a day and the detail says a smaller job is
    needed)."""

    detail: str
    retry_after: int | None


def solve_seconds(time_limit: float, workers: int, variants: int = 1) -> float:
    """What a job asks for: time limit × CP-SAT workers × variants."""
    return float(time_limit) * int(workers) * int(variants)


def _counted(district: str, since: dt.datetime) -> list[ColumnElement[bool]]:
    return [
        Job.district == district,
        Job.created_at >= since,
        ~((Job.status == CANCELLED) & Job.started_at.is_(None)),
    ]


def district_refusal(
    session: Session,
    settings: Settings,
    *,
    district: str,
    time_limit: float,
    workers: int,
    variants: int,
    is_sweep: bool,
    estimate: Callable[[], int],
) -> Refusal | None:
    """The first of the district's limits this job would break, or ``None``. ``estimate``:
    the seconds until a queued job likely starts (a retry time for a full queue)."""
    limits, names = settings.limits_of(district)
    if is_sweep and limits.max_sweep_seconds is not None:
        budget = variants * float(time_limit)
        if budget > limits.max_sweep_seconds:
            return Refusal(
                f"this sweep's budget is {budget:g} s ({variants} variants × "
                f"{float(time_limit):g} s time limit); {names['max_sweep_seconds']} is "
                f"{limits.max_sweep_seconds:g}; {SMALLER}",
                None,
            )
    if limits.max_queued is not None:
        queued = session.scalar(
            select(func.count())
            .select_from(Job)
            .where(Job.status == QUEUED)
            .where(Job.district == district)
        )
        if (queued or 0) >= limits.max_queued:
            return Refusal(
                f"district {district} has {queued} queued jobs; "
                f"{names['max_queued']} is {limits.max_queued}",
                estimate(),
            )
    if limits.max_solve_seconds_per_day is not None:
        return _daily_refusal(
            session,
            district,
            solve_seconds(time_limit, workers, variants),
            limits.max_solve_seconds_per_day,
            names["max_solve_seconds_per_day"],
        )
    return None


def _daily_refusal(
    session: Session, district: str, wanted: float, limit: float, name: str
) -> Refusal | None:
    now = utcnow()
    if wanted > limit:
        return Refusal(
            f"this job asks for {wanted:g} solve-seconds (time limit × CP-SAT workers × "
            f"variants); {name} is {limit:g}; {SMALLER}",
            None,
        )
    cost = func.coalesce(Job.solve_seconds, Job.time_limit * Job.workers)
    rows = session.execute(
        select(Job.created_at, cost).where(*_counted(district, now - DAY)).order_by(Job.created_at)
    ).all()
    total = used = sum(float(c or 0.0) for _, c in rows)
    if used + wanted <= limit:
        return None
    # The earliest moment enough of the window's jobs have dropped out of it.
    retry = DAY.total_seconds()
    for created, c in rows:
        used -= float(c or 0.0)
        if used + wanted <= limit:
            moment = as_utc(created) or now
            retry = (moment + DAY - now).total_seconds()
            break
    return Refusal(
        f"district {district} has asked for {total:g} solve-seconds in the last 24 h "
        f"and this job asks for {wanted:g} (time limit × CP-SAT workers × variants); "
        f"{name} is {limit:g}",
        max(1, math.ceil(retry)),
    )
