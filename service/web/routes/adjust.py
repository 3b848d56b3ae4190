"""Adjusting a roster: a cell's page (``/app/solves/{id}/cell``) with the ranked candidates
and the rules that stop the others, putting a doctor on the shift (a fixed duty), marking
a doctor absent, and re-planning with the least change. Adjustments gather in a draft and
are listed before anything is kept; a re-plan is a new solve, and the period changes only
when the coordinator keeps it. The candidates, the fixed duties and the re-plan are the
API's (``/recommendations``, ``fixed``, ``published_solve_id`` and ``freeze_until``)."""

from __future__ import annotations

import copy
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import update

from service.deps import DatabaseDep
from service.models import Draft, Job, ScenarioRow, utcnow
from service.web.bridge import lines
from service.web.grid import build_grid
from service.web.i18n import parse_norwegian_date
from service.web.pages import PageNotFound, VisitorDep, api, check_form, go, show
from service.web.sessions import Visitor
from service.web.solve_view import SolveView, load_solve

router = APIRouter(prefix="/app/solves", include_in_schema=False)
ROLES = ("duty", "backup", "video")


def _cell(solve: SolveView, date: str, shift: str) -> Any:
    scenario = solve.scenario()
    day = parse_norwegian_date(date)
    if scenario is None or solve.roster is None or day is None:
        raise PageNotFound
    grid = build_grid(scenario, solve.roster, "week", day)
    for row in grid.rows:
        for cell in row.cells:
            if cell.date == day and cell.shift == shift and cell.exists:
                return scenario, cell
    raise PageNotFound


