"""The API's endpoints: ``/health``, ``/metrics`` and, under ``/v1``, scenarios, imports,
solves (and their events), recommendations, sweeps and validate."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from fastapi import HTTPException
from sqlalchemy.orm import Session

from service.models import CANCELLED, QUEUED, RUNNING, Job, utcnow

_ID = re.compile(r"^[0-9a-f]{32}$")


def not_found(what: str, ident: str) -> HTTPException:
    shown = ident if len(ident) <= 64 else ident[:61] + "..."
    return HTTPException(status_code=404, detail=f"no {what} {shown!r}")


def attachment(filename: str) -> dict[str, str]:
    """A ``Content-Disposition`` header for a download named ``filename``, which may hold
    any letters (``roster-…-ål-lege.ics``): an ASCII fallback for old clients and the exact
    name as RFC 6266/5987 ``filename*`` (a header itself carries only Latin-1)."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    ascii_name = re.sub(r"[^A-Za-z0-9._=-]+", "-", ascii_name).strip("-") or "download"
    value = f'attachment; filename="{ascii_name}"'
    if ascii_name != filename:
        value += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return {"Content-Disposition": value}


def is_id(value: str) -> bool:
    """Ids are 32 lower-case hex digits; anything else names nothing (404, not a DB query)."""
    return bool(_ID.match(value))


def request_cancel(job: Job, what: str) -> int:
    """Cancel ``job`` at once when queued, or ask its worker to stop when running; returns
    202, or 200 when it was already cancelled. A finished job cannot be cancelled (409)."""
    if job.status == QUEUED:
        job.status = CANCELLED
        job.cancel_requested = True
        job.finished_at = utcnow()
    elif job.status == RUNNING:
        job.cancel_requested = True
    elif job.status == CANCELLED:
        return 200
    else:
        raise HTTPException(
            status_code=409, detail=f"{what} {job.id!r} has already finished ({job.status})"
        )
    return 202


def queue_full(detail: str, retry_after: int) -> HTTPException:
    """429 for a full queue or a district over its share, with ``Retry-After`` (the same
    answer for solves and sweeps); ``detail`` names the limit's setting."""
    return HTTPException(status_code=429, detail=detail, headers={"Retry-After": str(retry_after)})


def owned_job(
    session: Session, job_id: str, district: str, kind: str, what: str, lock: bool = False
) -> Job:
    """The district's job of ``kind``; any other id (malformed, another district's, another
    kind's) is 404 naming ``what``, so nothing tells a stranger that it exists."""
    job = session.get(Job, job_id, with_for_update=lock) if is_id(job_id) else None
    if job is None or job.district != district or job.kind != kind:
        raise not_found(what, job_id)
    return job
