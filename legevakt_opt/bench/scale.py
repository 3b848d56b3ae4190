"""Scale curve: generated districts from 10 to 200 doctors and 4 to 26 weeks.

Each point runs in a fresh spawned process so its peak memory is its own. For each:
model build time, time to the first CP-SAT roster, each level's value, bound and proof,
where the search stood at each checkpoint (e.g. 60 s), peak memory, and the hand method's
unfilled hours and max burden beside the engine's.
"""

from __future__ import annotations

import math
import multiprocessing as mp
import resource
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from legevakt_opt.bench.report import against_baseline, machine_line, write_report

DOCTORS = (10, 25, 50, 100, 200)
WEEKS = (4, 13, 26)


def municipalities_for(doctors: int) -> list[dict[str, Any]]:
    """A district sized for ``doctors`` (about 1.5 doctors per 1,000 inhabitants)."""
    population = doctors * 1500
    parts = max(1, min(6, doctors // 10))
    return [
        {"id": f"m{k}", "name": f"Kommune {k}", "population": population // (k + 1) // 2 + 500}
        for k in range(parts)
    ]


def run_point(
    doctors: int,
    weeks: int,
    time_limit: float,
    workers: int,
    seed: int,
    checkpoints: Sequence[float],
) -> dict[str, Any]:
    """One point of the curve, in this process."""
    # Here, not at the top: each point runs in a fresh process, which loads the engine itself.
    from legevakt_opt.baseline import greedy_roster
    from legevakt_opt.calendar import expand
    from legevakt_opt.engine import Progress, SolveOptions, solve
    from legevakt_opt.generate import generate_district
    from legevakt_opt.model import RosterModel
    from legevakt_opt.roster import build_result
    from legevakt_opt.scenario import scenario_from_data

    scenario = scenario_from_data(
        generate_district(seed, municipalities_for(doctors), weeks=weeks, doctors=doctors)
    )
    calendar = expand(scenario)
    t0 = time.monotonic()
    model = RosterModel(scenario, calendar)
    build = time.monotonic() - t0
    size = {
        "variables": len(model.model.proto.variables),
        "constraints": len(model.model.proto.constraints),
    }
    del model
    t0 = time.monotonic()
    base = build_result(
        scenario,
        calendar,
        greedy_roster(scenario, calendar),
        status="feasible",
        levels=[],
        runtime=0.0,
        solver_info={},
    )
    base_seconds = time.monotonic() - t0
    history: list[Progress] = []
    result = solve(
        scenario,
        SolveOptions(time_limit=time_limit, workers=workers, seed=seed),
        on_progress=history.append,
        calendar=calendar,
    )
    row: dict[str, Any] = {
        "doctors": doctors,
        "weeks": weeks,
        "instances": len(calendar.instances),
        "pairs": len(calendar.instances) * doctors,
        **size,
        "build_s": round(build, 2),
        "first_roster_s": round(history[0].elapsed, 2) if history else None,
        "runtime_s": round(result.runtime, 1),
        "status": result.status,
        **against_baseline(result, base),
        "baseline_s": round(base_seconds, 2),
    }
    for lv in result.levels:
        row[f"{lv.name}_proved"] = lv.proved
        row[f"{lv.name}_s"] = round(lv.seconds, 1)
        if lv.name in ("unfilled", "max_burden"):
            row[f"{lv.name}_value"] = lv.value
            row[f"{lv.name}_bound"] = None if lv.bound is None else round(lv.bound, 3)
    for mark in checkpoints:
        seen = [p for p in history if p.elapsed <= mark]
        if seen and mark < result.runtime:
            last = seen[-1]
            row[f"at_{mark:g}s"] = f"{last.stage} {last.objective} (bound {last.bound})"
        else:
            row[f"at_{mark:g}s"] = "done" if mark >= result.runtime else "no roster yet"
    row["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return row


def _child(args: tuple[Any, ...]) -> dict[str, Any]:
    return run_point(*args)


def fit_growth(rows: Sequence[dict[str, Any]], key: str = "unfilled_s") -> float | None:
    """Exponent b of ``seconds ≈ a · (instances × doctors)^b`` over the points with a time;
    for a level's time, only the points where that level was proved (else it is the budget)."""
    proved = key.removesuffix("_s") + "_proved"
    pts = [
        (math.log(r["pairs"]), math.log(r[key]))
        for r in rows
        if r.get(key) and r[key] > 0 and r.get(proved, True) in (True, "True")
    ]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    return round(sum((x - mx) * (y - my) for x, y in pts) / sxx, 3) if sxx else None


def run_curve(
    doctors: Sequence[int],
    weeks: Sequence[int],
    time_limit: float,
    workers: int,
    out: Path,
    seed: int = 0,
    checkpoints: Sequence[float] = (60.0,),
    echo: Callable[[str], None] = print,
) -> list[dict[str, Any]]:
    """Every (doctors, weeks) point in its own process; writes scale.md and scale.csv."""
    ctx = mp.get_context("spawn")
    rows = []
    for n in doctors:
        for w in weeks:
            with ctx.Pool(1) as pool:
                row = pool.apply(_child, ((n, w, time_limit, workers, seed, tuple(checkpoints)),))
            rows.append(row)
            echo(
                f"{n:>4} doctors {w:>2} weeks: {row['instances']} instances, "
                f"build {row['build_s']} s, "
                f"first roster {row['first_roster_s']} s, unfilled {row['unfilled_h']} h "
                f"(proved {row.get('unfilled_proved')} in {row.get('unfilled_s')} s; baseline "
                f"{row['baseline_unfilled_h']} h), max burden {row['max_burden']} vs baseline "
                f"{row['baseline_max_burden']} (ratio {row['max_burden_vs_baseline']}), "
                f"peak {row['peak_mb']} MB, valid {row['valid']}"
            )
    growth = fit_growth(rows, "unfilled_s")
    build_growth = fit_growth(rows, "build_s")
    cols = [
        "doctors",
        "weeks",
        "instances",
        "variables",
        "build_s",
        "first_roster_s",
        "unfilled_h",
        "unfilled_proved",
        "unfilled_s",
        "baseline_unfilled_h",
        "max_burden",
        "max_burden_bound",
        "max_burden_proved",
        "baseline_max_burden",
        "max_burden_vs_baseline",
        *(f"at_{m:g}s" for m in checkpoints),
        "runtime_s",
        "peak_mb",
        "valid",
    ]
    head = [
        f"Scale curve, {machine_line()}, time limit {time_limit} s, {workers} CP-SAT workers, "
        f"seed {seed}.",
        "",
        f"Fitted growth (least squares on logs): time to prove the unfilled level ∝ "
        f"(instances × doctors)^{growth}; model build ∝ (instances × doctors)^{build_growth}.",
    ]
    write_report(out, "scale", rows, head, cols)
    echo(f"growth exponent (unfilled level): {growth}; build: {build_growth}")
    return rows
