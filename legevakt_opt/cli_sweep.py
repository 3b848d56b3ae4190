"""CLI commands: ``sweep`` and ``generate`` (policy what-if sweeps).

Heavy imports stay inside the commands."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

EXIT_INPUT = 2
EXIT_BUG = 3


def sweep(
    sweep_file: Annotated[Path, typer.Argument(help="Sweep file (legevakt-sweep/1, YAML).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for tables, rosters, plots.")],
    jobs: Annotated[
        int | None,
        typer.Option(
            min=1, help="Variants solved at once (local); default: cores ÷ CP-SAT workers."
        ),
    ] = None,
    backend: Annotated[
        str, typer.Option(help="local (process pool) or ray (one Ray task per variant).")
    ] = "local",
    ray_address: Annotated[
        str | None,
        typer.Option("--ray-address", help="Ray cluster to join (default: start a local one)."),
    ] = None,
    time_limit: Annotated[
        float | None, typer.Option(min=0.1, help="Override the sweep file's solve.time_limit.")
    ] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, max=64, help="Override solve.workers.")
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Override solve.seed.")] = None,
) -> None:
    """Solve every variant of a sweep; write summary.csv/.xlsx/.md, rosters and plots."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from legevakt_opt.sweep.report import write_all
    from legevakt_opt.sweep.run import BACKENDS, Outcome, plan_jobs, run_sweep
    from legevakt_opt.sweep.spec import SweepError
    from legevakt_opt.sweep.variants import load_sweep

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    if backend not in BACKENDS:
        err.print(f"[red]error[/red] --backend: {backend!r} is not one of {', '.join(BACKENDS)}")
        raise typer.Exit(EXIT_INPUT)
    try:
        plan = load_sweep(sweep_file)
    except SweepError as exc:
        for line in exc.errors:
            err.print(f"[red]error[/red] {line}", soft_wrap=True)
        raise typer.Exit(EXIT_INPUT) from None
    overrides = {
        k: v
        for k, v in (("time_limit", time_limit), ("workers", workers), ("seed", seed))
        if v is not None
    }
    opts = {**plan.spec.solve.as_options(), **overrides}
    how = f"backend {backend}"
    if backend == "local":
        n, note = plan_jobs(jobs, int(opts["workers"]))
        if note:
            err.print(f"[yellow]warning[/yellow] {note}")
        jobs = n
        how += f", {n} at a time"
    elif jobs is not None:
        err.print(
            "[yellow]warning[/yellow] --jobs is ignored with --backend ray: Ray runs as "
            "many variants at once as the cluster has CPUs for"
        )
    err.print(
        f"{plan.name}: {len(plan.variants)} variants, {how}, {opts['workers']} CP-SAT "
        f"worker(s) and {opts['time_limit']:g} s each, seed {opts['seed']}"
    )
    failed: list[Outcome] = []
    with Progress(
        TextColumn("[bold]{task.description:<28}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=False,
    ) as bar:
        task = bar.add_task("solving", total=len(plan.variants))

        def done(o: Outcome) -> None:
            if not o.ok:
                failed.append(o)
            bar.update(task, advance=1, description=o.variant.name[:28])

        try:
            outcomes = run_sweep(
                plan,
                backend=backend,
                jobs=jobs,
                ray_address=ray_address,
                on_outcome=done,
                options=overrides,
            )
        except (RuntimeError, ConnectionError) as exc:  # Ray missing, unreachable or too small
            err.print(f"[red]error[/red] {exc}")
            raise typer.Exit(EXIT_INPUT) from None
    df = write_all(out, plan, outcomes)
    shown = ["variant", "status", "unfilled_hours", "max_burden", "gini_burden"]
    err.print(df[[c for c in shown if c in df.columns]].to_string(index=False))
    err.print(f"wrote {out}/summary.csv, summary.xlsx, summary.md, rosters/, plots/")
    if failed:
        for o in failed:
            for line in o.errors[:20]:
                err.print(f"[red]error[/red] variant {o.variant.name}: {line}", soft_wrap=True)
        raise typer.Exit(EXIT_BUG)


def generate(
    municipalities: Annotated[
        Path,
        typer.Option(help="CSV: id, name, population[, county, district]; '#' lines skipped."),
    ],
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
) -> None:
    """Build synthetic legevakt districts from real municipalities and write scenario files."""
    from rich.console import Console
    from rich.table import Table

    from legevakt_opt.generate import GenerateError, generate_districts, read_municipalities
    from legevakt_opt.scenario import ScenarioError

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        first = dt.date.fromisoformat(start)
    except ValueError:
        err.print(f"[red]error[/red] --start: {start!r} is not a date (YYYY-MM-DD)")
        raise typer.Exit(EXIT_INPUT) from None
    try:
        rows = read_municipalities(municipalities)
        written = generate_districts(
            rows, out, seed=seed, districts=districts, weeks=weeks, start=first
        )
    except (GenerateError, ScenarioError) as exc:
        for line in exc.errors:
            err.print(f"[red]error[/red] {line}", soft_wrap=True)
        raise typer.Exit(EXIT_INPUT) from None
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


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""
    app.command("sweep")(sweep)
    app.command("generate")(generate)
