"""Signed-in browsers as server-side rows: the ``lv_session`` cookie holds a random token,
the database its SHA-256 with the user, the form token (CSRF) and the language. Signing
out deletes the row, so a stolen cookie stops working then too.

Before sign-in the login form carries a token that must equal the ``lv_login`` cookie
(double submit), so a page elsewhere cannot sign a browser in to another account.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, select

from service.auth import hash_token
from service.db import Database
from service.models import User, WebSession, as_utc, utcnow

SESSION_COOKIE = "lv_session"
LOGIN_COOKIE = "lv_login"
LANGUAGE_COOKIE = "lv_lang"
LIFETIME = dt.timedelta(hours=12)


@dataclass(frozen=True)
class Visitor:
    """The signed-in user of a request."""

    user_id: int
    username: str
    district: str
    csrf: str
    language: str
    token_hash: str


def new_token() -> str:
    return secrets.token_urlsafe(32)


def same(a: str | None, b: str | None) -> bool:
    """Tokens compared in constant time; a missing one never matches."""
    if not a or not b:
        return False
    return hmac.compare_digest(a.encode(), b.encode())


def open_session(db: Database, user_id: int, language: str) -> str:
    """A new session for ``user_id``; returns the cookie's token."""
    token = new_token()
    now = utcnow()
    with db.write() as session:
        session.execute(delete(WebSession).where(WebSession.expires_at < now))
        session.add(
            WebSession(
                token_hash=hash_token(token),
                user_id=user_id,
                csrf=new_token(),
                language=language,
                created_at=now,
                expires_at=now + LIFETIME,
            )
        )
    return token


def visitor(db: Database, token: str | None) -> Visitor | None:
    """The session's user, or None for no cookie, an unknown or an expired session."""
    if not token:
        return None
    digest = hash_token(token)
    with db.read() as session:
        row = session.execute(
            select(WebSession, User)
            .join(User, User.id == WebSession.user_id)
            .where(WebSession.token_hash == digest)
        ).first()
        if row is None:
            return None
        web, user = row
        expires = as_utc(web.expires_at)
        if expires is None or expires < utcnow():
            return None
        return Visitor(user.id, user.username, user.district, web.csrf, web.language, digest)


def set_language(db: Database, token_hash: str, language: str) -> None:
    with db.write() as session:
        row = session.get(WebSession, token_hash)
        if row is not None:
            row.language = language


def close_session(db: Database, token_hash: str) -> None:
    with db.write() as session:
        session.execute(delete(WebSession).where(WebSession.token_hash == token_hash))
