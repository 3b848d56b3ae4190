"""The API's endpoints: ``/health`` and, under ``/v1``, scenarios, solves and validate."""

from __future__ import annotations

import re

from fastapi import HTTPException

_ID = re.compile(r"^[0-9a-f]{32}$")


def not_found(what: str, ident: str) -> HTTPException:
    shown = ident if len(ident) <= 64 else ident[:61] + "..."
    return HTTPException(status_code=404, detail=f"no {what} {shown!r}")


def is_id(value: str) -> bool:
    """Ids are 32 lower-case hex digits; anything else names nothing (404, not a DB query)."""
    return bool(_ID.match(value))
