"""Engine benchmark: the example scenarios against the hand method, on this machine.

    legevakt-opt bench engine [--time-limit 60] [--workers 2 --workers 8] [--out DIR]

Prints, per scenario and worker count: time to the first CP-SAT roster, each level's
value, bound and time (and whether it was proved), unfilled hours and max burden, and the
ratio of max burden to the hand method's. Figures are ratios from one run, since the
machines are shared and noisy. Writes ``engine.md`` and ``engine.csv`` into ``--out``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from legevakt_opt.baseline import greedy_roster
from legevakt_opt.bench.report import against_baseline, machine_line, write_report
from legevakt_opt.calendar import expand
from legevakt_opt.engine import Progress, SolveOptions, solve
from legevakt_opt.examples_data import example_path
from legevakt_opt.roster import build_result
from legevakt_opt.scenario import load_scenario

#: The two shared examples, as bundled with the package.
EXAMPLES = [Path(str(example_path(name))) for name in ("hallingdal.yaml", "molde.yaml")]


def run_one(path: Path, workers: int, time_limit: float, seed: int) -> dict[str, Any]:
    scenario = load_scenario(path)
    calendar = expand(scenario)
    started = time.monotonic()
    base_assignments = greedy_roster(scenario, calendar)
    base_seconds = time.monotonic() - started
    base = build_result(
        scenario,
        calendar,
        base_assignments,
        status="feasible",
        levels=[],
        runtime=base_seconds,
        solver_info={"method": "baseline"},
    )
    first: list[float] = []

    def seen(p: Progress) -> None:
        if not first:
            first.append(p.elapsed)

    result = solve(
        scenario, SolveOptions(time_limit=time_limit, workers=workers, seed=seed), on_progress=seen
    )
    levels = {lv.name: lv for lv in result.levels}
    ub, lb = levels["max_burden"].value, levels["max_burden"].bound
    row: dict[str, Any] = {
        "scenario": path.stem,
        "workers": workers,
        "time_limit": time_limit,
        "status": result.status,
        "first_roster_s": round(first[0], 2) if first else None,
        "baseline_s": round(base_seconds, 3),
        **against_baseline(result, base),
        "max_burden_bound": lb,
        "max_burden_gap": round((ub - lb) / ub, 4) if ub and lb is not None else None,
        "runtime_s": round(result.runtime, 1),
    }
    for name, lv in levels.items():
        row[f"{name}_value"] = lv.value
        row[f"{name}_bound"] = lv.bound
        row[f"{name}_proved"] = lv.proved
        row[f"{name}_s"] = round(lv.seconds, 2)
    return row


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, nargs="+", default=[2, 8])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("benchmarks") / "results")
    parser.add_argument("scenarios", nargs="*", type=Path, default=EXAMPLES)
    args = parser.parse_args(argv)
    rows = []
    for path in args.scenarios:
        for workers in args.workers:
            row = run_one(path, workers, args.time_limit, args.seed)
            rows.append(row)
            print(
                f"{row['scenario']:<12} workers {workers}: first roster {row['first_roster_s']} s; "
                f"unfilled {row['unfilled_h']} h (proved {row.get('unfilled_proved')} in "
                f"{row.get('unfilled_s')} s; baseline {row['baseline_unfilled_h']} h); max burden "
                f"{row['max_burden']} (bound {row['max_burden_bound']}, "
                f"gap {row['max_burden_gap']}, "
                f"proved {row.get('max_burden_proved')}); baseline {row['baseline_max_burden']}; "
                f"ratio {row['max_burden_vs_baseline']}; valid {row['valid']}",
                flush=True,
            )
    cols = [
        "scenario",
        "workers",
        "first_roster_s",
        "unfilled_h",
        "unfilled_proved",
        "unfilled_s",
        "baseline_unfilled_h",
        "max_burden",
        "max_burden_bound",
        "max_burden_gap",
        "max_burden_proved",
        "baseline_max_burden",
        "max_burden_vs_baseline",
        "status",
        "valid",
    ]
    head = [
        f"Engine benchmark, {machine_line()}, time limit {args.time_limit} s, seed {args.seed}."
    ]
    write_report(args.out, "engine", rows, head, cols)
    print(f"wrote {args.out / 'engine.md'} and {args.out / 'engine.csv'}")


if __name__ == "__main__":
    main()
