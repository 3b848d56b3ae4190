"""``/v1/solves``: submit solves, follow them, cancel them, and fetch their rosters."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Response
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from legevakt_opt.io import FORMATS, ExportError, export_roster
from legevakt_opt.io.common import check_doctor
from legevakt_opt.scenario import ScenarioError, scenario_from_data
from service.bodies import DocumentRoute, yaml_body
from service.checks import Problem, check_scenario
from service.deps import DatabaseDep, DistrictDep, SettingsDep
from service.errors import error_responses
from service.jobs.admission import QueueFull, submit
from service.jobs.views import job_fields
from service.models import (
    CANCELLED,
    DONE,
    FAILED,
    QUEUED,
    RUNNING,
    SOLVE,
    Job,
    ProgressRow,
    RosterRow,
    ScenarioRow,
    as_utc,
)
from service.replans import refuse_conflicting_fixed, replan_of
from service.routes import attachment, is_id, not_found, owned_job, queue_full, request_cancel
from service.schemas import Created, JobOut, JobStatus, ProgressOut, RosterFormat, SolveRequest

router = APIRouter(prefix="/v1/solves", tags=["solves"], route_class=DocumentRoute)


def job_out(session: Session, job: Job) -> JobOut:
    return JobOut(
        **job_fields(session, job),
        stage=job.stage,
        stage_index=job.stage_index,
        objective=job.objective,
        bound=job.bound,
        roster_status=job.roster_status,
        summary=job.summary,
        replan=_replan_out(job.replan),
        conflicts=job.conflicts,
    )


def _replan_out(replan: dict[str, Any] | None) -> dict[str, Any] | None:
    if not replan:
        return None
    return {
        "freeze_until": replan.get("freeze_until"),
        "published_solve_id": replan.get("published_solve_id"),
        "published_assignments": len(replan.get("assignments", [])),
    }


def _owned(session: Session, job_id: str, district: str, lock: bool = False) -> Job:
    return owned_job(session, job_id, district, SOLVE, "solve", lock)


@router.post(
    "",
    status_code=202,
    response_model=Created,
    responses=error_responses(400, 401, 404, 413, 422, 429),
    openapi_extra=yaml_body({"$ref": "#/components/schemas/SolveRequest"}),
)
def create_solve(
    request: SolveRequest,
    response: Response,
    db: DatabaseDep,
    settings: SettingsDep,
    district: DistrictDep,
) -> Created:
    """Queue a solve of a stored scenario (``scenario_id``) or an inline ``scenario``; the
    body is JSON or YAML.

    202 with the job's id; follow it at ``GET /v1/solves/{id}``. 429 with Retry-After
    when the queue is full."""
    if (request.scenario_id is None) == (request.scenario is None):
        raise Problem(["scenario_id, scenario: give exactly one of them"])
    time_limit = request.time_limit or settings.time_limit_default
    if time_limit > settings.max_time_limit:
        raise Problem(
            [
                f"time_limit: {request.time_limit:g} s is over this service's limit of "
                f"{settings.max_time_limit:g} s (limit LEGEVAKT_MAX_TIME_LIMIT)"
            ]
        )
    workers = request.workers or settings.solve_workers_default
    if workers > settings.max_solve_workers:
        raise Problem(
            [
                f"workers: {workers} is over this service's limit of "
                f"{settings.max_solve_workers} (limit LEGEVAKT_MAX_SOLVE_WORKERS)"
            ]
        )
    document: dict[str, Any]
    if request.scenario is not None:
        document = request.scenario
        scenario = check_scenario(document, settings, root="scenario").scenario
        scenario_id = None
    else:
        sid = str(request.scenario_id)
        with db.read() as session:
            row = session.get(ScenarioRow, sid) if is_id(sid) else None
            if row is None or row.district != district:
                raise not_found("scenario", sid)
            document, scenario_id = row.document, row.id
        scenario = check_scenario(document, settings).scenario
    name = scenario.name
    refuse_conflicting_fixed(scenario)
    with db.read() as session:
        replan = replan_of(
            session,
            district,
            request.published,
            request.published_solve_id,
            request.freeze_until,
        )
    try:
        job_id = submit(
            db,
            settings,
            district=district,
            scenario_id=scenario_id,
            document=document,
            name=name,
            time_limit=time_limit,
            seed=request.seed,
            workers=workers,
            replan=replan,
        )
    except IntegrityError:  # the scenario was deleted in the meantime
        raise not_found("scenario", str(request.scenario_id)) from None
    except QueueFull as full:
        raise queue_full(full.detail, full.retry_after) from None
    response.headers["Location"] = f"/v1/solves/{job_id}"
    return Created(id=job_id)


@router.get("", response_model=list[JobOut], responses=error_responses(401, 422))
def list_solves(
    db: DatabaseDep,
    district: DistrictDep,
    status: JobStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> list[JobOut]:
    """The district's solves, newest first (optionally of one status)."""
    with db.read() as session:
        query = select(Job).where(Job.district == district).where(Job.kind == SOLVE)
        if status is not None:
            query = query.where(Job.status == status)
        jobs = session.scalars(
            query.order_by(Job.created_at.desc(), Job.id).limit(limit).offset(offset)
        ).all()
        return [job_out(session, j) for j in jobs]


