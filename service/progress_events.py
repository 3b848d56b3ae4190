"""A job's progress as server-sent events (``text/event-stream``), for
``GET /v1/solves/{id}/events``, ``GET /v1/sweeps/{id}/events`` and the web app's solve page.

The worker is another process, so the stream polls the database: every ``POLL_SECONDS`` a
query of a few columns of the job and the ``progress`` rows after the last one sent (by
id). Nothing is kept in the web process, so any number of web processes can serve streams.

- a solve: an ``event: status`` when its status or queue place changes (while queued or
  running), one ``event: progress`` per progress row in order (``id:`` is the row's id),
  then one ``event: end`` with the final status, summary and error;
- a sweep: an ``event: progress`` whenever its state changes (variants done, failed and
  total, the current variant and its stage, objective and bound; ``id:`` a digest of it),
  then ``event: end``.

After the end event the stream closes. ``Last-Event-ID`` (sent by a reconnecting
``EventSource``) continues after that event. A comment line every ``HEARTBEAT_SECONDS``
keeps proxies from closing a quiet stream, and the stream stops when the client goes.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import anyio
from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from sqlalchemy import select
from sqlalchemy.orm import Session, load_only

from service.db import Database
from service.jobs.admission import queue_position
from service.jobs.views import elapsed_of
from service.models import ACTIVE, QUEUED, RUNNING, Job, ProgressRow, SweepRow, as_utc

POLL_SECONDS = 0.5
HEARTBEAT_SECONDS = 15.0
#: How long a browser's EventSource waits before it reconnects (milliseconds).
RETRY_MS = 2000
MEDIA_TYPE = "text/event-stream"
#: A poll: the events to send now, and whether the stream ends after them.
Poll = Callable[[], tuple[list[str], bool]]


def event(name: str, data: dict[str, Any], event_id: str | None = None) -> str:
    """One event in the wire format (the data is one line of JSON)."""
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def _job(session: Session, job_id: str, *columns: Any) -> Job | None:
    """The job with only the columns a poll needs (never its scenario document)."""
    base = (Job.status, Job.created_at, Job.started_at, Job.finished_at)
    return session.get(Job, job_id, options=[load_only(*base, *columns)], populate_existing=True)


def _status(session: Session, job: Job) -> dict[str, Any]:
    position = queue_position(session, job) if job.status == QUEUED else None
    return {"status": job.status, "queue_position": position}


# ---------------------------------------------------------------- a solve


@dataclass
class SolveCursor:
    """How far a solve's stream has got: the last progress row and status sent."""

    job_id: str
    last_row: int = 0
    last_status: dict[str, Any] | None = None


def poll_solve(db: Database, cursor: SolveCursor) -> tuple[list[str], bool]:
    """The solve's events since ``cursor`` (which moves on), and whether it has finished."""
    out: list[str] = []
    with db.read() as session:
        job = _job(session, cursor.job_id)
        if job is None:  # gone (its rows were deleted): nothing more will come
            return [event("end", {"status": "gone"})], True
        if job.status in ACTIVE:
            status = _status(session, job)
            if status != cursor.last_status:
                out.append(event("status", status))
                cursor.last_status = status
        # Read after the status: a finished job's rows were all written before it finished.
        rows = session.execute(
            select(
                ProgressRow.id,
                ProgressRow.at,
                ProgressRow.stage,
                ProgressRow.stage_index,
                ProgressRow.elapsed,
                ProgressRow.objective,
                ProgressRow.bound,
            )
            .where(ProgressRow.job_id == cursor.job_id)
            .where(ProgressRow.id > cursor.last_row)
            .order_by(ProgressRow.id)
        ).all()
        started = as_utc(job.started_at)
        for row in rows:
            cursor.last_row = row.id
            if started is not None and (as_utc(row.at) or row.at) < started:
                continue  # an earlier run's (the job was queued again)
            data = {
                "stage": row.stage,
                "stage_index": row.stage_index,
                "elapsed": row.elapsed,
                "objective": row.objective,
                "bound": row.bound,
            }
            out.append(event("progress", data, str(row.id)))
        if job.status in ACTIVE:
            return out, False
        out.append(event("end", _solve_end(session, cursor.job_id)))
        return out, True


