"""Policy what-if for the coordinator's own district: vary one or two policy fields of a
period and see the sweep's summary table and plots. It posts a sweep to the API
(``POST /v1/sweeps``, the service's one sweep runner) with the period as its base."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from service.deps import DatabaseDep
from service.web.bridge import lines
from service.web.forms import number_text
from service.web.pages import PageNotFound, VisitorDep, api, check_form, go, own_period, show
from service.web.sessions import Visitor

router = APIRouter(prefix="/app", include_in_schema=False)

#: The fields a coordinator may vary: path → (i18n key, kind).
FIELDS: dict[str, tuple[str, str]] = {
    "policy.max_hours_per_week": ("max_hours_per_week", "optional_number"),
    "policy.lis1_without_backup": ("lis1_without_backup", "bool"),
    "policy.min_rest_hours": ("min_rest_hours", "number"),
    "policy.max_work_period_hours": ("max_work_period_hours", "number"),
    "policy.video_allowed": ("video_allowed", "bool"),
    "policy.video_max_satellites": ("video_max_satellites", "number"),
    "policy.weights.on_call": ("weights.on_call", "number"),
    "policy.sequences.max_consecutive_days": ("max_consecutive_days", "optional_number"),
    "policy.sequences.day_off_after_night": ("day_off_after_night", "bool"),
    "policy.backup_scope": ("backup_scope", "scope"),
    "policy.backup_while_on_duty": ("backup_while_on_duty", "bool"),
}
#: A bakvakt scope in Norwegian or as the format writes it.
SCOPES = {
    "stasjon": "station",
    "station": "station",
    "distrikt": "district",
    "district": "district",
}
COLUMNS = (
    "status",
    "unfilled_hours",
    "unfilled_share",
    "max_burden",
    "bound_max_burden",
    "mean_burden",
    "gini_burden",
    "max_nights",
    "max_weekends",
    "not_told_apart_from",
)
TRUE = {"ja", "yes", "true", "1", "x", "sann"}
FALSE = {"nei", "no", "false", "0", "usann"}
NONE = {"", "ingen", "none", "null", "-"}


def parse_values(kind: str, text: str) -> list[Any]:
    out: list[Any] = []
    for part in (p.strip() for p in re.split(r";", text)):
        low = part.lower()
        if kind == "bool" and low in TRUE | FALSE:
            out.append(low in TRUE)
        elif kind == "optional_number" and low in NONE:
            out.append(None)
        elif kind == "scope" and low in SCOPES:
            out.append(SCOPES[low])
        elif part:
            out.append(number_text(part))
    return out


def _page(
    request: Request,
    visitor: Visitor,
    db: DatabaseDep,
    scenario_id: str,
    errors: list[str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    with db.read() as session:
        row = own_period(session, visitor, scenario_id)
        period = {"id": row.id, "name": row.name}
    answer = api(request, visitor).get("/v1/sweeps", params={"limit": 20})
    sweeps = (
        [s for s in answer.json() if s.get("scenario_id") == scenario_id]
        if (answer.status_code == 200)
        else []
    )
    return show(
        request,
        visitor,
        "whatif.html",
        status,
        period=period,
        fields=FIELDS,
        errors=errors or [],
        values=values
        or {
            "field1": "policy.max_hours_per_week",
            "values1": "ingen; 28; 21; 14",
            "field2": "",
            "values2": "",
            "time_limit": "8",
        },
        sweeps=sweeps,
    )


@router.get("/periods/{scenario_id}/whatif", response_class=HTMLResponse)
def whatif_form(
    scenario_id: str, request: Request, visitor: VisitorDep, db: DatabaseDep
) -> Response:
    return _page(request, visitor, db, scenario_id)


@router.post("/periods/{scenario_id}/whatif", response_class=HTMLResponse)
def run_whatif(
    scenario_id: str,
    request: Request,
    visitor: VisitorDep,
    db: DatabaseDep,
    field1: Annotated[str, Form(max_length=100)] = "",
    values1: Annotated[str, Form(max_length=500)] = "",
    field2: Annotated[str, Form(max_length=100)] = "",
    values2: Annotated[str, Form(max_length=500)] = "",
    time_limit: Annotated[str, Form(max_length=20)] = "8",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    check_form(visitor, csrf)
    given = {
        "field1": field1,
        "values1": values1,
        "field2": field2,
        "values2": values2,
        "time_limit": time_limit,
    }
    with db.read() as session:
        name = own_period(session, visitor, scenario_id).name
    vary: dict[str, list[Any]] = {}
    labels: dict[str, str] = {}
    problems = []
    for key, (field, text) in {"field1": (field1, values1), "field2": (field2, values2)}.items():
        if not field:
            continue
        if field not in FIELDS:
            problems.append(f"{key}: {field!r} is not a field that can be varied here")
            continue
        values = parse_values(FIELDS[field][1], text)
        if not values:
            problems.append(f"{key}: give at least one value for {field}")
        vary[field] = values
        labels[field] = field.rsplit(".", 1)[-1]
    if not vary and not problems:
        problems.append("field1: choose a rule to vary")
    if problems:
        return _page(request, visitor, db, scenario_id, problems, given, 422)
    sweep = {
        "format": "legevakt-sweep/1",
        "name": f"{name}: what if",
        "base": {"scenario_id": scenario_id},
        "vary": vary,
        "labels": labels,
        "solve": {"time_limit": number_text(time_limit or "8"), "workers": 1, "seed": 0},
    }
    answer = api(request, visitor).post("/v1/sweeps", json=sweep)
    if answer.status_code != 202:
        return _page(request, visitor, db, scenario_id, lines(answer), given, 422)
    return go(f"/app/sweeps/{answer.json()['id']}")


def _sweep(request: Request, visitor: Visitor, sweep_id: str) -> dict[str, Any]:
    answer = api(request, visitor).get(f"/v1/sweeps/{sweep_id}")
    if answer.status_code != 200:
        raise PageNotFound
    data: dict[str, Any] = answer.json()
    return data


@router.get("/sweeps/{sweep_id}", response_class=HTMLResponse)
def sweep_page(sweep_id: str, request: Request, visitor: VisitorDep) -> Response:
    sweep = _sweep(request, visitor, sweep_id)
    varied = list((sweep.get("summary") or [{}])[0].keys()) if sweep.get("summary") else []
    varied = [c for c in varied if c.startswith("policy.")]
    return show(
        request,
        visitor,
        "sweep.html",
        sweep=sweep,
        varied=varied,
        columns=COLUMNS,
        running=sweep["status"] in ("queued", "running"),
    )


@router.get("/sweeps/{sweep_id}/status")
def sweep_status(sweep_id: str, request: Request, visitor: VisitorDep) -> Response:
    sweep = _sweep(request, visitor, sweep_id)
    keys = ("status", "variants_total", "variants_done", "current_variant", "stage", "error")
    return JSONResponse({k: sweep.get(k) for k in keys}, headers={"Cache-Control": "no-store"})


@router.get("/sweeps/{sweep_id}/plots/{plot}.png")
def plot(sweep_id: str, plot: str, request: Request, visitor: VisitorDep) -> Response:
    answer = api(request, visitor).get(f"/v1/sweeps/{sweep_id}/plots/{plot}.png")
    if answer.status_code != 200:
        raise PageNotFound
    return Response(answer.content, media_type="image/png")
