"""Request bodies in JSON or YAML, for the routes that take a document (scenarios, solves,
validate, sweeps): their routers use :class:`DocumentRoute`.

A JSON body goes through untouched, exactly as FastAPI reads it. A YAML body is read with
the scenario files' own loader (:func:`legevakt_opt.scenario.parse_document`: YAML 1.2-like
scalars, so an unquoted ``2027-01-04`` stays the text it is in a file; duplicate keys
refused; line and column on a syntax error) and handed on as the JSON it stands for, so
every check and every error line after that is the JSON body's. Any other content type is
422 naming it.
"""

from __future__ import annotations

import copy
import datetime as dt
import email.message
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.routing import APIRoute

from legevakt_opt.scenario import ScenarioError, parse_document
from service.checks import Problem
from service.deps import bearer, current_district, get_db, get_settings

#: The media types a document may be posted as besides JSON (the first is the one to use).
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml")
#: What a YAML syntax error names in place of a file (the CLI names the file).
SOURCE = "body"
_TAKEN = "send application/json or application/yaml"


def yaml_body(schema: dict[str, Any]) -> dict[str, Any]:
    """``openapi_extra`` for a route that also takes YAML: ``schema`` (the JSON body's) under
    each YAML media type; the JSON body stays as FastAPI documents it."""
    content = {media: {"schema": copy.deepcopy(schema)} for media in YAML_TYPES}
    return {"requestBody": {"content": content}}


def _media(value: str) -> email.message.Message:
    message = email.message.Message()
    message["content-type"] = value
    return message


def is_json(message: email.message.Message) -> bool:
    """FastAPI's own test of a JSON body (``application/json`` or ``application/*+json``)."""
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )


class DocumentRoute(APIRoute):
    """A route whose body may be JSON or YAML. Only a route with a body is wrapped; a JSON
    body is not looked at. Anything else is authenticated first (one more token lookup), so
    no one without a token can make the service parse YAML, which is slow in pure Python."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        if self.body_field is None:
            return handler

        async def route_handler(request: Request) -> Response:
            value = request.headers.get("content-type", "")
            message = _media(value) if value else None
            if message is not None and is_json(message):
                return await handler(request)
            await run_in_threadpool(
                current_district, request, get_db(request), await bearer(request)
            )
            raw = await request.body()
            if message is None:
                if raw:
                    raise Problem([f"body: it has no Content-Type; {_TAKEN}"])
                return await handler(request)  # no body at all: FastAPI says what is missing
            if message.get_content_type() not in YAML_TYPES:
                raise Problem([f"body: Content-Type {value[:100]!r} is not taken; {_TAKEN}"])
            if not raw:
                return await handler(request)
            # A JSON body of max_body_bytes holds at most about half as many values.
            budget = get_settings(request).max_body_bytes // 2
            data = await run_in_threadpool(read_yaml, raw, message.get_content_charset(), budget)
            return await handler(_Converted(request, data))

        return route_handler


class _Converted(Request):
    """The request as if its body had been the JSON document ``data``."""

    def __init__(self, original: Request, data: Any) -> None:
        headers = [(k, v) for k, v in original.scope["headers"] if k != b"content-type"]
        headers.append((b"content-type", b"application/json"))
        super().__init__({**original.scope, "headers": headers}, original.receive)
        self._original = original
        self._data = data

    async def body(self) -> bytes:
        return await self._original.body()

    async def json(self) -> Any:
        return self._data


def read_yaml(raw: bytes, charset: str | None, budget: int) -> Any:
    """A YAML body as plain JSON data; :class:`Problem` (422) with the loader's line (line
    and column), or naming what JSON cannot hold."""
    if charset not in (None, "utf-8", "utf8"):
        raise Problem([f"body: YAML is read as UTF-8, not {charset[:40]!r}"])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Problem([f"body: not UTF-8 text: {exc.reason} at byte {exc.start}"]) from None
    try:
        data = parse_document(text, SOURCE)
    except ScenarioError as exc:
        raise Problem(exc.errors) from None
    except RecursionError:
        raise Problem([f"{SOURCE}: not valid YAML/JSON: nested too deeply"]) from None
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        raise Problem([f"{SOURCE}: not valid YAML/JSON: {exc}"]) from None
    problems = not_json(data, budget)
    if problems:
        raise Problem(problems)
    return data


def not_json(data: Any, budget: int, limit: int = 20) -> list[str]:
    """What in ``data`` a JSON body could not have held: more than ``budget`` values (YAML
    aliases repeat what they name, endlessly in a cycle), explicitly tagged dates, binary
    data and sets, and field names that are not text."""
    if _values(data, budget) > budget:
        return [
            f"(document): stands for more than {budget} values (YAML aliases repeat what they "
            "name); this service takes what a JSON body could hold (limit "
            "LEGEVAKT_MAX_BODY_BYTES)"
        ]
    problems: list[str] = []
    stack: list[tuple[_Path, Any]] = [(None, data)]
    while stack and len(problems) < limit:
        path, value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str):
                    stack.append(((path, key), item))
                else:
                    problems.append(f"{_where(path)}: the field name {key!r} is not text; quote it")
        elif isinstance(value, list):
            stack.extend(((path, k), item) for k, item in enumerate(value))
        elif not (value is None or isinstance(value, str | int | float)):
            problems.append(f"{_where(path)}: {_kind(value)} is not JSON data")
    return sorted(problems)


def _values(data: Any, budget: int) -> int:
    """How many values ``data`` stands for, counted up to one more than ``budget``."""
    seen, stack = 0, [data]
    while stack and seen <= budget:
        value = stack.pop()
        seen += 1
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return seen


_Path = tuple[Any, str | int] | None
"""A place in the document: ``(parent, key)``, ``None`` for the document itself (linked to
its parent, so a deep place costs no copying)."""


def _where(path: _Path) -> str:
    keys: list[str | int] = []
    while path is not None:
        path, key = path
        keys.append(key)
    out = ""
    for p in reversed(keys):
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else p)
    return out or "(document)"


def _kind(value: Any) -> str:
    if isinstance(value, dt.date):
        return "a date tagged !!timestamp (leave the tag out: dates are text, as in files)"
    if isinstance(value, bytes):
        return "binary data (!!binary)"
    if isinstance(value, set | frozenset):
        return "a set (!!set)"
    return f"a {type(value).__name__} (a YAML tag)"
