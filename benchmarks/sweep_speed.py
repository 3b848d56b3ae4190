"""Sweep throughput: variants per minute for the local backend with 1 and 2 jobs and for a
local Ray cluster, on a cut-down version of the worked example
(``scenarios/sweeps/hallingdal-caps.yaml``: the grid only, shorter solves).

    python -m benchmarks.sweep_speed [--time-limit 3] [--cpus 2] [--variants 8] [--no-ray]

Every solve uses one CP-SAT worker and a fixed seed, so each variant costs the same
deterministic work in every run and the three runs must give the same summary (checked).
Ray's cluster start-up is timed apart from the sweep. CPU may be shared with other work:
compare the ratios measured in one run, not absolute figures across runs. The solves' CPU
time over the wall time ("parallelism") shows how many cores a run actually got.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from legevakt_opt.sweep import load_sweep
from legevakt_opt.sweep.report import TIMING, summary_frame
from legevakt_opt.sweep.run import Outcome, run_sweep
from legevakt_opt.sweep.variants import SweepPlan

ROOT = Path(__file__).resolve().parents[1]
SWEEP = ROOT / "scenarios" / "sweeps" / "hallingdal-caps.yaml"


def cut_down(variants: int) -> SweepPlan:
    """The worked example's grid (no base, no named variant), its first ``variants``."""
    plan = load_sweep(SWEEP)
    grid = [v for v in plan.variants if v.kind == "grid"][:variants]
    return SweepPlan(plan.spec, plan.source, grid)


def report(label: str, n: int, seconds: float, outcomes: list[Outcome], note: str = "") -> float:
    """Print one run's line; returns its parallelism (solve CPU seconds ÷ wall seconds)."""
    cpu = sum(o.cpu_seconds for o in outcomes)
    print(
        f"  {label:<16} {seconds:7.1f} s {60 * n / seconds:7.2f} variants/min"
        f"  solve CPU {cpu:6.1f} s  parallelism {cpu / seconds:4.2f}{note}"
    )
    return cpu / seconds


def timed(label: str, plan: SweepPlan, **kw: Any) -> tuple[float, list[Outcome]]:
    started = time.monotonic()
    outcomes = run_sweep(plan, **kw)
    seconds = time.monotonic() - started
    bad = [o.variant.name for o in outcomes if not o.ok]
    if bad:
        raise SystemExit(f"{label}: variants failed: {bad}")
    return seconds, outcomes


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--time-limit", type=float, default=3.0, help="seconds per solve")
    ap.add_argument("--variants", type=int, default=8, help="grid variants to solve")
    ap.add_argument("--cpus", type=int, default=2, help="jobs and Ray CPUs for the parallel runs")
    ap.add_argument("--no-ray", action="store_true", help="skip the Ray backend")
    args = ap.parse_args(argv)

    plan = cut_down(args.variants)
    options = {"time_limit": args.time_limit, "workers": 1, "seed": 0}
    n = len(plan.variants)
    print(f"{n} variants of {SWEEP.name}, {args.time_limit:g} s each, 1 CP-SAT worker, seed 0")
    runs: dict[str, float] = {}
    used: list[float] = []
    summaries = {}
    for jobs in (1, args.cpus):
        label = f"local, {jobs} job{'s' if jobs > 1 else ''}"
        seconds, outcomes = timed(label, plan, jobs=jobs, options=options)
        runs[label] = seconds
        summaries[label] = summary_frame(plan, outcomes).drop(columns=TIMING)
        used.append(report(label, n, seconds, outcomes))
    if not args.no_ray:
        try:
            import ray  # an optional dependency: pip install -e '.[ray]'
        except ImportError:
            print("  ray: not installed (pip install -e '.[ray]'); skipped")
        else:
            started = time.monotonic()
            ray.init(num_cpus=args.cpus, include_dashboard=False, log_to_driver=False)
            startup = time.monotonic() - started
            label = f"ray, {args.cpus} CPUs"
            try:
                seconds, outcomes = timed(label, plan, backend="ray", options=options)
            finally:
                ray.shutdown()
            runs[label] = seconds
            summaries[label] = summary_frame(plan, outcomes).drop(columns=TIMING)
            note = f"  (+{startup:.1f} s cluster start-up)"
            used.append(report(label, n, seconds, outcomes, note))
    first = next(iter(summaries.values()))
    same = all(df.equals(first) for df in summaries.values())
    print(f"same summary in every run: {'yes' if same else 'NO'}")
    labels = list(runs)
    base = runs[labels[0]]
    print("speed-up over local, 1 job:")
    for label in labels[1:]:
        print(f"  {label:<16} × {base / runs[label]:.2f}")
    if len(labels) == 3:
        print(f"ray against local, {args.cpus} jobs: × {runs[labels[1]] / runs[labels[2]]:.2f}")
    if max(used) < 0.8 * args.cpus:
        print(
            f"note: no run got more than {max(used):.2f} cores of CPU (solve CPU ÷ wall): the "
            "machine is busy, and the speed-ups are bounded by that, not by the sweep"
        )


if __name__ == "__main__":
    main()
