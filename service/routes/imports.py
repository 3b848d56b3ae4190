"""``/v1/imports``: a doctor list from Excel or CSV onto a base scenario, stored as a new
scenario of the district (the command line's ``legevakt-opt import`` over HTTP).

The body is multipart; it may be larger than other bodies (``LEGEVAKT_MAX_UPLOAD_BYTES``),
and a body over that is refused by its Content-Length before anything is read, or as it
streams in, so an oversized upload is never held in memory or parsed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from service.checks import Problem
from service.deps import DatabaseDep, DistrictDep, SettingsDep
from service.errors import error_responses
from service.imports import example_base, file_base, import_into, stored_base

PATH = "/v1/imports"
router = APIRouter(prefix=PATH, tags=["imports"])


class ImportOut(BaseModel):
    id: str
    name: str
    doctors: int
    warnings: list[str]


async def read_capped(upload: UploadFile, limit: int) -> bytes:
    """An uploaded file's content, refusing one over ``limit`` bytes (422 naming it)."""
    content = await upload.read(limit + 1)
    if len(content) > limit:
        raise Problem(
            [f"{upload.filename}: is larger than {limit} bytes (limit LEGEVAKT_MAX_UPLOAD_BYTES)"]
        )
    return content


@router.post(
    "",
    status_code=201,
    response_model=ImportOut,
    responses=error_responses(400, 401, 404, 413, 422),
)
async def create_import(
    files: Annotated[list[UploadFile], File(description="One workbook (.xlsx) and/or CSV files.")],
    response: Response,
    db: DatabaseDep,
    settings: SettingsDep,
    district: DistrictDep,
    base_scenario_id: Annotated[
        str | None, Form(max_length=100, description="A stored scenario as the base.")
    ] = None,
    base: Annotated[
        UploadFile | None, File(description="A scenario file (YAML or JSON) as the base.")
    ] = None,
    base_example: Annotated[
        str | None, Form(max_length=100, description="A bundled example as the base.")
    ] = None,
    name: Annotated[
        str | None, Form(max_length=300, description="The new scenario's name.")
    ] = None,
) -> ImportOut:
    """Import a doctor list (``Leger``, ``Fravær``, ``Ønsker``, ``Fritak``; import-format
    v1) onto exactly one base, and store the merged scenario (its doctors' history kept from
    the base): 201 with its id and any warnings; 422 with every problem, one line each
    naming file, sheet, row and column."""
    given = [x for x in (base_scenario_id, base, base_example) if x]
    if len(given) != 1:
        raise Problem(["base_scenario_id, base, base_example: give exactly one of them"])
    limit = settings.max_upload_bytes
    sources = [(f.filename or "upload", await read_capped(f, limit)) for f in files]
    # Parsing workbooks and the database are blocking work: off the event loop.
    if base_scenario_id:
        scenario = await run_in_threadpool(stored_base, db, district, base_scenario_id)
    elif base is not None:
        content = await read_capped(base, limit)
        scenario = await run_in_threadpool(file_base, base.filename or "base", content, settings)
    else:
        scenario = await run_in_threadpool(example_base, str(base_example), settings)
    imported = await run_in_threadpool(import_into, db, settings, district, sources, scenario, name)
    response.headers["Location"] = f"/v1/scenarios/{imported.id}"
    return ImportOut(**imported.__dict__)
