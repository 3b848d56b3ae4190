"""Request dependencies: the settings, the database, and the district of the bearer token.

The web app (``service.web``) calls the API inside the process, for the district of its
signed-in user: such a call carries the process's own random secret (``app.state``, made
at start, never stored or sent over a network) and the district, in place of a token."""

from __future__ import annotations

import hmac
from typing import Annotated
from urllib.parse import unquote

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from service.auth import district_of
from service.db import Database
from service.settings import Settings

INTERNAL_HEADER = "x-legevakt-internal"
DISTRICT_HEADER = "x-legevakt-district"

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="A district's token: `legevakt-opt token create --district NAME`.",
)


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def current_district(
    request: Request,
    db: Annotated[Database, Depends(get_db)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> str:
    """The district the request's bearer token belongs to; 401 without a known token."""
    internal = request.headers.get(INTERNAL_HEADER)
    secret = getattr(request.app.state, "internal_secret", None)
    if internal and secret and hmac.compare_digest(internal.encode(), secret.encode()):
        district = request.headers.get(DISTRICT_HEADER)
        if district:
            return unquote(district)
    unauthorized = HTTPException(
        status_code=401,
        detail="a valid bearer token is required (Authorization: Bearer <token>)",
        headers={"WWW-Authenticate": "Bearer"},
    )
    if credentials is None or not credentials.credentials:
        raise unauthorized
    district = district_of(db, credentials.credentials)
    if district is None:
        raise unauthorized
    return district


SettingsDep = Annotated[Settings, Depends(get_settings)]
DatabaseDep = Annotated[Database, Depends(get_db)]
DistrictDep = Annotated[str, Depends(current_district)]
