"""``/v1/solves/{id}/recommendations``: who can take one shift of a solve's roster, best
first, and the swaps that make it possible when nobody can as the roster stands."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from legevakt_opt.roster.recommend import RecommendError, recommend
from legevakt_opt.scenario import ScenarioError, scenario_from_data
from service.deps import DatabaseDep, DistrictDep
from service.errors import error_responses
from service.models import SOLVE, RosterRow
from service.routes import owned_job

router = APIRouter(prefix="/v1/solves", tags=["solves"])


@router.get("/{job_id}/recommendations", responses=error_responses(401, 404, 409, 422))
def get_recommendations(
    job_id: str,
    db: DatabaseDep,
    district: DistrictDep,
    date: Annotated[str, Query(max_length=20, description="The shift's date, YYYY-MM-DD.")],
    shift: Annotated[str, Query(max_length=100, description="The shift's id.")],
    relieve: Annotated[
        str | None, Query(max_length=100, description="The doctor on duty who must give it up.")
    ] = None,
) -> dict[str, Any]:
    """``{"date", "shift", "relieves", "missing", "candidates": [{"doctor", "name",
    "feasible", "blocked_by", "burden_after", "max_burden_after", ...}], "swaps": [{"takes",
    "gives": {"date", "shift", "role"}, "to"}]}``; 422 for a shift that does not run that
    date or a doctor not on it; 409 while the solve has no roster."""
    with db.read() as session:
        job = owned_job(session, job_id, district, SOLVE, "solve")
        row = session.get(RosterRow, job.id)
        if row is None:
            raise HTTPException(status_code=409, detail=f"solve {job.id!r} has no roster yet")
        roster, document = row.document, job.scenario_document
    try:
        scenario = scenario_from_data(document)
    except ScenarioError as exc:  # stored by an older version with other rules
        raise HTTPException(status_code=409, detail=exc.errors) from None
    try:
        return recommend(scenario, roster, date, shift, relieve=relieve).to_dict()
    except RecommendError as exc:
        raise HTTPException(status_code=422, detail=[str(exc)]) from None
