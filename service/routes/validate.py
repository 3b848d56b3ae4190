"""``POST /v1/validate``: check any roster against a scenario with the independent validator."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter
from fastapi.encoders import jsonable_encoder

from legevakt_opt.checks import validate_roster
from service.bodies import DocumentRoute, yaml_body
from service.checks import Problem, check_plain, check_scenario
from service.deps import DistrictDep, SettingsDep
from service.errors import error_responses
from service.schemas import ValidateRequest

router = APIRouter(prefix="/v1", tags=["validate"], route_class=DocumentRoute)
log = logging.getLogger("legevakt.validate")


@router.post(
    "/validate",
    responses=error_responses(400, 401, 413, 422),
    openapi_extra=yaml_body({"$ref": "#/components/schemas/ValidateRequest"}),
)
def validate(request: ValidateRequest, settings: SettingsDep, _: DistrictDep) -> dict[str, Any]:
    """The validator's report: ``valid``, every ``breaches`` entry (rule, message, doctor,
    shift, date) and the recomputed ``figures``. An invalid roster is a 200 with
    ``valid: false``; a scenario that cannot be read is a 422. The body is JSON or YAML."""
    checked = check_scenario(request.scenario, settings, root="scenario")
    check_plain(request.roster, "roster")
    try:
        report = validate_roster(checked.scenario, request.roster)
    except Exception:
        log.exception("the validator failed on a roster")
        raise Problem(
            ["roster: could not be checked (malformed in a way the validator does not recognise)"]
        ) from None
    result: dict[str, Any] = jsonable_encoder(report.to_dict())
    return result
