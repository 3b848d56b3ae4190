"""``national``: one policy grid over every legevakt district of the country."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from legevakt_opt.cli.app import app, err
from legevakt_opt.cli.exit_codes import ExitCode
from legevakt_opt.cli.output import batch_slots, check_backend, fail


@app.command()
def national(
    national_file: Annotated[
        Path, typer.Argument(help="National sweep file (legevakt-national/1, YAML).")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for tables, report, plots.")],
    backend: Annotated[
        str, typer.Option(help="local (process pool) or ray (one Ray task per solve).")
    ] = "local",
    ray_address: Annotated[
        str | None,
        typer.Option("--ray-address", help="Ray cluster to join (default: start a local one)."),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(min=1, help="Solves at once (local); default: cores ÷ CP-SAT workers."),
    ] = None,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="Keep the solves an earlier run of this file saved in OUT/results/; "
            "solve only the rest.",
        ),
    ] = False,
) -> None:
    """Generate every district's scenario, solve district × variant, write the totals."""
    from rich.progress import (  # the sweep machinery (pandas, matplotlib) on use only
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from legevakt_opt.national.report import write_national
    from legevakt_opt.national.run import load_national, run_national
    from legevakt_opt.national.spec import NationalError
    from legevakt_opt.national.store import open_store
    from legevakt_opt.sweep.run import Outcome

    check_backend(backend)
    if backend == "local" and ray_address is not None:
        fail(["--ray-address: only with --backend ray"])
    try:
        plan = load_national(national_file)
        store = open_store(out, plan, resume=resume)
    except NationalError as exc:
        fail(exc.errors)
    kept, again = store.load() if resume else ({}, 0)
    solve = plan.spec.solve
    slots, how = batch_slots(backend, jobs, solve.workers, "solves")
    total = plan.size
    err.print(
        f"{plan.name}: {len(plan.districts)} districts × {len(plan.variant_names)} variants = "
        f"{total} solves, {how}, {solve.workers} CP-SAT worker(s) and {solve.time_limit:g} s "
        f"each, seed {solve.seed}" + (f", levels {', '.join(solve.levels)}" if solve.levels else "")
    )
    if resume:
        err.print(
            f"resuming: {len(kept)} solves kept from {store.results}/, {total - len(kept)} "
            "to solve" + (f" ({again} saved failures or stale results among them)" if again else "")
        )
    failed: list[tuple[str, list[str]]] = []  # district/variant and its errors
    with Progress(
        TextColumn("[bold]{task.description:<18}"),
        BarColumn(bar_width=10),
        MofNCompleteColumn(),
        TextColumn("{task.fields[running]} running, {task.fields[failed]} failed"),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
        console=err,
        transient=False,
    ) as bar:

        def running(done: int) -> str:
            left = total - done
            return str(min(slots, left)) if slots is not None else f"≤ {left}"

        count = len(kept)
        task = bar.add_task(
            "district×variant", total=total, completed=count, running=running(count), failed=0
        )

        def done(o: Outcome) -> None:
            nonlocal count
            store.save(o)  # first: a run stopped later keeps it
            count += 1
            if not o.ok:
                failed.append((o.variant.name, o.errors))
            bar.update(
                task,
                advance=1,
                description=o.variant.name[:18],
                running=running(count),
                failed=len(failed),
            )

        try:
            outcomes = run_national(
                plan,
                backend=backend,
                jobs=slots,
                ray_address=ray_address,
                on_outcome=done,
                done=kept,
            )
        except (RuntimeError, ConnectionError) as exc:  # Ray missing, unreachable or too small
            fail([str(exc)])
        except KeyboardInterrupt:
            err.print(
                f"interrupted: {count} of {total} solves are saved in {store.results}/; "
                "the same command with --resume solves the rest"
            )
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
    report = write_national(out, plan, outcomes)
    for name in plan.variant_names:
        err.print(f"- {report.texts[name]}", markup=False)
    for note in report.notes:
        err.print(f"note: {note}", markup=False)
    err.print(f"wrote {out}/results.csv, totals.csv, report.md, report.xlsx, plots/, results/")
    if failed:
        fail(
            [f"{name}: {line}" for name, errors in failed for line in errors[:5]],
            ExitCode.INTERNAL,
        )
