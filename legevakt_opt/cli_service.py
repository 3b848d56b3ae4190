"""CLI commands: ``serve`` and ``token create`` (the HTTP service), and ``export``.

Heavy imports stay inside the commands."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

token_app = typer.Typer(help="Bearer tokens of the HTTP service.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""
    app.command()(serve)
    app.command()(export)
    app.add_typer(token_app, name="token")


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
) -> None:
    """Run the HTTP service (docs at /docs; settings: DATABASE_URL, LEGEVAKT_*)."""
    import logging

    import uvicorn

    from service.app import create_app
    from service.settings import Settings

    try:
        settings = Settings()
    except Exception as exc:  # pydantic's ValidationError names each bad setting
        typer.echo(f"error: bad settings: {exc}", err=True)
        raise typer.Exit(2) from None
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
    from service.auth import check_district, create_token
    from service.db import open_database
    from service.settings import Settings

    try:
        name = check_district(district)
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    db = open_database(Settings().database_url)
    try:
        token = create_token(db, name)
    finally:
        db.dispose()
    sys.stdout.write(token + "\n")


def export(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (YAML or JSON).")],
    roster: Annotated[Path, typer.Argument(help="Roster JSON.")],
    format: Annotated[str, typer.Option("--format", "-f", help="csv, xlsx or ics.")] = "xlsx",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="File to write.")] = None,
    doctor: Annotated[str | None, typer.Option(help="Only this doctor's assignments.")] = None,
) -> None:
    """Export a roster as CSV, Excel (grid, doctors, unfilled) or iCalendar."""
    import json

    from legevakt_opt.io import ExportError, export_roster
    from legevakt_opt.scenario import ScenarioError, load_scenario

    if format not in ("csv", "xlsx", "ics"):
        typer.echo(f"error: --format {format!r} is not csv, xlsx or ics", err=True)
        raise typer.Exit(2)
    try:
        sc = load_scenario(scenario)
        doc = json.loads(roster.read_text(encoding="utf-8"))
        data = export_roster(format, sc, doc, doctor)
    except ScenarioError as exc:
        for line in exc.errors:
            typer.echo(f"error: {line}", err=True)
        raise typer.Exit(2) from None
    except (OSError, ValueError, ExportError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    target = out or Path(f"{roster.stem}.{format}")
    target.write_bytes(data)
    typer.echo(f"wrote {target}", err=True)
