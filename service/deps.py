"""Request dependencies: the settings, the database, and the district of the bearer token."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from service.auth import district_of
from service.db import Database
from service.settings import Settings

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
    db: Annotated[Database, Depends(get_db)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> str:
    """The district the request's bearer token belongs to; 401 without a known token."""
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
