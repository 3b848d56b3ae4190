"""Bearer tokens: each belongs to one district; the database keeps only its SHA-256, when it
was made, when it last authenticated (written at most once a minute, so a busy client
costs one small write a minute, not one per request) and when it was revoked."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError

from service.db import Database
from service.models import Token, as_utc, utcnow

TOKEN_PREFIX = "lv_"
DISTRICT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.\-æøåÆØÅ]{0,99}$")
#: ``last_used_at`` is at most this much behind a token's latest use.
USE_RESOLUTION = dt.timedelta(minutes=1)

log = logging.getLogger("legevakt.auth")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def check_district(name: str) -> str:
    """A district name: 1-100 letters, digits, spaces, ``_ . -``; starts with a letter or digit."""
    name = name.strip()
    if not DISTRICT.match(name):
        raise ValueError(
            f"{name!r} is not a district name (1-100 letters, digits, spaces, '_', '.', '-')"
        )
    return name


def create_token(db: Database, district: str) -> str:
    """Make a new token for ``district``, store its hash, and return the token itself."""
    district = check_district(district)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with db.write() as session:
        session.add(Token(district=district, token_hash=hash_token(token)))
    return token


def district_of(db: Database, token: str) -> str | None:
    """The district a token belongs to, or ``None`` for an unknown or revoked token. Notes
    the use when ``last_used_at`` is a minute old or more."""
    digest = hash_token(token)
    with db.read() as session:
        row = session.execute(
            select(Token.id, Token.district, Token.last_used_at, Token.revoked_at).where(
                Token.token_hash == digest
            )
        ).one_or_none()
    if row is None or row.revoked_at is not None:
        return None
    now = utcnow()
    last = as_utc(row.last_used_at)
    if last is None or now - last >= USE_RESOLUTION:
        try:
            with db.write() as session:
                session.execute(update(Token).where(Token.id == row.id).values(last_used_at=now))
        except OperationalError as exc:  # bookkeeping only: the request goes on
            log.warning("could not note the use of token %s: %s", row.id, exc)
    return str(row.district)


@dataclass(frozen=True)
class TokenInfo:
    """What may be shown of a token (never the token, nor its hash)."""

    id: int
    district: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


def _info(row: Token) -> TokenInfo:
    return TokenInfo(
        id=row.id,
        district=row.district,
        created_at=as_utc(row.created_at) or row.created_at,
        last_used_at=as_utc(row.last_used_at),
        revoked_at=as_utc(row.revoked_at),
    )


def list_tokens(db: Database, district: str) -> list[TokenInfo]:
    """The district's tokens, oldest first, revoked ones included."""
    district = check_district(district)
    with db.read() as session:
        rows = session.scalars(
            select(Token).where(Token.district == district).order_by(Token.created_at, Token.id)
        ).all()
        return [_info(row) for row in rows]


class UnknownToken(LookupError):
    """No token has this id."""


def revoke_token(db: Database, token_id: int) -> tuple[TokenInfo, bool]:
    """Revoke a token: its next request is refused (every request looks the token up).
    The token as it is now, and whether it was revoked just now (not before)."""
    with db.write() as session:
        row = session.get(Token, token_id)
        if row is None:
            raise UnknownToken(token_id)
        fresh = row.revoked_at is None
        if fresh:
            row.revoked_at = utcnow()
        session.flush()
        return _info(row), fresh
