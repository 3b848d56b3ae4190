"""``/v1/scenarios``: store, list, read and delete a district's scenarios."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, HTTPException, Query, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.bodies import DocumentRoute, yaml_body
from service.checks import scenario_row
from service.deps import DatabaseDep, DistrictDep, SettingsDep
from service.errors import error_responses
from service.models import ACTIVE, Job, ScenarioRow, as_utc
from service.routes import is_id, not_found
from service.schemas import (
    SCENARIO_MARK,
    Created,
    ScenarioDocument,
    ScenarioOut,
    ScenarioSummary,
)

router = APIRouter(prefix="/v1/scenarios", tags=["scenarios"], route_class=DocumentRoute)


def _summary(row: ScenarioRow) -> ScenarioSummary:
    return ScenarioSummary(
        id=row.id,
        name=row.name,
        doctors=row.doctors,
        instances=row.instances,
        created_at=as_utc(row.created_at) or row.created_at,
    )


@router.post(
    "",
    status_code=201,
    response_model=Created,
    responses=error_responses(400, 401, 413, 422),
    openapi_extra=yaml_body({"type": "object", SCENARIO_MARK: True}),
)
def create_scenario(
    document: Annotated[ScenarioDocument, Body(description="A legevakt-scenario/1 document.")],
    response: Response,
    db: DatabaseDep,
    settings: SettingsDep,
    district: DistrictDep,
) -> Created:
    """Validate and store a scenario (JSON or YAML); a bad one gets 422 with one line per
    problem."""
    row = scenario_row(document, settings, district)
    with db.write() as session:
        session.add(row)
    response.headers["Location"] = f"/v1/scenarios/{row.id}"
    return Created(id=row.id)


@router.get("", response_model=list[ScenarioSummary], responses=error_responses(401, 422))
def list_scenarios(
    db: DatabaseDep,
    district: DistrictDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> list[ScenarioSummary]:
    """The district's scenarios, newest first (without their documents)."""
    with db.read() as session:
        rows = session.scalars(
            select(ScenarioRow)
            .where(ScenarioRow.district == district)
            .order_by(ScenarioRow.created_at.desc(), ScenarioRow.id)
            .limit(limit)
            .offset(offset)
        ).all()
        return [_summary(r) for r in rows]


@router.get("/{scenario_id}", response_model=ScenarioOut, responses=error_responses(401, 404))
def get_scenario(scenario_id: str, db: DatabaseDep, district: DistrictDep) -> ScenarioOut:
    """One scenario with its document as posted."""
    with db.read() as session:
        row = _owned(session, scenario_id, district)
        return ScenarioOut(**_summary(row).model_dump(), document=row.document)


@router.delete("/{scenario_id}", status_code=204, responses=error_responses(401, 404, 409))
def delete_scenario(scenario_id: str, db: DatabaseDep, district: DistrictDep) -> Response:
    """Delete a scenario; 409 while a solve or sweep of it is queued or running. Finished jobs
    keep their results (each job holds a copy of the scenario it solved)."""
    with db.write() as session:
        row = _owned(session, scenario_id, district, lock=True)
        active = session.scalar(
            select(func.count())
            .select_from(Job)
            .where(Job.scenario_id == row.id)
            .where(Job.status.in_(ACTIVE))
        )
        if active:
            raise HTTPException(
                status_code=409,
                detail=f"scenario {scenario_id!r} has {active} queued or running solve(s) or "
                "sweep(s); cancel them or wait for them to finish",
            )
        session.delete(row)
    return Response(status_code=204)


def _owned(session: Session, scenario_id: str, district: str, lock: bool = False) -> ScenarioRow:
    row = None
    if is_id(scenario_id):
        row = session.get(ScenarioRow, scenario_id, with_for_update=lock)
    if row is None or row.district != district:
        raise not_found("scenario", scenario_id)
    return row
