"""Pages from Jinja2 templates (``templates/``), autoescaped: user text (names, notes,
error lines that quote a cell) is always escaped, and no template marks it ``|safe``.
Filters for Norwegian dates (``dd.mm.yyyy``), ISO weeks and numbers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from service.web.i18n import iso_week, norwegian_date, norwegian_number, translator
from service.web.sessions import Visitor

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["d"] = norwegian_date
    env.filters["week"] = iso_week
    env.filters["num"] = norwegian_number
    return env


ENV = _environment()


def page(
    request: Request,
    template: str,
    visitor: Visitor | None,
    language: str,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """The ``template`` as an HTML page in ``language``.

    A page that shows the visitor what to fix (a form's errors, a wrong password, a wait)
    is sent as 200, with the status it stands for in ``X-Legevakt-Status``: browsers log
    every 4xx page as a console error, and the page already says what is wrong. Only "not
    found" stays 404."""
    html = ENV.get_template(template).render(
        request=request,
        visitor=visitor,
        lang=language,
        t=translator(language),
        csrf=visitor.csrf if visitor else context.pop("csrf", ""),
        **context,
    )
    headers = dict(SECURITY_HEADERS)
    if status_code != 200:
        headers["X-Legevakt-Status"] = str(status_code)
    shown = status_code if status_code in (404, 500) or status_code < 400 else 200
    return HTMLResponse(html, status_code=shown, headers=headers)


#: Every page: no framing, no sniffing, and only the app's own scripts, styles and images.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
    "style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
