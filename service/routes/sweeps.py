"""``/v1/sweeps``: submit policy what-if sweeps, follow and cancel them, and fetch what the
command line writes (summary CSV/Excel/Markdown, each variant's roster and scenario, plots).

A sweep is a job in the same queue and worker pool as solves (``jobs.kind = sweep``);
its own rows are in ``sweeps``, ``sweep_variants`` and ``sweep_files``."""

from __future__ import annotations

import json
from typing import Annotated, Any, cast

from fastapi import APIRouter, Body, HTTPException, Path, Query, Response
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.bodies import DocumentRoute, yaml_body
from service.db import Database
from service.deps import DatabaseDep, DistrictDep, SettingsDep
from service.errors import error_responses
from service.jobs.admission import QueueFull, submit
from service.jobs.views import job_fields
from service.models import (
    CANCELLED,
    FAILED,
    MEDIA_TYPES,
    QUEUED,
    RUNNING,
    SWEEP,
    TABLES,
    VARIANT_DONE,
    Job,
    ScenarioRow,
    SweepFileRow,
    SweepRow,
    SweepVariantRow,
    new_id,
)
from service.routes import attachment, is_id, not_found, owned_job, queue_full, request_cancel
from service.schemas import (
    SWEEP_SCHEMA,
    Created,
    JobStatus,
    SweepDocument,
    SweepFileOut,
    SweepOut,
    SweepSummaryOut,
    SweepVariantOut,
    SweepVariantStatus,
)
from service.sweep_plans import Stored, check_sweep

router = APIRouter(prefix="/v1/sweeps", tags=["sweeps"], route_class=DocumentRoute)

VariantName = Annotated[str, Path(max_length=300, description="A variant's name.")]


def _url(job_id: str, rest: str = "") -> str:
    return f"/v1/sweeps/{job_id}" + (f"/{rest}" if rest else "")


def _summary(session: Session, job: Job, sweep: SweepRow) -> SweepSummaryOut:
    return SweepSummaryOut(
        **job_fields(session, job),
        name=sweep.name,
        variants_total=len(sweep.planned),
        variants_done=sweep.variants_done,
        variants_failed=sweep.variants_failed,
        current_variant=sweep.current_variant if job.status == RUNNING else None,
        stage=job.stage if job.status == RUNNING else None,
        objective=job.objective if job.status == RUNNING else None,
        bound=job.bound if job.status == RUNNING else None,
    )


def _details(session: Session, job: Job, sweep: SweepRow) -> SweepOut:
    stored = {
        name: (status, seconds, errors)
        for name, status, seconds, errors in session.execute(
            select(
                SweepVariantRow.name,
                SweepVariantRow.status,
                SweepVariantRow.seconds,
                SweepVariantRow.errors,
            ).where(SweepVariantRow.job_id == job.id)
        )
    }
    variants = []
    for item in sweep.planned:
        name = item["name"]
        status, seconds, errors = stored.get(name, (None, None, []))
        if status is None:
            if job.status == RUNNING and sweep.current_variant == name:
                status = "running"
            else:
                status = "pending" if job.status in (QUEUED, RUNNING) else "skipped"
        variants.append(
            SweepVariantOut(
                name=name,
                kind=item["kind"],
                description=item.get("description", ""),
                status=cast(SweepVariantStatus, status),
                errors=list(errors or []),
                seconds=seconds,
                roster=_url(job.id, f"rosters/{name}") if status == VARIANT_DONE else None,
                scenario=_url(job.id, f"scenarios/{name}") if name in stored else None,
            )
        )
    names = session.scalars(
        select(SweepFileRow.name).where(SweepFileRow.job_id == job.id).order_by(SweepFileRow.name)
    ).all()
    files = [SweepFileOut(name=n, url=_url(job.id, n)) for n in TABLES if n in names]
    plots = [
        SweepFileOut(name=n.removeprefix("plots/").removesuffix(".png"), url=_url(job.id, n))
        for n in names
        if n.startswith("plots/")
    ]
    return SweepOut(
        **_summary(session, job, sweep).model_dump(),
        variants=variants,
        summary=sweep.summary if job.status not in (QUEUED, RUNNING) else None,
        files=files,
        plots=plots,
    )


def _owned(
    session: Session, job_id: str, district: str, lock: bool = False
) -> tuple[Job, SweepRow]:
    job = owned_job(session, job_id, district, SWEEP, "sweep", lock)
    sweep = session.get(SweepRow, job_id)
    if sweep is None:
        raise not_found("sweep", job_id)
    return job, sweep


