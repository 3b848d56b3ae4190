"""The district's periods: the list (``/app/``), a new period from a doctor list
(``/app/periods/new``), one period's page, starting a solve of it, and its workbooks
(the doctor list as it stands, and an empty one for it)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from legevakt_opt.io.doctor_list import doctor_list_template, doctor_list_workbook
from legevakt_opt.scenario import Scenario, scenario_from_data
from service.checks import Problem
from service.deps import DatabaseDep, SettingsDep
from service.imports import example_base, example_bases, file_base, import_into, stored_base
from service.models import MEDIA_TYPES, SOLVE, Job, Publication, ScenarioRow, as_utc
from service.routes import attachment
from service.web.bridge import lines
from service.web.i18n import iso_week
from service.web.pages import PageNotFound, VisitorDep, api, check_form, go, own_period, show
from service.web.sessions import Visitor

NEW_PATH = "/app/periods/new"
router = APIRouter(prefix="/app", include_in_schema=False)


def period_facts(scenario: Scenario) -> dict[str, Any]:
    h = scenario.horizon
    return {
        "start": h.start,
        "end": h.end,
        "days": h.days,
        "first_week": iso_week(h.start),
        "last_week": iso_week(h.end),
        "doctors": len(scenario.doctors),
        "shifts": len(scenario.shifts),
    }


def _periods(db: DatabaseDep, visitor: Visitor) -> list[dict[str, Any]]:
    with db.read() as session:
        rows = session.scalars(
            select(ScenarioRow)
            .where(ScenarioRow.district == visitor.district)
            .order_by(ScenarioRow.created_at.desc(), ScenarioRow.id)
        ).all()
        jobs = session.scalars(
            select(Job)
            .where(Job.district == visitor.district)
            .where(Job.kind == SOLVE)
            .order_by(Job.created_at.desc(), Job.id)
        ).all()
        published = set(
            session.scalars(
                select(Publication.job_id).where(Publication.district == visitor.district)
            ).all()
        )
        by_period: dict[str | None, list[dict[str, Any]]] = {}
        for job in jobs:
            by_period.setdefault(job.scenario_id, []).append(
                {
                    "id": job.id,
                    "status": job.status,
                    "created": as_utc(job.created_at),
                    "published": job.id in published,
                    "summary": job.summary,
                }
            )
        out = []
        for row in rows:
            start = str(row.document.get("horizon", {}).get("start", ""))
            out.append(
                {
                    "id": row.id,
                    "name": row.name,
                    "start": start,
                    "days": row.document.get("horizon", {}).get("days"),
                    "doctors": row.doctors,
                    "created": as_utc(row.created_at),
                    "solves": by_period.get(row.id, []),
                }
            )
        return out


@router.get("/", response_class=HTMLResponse)
def period_list(request: Request, visitor: VisitorDep, db: DatabaseDep) -> Response:
    return show(request, visitor, "periods.html", periods=_periods(db, visitor))


@router.get("", include_in_schema=False)
def app_root() -> Response:
    return go("/app/")


def _new_form(
    request: Request,
    visitor: Visitor,
    db: DatabaseDep,
    errors: list[str] | None = None,
    status: int = 200,
    chosen: str = "",
    name: str = "",
) -> HTMLResponse:
    periods = _periods(db, visitor)
    return show(
        request,
        visitor,
        "new_period.html",
        status,
        periods=periods,
        examples=example_bases(),
        errors=errors or [],
        chosen=chosen or (f"period:{periods[0]['id']}" if periods else "example:hallingdal.yaml"),
        name=name,
    )


@router.get("/periods/new", response_class=HTMLResponse)
def new_period_form(request: Request, visitor: VisitorDep, db: DatabaseDep) -> Response:
    return _new_form(request, visitor, db)


@router.post("/periods/new", response_class=HTMLResponse)
async def new_period(
    request: Request,
    visitor: VisitorDep,
    db: DatabaseDep,
    settings: SettingsDep,
    files: Annotated[list[UploadFile], File()],
    base: Annotated[str, Form(max_length=200)] = "",
    base_file: Annotated[UploadFile | None, File()] = None,
    name: Annotated[str, Form(max_length=300)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Import the doctor list onto the chosen base; every error is listed with its row and
    column, and nothing is stored until the list has none."""
    check_form(visitor, csrf)
    limit = settings.max_upload_bytes
    sources = []
    for f in files:
        if f.filename:
            sources.append((f.filename, await f.read(limit + 1)))
    base_content = await base_file.read(limit + 1) if base_file and base_file.filename else None

    def work() -> Any:
        kind, _, value = base.partition(":")
        if kind == "period":
            scenario = stored_base(db, visitor.district, value)
        elif kind == "example":
            scenario = example_base(value, settings)
        elif base_content is not None and base_file is not None:
            scenario = file_base(base_file.filename or "base", base_content, settings)
        else:
            raise Problem(["base: choose a base, or upload a scenario file"])
        return import_into(db, settings, visitor.district, sources, scenario, name or None)

    try:
        imported = await run_in_threadpool(work)
    except Problem as exc:
        return await run_in_threadpool(_new_form, request, visitor, db, exc.lines, 422, base, name)
    if imported.warnings:
        return show(request, visitor, "imported.html", imported=imported)
    return go(f"/app/periods/{imported.id}")


