"""Commands on one scenario and its roster: ``solve``, ``validate``, ``baseline``, ``schema``."""

from __future__ import annotations

import json
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.markup import escape
from rich.table import Table

from legevakt_opt.checks import validate_roster
from legevakt_opt.cli.app import app, err
from legevakt_opt.cli.exit_codes import ExitCode
from legevakt_opt.cli.output import fail, load_or_exit, read_json_or_exit, warn, write_text
from legevakt_opt.scenario import scenario_json_schema

T = TypeVar("T")
ScenarioArg = Annotated[Path, typer.Argument(help="Scenario file (YAML or JSON).")]
OutOption = Annotated[Path | None, typer.Option("--out", "-o", help="Write the roster JSON here.")]


def summary_table(result: Any, details: bool) -> None:
    """The solve's summary (and with ``details`` the doctors) on stderr."""
    s = result.summary()
    table = Table(title=f"{escape(result.scenario.name)}: {result.status}", show_header=False)
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
        columns = ("doctor", "weighted h", "burden", "duties", "nights", "weekends")
        for col in (*columns, "backup", "video"):
            per.add_column(col, justify="right")
        for doc_id, row in result.roster["doctors"].items():
            per.add_row(
                escape(doc_id),
                f"{row['weighted_hours']:.2f}",
                f"{row['burden']:.2f}",
                *(str(row[k]) for k in ("duties", "nights", "weekends", "backups", "videos")),
            )
        err.print(per)
    if result.unfilled:
        unf = Table(title="Unfilled (why)")
        for col in ("date", "shift", "missing", "blocked by"):
            unf.add_column(col, justify="right" if col == "missing" else "left")
        for u in result.unfilled[: 50 if not details else None]:
            why = ", ".join(f"{k} {v}" for k, v in u["blocked_by"].items())
            unf.add_row(u["date"], escape(u["shift"]), str(u["missing"]), why)
        err.print(unf)


def run_stoppable(work: Callable[[threading.Event], T]) -> T:
    """Run ``work(cancel)`` in a thread while this one waits, so Ctrl-C is handled at once:
    the first sets ``cancel`` (the search stops and the best roster so far is written), a
    second one interrupts."""
    cancel = threading.Event()
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["result"] = work(cancel)
        except BaseException as exc:  # handed to the waiting thread
            box["error"] = exc

    def stop(signum: int, frame: Any) -> None:
        if cancel.is_set():
            raise KeyboardInterrupt
        cancel.set()
        err.print("[yellow]stopping[/yellow]: the best roster so far will be written")

    thread = threading.Thread(target=target, name="legevakt-solve", daemon=True)
    previous = signal.signal(signal.SIGINT, stop)
    try:
        thread.start()
        while thread.is_alive():
            thread.join(0.2)
    finally:
        signal.signal(signal.SIGINT, previous)
    if "error" in box:
        raise box["error"]
    result: T = box["result"]
    return result


def progress_printer(quiet: bool) -> Any:
    """A progress callback that prints at most four lines a second."""
    last = [0.0]

    def show(p: Any) -> None:
        now = time.monotonic()
        if quiet or now - last[0] < 0.25:
            return
        last[0] = now
        if p.stage == "start":
            err.print(f"[dim]{p.elapsed:7.1f}s[/dim] a first valid roster to start from")
            return
        err.print(
            f"[dim]{p.elapsed:7.1f}s[/dim] level {p.stage_index + 1} {p.stage:<10} "
            f"objective {p.objective}  bound {p.bound}"
        )

    return show


def fail_invalid(result: Any) -> None:
    """A roster that failed the validator is a bug: never written, exit 3."""
    if result.valid:
        return
    lines = [f"{b.rule}: {b.message}" for b in result.validation.breaches]
    fail(
        ["internal error: the roster failed validation; it was not written", *lines],
        ExitCode.INTERNAL,
    )


@app.command()
def solve(
    scenario: ScenarioArg,
    out: OutOption = None,
    time_limit: Annotated[
        float, typer.Option(min=0.1, help="Seconds for all levels together.")
    ] = 60.0,
    workers: Annotated[int, typer.Option(min=1, max=64, help="CP-SAT workers.")] = 2,
    seed: Annotated[int, typer.Option(help="Random seed; with --workers 1 runs reproduce.")] = 0,
    details: Annotated[bool, typer.Option("--details", help="Per-doctor table.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or summary.")] = False,
    history: Annotated[
        Path | None,
        typer.Option(help="The previous period's roster: its last duties and carried burden."),
    ] = None,
    history_scenario: Annotated[
        Path | None, typer.Option(help="The previous period's scenario (with --history).")
    ] = None,
) -> None:
    """Find the best roster for a scenario and write it as JSON (Ctrl-C: the best so far)."""
    from legevakt_opt.engine import NoRosterError, SolveOptions  # OR-Tools loads only for
    from legevakt_opt.engine import solve as run  # the commands that solve
    from legevakt_opt.roster.history import HistoryError, with_history

    sc = load_or_exit(scenario, quiet=quiet)
    if (history is None) != (history_scenario is None):
        fail(["--history and --history-scenario go together (the roster and its scenario)"])
    if history is not None and history_scenario is not None:
        previous = load_or_exit(history_scenario, quiet=True)
        try:
            sc, notes = with_history(sc, previous, read_json_or_exit(history))
        except HistoryError as exc:
            fail([f"{history}: {exc}"])
        if not quiet:
            warn(notes)
    options = SolveOptions(time_limit=time_limit, workers=workers, seed=seed)
    try:
        result = run_stoppable(
            lambda cancel: run(sc, options, on_progress=progress_printer(quiet), cancel=cancel)
        )
    except NoRosterError as exc:
        fail(["no roster can satisfy these:", *exc.lines], ExitCode.NO_ROSTER)
    fail_invalid(result)
    if not quiet:
        summary_table(result, details)
    write_text(result.to_json(), out)


@app.command()
def validate(
    scenario: Annotated[Path, typer.Argument(help="Scenario file.")],
    roster: Annotated[Path, typer.Argument(help="Roster JSON to check (also a hand-made one).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Check a roster against every hard rule; exit 0 valid, 1 invalid, 2 unreadable."""
    sc = load_or_exit(scenario)
    report = validate_roster(sc, read_json_or_exit(roster))
    if as_json:
        write_text(json.dumps(report.to_dict(), indent=2, default=str, ensure_ascii=False), None)
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
    raise typer.Exit(int(ExitCode.OK if report.ok else ExitCode.INVALID))


@app.command()
def baseline(scenario: ScenarioArg, out: OutOption = None) -> None:
    """The hand method: shifts in time order, least-burdened eligible doctor first."""
    from legevakt_opt.baseline import greedy_roster  # pandas loads only for this command
    from legevakt_opt.calendar import expand
    from legevakt_opt.roster import build_result

    sc = load_or_exit(scenario)
    cal = expand(sc)
    started = time.monotonic()
    result = build_result(
        sc,
        cal,
        greedy_roster(sc, cal),
        status="feasible",
        levels=[],
        runtime=time.monotonic() - started,
        solver_info={"method": "baseline"},
    )
    fail_invalid(result)
    summary_table(result, False)
    write_text(result.to_json(), out)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the scenario format (for editors' autocompletion)."""
    write_text(json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False), None)
