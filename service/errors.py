"""Errors are always JSON ``{"detail": ...}``: HTTP errors, request validation (one line
per problem, naming the field), oversized bodies (413), and anything unexpected (500,
logged, no traceback in the response)."""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.checks import Problem
from service.schemas import ErrorOut

log = logging.getLogger("legevakt.errors")


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    words = {
        400: "Malformed request (e.g. the body is not JSON).",
        401: "Missing or unknown bearer token.",
        404: "No such thing for this district.",
        409: "Not possible in the current state.",
        413: "The body is larger than the service takes.",
        422: "Invalid input: one line per problem, naming the field.",
        429: "The queue is full; see Retry-After.",
        503: "The database is busy or unavailable.",
    }
    # Every route may answer 422 (FastAPI documents its own shape for it otherwise).
    return {code: {"model": ErrorOut, "description": words[code]} for code in {*codes, 422}}


def _field(loc: Any) -> str:
    parts = [str(p) for p in loc if p not in ("body",)] if len(loc) > 1 else [str(p) for p in loc]
    out = ""
    for p in parts:
        out += f"[{p}]" if p.isdigit() else (f".{p}" if out else p)
    return out or "body"


def validation_lines(errors: Any) -> list[str]:
    lines = []
    for err in errors:
        msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        lines.append(f"{_field(err.get('loc', ()))}: {msg}")
    return list(dict.fromkeys(lines))


def _json(status: int, detail: Any, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers) if exc.headers else None
    return _json(exc.status_code, exc.detail, headers)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return _json(400, "the body is not valid JSON")
    return _json(422, validation_lines(errors))


async def _problem(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    return _json(exc.status, exc.lines)


async def _busy(_request: Request, exc: Exception) -> JSONResponse:
    log.warning("database error: %s", exc)
    return _json(503, "the database is busy or unavailable; try again", {"Retry-After": "1"})


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _json(500, "internal server error")


def install(
    app: FastAPI,
    max_body_bytes: int,
    upload_paths: tuple[str, ...] = (),
    max_upload_bytes: int | None = None,
) -> None:
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Problem, _problem)
    app.add_exception_handler(OperationalError, _busy)
    app.add_exception_handler(Exception, _unexpected)
    app.add_middleware(
        BodyLimit,
        max_bytes=max_body_bytes,
        upload_paths=upload_paths,
        max_upload_bytes=max_upload_bytes or max_body_bytes,
    )


class BodyTooLarge(StarletteHTTPException):
    def __init__(self, limit: int, setting: str = "LEGEVAKT_MAX_BODY_BYTES") -> None:
        super().__init__(413, f"the body is larger than {limit} bytes ({setting})")


class BodyLimit:
    """Refuse request bodies over ``max_bytes`` with 413, by Content-Length or as they
    stream in. A body announced too large is drained (up to a bound) before the answer,
    so the client reads the 413 instead of a reset connection. The file uploads (the
    ``upload_paths``) have their own, larger ``max_upload_bytes``; nothing over it is
    read into memory or parsed."""

    DRAIN = 64 * 1024 * 1024

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        upload_paths: tuple[str, ...] = (),
        max_upload_bytes: int | None = None,
    ) -> None:
        self.app = app
        self.body_bytes = max_bytes
        self.upload_paths = upload_paths
        self.upload_bytes = max_upload_bytes or max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        upload = scope.get("path", "") in self.upload_paths
        limit = self.upload_bytes if upload else self.body_bytes
        setting = "LEGEVAKT_MAX_UPLOAD_BYTES" if upload else "LEGEVAKT_MAX_BODY_BYTES"
        length = None
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    length = int(value)
                except ValueError:
                    await _send_json(send, 400, "Content-Length is not a number")
                    return
        if length is not None and length > limit:
            if length <= self.DRAIN:
                await _drain(receive)
            await _send_json(send, 413, BodyTooLarge(limit, setting).detail)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit, setting)
            return message

        await self.app(scope, counted, send)


async def _drain(receive: Receive) -> None:
    while True:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body", False):
            return


async def _send_json(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
