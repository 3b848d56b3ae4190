"""Bearer tokens: each belongs to one district; the database keeps only its SHA-256."""

from __future__ import annotations

import hashlib
import re
import secrets

from sqlalchemy import select

from service.db import Database
from service.models import Token

TOKEN_PREFIX = "lv_"
DISTRICT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.\-æøåÆØÅ]{0,99}$")


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
    """The district a token belongs to, or ``None`` for an unknown token."""
    digest = hash_token(token)
    with db.read() as session:
        return session.scalar(select(Token.district).where(Token.token_hash == digest))