@router.post(
    "",
    status_code=202,
    response_model=Created,
    responses=error_responses(400, 401, 404, 413, 422, 429),
    openapi_extra=yaml_body(SWEEP_SCHEMA),
)
def create_sweep(
    document: Annotated[SweepDocument, Body(description="A legevakt-sweep/1 document.")],
    response: Response,
    db: DatabaseDep,
    settings: SettingsDep,
    district: DistrictDep,
) -> Created:
    """Queue a sweep (JSON or YAML): every variant of a base scenario under other policies,
    solved one after the other by one worker. ``base`` and each ``merge`` entry are
    ``{"scenario_id"}`` or a scenario inline. Everything is checked first (422, one line per
    problem naming the field; an unknown scenario id: 404). 202 with the id; follow it at
    ``GET /v1/sweeps/{id}``. 429 with Retry-After when the queue is full."""

    def lookup(scenario_id: str) -> Stored:
        with db.read() as session:
            row = session.get(ScenarioRow, scenario_id) if is_id(scenario_id) else None
            if row is None or row.district != district:
                raise not_found("scenario", scenario_id)
            return Stored(row.id, row.name, row.document)

    checked = check_sweep(document, settings, lookup)
    options = checked.options
    job_id = new_id()
    row = SweepRow(
        job_id=job_id,
        name=checked.plan.name,
        spec=checked.spec,
        merges=checked.merges,
        planned=checked.planned(),
        variants_done=0,
        variants_failed=0,
    )
    try:
        submit(
            db,
            settings,
            district=district,
            scenario_id=checked.base_id,
            document=checked.base_document,
            name=checked.base_name,
            time_limit=float(options["time_limit"]),
            seed=int(options["seed"]),
            workers=int(options["workers"]),
            kind=SWEEP,
            job_id=job_id,
            attached=[row],
            variants=len(checked.plan.variants),
        )
    except IntegrityError:  # the base scenario was deleted in the meantime
        raise not_found("scenario", str(checked.base_id)) from None
    except QueueFull as full:
        raise queue_full(full.detail, full.retry_after) from None
    response.headers["Location"] = _url(job_id)
    return Created(id=job_id)


@router.get("", response_model=list[SweepSummaryOut], responses=error_responses(401, 422))
def list_sweeps(
    db: DatabaseDep,
    district: DistrictDep,
    status: JobStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> list[SweepSummaryOut]:
    """The district's sweeps, newest first (optionally of one status), without their
    variants and summary rows."""
    with db.read() as session:
        query = (
            select(Job, SweepRow)
            .join(SweepRow, SweepRow.job_id == Job.id)
            .where(Job.district == district)
            .where(Job.kind == SWEEP)
        )
        if status is not None:
            query = query.where(Job.status == status)
        rows = session.execute(
            query.order_by(Job.created_at.desc(), Job.id).limit(limit).offset(offset)
        ).all()
        return [_summary(session, job, sweep) for job, sweep in rows]


@router.get("/{sweep_id}", response_model=SweepOut, responses=error_responses(401, 404))
def get_sweep(sweep_id: str, db: DatabaseDep, district: DistrictDep) -> SweepOut:
    """Status, progress (variants done of total, the variant being solved and its stage),
    each variant's state, and once finished the summary rows and links to the files."""
    with db.read() as session:
        return _details(session, *_owned(session, sweep_id, district))


@router.delete(
    "/{sweep_id}",
    response_model=SweepOut,
    status_code=202,
    responses={
        200: {"model": SweepOut, "description": "Already cancelled."},
        **error_responses(401, 404, 409),
    },
)
def cancel_sweep(sweep_id: str, db: DatabaseDep, district: DistrictDep) -> JSONResponse:
    """Cancel a sweep. A queued one is cancelled at once; a running one stops the variant
    being solved (which is dropped) and makes its files from the variants finished before.
    409 when it has already finished."""
    with db.write() as session:
        job, sweep = _owned(session, sweep_id, district, lock=True)
        code = request_cancel(job, "sweep")
        session.flush()
        body = _details(session, job, sweep)
    return JSONResponse(body.model_dump(mode="json"), status_code=code)


def _file(db: Database, sweep_id: str, district: str, name: str) -> Response:
    with db.read() as session:
        job, _ = _owned(session, sweep_id, district)
        row = session.get(SweepFileRow, (job.id, name))
        if row is None:
            names = session.scalars(
                select(SweepFileRow.name).where(SweepFileRow.job_id == job.id)
            ).all()
            if name.startswith("plots/") and names:
                plots = [n.removeprefix("plots/").removesuffix(".png") for n in names if "/" in n]
                raise HTTPException(
                    status_code=404,
                    detail=f"no plot {name.removeprefix('plots/')[:-4]!r} in sweep "
                    f"{sweep_id!r} (plots: {', '.join(sorted(plots)) or 'none'})",
                )
            raise HTTPException(status_code=409, detail=_not_ready(job, name))
        content, media_type = row.content, row.media_type
    filename = f"sweep-{sweep_id}-{name.replace('/', '-')}"
    return Response(content, media_type=media_type, headers=attachment(filename))


def _not_ready(job: Job, name: str) -> str:
    if job.status in (QUEUED, RUNNING):
        return f"sweep {job.id!r} is {job.status}; its files ({name}) are made when it finishes"
    if job.status == FAILED:
        return f"sweep {job.id!r} failed: {job.error or 'no files'}"
    if job.status == CANCELLED:
        return f"sweep {job.id!r} was cancelled before a variant finished; it has no files"
    return f"sweep {job.id!r} has no files"


def _file_route(path: str, media_type: str, description: str) -> Any:
    content = {media_type.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}}
    return router.get(
        path,
        response_class=Response,
        responses={
            200: {"description": description, "content": content},
            **error_responses(401, 404, 409),
        },
    )


