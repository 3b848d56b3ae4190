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
    choose_districts,
    county_errors,
    district_groups,
    districts_in,
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
    all_districts: Annotated[
        bool,
        typer.Option(
            "--all", help="One scenario per district of the CSV (no synthetic ones), by id."
        ),
    ] = False,
    county: Annotated[
        list[str] | None,
        typer.Option(
            help="Only districts hosted in this county (repeatable; a district belongs to "
            "its largest member's county)."
        ),
    ] = None,
) -> None:
    """Build synthetic legevakt districts from real municipalities and write scenario files."""
    try:
        first = parse_date(start)
    except ValueError as exc:
        fail([f"--start: {start!r} {exc}"])
    if all_districts and districts is not None:
        fail(["--districts: give either --all or --districts N, not both"])
    counties = county or []
    source = str(municipalities or DEFAULT_CSV)
    try:
        rows = read_municipalities(municipalities or DEFAULT_CSV)
        problems = county_errors(rows, counties, "--county")
        if (all_districts or counties) and not district_groups(rows):
            problems.append(f"{source}: district: no row names a district (--all needs them)")
        if problems:
            fail(problems)
        groups = districts_in(rows, counties)
        if counties and not groups:
            fail([f"--county: no district of {source} is hosted in {', '.join(counties)}"])
        if counties:  # --districts N samples (or adds synthetic ones) within the counties
            members = [m for group in groups.values() for m in group]
            groups = groups if all_districts else choose_districts(members, seed, districts)
        written = generate_districts(
            rows,
            out,
            seed=seed,
            districts=districts,
            weeks=weeks,
            start=first,
            chosen=groups if (all_districts or counties) else None,
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
