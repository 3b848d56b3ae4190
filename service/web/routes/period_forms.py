"""A period's forms: horizon (``/app/periods/{id}/horizon``), policy (``.../policy``) and
shifts (``.../shifts``). Each change is checked by the API's own scenario check
(:func:`service.checks.check_scenario`) and saved into the period only when it passes;
its error lines are shown next to the fields they name."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from legevakt_opt.scenario import SELECTORS, DutyKind
from service.checks import Problem, check_scenario
from service.deps import DatabaseDep, SettingsDep
from service.models import ScenarioRow
from service.web import forms
from service.web.pages import PageNotFound, VisitorDep, check_form, go, own_period, show
from service.web.sessions import Visitor

router = APIRouter(prefix="/app/periods", include_in_schema=False)

FIELDS = {"horizon": forms.HORIZON, "policy": forms.POLICY}


async def form_lists(request: Request) -> dict[str, list[str]]:
    data = await request.form()
    out: dict[str, list[str]] = {}
    for key, value in data.multi_items():
        if isinstance(value, str):
            out.setdefault(key, []).append(value)
    return out


def _document(db: DatabaseDep, visitor: Visitor, scenario_id: str) -> tuple[str, dict[str, Any]]:
    with db.read() as session:
        row = own_period(session, visitor, scenario_id)
        return row.name, dict(row.document)


def _save(db: DatabaseDep, visitor: Visitor, scenario_id: str, checked: Any, doc: Any) -> None:
    with db.write() as session:
        row = session.get(ScenarioRow, scenario_id)
        if row is None or row.district != visitor.district:
            return
        row.document = doc
        row.name = checked.scenario.name
        row.doctors = checked.doctors
        row.instances = checked.instances


def _check(document: dict[str, Any], settings: SettingsDep) -> tuple[Any, list[str]]:
    try:
        return check_scenario(document, settings), []
    except Problem as exc:
        return None, exc.lines


@router.get("/{scenario_id}/{section}", response_class=HTMLResponse)
def section_form(
    scenario_id: str, section: str, request: Request, visitor: VisitorDep, db: DatabaseDep
) -> Response:
    if section not in (*FIELDS, "shifts"):
        raise PageNotFound
    name, document = _document(db, visitor, scenario_id)
    return _render(request, visitor, scenario_id, name, section, document, None, {}, [])


def _render(
    request: Request,
    visitor: Visitor,
    scenario_id: str,
    name: str,
    section: str,
    document: dict[str, Any],
    values: dict[str, str] | None,
    errors: dict[str, list[str]],
    general: list[str],
    rows: list[dict[str, Any]] | None = None,
    status: int = 200,
) -> HTMLResponse:
    period = {"id": scenario_id, "name": name}
    if section == "shifts":
        return show(
            request,
            visitor,
            "shifts_form.html",
            status,
            period=period,
            rows=forms.with_blank(rows if rows is not None else forms.shift_rows(document)),
            stations=[(s["id"], s.get("name", s["id"])) for s in document.get("stations", [])],
            selectors=SELECTORS,
            kinds=[k.value for k in DutyKind],
            errors=errors,
            general=general,
        )
    fields = FIELDS[section]
    return show(
        request,
        visitor,
        "section_form.html",
        status,
        period=period,
        section=section,
        fields=fields,
        values=values if values is not None else forms.display(document, fields),
        errors=errors,
        general=general,
    )


@router.post("/{scenario_id}/{section}", response_class=HTMLResponse)
async def save_section(
    scenario_id: str,
    section: str,
    request: Request,
    visitor: VisitorDep,
    db: DatabaseDep,
    settings: SettingsDep,
) -> Response:
    form = await form_lists(request)
    check_form(visitor, (form.get("csrf") or [""])[-1])
    if section not in (*FIELDS, "shifts"):
        raise PageNotFound
    name, document = await run_in_threadpool(_document, db, visitor, scenario_id)
    rows = None
    origin: dict[int, str] | None = None
    if section == "shifts":
        changed, rows, origin = forms.apply_shifts(document, form)
        names = forms.shift_field_names(rows)
    else:
        changed = forms.apply_fields(document, FIELDS[section], form)
        names = [f.path for f in FIELDS[section]]
    checked, problems = await run_in_threadpool(_check, changed, settings)
    if problems:
        errors, general = forms.place_errors(problems, names, origin)
        return _render(
            request,
            visitor,
            scenario_id,
            name,
            section,
            document,
            forms.submitted(form),
            errors,
            general,
            rows,
            422,
        )
    await run_in_threadpool(_save, db, visitor, scenario_id, checked, changed)
    return go(f"/app/periods/{scenario_id}?saved=1")
