"""``GET /health``: is the service up, can it reach its database, are its workers alive."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from legevakt_opt import __version__
from service.deps import DatabaseDep, SettingsDep
from service.schemas import Health

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    response_model=Health,
    responses={503: {"model": Health, "description": "The database is unreachable."}},
)
def health(request: Request, db: DatabaseDep, settings: SettingsDep) -> JSONResponse:
    """No token needed."""
    pool = getattr(request.app.state, "pool", None)
    ok = db.ping()
    body = Health(
        status="ok" if ok else "unavailable",
        database=ok,
        workers=pool.alive() if pool is not None else 0,
        pool_size=settings.pool_size,
        version=__version__,
    )
    return JSONResponse(body.model_dump(), status_code=200 if ok else 503)
