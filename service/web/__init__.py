"""The coordinators' web app under ``/app``: server-rendered pages (Jinja2), a little
plain JavaScript for the live parts, every asset served from ``static/`` by the app
itself (no CDN: it runs on a hospital network without internet).

- :mod:`.accounts` (argon2 passwords, slowed sign-in), :mod:`.sessions` (server-side
  session rows, CSRF tokens);
- :mod:`.bridge`: the pages call the API in the process, for the user's district, and
  detect what it can do (re-planning, recommendations);
- :mod:`.forms`: form fields named by document paths, errors placed on them;
- :mod:`.grid`, :mod:`.chart`, :mod:`.changes`, :mod:`.solve_view`: what the roster
  pages show; :mod:`.i18n` (bokmål, English), :mod:`.render` (templates);
- :mod:`.routes`: the pages, one module per group.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from service.web.bridge import install_secret
from service.web.pages import BadForm, PageNotFound, SignInFirst, current_visitor, language
from service.web.render import page
from service.web.routes import adjust, feeds, period_forms, periods, rosters, signin, whatif

STATIC = Path(__file__).resolve().parent / "static"
#: Form posts that carry files (the body limit is LEGEVAKT_MAX_UPLOAD_BYTES there).
UPLOAD_PATHS = (periods.NEW_PATH,)


def install(app: FastAPI) -> None:
    """Add the web app's pages, static files and error pages to the service."""
    install_secret(app)
    app.mount("/app/static", StaticFiles(directory=STATIC), name="static")
    for module in (signin, periods, feeds, whatif, period_forms, rosters, adjust):
        app.include_router(module.router)

    async def sign_in_first(request: Request, _exc: Exception) -> Response:
        return RedirectResponse("/app/login", status_code=303)

    async def not_found(request: Request, _exc: Exception) -> Response:
        return _error_page(request, "not_found", 404)

    async def bad_form(request: Request, _exc: Exception) -> Response:
        return _error_page(request, "csrf", 403)

    app.add_exception_handler(SignInFirst, sign_in_first)
    app.add_exception_handler(PageNotFound, not_found)
    app.add_exception_handler(BadForm, bad_form)


def _error_page(request: Request, message: str, status: int) -> HTMLResponse:
    visitor = current_visitor(request, request.app.state.db)
    return page(request, "error.html", visitor, language(request, visitor), status, message=message)