@router.get("/{job_id}", response_model=JobOut, responses=error_responses(401, 404))
def get_solve(job_id: str, db: DatabaseDep, district: DistrictDep) -> JobOut:
    """Status (queued, running, done, failed, cancelled), stage, the best objective and bound
    so far, and elapsed seconds."""
    with db.read() as session:
        return job_out(session, _owned(session, job_id, district))


@router.get(
    "/{job_id}/progress", response_model=list[ProgressOut], responses=error_responses(401, 404)
)
def get_progress(job_id: str, db: DatabaseDep, district: DistrictDep) -> list[ProgressOut]:
    """The progress reports of the solve's latest run, oldest first."""
    with db.read() as session:
        job = _owned(session, job_id, district)
        rows = session.scalars(
            select(ProgressRow).where(ProgressRow.job_id == job.id).order_by(ProgressRow.id)
        ).all()
        started = as_utc(job.started_at)
        return [
            ProgressOut(
                at=as_utc(r.at) or r.at,
                stage=r.stage,
                stage_index=r.stage_index,
                elapsed=r.elapsed,
                objective=r.objective,
                bound=r.bound,
            )
            for r in rows
            if started is None or (as_utc(r.at) or r.at) >= started
        ]


@router.delete(
    "/{job_id}",
    response_model=JobOut,
    status_code=202,
    responses={
        200: {"model": JobOut, "description": "Already cancelled."},
        **error_responses(401, 404, 409),
    },
)
def cancel_solve(job_id: str, db: DatabaseDep, district: DistrictDep) -> JSONResponse:
    """Cancel a solve. A queued one is cancelled at once; a running one stops its search and
    keeps the best roster found so far (status ``cancelled`` with a roster). 409 when it
    has already finished."""
    with db.write() as session:
        job = _owned(session, job_id, district, lock=True)
        code = request_cancel(job, "solve")
        session.flush()
        body = job_out(session, job)
    return JSONResponse(body.model_dump(mode="json"), status_code=code)


#: The roster's media types: JSON, and the exporters' (``legevakt_opt.io.FORMATS``).
_MEDIA = {"json": "application/json", **{k: media for k, (media, _) in FORMATS.items()}}


@router.get(
    "/{job_id}/roster",
    response_class=Response,
    responses={
        200: {
            "description": "The roster in the format asked for.",
            "content": {
                "application/json": {"schema": {"type": "object"}},
                "text/csv": {"schema": {"type": "string"}},
                _MEDIA["xlsx"]: {"schema": {"type": "string", "format": "binary"}},
                "text/calendar": {"schema": {"type": "string"}},
            },
        },
        **error_responses(401, 404, 409, 422),
    },
)
def get_roster(
    job_id: str,
    db: DatabaseDep,
    district: DistrictDep,
    format: RosterFormat = "json",
    doctor: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    """The solve's roster as JSON (``legevakt-roster/1``), CSV (one row per assignment),
    XLSX (grid, doctors, unfilled) or ICS (one event per assignment); ``doctor`` gives one
    doctor's assignments (for ICS: their own calendar). A cancelled solve has the best
    roster found before it stopped; 409 while there is none yet."""
    with db.read() as session:
        job = _owned(session, job_id, district)
        row = session.get(RosterRow, job.id)
        if row is None:
            raise HTTPException(status_code=409, detail=_no_roster(job))
        roster, document = row.document, job.scenario_document
    try:
        scenario = scenario_from_data(document)
    except ScenarioError as exc:  # stored by an older version with other rules
        raise HTTPException(
            status_code=409,
            detail=["the solve's scenario can no longer be read:", *exc.errors],
        ) from None
    name = f"roster-{job_id}" + (f"-{doctor}" if doctor else "")
    try:
        if format == "json":
            body = json.dumps(_one_doctor(scenario, roster, doctor), ensure_ascii=False)
            content: bytes = body.encode("utf-8")
        else:
            content = export_roster(format, scenario, roster, doctor)
    except ExportError as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from None
    return Response(content, media_type=_MEDIA[format], headers=attachment(f"{name}.{format}"))


def _one_doctor(scenario: Any, roster: dict[str, Any], doctor: str | None) -> dict[str, Any]:
    if doctor is None:
        return roster

    check_doctor(scenario, doctor)
    out = dict(roster)
    out["doctor"] = doctor
    out["assignments"] = [a for a in roster.get("assignments", []) if a.get("doctor") == doctor]
    doctors = roster.get("doctors") or {}
    out["doctors"] = {doctor: doctors[doctor]} if doctor in doctors else {}
    return out


def _no_roster(job: Job) -> str:
    if job.status in (QUEUED, RUNNING):
        return f"solve {job.id!r} is {job.status}; its roster is not ready yet"
    if job.status == FAILED:
        return f"solve {job.id!r} failed: {job.error or 'no roster'}"
    if job.status == CANCELLED:
        return f"solve {job.id!r} was cancelled before it started; it has no roster"
    assert job.status == DONE
    return f"solve {job.id!r} has no roster"
