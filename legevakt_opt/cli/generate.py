"""``generate``: synthetic legevakt districts from real municipalities (seeded)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from legevakt_opt.cli.app import app, err
from legevakt_opt.cli.output import fail
from legevakt_opt.generate import (
    DEFAULT_CSV,
    GenerateError,
    generate_districts,
    read_municipalities,
)
from legevakt_opt.scenario import ScenarioError, parse_date


@app.command()
def generate(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the scenario files.")],
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same files.")] = 0,
    districts: Annotated[
        int | None,
        typer.Option(min=1, help="How many districts (default: one per CSV district)."),
    ] = None,
    weeks: Annotated[int, typer.Option(min=1, max=52, help="Horizon in weeks.")] = 4,
    start: Annotated[
        str, typer.Option(help="First date (YYYY-MM-DD); a Monday reads best.")
    ] = "2027-01-04",
    municipalities: Annotated[
        Path | None,
        typer.Option(
            help="CSV: id, name, population[, county, district]; '#' lines skipped "
            "(default: the bundled municipalities.csv)."
        ),
    ] = None,
) -> None:
    """Build synthetic legevakt districts from real municipalities and write scenario files."""
    try:
        first = parse_date(start)
    except ValueError as exc:
        fail([f"--start: {start!r} {exc}"])
    try:
        rows = read_municipalities(municipalities or DEFAULT_CSV)
        written = generate_districts(
            rows, out, seed=seed, districts=districts, weeks=weeks, start=first
        )
    except (GenerateError, ScenarioError) as exc:
        fail(exc.errors)
    table = Table(title=f"{len(written)} districts in {out}")
    for col in ("file", "municipalities", "population", "doctors", "stations", "shifts"):
        table.add_column(col, justify="left" if col == "file" else "right")
    for path, doc in written:
        table.add_row(
            path.name,
            str(len(doc["municipalities"])),
            f"{sum(m['population'] or 0 for m in doc['municipalities']):,}",
            str(len(doc["doctors"])),
            str(len(doc["stations"])),
            str(len(doc["shifts"])),
        )
    err.print(table)
