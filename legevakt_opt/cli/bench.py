"""``bench``: the engine against the hand method, the scale curve, Curtois & Qu."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from legevakt_opt.cli.app import app
from legevakt_opt.cli.exit_codes import ExitCode
from legevakt_opt.cli.output import fail, write_text

bench_app = typer.Typer(
    help="Benchmarks: the engine, the scale curve, Curtois & Qu.", no_args_is_help=True
)


PARAMS_HELP = """Extra CP-SAT parameters in text format, e.g. 'subsolvers: "default_lp"'."""


@bench_app.command("curtois")
def curtois(
    instance: Annotated[Path, typer.Argument(help="An InstanceN.txt file.")],
    time_limit: Annotated[float, typer.Option(min=0.1)] = 60.0,
    workers: Annotated[int, typer.Option(min=1, max=64)] = 2,
    seed: int = 0,
    out: Annotated[Path | None, typer.Option("--out", "-o")] = None,
    params: Annotated[str | None, typer.Option(help=PARAMS_HELP)] = None,
) -> None:
    """Solve one Curtois & Qu instance with the engine's rule modules; write the solution."""
    from legevakt_opt.bench.curtois import (  # benchmarks load on use only
        CurtoisFormatError,
        read_instance,
        solve_instance,
    )
    from legevakt_opt.bench.curtois_check import check_solution

    try:
        inst = read_instance(instance)
    except (OSError, CurtoisFormatError) as exc:
        fail([str(exc)])
    try:
        result = solve_instance(
            inst, time_limit=time_limit, workers=workers, seed=seed, parameters=params
        )
    except ValueError as exc:
        fail([str(exc)])
    check = check_solution(inst, result["assignments"])
    for breach in check.breaches:
        typer.echo(f"breach: {breach}", err=True)
    if result["objective"] is not None and check.objective != result["objective"]:
        fail(
            [f"checker objective {check.objective} differs from {result['objective']}"],
            ExitCode.INTERNAL,
        )
    typer.echo(
        f"{inst.name}: objective {result['objective']} bound {result['bound']} "
        f"({result['status']}, {result['seconds']} s)",
        err=True,
    )
    doc = {k: result[k] for k in ("instance", "objective", "bound", "assignments")}
    text = json.dumps(doc, indent=1)
    if out is None:
        typer.echo(text)
    else:
        write_text(text, out)
    raise typer.Exit(int(ExitCode.OK if check.ok else ExitCode.INVALID))


@bench_app.command("curtois-all")
def curtois_all(
    time_limit: Annotated[float, typer.Option(min=0.1)] = 60.0,
    workers: Annotated[int, typer.Option(min=1, max=64)] = 2,
    first: int = 1,
    last: int = 24,
    folder: Annotated[Path | None, typer.Option(help="Folder with Instance1.txt …")] = None,
    out: Annotated[Path, typer.Option("--out", "-o")] = Path("benchmarks/results"),
    params: Annotated[str | None, typer.Option(help=PARAMS_HELP)] = None,
    method: Annotated[
        str, typer.Option(help="auto (by size), full (the full model alone) or lns.")
    ] = "auto",
) -> None:
    """Run instances FIRST..LAST; write curtois.md and curtois.csv into --out."""
    from legevakt_opt.bench.curtois_run import (  # benchmarks load on use only
        default_folder,
        run_all,
    )

    numbers = list(range(first, last + 1))
    if method not in ("auto", "full", "lns"):
        fail([f"--method: {method!r} is not one of auto, full, lns"])
    try:
        run_all(
            folder or default_folder(),
            numbers,
            time_limit,
            workers,
            out,
            params=params,
            method=method,
        )
    except ValueError as exc:
        fail([str(exc)])


@bench_app.command("engine")
def engine(
    time_limit: Annotated[float, typer.Option(min=0.1)] = 60.0,
    workers: Annotated[list[int] | None, typer.Option()] = None,
    out: Annotated[Path, typer.Option("--out", "-o")] = Path("benchmarks/results"),
) -> None:
    """The example scenarios against the hand method (engine.md, engine.csv)."""
    from legevakt_opt.bench.engine import main  # benchmarks load on use only

    args = ["--time-limit", str(time_limit), "--out", str(out), "--workers"]
    args += [str(w) for w in (workers or [2, 8])]
    main(args)


@bench_app.command("scale")
def scale(
    doctors: Annotated[list[int] | None, typer.Option(help="Doctor counts (repeat).")] = None,
    weeks: Annotated[list[int] | None, typer.Option(help="Horizons in weeks (repeat).")] = None,
    time_limit: Annotated[float, typer.Option(min=0.1)] = 300.0,
    workers: Annotated[int, typer.Option(min=1, max=64)] = 2,
    checkpoint: Annotated[
        list[float] | None, typer.Option(help="Report the search at S s.")
    ] = None,
    seed: int = 0,
    out: Annotated[Path, typer.Option("--out", "-o")] = Path("benchmarks/results"),
) -> None:
    """Generated districts from 10 to 200 doctors and 4 to 26 weeks (scale.md, scale.csv)."""
    from legevakt_opt.bench.scale import DOCTORS, WEEKS, run_curve  # benchmarks load on use only

    run_curve(
        doctors or list(DOCTORS),
        weeks or list(WEEKS),
        time_limit,
        workers,
        out,
        seed,
        checkpoints=checkpoint or [60.0],
    )


@bench_app.command("replan")
def replan(
    doctors: Annotated[list[int] | None, typer.Option(help="Doctor counts (repeat).")] = None,
    weeks: Annotated[int, typer.Option(min=1, max=52)] = 8,
    time_limit: Annotated[float, typer.Option(min=0.1)] = 30.0,
    workers: Annotated[int, typer.Option(min=1, max=64)] = 2,
    seed: int = 0,
    out: Annotated[Path, typer.Option("--out", "-o")] = Path("benchmarks/results"),
) -> None:
    """Re-plan after one absence and recommend shifts on generated districts (replan.md)."""
    from legevakt_opt.bench.replan import run  # benchmarks load on use only

    run([(d, weeks) for d in doctors or [40]], time_limit, workers, out, seed)


app.add_typer(bench_app, name="bench")
