"""Run Curtois & Qu instances and write a report against the published best known values."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from legevakt_opt.bench.curtois import (
    BIG_STAFF,
    FULL_SHARE,
    SHORT_DAYS,
    portfolio,
    read_instance,
    solve_instance,
)
from legevakt_opt.bench.curtois_check import check_solution
from legevakt_opt.bench.report import machine_line, write_report

#: Lower bound and best known solution per instance (the benchmark's published table).
BEST_KNOWN: dict[int, tuple[int, int]] = {
    1: (607, 607),
    2: (828, 828),
    3: (1001, 1001),
    4: (1716, 1716),
    5: (1143, 1143),
    6: (1950, 1950),
    7: (1056, 1056),
    8: (1300, 1300),
    9: (439, 439),
    10: (4631, 4631),
    11: (3443, 3443),
    12: (4040, 4040),
    13: (1348, 1348),
    14: (1278, 1278),
    15: (3829, 3831),
    16: (3225, 3225),
    17: (5746, 5746),
    18: (4459, 4459),
    19: (3149, 3149),
    20: (4769, 4769),
    21: (21133, 21133),
    22: (30240, 30244),
    23: (16990, 17428),
    24: (26571, 42463),
}


def default_folder() -> Path:
    """The shared benchmark folder beside the project (``../shared/benchmarks/curtois``)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent.parent / "shared" / "benchmarks" / "curtois"
        if candidate.is_dir():
            return candidate
    return Path("shared/benchmarks/curtois")


def run_all(
    folder: Path,
    numbers: list[int],
    time_limit: float,
    workers: int,
    out: Path,
    seed: int = 0,
    echo: Callable[[str], None] = print,
    params: str | None = None,
    method: str = "auto",
) -> list[dict[str, Any]]:
    """Solve each instance, check it independently, and write curtois.md / curtois.csv."""
    rows = []
    for n in numbers:
        inst = read_instance(folder / f"Instance{n}.txt")
        result = solve_instance(
            inst,
            time_limit=time_limit,
            workers=workers,
            seed=seed,
            parameters=params,
            method=method,
        )
        check = check_solution(inst, result["assignments"])
        lower, best = BEST_KNOWN[n]
        obj = result["objective"]
        row = {
            "instance": n,
            "days": inst.days,
            "staff": len(inst.staff),
            "shift_types": len(inst.lengths),
            "method": result["method"],
            "objective": obj,
            "bound": result["bound"],
            "status": result["status"],
            "checked_objective": check.objective if obj is not None else None,
            "valid": check.ok and obj is not None and check.objective == obj,
            "lower_bound": lower,
            "best_known": best,
            "above_best_pct": round(100 * (obj - best) / best, 2) if obj is not None else None,
            "seconds": result["seconds"],
        }
        rows.append(row)
        echo(
            f"Instance{n}: objective {obj} (bound {result['bound']}, {result['status']}), "
            f"best known {best}, {row['above_best_pct']} % above; checked {row['valid']}; "
            f"{result['seconds']} s"
        )
    subsolvers = portfolio(workers)
    head = [
        f"Curtois & Qu, {machine_line()}, {time_limit} s and {workers} CP-SAT workers per "
        f"instance, seed {seed}; full-problem subsolvers: "
        f"{', '.join(subsolvers) or 'CP-SAT default'}"
        + (f"; extra parameters: {params}" if params else "")
        + f"; method {method}: `full` is the full model alone for the whole time, `lns` a "
        f"greedy first roster, the full model for {round(100 * FULL_SHARE)} % of the time "
        "left, then large-neighbourhood search (engine/lns.py) for the rest; `auto` picks "
        f"`full` up to {SHORT_DAYS} days and under {BIG_STAFF} staff."
    ]
    write_report(out, "curtois", rows, head)
    return rows