def cell_page(
    request: Request,
    visitor: Visitor,
    solve: SolveView,
    date: str,
    shift: str,
    errors: list[str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    scenario, cell = _cell(solve, date, shift)
    advice: dict[str, Any] | None = None
    answer = api(request, visitor).get(
        f"/v1/solves/{solve.id}/recommendations",
        params={"date": cell.date.isoformat(), "shift": shift},
    )
    if answer.status_code == 200:
        advice = answer.json()
    else:
        errors = [*(errors or []), *lines(answer)]
    return show(
        request,
        visitor,
        "cell.html",
        status,
        solve=solve,
        cell=cell,
        advice=advice,
        names={d.id: d.name for d in scenario.doctors},
        doctors=[(d.id, d.name) for d in scenario.doctors],
        errors=errors or [],
    )


@router.get("/{job_id}/cell", response_class=HTMLResponse)
def cell(
    job_id: str,
    request: Request,
    visitor: VisitorDep,
    db: DatabaseDep,
    date: Annotated[str, Query(max_length=10)],
    shift: Annotated[str, Query(max_length=100)],
) -> Response:
    return cell_page(request, visitor, load_solve(db, visitor, job_id), date, shift)


def _draft(db: DatabaseDep, visitor: Visitor, job_id: str, change: Any) -> None:
    with db.write() as session:
        draft = session.get(Draft, job_id)
        if draft is None:
            draft = Draft(job_id=job_id, district=visitor.district, fixed=[], absences=[])
            session.add(draft)
        fixed, absences = list(draft.fixed or []), list(draft.absences or [])
        change(fixed, absences)
        draft.fixed, draft.absences, draft.updated_at = fixed, absences, utcnow()


@router.post("/{job_id}/fix", response_class=HTMLResponse)
def fix(
    job_id: str,
    request: Request,
    visitor: VisitorDep,
    db: DatabaseDep,
    date: Annotated[str, Form(max_length=10)],
    shift: Annotated[str, Form(max_length=100)],
    doctor: Annotated[str, Form(max_length=100)],
    role: Annotated[str, Form(max_length=10)] = "duty",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Put a doctor on the shift: a fixed duty in the draft, held by the re-plan."""
    check_form(visitor, csrf)
    solve = load_solve(db, visitor, job_id)
    scenario, cell_ = _cell(solve, date, shift)
    if role not in ROLES or doctor not in {d.id for d in scenario.doctors}:
        return cell_page(request, visitor, solve, date, shift, [f"doctor: {doctor!r}"], 422)
    entry = {"date": cell_.date.isoformat(), "shift": shift, "doctor": doctor, "role": role}

    def add(fixed: list[dict[str, Any]], _absences: list[dict[str, Any]]) -> None:
        if entry not in fixed:
            fixed.append(entry)

    _draft(db, visitor, job_id, add)
    return go(f"/app/solves/{job_id}#pending")


@router.post("/{job_id}/absence", response_class=HTMLResponse)
def absence(
    job_id: str,
    request: Request,
    visitor: VisitorDep,
    db: DatabaseDep,
    doctor: Annotated[str, Form(max_length=100)],
    start: Annotated[str, Form(max_length=10, alias="from")],
    end: Annotated[str, Form(max_length=10, alias="to")],
    date: Annotated[str, Form(max_length=10)] = "",
    shift: Annotated[str, Form(max_length=100)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Mark a doctor absent from a date to a date (both whole days) in the draft."""
    check_form(visitor, csrf)
    solve = load_solve(db, visitor, job_id)
    scenario = solve.scenario()
    first, last = parse_norwegian_date(start), parse_norwegian_date(end)
    problems = []
    if scenario is None or doctor not in {d.id for d in scenario.doctors}:
        problems.append(f"doctor: {doctor!r} is not a doctor of this roster")
    if first is None:
        problems.append(f"from: {start!r} is not a date (dd.mm.yyyy)")
    if last is None:
        problems.append(f"to: {end!r} is not a date (dd.mm.yyyy)")
    if first and last and last < first:
        problems.append("to: is before from")
    if problems:
        if date and shift:
            return cell_page(request, visitor, solve, date, shift, problems, 422)
        raise PageNotFound
    assert first is not None and last is not None
    entry = {"doctor": doctor, "from": first.isoformat(), "to": last.isoformat()}

    def add(_fixed: list[dict[str, Any]], absences: list[dict[str, Any]]) -> None:
        if entry not in absences:
            absences.append(entry)

    _draft(db, visitor, job_id, add)
    return go(f"/app/solves/{job_id}#pending")


@router.post("/{job_id}/draft/clear")
def clear(
    job_id: str, visitor: VisitorDep, db: DatabaseDep, csrf: Annotated[str, Form()] = ""
) -> Response:
    check_form(visitor, csrf)
    load_solve(db, visitor, job_id)

    def empty(fixed: list[dict[str, Any]], absences: list[dict[str, Any]]) -> None:
        fixed.clear()
        absences.clear()

    _draft(db, visitor, job_id, empty)
    return go(f"/app/solves/{job_id}")


def adjusted(document: dict[str, Any], draft: Draft) -> dict[str, Any]:
    """The solve's scenario with the draft's fixed duties and absences in it."""
    out = copy.deepcopy(document)
    if draft.fixed:
        out["fixed"] = [*(out.get("fixed") or []), *draft.fixed]
    for item in draft.absences or []:
        for d in out.get("doctors", []):
            if d.get("id") == item["doctor"]:
                d["unavailable"] = [
                    *(d.get("unavailable") or []),
                    {"from": item["from"], "to": item["to"]},
                ]
    return out


@router.post("/{job_id}/replan", response_class=HTMLResponse)
def replan(
    job_id: str,
    request: Request,
    visitor: VisitorDep,
    db: DatabaseDep,
    freeze_until: Annotated[str, Form(max_length=10)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Re-plan with the least change against this roster, holding the draft; the new solve
    belongs to the same period."""
    check_form(visitor, csrf)
    solve = load_solve(db, visitor, job_id)
    if solve.draft is None or solve.roster is None:
        return go(f"/app/solves/{job_id}")
    body: dict[str, Any] = {
        "scenario": adjusted(solve.document, solve.draft),
        "published_solve_id": job_id,
        "time_limit": solve.time_limit,
    }
    if freeze_until.strip():
        day = parse_norwegian_date(freeze_until)
        body["freeze_until"] = day.isoformat() if day else freeze_until.strip()
    answer = api(request, visitor).post("/v1/solves", json=body)
    if answer.status_code != 202:
        return show(request, visitor, "replan_failed.html", 422, solve=solve, errors=lines(answer))
    new_id = answer.json()["id"]
    with db.write() as session:
        session.execute(update(Job).where(Job.id == new_id).values(scenario_id=solve.period_id))
        draft = session.get(Draft, job_id)
        if draft is not None:
            draft.replan_job_id = new_id
    return go(f"/app/solves/{new_id}")


@router.post("/{job_id}/keep")
def keep(
    job_id: str, visitor: VisitorDep, db: DatabaseDep, csrf: Annotated[str, Form()] = ""
) -> Response:
    """Keep a re-plan: its scenario (with the fixed duties and absences) becomes the
    period's."""
    check_form(visitor, csrf)
    solve = load_solve(db, visitor, job_id)
    if solve.replan_of is None or solve.period_id is None or solve.roster is None:
        return go(f"/app/solves/{job_id}")
    with db.write() as session:
        row = session.get(ScenarioRow, solve.period_id)
        if row is not None and row.district == visitor.district:
            row.document = solve.document
            row.doctors = len(solve.document.get("doctors") or [])
    return go(f"/app/solves/{job_id}?kept=1")