@_file_route("/{sweep_id}/summary.csv", MEDIA_TYPES[".csv"], "The summary table as CSV.")
def get_summary_csv(sweep_id: str, db: DatabaseDep, district: DistrictDep) -> Response:
    """``summary.csv`` as the command line writes it: one row per variant."""
    return _file(db, sweep_id, district, "summary.csv")


@_file_route("/{sweep_id}/summary.xlsx", MEDIA_TYPES[".xlsx"], "The summary as Excel.")
def get_summary_xlsx(sweep_id: str, db: DatabaseDep, district: DistrictDep) -> Response:
    """``summary.xlsx``: sheets summary, burden (doctor × variant) and sweep (settings)."""
    return _file(db, sweep_id, district, "summary.xlsx")


@_file_route("/{sweep_id}/summary.md", MEDIA_TYPES[".md"], "The key columns as Markdown.")
def get_summary_md(sweep_id: str, db: DatabaseDep, district: DistrictDep) -> Response:
    """``summary.md``: the key columns as a Markdown table."""
    return _file(db, sweep_id, district, "summary.md")


@_file_route("/{sweep_id}/plots/{plot}.png", MEDIA_TYPES[".png"], "A plot (PNG).")
def get_plot(
    sweep_id: str,
    plot: Annotated[str, Path(max_length=100, description="A name from the sweep's plots.")],
    db: DatabaseDep,
    district: DistrictDep,
) -> Response:
    """One of the sweep's plots (``plots`` in its status): ``unfilled_vs_cap``,
    ``burden_boxplot``, ``base_heatmap``."""
    return _file(db, sweep_id, district, f"plots/{plot}.png")


def _variant(
    db: Database, sweep_id: str, district: str, variant: str
) -> tuple[SweepVariantRow, str]:
    with db.read() as session:
        job, sweep = _owned(session, sweep_id, district)
        if variant not in {item["name"] for item in sweep.planned}:
            raise HTTPException(
                status_code=404, detail=f"no variant {variant[:100]!r} in sweep {sweep_id!r}"
            )
        row = session.get(SweepVariantRow, (job.id, variant))
        if row is None:
            state = "ended" if job.status not in (QUEUED, RUNNING) else job.status
            raise HTTPException(
                status_code=409,
                detail=f"variant {variant!r} of sweep {sweep_id!r} has not been solved "
                f"(the sweep is {state})",
            )
        return row, job.id


@router.get(
    "/{sweep_id}/rosters/{variant}",
    responses={
        200: {
            "description": "The variant's roster (legevakt-roster/1).",
            "content": {"application/json": {"schema": {"type": "object"}}},
        },
        **error_responses(401, 404, 409),
    },
    response_class=Response,
)
def get_variant_roster(
    sweep_id: str, variant: VariantName, db: DatabaseDep, district: DistrictDep
) -> Response:
    """A variant's roster (``rosters/<variant>.json`` of the command line); 404 for a name
    that is not one of the sweep's variants, 409 until it is solved or when it failed."""
    row, job_id = _variant(db, sweep_id, district, variant)
    if row.status != VARIANT_DONE or row.roster is None:
        raise HTTPException(
            status_code=409,
            detail=[
                f"variant {variant!r} of sweep {sweep_id!r} failed; it has no roster:",
                *row.errors,
            ],
        )
    return _json(row.roster, f"sweep-{job_id}-roster-{variant}.json")


@router.get(
    "/{sweep_id}/scenarios/{variant}",
    responses={
        200: {
            "description": "The variant's scenario (legevakt-scenario/1).",
            "content": {"application/json": {"schema": {"type": "object"}}},
        },
        **error_responses(401, 404, 409),
    },
    response_class=Response,
)
def get_variant_scenario(
    sweep_id: str, variant: VariantName, db: DatabaseDep, district: DistrictDep
) -> Response:
    """The scenario a variant solved (``scenarios/<variant>.json`` of the command line), to
    check its roster again with ``POST /v1/validate``; 409 until the variant has run."""
    row, job_id = _variant(db, sweep_id, district, variant)
    return _json(row.scenario, f"sweep-{job_id}-scenario-{variant}.json")


def _json(document: dict[str, Any], filename: str) -> Response:
    body = json.dumps(document, ensure_ascii=False).encode("utf-8")
    return Response(body, media_type="application/json", headers=attachment(filename))
