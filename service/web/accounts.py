"""Coordinators' accounts: argon2 password hashes (argon2-cffi), one district each, and
sign-in that slows down after a few failed tries in a row.

Throttling is per account and kept in the database (so it holds across processes and
restarts): after ``FREE_TRIES`` failures in a row, each further try must wait
``2 ** (failures - FREE_TRIES)`` seconds (at most ``MAX_WAIT``) after the last failure; a
try made sooner is refused without the password being checked. An unknown user name costs
one hash check too, so its answer takes as long as a wrong password's.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select

from service.auth import check_district
from service.db import Database
from service.models import User, as_utc, utcnow

FREE_TRIES = 3
MAX_WAIT = 60
MIN_PASSWORD = 8
USERNAME = re.compile(r"^[\w.@-]{1,100}$")

_hasher = PasswordHasher()
_DUMMY = _hasher.hash("not a password of anyone")


class AccountError(ValueError):
    """A user name, district or password that cannot be used; the message says why."""


@dataclass(frozen=True)
class SignIn:
    """How a sign-in went: the user (id, district, name), or how long to wait first."""

    user_id: int | None = None
    district: str | None = None
    username: str | None = None
    wait: int = 0


def check_username(name: str) -> str:
    name = name.strip()
    if not USERNAME.match(name):
        raise AccountError(
            f"{name!r} is not a user name (1-100 letters, digits, '.', '_', '-', '@')"
        )
    return name


def create_user(db: Database, district: str, username: str, password: str) -> int:
    """Store a new account and return its id; :class:`AccountError` names what is wrong."""
    try:
        district = check_district(district)
    except ValueError as exc:
        raise AccountError(str(exc)) from None
    username = check_username(username)
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")
    with db.write() as session:
        if session.scalar(select(User.id).where(User.username == username)) is not None:
            raise AccountError(f"user {username!r} exists already")
        user = User(
            district=district,
            username=username,
            password_hash=_hasher.hash(password),
            failed_logins=0,
        )
        session.add(user)
        session.flush()
        return user.id


def set_password(db: Database, username: str, password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")
    with db.write() as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise AccountError(f"no user {username!r}")
        user.password_hash = _hasher.hash(password)
        user.failed_logins = 0


def wait_seconds(failures: int, last_failed: dt.datetime | None, now: dt.datetime) -> int:
    """Seconds still to wait before the next try is checked (0: go ahead)."""
    if failures < FREE_TRIES or last_failed is None:
        return 0
    delay = min(MAX_WAIT, 2 ** (failures - FREE_TRIES))
    left = delay - (now - last_failed).total_seconds()
    return max(0, int(left + 0.999))


def sign_in(db: Database, username: str, password: str) -> SignIn:
    """Check a user name and password; a wrong one counts as a failure of that account."""
    now = utcnow()
    with db.write() as session:
        user = session.scalar(select(User).where(User.username == username.strip()))
        if user is None:
            _verify(_DUMMY, password)
            return SignIn()
        wait = wait_seconds(user.failed_logins, as_utc(user.last_failed_at), now)
        if wait:
            return SignIn(wait=wait)
        if not _verify(user.password_hash, password):
            user.failed_logins += 1
            user.last_failed_at = now
            return SignIn(wait=wait_seconds(user.failed_logins, now, now))
        user.failed_logins = 0
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
        return SignIn(user.id, user.district, user.username)


def _verify(digest: str, password: str) -> bool:
    try:
        return _hasher.verify(digest, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
