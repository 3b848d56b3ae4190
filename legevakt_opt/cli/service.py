"""The HTTP service's commands: ``serve``, the ``token`` group (API) and the ``user`` group
(accounts of the web app)."""

from __future__ import annotations

import datetime as dt
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer
from pydantic import ValidationError

from legevakt_opt.cli.app import app, err
from legevakt_opt.cli.output import fail

if TYPE_CHECKING:  # the database layer is imported on use only
    from service.db import Database

token_app = typer.Typer(help="Bearer tokens of the HTTP service.", no_args_is_help=True)
app.add_typer(token_app, name="token")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
) -> None:
    """Run the HTTP service (docs at /docs; settings: DATABASE_URL, LEGEVAKT_*)."""
    import uvicorn  # the web stack loads only for the service's commands

    from service.app import create_app
    from service.settings import Settings

    try:
        settings = Settings()
    except ValidationError as exc:
        fail([f"bad setting {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()])
    logging.basicConfig(
        level=logging.INFO if log_level in ("trace", "debug", "info") else logging.WARNING,
        format="%(levelname)s:     %(name)s: %(message)s",
    )
    _first_user(settings.database_url)
    err.print(f"the coordinators' web app: http://{host}:{port}/app/")
    uvicorn.run(create_app(settings), host=host, port=port, log_level=log_level)


def _first_user(database_url: str) -> None:
    """With no web-app user yet: ask for the first one at a terminal, else say how."""
    from sqlalchemy import func, select  # the database layer on use only

    from service.db import open_database
    from service.models import User
    from service.web.accounts import AccountError, create_user

    db = open_database(database_url)
    try:
        with db.read() as session:
            if session.scalar(select(func.count()).select_from(User)):
                return
        if not sys.stdin.isatty():
            err.print(
                "no web-app user yet: legevakt-opt user create --district D --username U "
                "(the password is read from stdin)"
            )
            return
        err.print("No user of the web app yet; make the first one.")
        district = typer.prompt("District (legevaktdistrikt)")
        username = typer.prompt("User name")
        try:
            create_user(db, district, username, _read_password())
        except AccountError as exc:
            fail([str(exc)])
        err.print(f"created user {username.strip()} of district {district.strip()}")
    finally:
        db.dispose()


@token_app.command("create")
def token_create(
    district: Annotated[str, typer.Option(help="The district the token may see and touch.")],
) -> None:
    """Create a token for a district and print it; only its hash is stored (DATABASE_URL)."""
    from service.auth import create_token  # the database layer on use only

    name = _district(district)
    with _database() as db:
        token = create_token(db, name)
    sys.stdout.write(token + "\n")


@contextmanager
def _database() -> Iterator[Database]:
    """The service's database (``DATABASE_URL``), closed when the command is done."""
    from service.db import open_database  # the database layer on use only
    from service.settings import Settings

    db = open_database(Settings().database_url)
    try:
        yield db
    finally:
        db.dispose()


def _district(district: str) -> str:
    """``--district`` as stored, or exit 2 naming the option."""
    from service.auth import check_district  # the database layer on use only

    try:
        return check_district(district)
    except ValueError as exc:
        fail([f"--district: {exc}"])


def _when(moment: dt.datetime | None) -> str:
    return moment.isoformat(timespec="seconds") if moment is not None else "never"


@token_app.command("list")
def token_list(
    district: Annotated[str, typer.Option(help="The district whose tokens to list.")],
) -> None:
    """List a district's tokens, oldest first: id, created, last used, revoked.

    One line per token, tab-separated: id, created, last used (or never), "revoked WHEN".
    Times are ISO (UTC); a token's use is noted at most once a minute.
    Never the token itself, nor its hash."""
    from service.auth import list_tokens  # the database layer on use only

    name = _district(district)
    with _database() as db:
        tokens = list_tokens(db, name)
    for t in tokens:
        revoked = f"\trevoked {_when(t.revoked_at)}" if t.revoked_at else ""
        sys.stdout.write(f"{t.id}\t{_when(t.created_at)}\t{_when(t.last_used_at)}{revoked}\n")
    if not tokens:
        err.print(f"no tokens for district {name}")


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[str, typer.Argument(metavar="ID", help="The id `token list` shows.")],
) -> None:
    """Revoke a token: its next request gets 401. It stays in `token list`, marked revoked."""
    from service.auth import UnknownToken, revoke_token  # the database layer on use only

    if not token_id.strip().isdecimal():
        fail([f"{token_id!r} is not a token id (the number `token list` shows first)"])
    number = int(token_id)
    with _database() as db:
        try:
            if number >= 2**63:  # no database stores such an id
                raise UnknownToken(number)
            info, fresh = revoke_token(db, number)
        except UnknownToken:
            fail([f"no token with id {number} (`token list --district D` shows the ids)"])
    if fresh:
        err.print(f"revoked token {info.id} of district {info.district}")
    else:
        err.print(
            f"token {info.id} of district {info.district} was already revoked "
            f"({_when(info.revoked_at)})"
        )


user_app = typer.Typer(help="Coordinators' accounts of the web app (/app).", no_args_is_help=True)
app.add_typer(user_app, name="user")


def _read_password() -> str:
    """The password from stdin: typed twice without echo at a terminal, else its first line."""
    if sys.stdin.isatty():
        first = typer.prompt("Password", hide_input=True)
        if typer.prompt("Again", hide_input=True) != first:
            fail(["the two passwords differ"])
        return str(first)
    return sys.stdin.readline().rstrip("\r\n")


@user_app.command("create")
def user_create(
    district: Annotated[str, typer.Option(help="The district the user may see and touch.")],
    username: Annotated[str, typer.Option(help="The name to sign in with.")],
) -> None:
    """Create a web-app user; the password is read from stdin (only its argon2 hash is
    stored)."""
    from service.web.accounts import AccountError, create_user  # the database layer on use only

    password = _read_password()
    with _database() as db:
        try:
            create_user(db, district, username, password)
        except AccountError as exc:
            fail([str(exc)])
    err.print(f"created user {username.strip()} of district {district.strip()}")


@user_app.command("password")
def user_password(
    username: Annotated[str, typer.Option(help="The user whose password to set.")],
) -> None:
    """Set a web-app user's password (read from stdin, as for ``user create``)."""
    from service.web.accounts import AccountError, set_password  # the database layer on use only

    password = _read_password()
    with _database() as db:
        try:
            set_password(db, username.strip(), password)
        except AccountError as exc:
            fail([str(exc)])
    err.print(f"password of {username.strip()} set")