def _solve_end(session: Session, job_id: str) -> dict[str, Any]:
    job = _job(
        session,
        job_id,
        Job.stage,
        Job.objective,
        Job.bound,
        Job.roster_status,
        Job.summary,
        Job.error,
        Job.conflicts,
    )
    assert job is not None
    return {
        "status": job.status,
        "elapsed": elapsed_of(job),
        "stage": job.stage,
        "objective": job.objective,
        "bound": job.bound,
        "roster_status": job.roster_status,
        "summary": job.summary,
        "error": job.error,
        "conflicts": job.conflicts,
    }


# ---------------------------------------------------------------- a sweep


@dataclass
class SweepCursor:
    """The last state of a sweep sent (by its digest) and its number of variants."""

    job_id: str
    last_id: str | None = None
    total: int | None = None


def poll_sweep(db: Database, cursor: SweepCursor) -> tuple[list[str], bool]:
    """The sweep's state when it changed since ``cursor``, and whether it has finished."""
    with db.read() as session:
        job = _job(session, cursor.job_id, Job.stage, Job.objective, Job.bound, Job.error)
        columns = (SweepRow.variants_done, SweepRow.variants_failed, SweepRow.current_variant)
        sweep = session.get(SweepRow, cursor.job_id, options=[load_only(*columns)])
        if job is None or sweep is None:
            return [event("end", {"status": "gone"})], True
        if cursor.total is None:
            planned = session.scalar(select(SweepRow.planned).where(SweepRow.job_id == job.id))
            cursor.total = len(planned or [])
        counts = {
            "variants_total": cursor.total,
            "variants_done": sweep.variants_done,
            "variants_failed": sweep.variants_failed,
        }
        if job.status not in ACTIVE:
            end = {"status": job.status, "elapsed": elapsed_of(job), **counts, "error": job.error}
            return [event("end", end)], True
        running = job.status == RUNNING
        state = {
            **_status(session, job),
            **counts,
            "current_variant": sweep.current_variant if running else None,
            "stage": job.stage if running else None,
            "objective": job.objective if running else None,
            "bound": job.bound if running else None,
        }
        text = json.dumps(state, sort_keys=True)
        digest = hashlib.sha256(text.encode()).hexdigest()[:16]
        if digest == cursor.last_id:
            return [], False
        cursor.last_id = digest
        return [event("progress", state, digest)], False


# ---------------------------------------------------------------- the stream


async def stream(
    poll: Poll,
    request: Request,
    interval: float = POLL_SECONDS,
    heartbeat: float = HEARTBEAT_SECONDS,
) -> AsyncIterator[str]:
    """Poll until the job has finished or the client has gone; a comment when quiet."""
    yield f"retry: {RETRY_MS}\n\n"
    quiet_since = time.monotonic()
    while True:
        chunks, finished = await run_in_threadpool(poll)
        for chunk in chunks:
            yield chunk
        if finished:
            return
        now = time.monotonic()
        if chunks:
            quiet_since = now
        elif now - quiet_since >= heartbeat:
            yield ": keep-alive\n\n"
            quiet_since = now
        await anyio.sleep(interval)
        if await request.is_disconnected():
            return


def response(poll: Poll, request: Request) -> StreamingResponse:
    return StreamingResponse(
        stream(poll, request),
        media_type=MEDIA_TYPE,
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


def last_row_id(header: str | None) -> int:
    """A solve's ``Last-Event-ID`` as a progress row id (0, from the start, if it is none)."""
    try:
        return max(0, int((header or "").strip()))
    except ValueError:
        return 0


def solve_events(
    db: Database, job_id: str, request: Request, last_event_id: str | None
) -> StreamingResponse:
    """The streaming answer for a solve the caller may see (checked before)."""
    cursor = SolveCursor(job_id, last_row_id(last_event_id))
    return response(lambda: poll_solve(db, cursor), request)


def sweep_events(
    db: Database, job_id: str, request: Request, last_event_id: str | None
) -> StreamingResponse:
    """The streaming answer for a sweep the caller may see (checked before)."""
    cursor = SweepCursor(job_id, (last_event_id or "").strip()[:64] or None)
    return response(lambda: poll_sweep(db, cursor), request)
