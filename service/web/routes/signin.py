"""Signing in and out, and the language: ``GET/POST /app/login``, ``POST /app/logout``,
``POST /app/language``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from service.deps import DatabaseDep, SettingsDep
from service.web.accounts import sign_in
from service.web.i18n import language_of
from service.web.pages import VisitorDep, check_form, current_visitor, go, language
from service.web.render import page
from service.web.sessions import (
    LANGUAGE_COOKIE,
    LOGIN_COOKIE,
    SESSION_COOKIE,
    close_session,
    new_token,
    open_session,
    same,
    set_language,
)

router = APIRouter(prefix="/app", include_in_schema=False)


def secure(request: Request, settings: SettingsDep) -> bool:
    """Cookies are ``Secure`` behind https (or always, with LEGEVAKT_COOKIE_SECURE)."""
    return settings.cookie_secure or request.url.scheme == "https"


def _login_page(
    request: Request, lang: str, settings: SettingsDep, error: str = "", status: int = 200
) -> HTMLResponse:
    token = new_token()
    response = page(request, "login.html", None, lang, status, csrf=token, error=error, username="")
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=secure(request, settings),
        path="/app/login",
    )
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, db: DatabaseDep, settings: SettingsDep) -> Response:
    if current_visitor(request, db) is not None:
        return go("/app/")
    return _login_page(request, language(request, None), settings)


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    db: DatabaseDep,
    settings: SettingsDep,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    lang = language(request, None)
    from_page = request.cookies.get(LOGIN_COOKIE)
    if not same(from_page, csrf):
        return _login_page(request, lang, settings, "csrf", 403)
    outcome = sign_in(db, username, password)
    if outcome.user_id is None:
        error = f"wait:{outcome.wait}" if outcome.wait else "wrong_login"
        return _login_page(request, lang, settings, error, 429 if outcome.wait else 401)
    token = open_session(db, outcome.user_id, lang)
    response = go("/app/")
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=secure(request, settings),
        path="/",
    )
    response.delete_cookie(LOGIN_COOKIE, path="/app/login")
    return response


@router.post("/logout")
def logout(
    visitor: VisitorDep, db: DatabaseDep, csrf: Annotated[str, Form(max_length=200)] = ""
) -> RedirectResponse:
    check_form(visitor, csrf)
    close_session(db, visitor.token_hash)
    response = go("/app/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/language")
def choose_language(
    request: Request,
    db: DatabaseDep,
    settings: SettingsDep,
    lang: Annotated[str, Form(max_length=8)] = "nb",
    csrf: Annotated[str, Form(max_length=200)] = "",
    back: Annotated[str, Form(max_length=500)] = "/app/",
) -> RedirectResponse:
    """The language for this browser (a cookie) and, when signed in, its session."""
    chosen = language_of(lang)
    visitor = current_visitor(request, db)
    if visitor is not None:
        check_form(visitor, csrf)
        set_language(db, visitor.token_hash, chosen)
    target = back if back.startswith("/app/") and "//" not in back else "/app/"
    response = go(target)
    response.set_cookie(
        LANGUAGE_COOKIE,
        chosen,
        samesite="lax",
        secure=secure(request, settings),
        path="/",
        max_age=365 * 24 * 3600,
        httponly=True,
    )
    return response
