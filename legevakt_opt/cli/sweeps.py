"""``sweep``: policy what-if sweeps, every variant solved and summarised side by side."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from legevakt_opt.cli.app import app, err
from legevakt_opt.cli.exit_codes import ExitCode
from legevakt_opt.cli.output import batch_slots, check_backend, fail


@app.command()
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
    from rich.progress import (  # the sweep machinery (pandas, matplotlib) on use only
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from legevakt_opt.sweep.report import blur_notes, write_all
    from legevakt_opt.sweep.run import Outcome, run_sweep
    from legevakt_opt.sweep.spec import SweepError
    from legevakt_opt.sweep.variants import load_sweep

    check_backend(backend)
    try:
        plan = load_sweep(sweep_file)
    except SweepError as exc:
        fail(exc.errors)
    overrides = {
        k: v
        for k, v in (("time_limit", time_limit), ("workers", workers), ("seed", seed))
        if v is not None
    }
    opts = {**plan.spec.solve.as_options(), **overrides}
    slots, how = batch_slots(backend, jobs, int(opts["workers"]), "variants")
    jobs = slots if slots is not None else jobs
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
            fail([str(exc)])
    df = write_all(out, plan, outcomes)
    shown = ["variant", "status", "unfilled_hours", "max_burden", "gini_burden"]
    err.print(df[[c for c in shown if c in df.columns]].to_string(index=False))
    for note in blur_notes(df):
        err.print(f"note: {note}", markup=False)
    err.print(f"wrote {out}/summary.csv, summary.xlsx, summary.md, rosters/, plots/")
    if failed:
        fail(
            [f"variant {o.variant.name}: {line}" for o in failed for line in o.errors[:20]],
            ExitCode.INTERNAL,
        )
