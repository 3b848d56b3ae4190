"""A solve's pages: ``/app/solves/{id}`` (progress while it runs, then the roster grid,
the doctors' figures and the burden chart), its live status for the page's script, cancel,
one doctor's duties, the downloads (through the API's roster route) and publishing.

The grid shows the whole period by default, so every assignment is in the one table;
``?view=week`` or ``month`` (with ``at=``) pages through it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form, Header, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from service import progress_events
from service.deps import DatabaseDep
from service.models import CANCELLED, DONE, Publication
from service.web.changes import roster_changes
from service.web.chart import burden_chart
from service.web.grid import VIEWS, build_grid, doctor_lines, duties_of, weeks_in
from service.web.pages import PageNotFound, VisitorDep, api, check_form, go, own_solve, show
from service.web.solve_view import load_solve, roster_of

router = APIRouter(prefix="/app/solves", include_in_schema=False)

FORMATS = ("xlsx", "csv", "ics")
PASSED_HEADERS = ("content-type", "content-disposition")


def _day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


@router.get("/{job_id}", response_class=HTMLResponse)
def solve_page(
    job_id: str,
    request: Request,
    visitor: VisitorDep,
    db: DatabaseDep,
    view: Annotated[str, Query(max_length=10)] = "all",
    at: Annotated[str | None, Query(max_length=10)] = None,
) -> Response:
    solve = load_solve(db, visitor, job_id)
    scenario = solve.scenario()
    view = view if view in VIEWS else "all"
    context: dict[str, Any] = {
        "solve": solve,
        "view": view,
        "running": solve.status in ("queued", "running"),
    }
    if solve.roster is not None and scenario is not None:
        lines_ = doctor_lines(scenario, solve.roster)
        weeks = weeks_in(scenario)
        context.update(
            grid=build_grid(scenario, solve.roster, view, _day(at)),
            doctors=lines_,
            names={d.id: d.name for d in scenario.doctors},
            chart=burden_chart(lines_, weeks, scenario.policy.max_hours_per_week),
            summary=solve.roster.get("summary") or {},
            unfilled=solve.roster.get("unfilled") or [],
        )
        reference = solve.replan_of
        if reference is not None:
            before = roster_of(db, reference)
            context["changes"] = roster_changes(before, solve.roster) if before else []
        elif isinstance(solve.roster.get("changes"), list):
            context["changes"] = solve.roster["changes"]
    return show(request, visitor, "solve.html", **context)


@router.get("/{job_id}/status")
def solve_status(job_id: str, request: Request, visitor: VisitorDep, db: DatabaseDep) -> Response:
    """The solve's progress for the page's script (the API's status answer)."""
    load_solve(db, visitor, job_id)
    answer = api(request, visitor).get(f"/v1/solves/{job_id}")
    if answer.status_code != 200:
        raise PageNotFound
    job = answer.json()
    keys = ("status", "stage", "objective", "bound", "elapsed", "queue_position", "error")
    return JSONResponse({k: job.get(k) for k in keys}, headers={"Cache-Control": "no-store"})


@router.get("/{job_id}/events")
def solve_events(
    job_id: str,
    request: Request,
    visitor: VisitorDep,
    db: DatabaseDep,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID", max_length=100)] = None,
) -> Response:
    """The solve's progress as server-sent events for the page's script: the stream of
    ``/v1/solves/{id}/events`` for the visitor's district, served here and not through the
    in-process API (``bridge`` reads whole answers, and a stream lasts as long as the job)."""
    with db.read() as session:
        own_solve(session, visitor, job_id)
    return progress_events.solve_events(db, job_id, request, last_event_id)


@router.post("/{job_id}/cancel")
def cancel(
    job_id: str,
    request: Request,
    visitor: VisitorDep,
    db: DatabaseDep,
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    check_form(visitor, csrf)
    load_solve(db, visitor, job_id)
    api(request, visitor).delete(f"/v1/solves/{job_id}")
    return go(f"/app/solves/{job_id}")


@router.get("/{job_id}/doctors/{doctor}", response_class=HTMLResponse)
def doctor_page(
    job_id: str, doctor: str, request: Request, visitor: VisitorDep, db: DatabaseDep
) -> Response:
    solve = load_solve(db, visitor, job_id)
    scenario = solve.scenario()
    if scenario is None or solve.roster is None:
        raise PageNotFound
    line = next((d for d in doctor_lines(scenario, solve.roster) if d.id == doctor), None)
    if line is None:
        raise PageNotFound
    everyone = [d for d in doctor_lines(scenario, solve.roster) if not d.exempt]
    mean = sum(d.burden for d in everyone) / len(everyone) if everyone else 0.0
    return show(
        request,
        visitor,
        "doctor.html",
        solve=solve,
        doctor=line,
        duties=duties_of(scenario, solve.roster, doctor),
        mean=mean,
        weeks=weeks_in(scenario),
    )


@router.get("/{job_id}/roster.{fmt}")
def download(
    job_id: str,
    fmt: str,
    request: Request,
    visitor: VisitorDep,
    db: DatabaseDep,
    doctor: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    """The roster as Excel, CSV or iCalendar (one doctor's with ``doctor``), as the API
    makes it."""
    if fmt not in FORMATS:
        raise PageNotFound
    load_solve(db, visitor, job_id)
    params = {"format": fmt, **({"doctor": doctor} if doctor else {})}
    answer = api(request, visitor).get(f"/v1/solves/{job_id}/roster", params=params)
    if answer.status_code != 200:
        raise PageNotFound
    headers = {k: v for k, v in answer.headers.items() if k.lower() in PASSED_HEADERS}
    return Response(answer.content, headers=headers)


@router.post("/{job_id}/publish")
def publish(
    job_id: str,
    visitor: VisitorDep,
    db: DatabaseDep,
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Mark the roster published: the period's reference for re-planning and for its
    doctors' calendar feeds."""
    check_form(visitor, csrf)
    solve = load_solve(db, visitor, job_id)
    if solve.roster is None or solve.period_id is None or solve.status not in (DONE, CANCELLED):
        return go(f"/app/solves/{job_id}")
    with db.write() as session:
        session.add(
            Publication(
                district=visitor.district,
                scenario_id=solve.period_id,
                job_id=job_id,
                published_by=visitor.username,
            )
        )
    return go(f"/app/solves/{job_id}")
