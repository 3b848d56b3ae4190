"""The web app's calls to the API, inside the process, for the signed-in user's district:
the pages get exactly the API's checks, messages and district filter.

The web routes are plain functions (run in worker threads); each call goes back to the
event loop and through the whole ASGI app, middleware included.
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import quote

import anyio.from_thread
import httpx
from fastapi import FastAPI

from service.deps import DISTRICT_HEADER, INTERNAL_HEADER


def install_secret(app: FastAPI) -> None:
    """The process's secret for calls to itself (new at every start)."""
    app.state.internal_secret = secrets.token_urlsafe(32)


class Api:
    """The API as the district's client, in the process."""

    def __init__(self, app: FastAPI, district: str) -> None:
        self.app = app
        self.headers = {
            INTERNAL_HEADER: app.state.internal_secret,
            DISTRICT_HEADER: quote(district, safe=""),
        }

    async def _call(self, method: str, path: str, kwargs: dict[str, Any]) -> httpx.Response:
        transport = httpx.ASGITransport(app=self.app, raise_app_exceptions=False)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://legevakt.internal", timeout=60
        ) as client:
            response = await client.request(method, path, headers=self.headers, **kwargs)
            await response.aread()
            return response

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return anyio.from_thread.run(self._call, method, path, kwargs)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, **kwargs)

    def delete(self, path: str) -> httpx.Response:
        return self.request("DELETE", path)


def lines(response: httpx.Response) -> list[str]:
    """An error answer's lines (``detail`` is a sentence or a list of lines)."""
    try:
        detail = response.json().get("detail")
    except ValueError:
        return [response.text[:300]]
    if isinstance(detail, list):
        return [str(x) for x in detail]
    return [str(detail)]
