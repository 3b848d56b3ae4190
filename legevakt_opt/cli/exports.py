"""``export``: a roster as CSV, Excel or iCalendar, for people and their tools."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from legevakt_opt.cli.app import app, err
from legevakt_opt.cli.output import fail, load_or_exit, read_json_or_exit, write_bytes

EXPORT_FORMATS = ("csv", "xlsx", "ics")


@app.command()
def export(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (YAML or JSON).")],
    roster: Annotated[Path, typer.Argument(help="Roster JSON.")],
    format: Annotated[str, typer.Option("--format", "-f", help="csv, xlsx or ics.")] = "xlsx",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="File to write.")] = None,
    doctor: Annotated[str | None, typer.Option(help="Only this doctor's assignments.")] = None,
) -> None:
    """Export a roster as CSV, Excel (grid, doctors, unfilled) or iCalendar."""
    from legevakt_opt.io import ExportError, export_roster  # openpyxl/icalendar on use only

    if format not in EXPORT_FORMATS:
        fail([f"--format: {format!r} is not one of {', '.join(EXPORT_FORMATS)}"])
    sc = load_or_exit(scenario)
    doc = read_json_or_exit(roster)
    try:
        data = export_roster(format, sc, doc, doctor)
    except ExportError as exc:
        fail([f"{roster}: {exc}"])
    target = out or Path(f"{roster.stem}.{format}")
    write_bytes(data, target)
    err.print(f"wrote {target}")
