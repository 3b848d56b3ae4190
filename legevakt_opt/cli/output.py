"""What every command does the same way: load a scenario or a roster or exit 2 with one line
per problem, print warnings, write a document, and stop with an exit code."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NoReturn

import typer
from rich.markup import escape

from legevakt_opt.calendar import expand
from legevakt_opt.cli.app import err
from legevakt_opt.cli.exit_codes import ExitCode
from legevakt_opt.scenario import Scenario, ScenarioError, load_scenario


def fail(lines: Iterable[str], code: ExitCode = ExitCode.INPUT) -> NoReturn:
    """Print each line as an error and exit with ``code``."""
    for line in lines:
        err.print(f"[red]error[/red] {escape(line)}")
    raise typer.Exit(int(code))


def warn(lines: Iterable[str]) -> None:
    for line in lines:
        err.print(f"[yellow]warning[/yellow] {escape(line)}")


def load_or_exit(path: Path, *, quiet: bool = False) -> Scenario:
    """The scenario at ``path``, its warnings (and the calendar's) printed; exit 2 if it
    cannot be used."""
    try:
        scenario = load_scenario(path)
    except ScenarioError as exc:
        fail(exc.errors)
    if not quiet:
        warn([*scenario.warnings(), *expand(scenario).warnings])
    return scenario


def read_json_or_exit(path: Path, what: str = "roster") -> Any:
    """A JSON document (a roster), or exit 2 naming the file."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        fail([f"{path}: no such file"])
    except IsADirectoryError:
        fail([f"{path}: is a folder, not a {what} file"])
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        fail([f"{path}: not a readable JSON {what}: {exc}"])


def write_text(text: str, out: Path | None) -> None:
    """A document to ``out``, or to stdout; a path that cannot be written exits 2."""
    write_bytes((text + "\n").encode("utf-8"), out)


def write_bytes(data: bytes, out: Path | None) -> None:
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    except OSError as exc:
        fail([f"{out}: cannot write: {exc.strerror or exc}"])


def check_backend(backend: str) -> None:
    """``--backend`` of a batch command (sweep, national): exit 2 unless it is one we run."""
    from legevakt_opt.sweep.run import BACKENDS  # the sweep machinery on use only

    if backend not in BACKENDS:
        fail([f"--backend: {backend!r} is not one of {', '.join(BACKENDS)}"])


def batch_slots(backend: str, jobs: int | None, workers: int, what: str) -> tuple[int | None, str]:
    """How many ``what`` (solves, variants) a batch command runs at once: with ``local``,
    ``--jobs`` lowered to what the cores hold (and said); with ``ray``, as many as the
    cluster has CPUs for (``--jobs`` ignored, and said). Returns that number (None for
    Ray) and the summary line's words for it."""
    from legevakt_opt.sweep.run import plan_jobs  # the sweep machinery on use only

    if backend == "local":
        slots, note = plan_jobs(jobs, workers)
        if note:
            warn([note])
        return slots, f"backend {backend}, {slots} at a time"
    if jobs is not None:
        warn(
            [
                f"--jobs is ignored with --backend ray: Ray runs as many {what} at once as "
                "the cluster has CPUs for"
            ]
        )
    return None, f"backend {backend}"
