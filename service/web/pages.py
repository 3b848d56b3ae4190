"""What every page route needs: the signed-in visitor (or a redirect to sign-in), the form
token check, the language, the API client for the visitor's district, and the district's
own periods and solves (anything else is "not found", as in the API)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from service.db import Database
from service.deps import get_db
from service.models import SOLVE, Job, ScenarioRow
from service.routes import is_id
from service.web.bridge import Api
from service.web.i18n import language_of
from service.web.render import page
from service.web.sessions import LANGUAGE_COOKIE, SESSION_COOKIE, Visitor, same, visitor


class SignInFirst(Exception):
    """No signed-in visitor: the page answers with a redirect to the sign-in form."""


class PageNotFound(Exception):
    """Nothing of that id for this district (404, as the API answers)."""


class BadForm(Exception):
    """A form without a valid form token (403)."""


def current_visitor(request: Request, db: Annotated[Database, Depends(get_db)]) -> Visitor | None:
    return visitor(db, request.cookies.get(SESSION_COOKIE))


def signed_in(visitor: Annotated[Visitor | None, Depends(current_visitor)]) -> Visitor:
    if visitor is None:
        raise SignInFirst
    return visitor


VisitorDep = Annotated[Visitor, Depends(signed_in)]


def language(request: Request, visitor: Visitor | None) -> str:
    if visitor is not None:
        return language_of(visitor.language)
    return language_of(request.cookies.get(LANGUAGE_COOKIE))


def check_form(visitor: Visitor, token: str | None) -> None:
    if not same(visitor.csrf, token):
        raise BadForm


def api(request: Request, visitor: Visitor) -> Api:
    return Api(request.app, visitor.district)


def show(
    request: Request, visitor: Visitor, template: str, status: int = 200, **context: Any
) -> HTMLResponse:
    return page(request, template, visitor, language(request, visitor), status, **context)


def go(url: str) -> RedirectResponse:
    """After a form: to the page that shows its outcome (303: the browser GETs it)."""
    return RedirectResponse(url, status_code=303)


def own_period(session: Session, visitor: Visitor, scenario_id: str) -> ScenarioRow:
    row = session.get(ScenarioRow, scenario_id) if is_id(scenario_id) else None
    if row is None or row.district != visitor.district:
        raise PageNotFound
    return row


def own_solve(session: Session, visitor: Visitor, job_id: str) -> Job:
    job = session.get(Job, job_id) if is_id(job_id) else None
    if job is None or job.district != visitor.district or job.kind != SOLVE:
        raise PageNotFound
    return job