def _period_page(
    request: Request,
    visitor: Visitor,
    db: DatabaseDep,
    scenario_id: str,
    errors: list[str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    with db.read() as session:
        row = own_period(session, visitor, scenario_id)
        document = row.document
        jobs = session.scalars(
            select(Job)
            .where(Job.scenario_id == row.id)
            .where(Job.kind == SOLVE)
            .order_by(Job.created_at.desc(), Job.id)
        ).all()
        published = session.scalars(
            select(Publication)
            .where(Publication.scenario_id == row.id)
            .order_by(Publication.published_at.desc(), Publication.id.desc())
        ).first()
        solves = [
            {
                "id": j.id,
                "status": j.status,
                "created": as_utc(j.created_at),
                "summary": j.summary,
                "time_limit": j.time_limit,
                "published": published is not None and published.job_id == j.id,
            }
            for j in jobs
        ]
        name = row.name
    scenario = scenario_from_data(document)
    return show(
        request,
        visitor,
        "period.html",
        status,
        period={"id": scenario_id, "name": name},
        facts=period_facts(scenario),
        scenario=scenario,
        solves=solves,
        errors=errors or [],
        default_time_limit=int(min(60, request.app.state.settings.max_time_limit)),
        saved=request.query_params.get("saved") is not None,
    )


@router.get("/periods/{scenario_id}", response_class=HTMLResponse)
def period_page(
    scenario_id: str, request: Request, visitor: VisitorDep, db: DatabaseDep
) -> Response:
    return _period_page(request, visitor, db, scenario_id)


@router.post("/periods/{scenario_id}/solve", response_class=HTMLResponse)
def start_solve(
    scenario_id: str,
    request: Request,
    visitor: VisitorDep,
    db: DatabaseDep,
    time_limit: Annotated[str, Form(max_length=20)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    check_form(visitor, csrf)
    with db.read() as session:
        own_period(session, visitor, scenario_id)
    body: dict[str, Any] = {"scenario_id": scenario_id}
    try:
        body["time_limit"] = float(time_limit.replace(",", ".")) if time_limit else None
    except ValueError:
        return _period_page(
            request, visitor, db, scenario_id, [f"time_limit: {time_limit!r} is not a number"], 422
        )
    answer = api(request, visitor).post("/v1/solves", json=body)
    if answer.status_code != 202:
        return _period_page(request, visitor, db, scenario_id, lines(answer), answer.status_code)
    return go(f"/app/solves/{answer.json()['id']}")


def _workbook(content: bytes, filename: str) -> Response:
    return Response(content, media_type=MEDIA_TYPES[".xlsx"], headers=attachment(filename))


@router.get("/periods/{scenario_id}/leger.xlsx")
def doctor_workbook(scenario_id: str, visitor: VisitorDep, db: DatabaseDep) -> Response:
    """The period's doctor list as a workbook (what import reads back unchanged)."""
    with db.read() as session:
        document = own_period(session, visitor, scenario_id).document
    return _workbook(doctor_list_workbook(scenario_from_data(document)), "leger.xlsx")


@router.get("/periods/{scenario_id}/mal.xlsx")
def period_template(scenario_id: str, visitor: VisitorDep, db: DatabaseDep) -> Response:
    """An empty doctor list for the period's municipalities and stations."""
    scenario = stored_base(db, visitor.district, scenario_id)
    return _workbook(doctor_list_template(scenario), "leger-mal.xlsx")


@router.get("/examples/{name}/mal.xlsx")
def example_template(name: str, visitor: VisitorDep, settings: SettingsDep) -> Response:
    """An empty doctor list for a bundled example's municipalities and stations."""
    try:
        scenario = example_base(name, settings)
    except Problem:
        raise PageNotFound from None
    return _workbook(doctor_list_template(scenario), f"leger-mal-{name.removesuffix('.yaml')}.xlsx")
