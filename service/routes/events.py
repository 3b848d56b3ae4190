"""``GET /v1/solves/{id}/events`` and ``GET /v1/sweeps/{id}/events``: a job's progress as
server-sent events (``service.progress_events``), in place of polling its status.

Same token and district scoping as the other routes: another district's id, or one that
names nothing, is 404 before anything streams."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import StreamingResponse

from service import progress_events
from service.deps import DatabaseDep, DistrictDep
from service.errors import error_responses
from service.models import SOLVE, SWEEP
from service.routes import owned_job

router = APIRouter()

LastEventId = Annotated[
    str | None,
    Header(
        alias="Last-Event-ID",
        max_length=100,
        description="The id of the last event received: a reconnect continues after it.",
    ),
]


def _responses(description: str) -> dict[int | str, dict[str, object]]:
    content = {progress_events.MEDIA_TYPE: {"schema": {"type": "string"}}}
    return {200: {"description": description, "content": content}, **error_responses(401, 404)}


@router.get(
    "/v1/solves/{job_id}/events",
    tags=["solves"],
    response_class=StreamingResponse,
    responses=_responses(
        "`status` events while queued or running, one `progress` event per progress report "
        "(`id:` its number), then one `end` event with the final status and summary."
    ),
)
def solve_events(
    job_id: str,
    request: Request,
    db: DatabaseDep,
    district: DistrictDep,
    last_event_id: LastEventId = None,
) -> StreamingResponse:
    """The solve's progress as a stream: each report (stage, stage_index, elapsed,
    objective, bound) as it is written, then the final status; a finished solve answers
    everything at once. ``Last-Event-ID`` continues after that report."""
    with db.read() as session:
        owned_job(session, job_id, district, SOLVE, "solve")
    return progress_events.solve_events(db, job_id, request, last_event_id)


@router.get(
    "/v1/sweeps/{sweep_id}/events",
    tags=["sweeps"],
    response_class=StreamingResponse,
    responses=_responses(
        "A `progress` event whenever the sweep's state changes, then one `end` event with "
        "the final status."
    ),
)
def sweep_events(
    sweep_id: str,
    request: Request,
    db: DatabaseDep,
    district: DistrictDep,
    last_event_id: LastEventId = None,
) -> StreamingResponse:
    """The sweep's progress as a stream: variants done, failed and total, the variant being
    solved and its stage, objective and bound, whenever they change; then the final status.
    ``Last-Event-ID`` (a state's id) sends that state only if it has changed since."""
    with db.read() as session:
        owned_job(session, sweep_id, district, SWEEP, "sweep")
    return progress_events.sweep_events(db, sweep_id, request, last_event_id)
