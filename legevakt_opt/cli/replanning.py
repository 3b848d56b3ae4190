"""Living rosters: ``replan`` (the published roster, changed as little as the changed
scenario needs) and ``recommend`` (who can take this shift?)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from legevakt_opt.cli.app import app, err
from legevakt_opt.cli.exit_codes import ExitCode
from legevakt_opt.cli.output import fail, load_or_exit, read_json_or_exit, write_text
from legevakt_opt.cli.rostering import fail_invalid, progress_printer, run_stoppable, summary_table
from legevakt_opt.scenario import parse_date


def published_assignments(document: Any, path: Path) -> tuple[tuple[dt.date, str, str, str], ...]:
    """A published roster's assignments, read as strictly as the validator reads them."""
    items = document.get("assignments") if isinstance(document, dict) else None
    if not isinstance(items, list):
        fail([f"{path}: not a roster (no list of assignments)"])
    out = []
    problems = []
    for k, a in enumerate(items):
        try:
            out.append((parse_date(a["date"]), str(a["shift"]), str(a["doctor"]), str(a["role"])))
        except (KeyError, TypeError, ValueError) as exc:
            problems.append(f"{path}: assignments[{k}]: {exc}")
    if problems:
        fail(problems)
    return tuple(out)


def changes_table(changes: list[dict[str, Any]]) -> None:
    table = Table(title=f"Changes ({len(changes)}): whom to notify")
    for col in ("date", "shift", "role", "before", "after", "reason"):
        table.add_column(col)
    for c in changes:
        table.add_row(
            c["date"],
            escape(c["shift"]),
            c["role"],
            escape(c["before"] or "-"),
            escape(c["after"] or "-"),
            escape(c["reason"]),
        )
    err.print(table)


@app.command()
def replan(
    scenario: Annotated[Path, typer.Argument(help="The changed scenario (YAML or JSON).")],
    published: Annotated[
        Path, typer.Option("--published", help="The roster as it was published (JSON).")
    ],
    freeze_until: Annotated[
        str | None,
        typer.Option("--freeze-until", help="Nothing before this date (YYYY-MM-DD) changes."),
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the roster here.")] = None,
    time_limit: Annotated[float, typer.Option(min=0.1, help="Seconds in all.")] = 60.0,
    workers: Annotated[int, typer.Option(min=1, max=64, help="CP-SAT workers.")] = 2,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or summary.")] = False,
) -> None:
    """Re-plan a published roster with as few changes as the changed scenario needs."""
    from legevakt_opt.engine import NoRosterError, Published, SolveOptions  # OR-Tools on use
    from legevakt_opt.engine import solve as run

    sc = load_or_exit(scenario, quiet=quiet)
    assignments = published_assignments(read_json_or_exit(published), published)
    freeze = None
    if freeze_until is not None:
        try:
            freeze = parse_date(freeze_until)
        except ValueError as exc:
            fail([f"--freeze-until: {freeze_until!r} {exc}"])
    options = SolveOptions(time_limit=time_limit, workers=workers, seed=seed)
    before = Published(assignments, freeze)
    try:
        result = run_stoppable(
            lambda cancel: run(
                sc, options, on_progress=progress_printer(quiet), cancel=cancel, published=before
            )
        )
    except NoRosterError as exc:
        fail(["no roster can satisfy these:", *exc.lines], ExitCode.NO_ROSTER)
    fail_invalid(result)
    if not quiet:
        summary_table(result, False)
        changes_table(result.roster["changes"])
    write_text(result.to_json(), out)


@app.command()
def recommend(
    scenario: Annotated[Path, typer.Argument(help="Scenario file.")],
    roster: Annotated[Path, typer.Argument(help="Roster JSON.")],
    date: Annotated[str, typer.Option(help="The shift's date (YYYY-MM-DD).")],
    shift: Annotated[str, typer.Option(help="The shift's id.")],
    relieve: Annotated[
        str | None, typer.Option(help="The doctor on duty who must give it up.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer as JSON.")] = False,
) -> None:
    """Who can take this shift? Every doctor, best first, with the rules that stop the others."""
    from legevakt_opt.roster.recommend import RecommendError  # pandas loads on use only
    from legevakt_opt.roster.recommend import recommend as recommend_shift

    sc = load_or_exit(scenario, quiet=as_json)
    try:
        answer = recommend_shift(sc, read_json_or_exit(roster), date, shift, relieve=relieve)
    except RecommendError as exc:
        fail([str(exc)])
    doc = answer.to_dict()
    if as_json:
        write_text(json.dumps(doc, indent=2, ensure_ascii=False), None)
        return
    title = f"{shift} {date}: " + (
        f"relieve {relieve or answer.relieves}" if answer.relieves else f"{answer.missing} missing"
    )
    table = Table(title=escape(title))
    for col in ("doctor", "name", "can take it", "blocked by", "burden after", "max burden after"):
        table.add_column(col)
    for c in doc["candidates"]:
        table.add_row(
            escape(c["doctor"]),
            escape(c["name"]),
            "yes" if c["feasible"] else "no",
            ", ".join(c["blocked_by"]),
            f"{c['burden_after']:.2f}",
            f"{c['max_burden_after']:.2f}",
        )
    err.print(table)
    for s in doc["swaps"]:
        gives = s["gives"]
        err.print(
            f"swap: {escape(s['takes'])} takes it, {escape(s['to'])} takes "
            f"{escape(gives['shift'])} {gives['date']} from {escape(s['takes'])}"
        )
