"""The HTTP service's commands: ``serve`` and the ``token`` group."""

from __future__ import annotations

import logging
import sys
from typing import Annotated

import typer
from pydantic import ValidationError

from legevakt_opt.cli.app import app
from legevakt_opt.cli.output import fail

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
    uvicorn.run(create_app(settings), host=host, port=port, log_level=log_level)


@token_app.command("create")
def token_create(
    district: Annotated[str, typer.Option(help="The district the token may see and touch.")],
) -> None:
    """Create a token for a district and print it; only its hash is stored (DATABASE_URL)."""
    from service.auth import check_district, create_token  # the database layer on use only
    from service.db import open_database
    from service.settings import Settings

    try:
        name = check_district(district)
    except ValueError as exc:
        fail([f"--district: {exc}"])
    db = open_database(Settings().database_url)
    try:
        token = create_token(db, name)
    finally:
        db.dispose()
    sys.stdout.write(token + "\n")
