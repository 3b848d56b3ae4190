"""The ``legevakt-opt`` command line."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from legevakt_opt.scenario import ScenarioError, load_scenario, scenario_json_schema

app = typer.Typer(
    name="legevakt-opt",
    help="Rosters and burden for Norwegian out-of-hours emergency care (legevakt).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False, soft_wrap=True)

EXIT_INVALID = 1
EXIT_INPUT = 2
EXIT_BUG = 3


def _load(path: Path) -> Any:
    try:
        scenario = load_scenario(path)
    except ScenarioError as exc:
        for line in exc.errors:
            err.print(f"[red]error[/red] {line}", soft_wrap=True)
        raise typer.Exit(EXIT_INPUT) from None
    for line in scenario.warnings():
        err.print(f"[yellow]warning[/yellow] {line}", soft_wrap=True)
    return scenario


def _write(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text + "\n")
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n", encoding="utf-8")


def _summary_table(result: Any, details: bool) -> None:
    s = result.summary()
    table = Table(title=f"{result.scenario.name}: {result.status}", show_header=False)
    table.add_row(
        "coverage", f"{100 * s['coverage']:.1f} % of {s['required_hours']:.0f} doctor-hours"
    )
    table.add_row(
        "unfilled", f"{s['unfilled_hours']:.1f} h in {s['unfilled_shifts']} shifts (locum need)"
    )
    table.add_row("max burden", f"{s['max_burden']:.2f} weighted h per share")
    table.add_row("mean burden", f"{s['mean_burden']:.2f} weighted h per share")
    for lv in result.levels:
        mark = "proved" if lv.proved else "not proved"
        table.add_row(
            f"level {lv.name}", f"{lv.value} (bound {lv.bound}, {mark}, {lv.seconds:.1f} s)"
        )
    table.add_row("runtime", f"{result.runtime:.1f} s")
    err.print(table)
    if details:
        per = Table(title="Doctors")
        for col in (
            "doctor",
            "weighted h",
            "burden",
            "duties",
            "nights",
            "weekends",
            "backup",
            "video",
        ):
            per.add_column(col, justify="right")
        for doc_id, row in result.roster["doctors"].items():
            per.add_row(
                doc_id,
                f"{row['weighted_hours']:.2f}",
                f"{row['burden']:.2f}",
                str(row["duties"]),
                str(row["nights"]),
                str(row["weekends"]),
                str(row["backups"]),
                str(row["videos"]),
            )
        err.print(per)
    if result.unfilled:
        unf = Table(title="Unfilled (why)")
        unf.add_column("date")
        unf.add_column("shift")
        unf.add_column("missing", justify="right")
        unf.add_column("blocked by")
        for u in result.unfilled[: 50 if not details else None]:
            why = ", ".join(f"{k} {v}" for k, v in u["blocked_by"].items())
            unf.add_row(u["date"], u["shift"], str(u["missing"]), why)
        err.print(unf)


@app.command()
def solve(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (YAML or JSON).")],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write the roster JSON here.")
    ] = None,
    time_limit: Annotated[
        float, typer.Option(min=0.1, help="Seconds for all levels together.")
    ] = 60.0,
    workers: Annotated[int, typer.Option(min=1, max=64, help="CP-SAT workers.")] = 2,
    seed: Annotated[int, typer.Option(help="Random seed; with --workers 1 runs reproduce.")] = 0,
    details: Annotated[bool, typer.Option("--details", help="Per-doctor table.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or summary.")] = False,
) -> None:
    """Find the best roster for a scenario and write it as JSON."""
    from legevakt_opt.engine import Progress, SolveOptions
    from legevakt_opt.engine import solve as run

    sc = _load(scenario)
    last = [0.0]

    def show(p: Progress) -> None:
        now = time.monotonic()
        if quiet or now - last[0] < 0.25:
            return
        last[0] = now
        err.print(
            f"[dim]{p.elapsed:7.1f}s[/dim] level {p.stage_index + 1} {p.stage:<10} "
            f"objective {p.objective}  bound {p.bound}",
            soft_wrap=True,
        )

    result = run(
        sc, SolveOptions(time_limit=time_limit, workers=workers, seed=seed), on_progress=show
    )
    if not result.valid:
        err.print("[red]internal error[/red]: the roster failed validation; it was not written:")
        for b in result.validation.breaches:
            err.print(f"  {b.rule}: {b.message}", soft_wrap=True)
        raise typer.Exit(EXIT_BUG)
    if not quiet:
        _summary_table(result, details)
    _write(result.to_json(), out)


@app.command()
def validate(
    scenario: Annotated[Path, typer.Argument(help="Scenario file.")],
    roster: Annotated[Path, typer.Argument(help="Roster JSON to check (also a hand-made one).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Check a roster against every hard rule; exit 0 valid, 1 invalid, 2 unreadable."""
    from legevakt_opt.checks import validate_roster

    sc = _load(scenario)
    try:
        doc = json.loads(roster.read_text(encoding="utf-8"))
    except FileNotFoundError:
        err.print(f"[red]error[/red] {roster}: no such file")
        raise typer.Exit(EXIT_INPUT) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        err.print(f"[red]error[/red] {roster}: not a readable JSON roster: {exc}")
        raise typer.Exit(EXIT_INPUT) from None
    report = validate_roster(sc, doc)
    if as_json:
        sys.stdout.write(json.dumps(report.to_dict(), indent=2, default=str) + "\n")
    else:
        for b in report.breaches:
            typer.echo(f"{b.rule}: {b.message}")
        f = report.figures
        n = len(report.breaches)
        verdict = "valid" if report.ok else f"INVALID ({n} breach{'' if n == 1 else 'es'})"
        typer.echo(
            f"{verdict}: unfilled {f.unfilled_hours:.1f} h of {f.required_hours:.1f} h, "
            f"max burden {f.max_burden:.2f}"
        )
    raise typer.Exit(0 if report.ok else EXIT_INVALID)


@app.command()
def baseline(
    scenario: Annotated[Path, typer.Argument(help="Scenario file.")],
    out: Annotated[Path | None, typer.Option("--out", "-o")] = None,
) -> None:
    """The hand method: shifts in time order, least-burdened eligible doctor first."""
    from legevakt_opt.baseline import greedy_roster
    from legevakt_opt.calendar import expand
    from legevakt_opt.roster import build_result

    sc = _load(scenario)
    cal = expand(sc)
    started = time.monotonic()
    assignments = greedy_roster(sc, cal)
    result = build_result(
        sc,
        cal,
        assignments,
        status="feasible",
        levels=[],
        runtime=time.monotonic() - started,
        solver_info={"method": "baseline"},
    )
    if not result.valid:
        for b in result.validation.breaches:
            err.print(f"  {b.rule}: {b.message}", soft_wrap=True)
        raise typer.Exit(EXIT_BUG)
    _summary_table(result, False)
    _write(result.to_json(), out)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the scenario format (for editors' autocompletion)."""
    typer.echo(json.dumps(scenario_json_schema(), indent=2))


# Commands of the other areas, each registered by its own module so the areas stay apart.
from legevakt_opt import cli_bench, cli_service, cli_sweep  # noqa: E402

for _area in (cli_service, cli_sweep, cli_bench):
    _area.register(app)


def main() -> None:  # pragma: no cover - console entry
    app()
