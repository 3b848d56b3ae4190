"""The engine-quality benchmark: the engine against the plain model on every district.

    python -m benchmarks.quality [--time-limit 10 --time-limit 30] [--workers 2]
        [--only ID ...] [--long SECONDS] [--out benchmarks/results] [--best-known PATH]

For each district and time limit the engine (``legevakt_opt.engine.solve``, seed 0) and
the plain model (:mod:`.plain`) run one after the other with the same time and workers.
Each row: unfilled hours (value, bound, proved, seconds to the proof), max burden (value,
bound), the validator's verdict, the gaps to its own bound, to the best known value and to
the best known bound (:mod:`.best_known`, updated by every run), and whether the engine's
roster is at least as good as the plain model's (unfilled hours, then max burden).
``--long S`` runs the engine once for S seconds per district to improve the record, on
the unfilled hours and the max burden only (the record holds nothing else, so the levels
below would only take its time).
Values are the validator's recomputed figures. Writes ``quality.md`` and ``quality.csv``.

Gaps in %: to a bound, (value − bound) ÷ value; to the best known value,
(value − best) ÷ best, only where the run has the best known unfilled hours.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.quality import best_known, levels
from benchmarks.quality.districts import District, districts
from benchmarks.quality.plain import solve_plain
from legevakt_opt.bench.report import machine_line, write_report
from legevakt_opt.engine import SolveOptions, solve
from legevakt_opt.roster import SolveResult

#: What a long run optimises: the levels the record holds (the max burden gets the time
#: the proof of the unfilled hours leaves, instead of about half of it).
RECORD_LEVELS = ("unfilled", "max_burden")

COLUMNS = [
    "district",
    "time_limit",
    "model",
    "status",
    "valid",
    "unfilled_h",
    "unfilled_bound",
    "unfilled_proved",
    "unfilled_proof_s",
    "max_burden",
    "max_burden_bound",
    "gap_own_pct",
    "gap_best_value_pct",
    "gap_best_bound_pct",
    "engine_le_plain",
    "runtime_s",
]


def _levels(result: SolveResult) -> dict[str, Any]:
    levels = {lv.name: lv for lv in result.levels}
    first, burden = levels.get("unfilled"), levels.get("max_burden")
    proved = bool(first and first.proved)
    return {
        "unfilled_bound": first.bound if first else None,
        "unfilled_proved": proved,
        "unfilled_proof_s": round(first.seconds, 2) if first and proved else None,
        "max_burden_bound": burden.bound if burden else None,
    }


def run_one(district: District, model: str, time_limit: float, workers: int) -> dict[str, Any]:
    """One solve of one district: the engine's (``engine``, ``engine-long``) or the plain
    model's, as a row without the gaps."""
    scenario = district.load()
    started = time.monotonic()
    if model == "plain":
        result = solve_plain(scenario, time_limit, workers, seed=0).result
    else:
        options = SolveOptions(time_limit=time_limit, workers=workers, seed=0)
        if model == "engine-long":
            options.levels = RECORD_LEVELS
        result = solve(scenario, options)
    figures = result.validation.figures
    per_level = [] if model == "plain" else levels.level_rows(district.id, time_limit, result)
    return {
        "levels": per_level,
        "district": district.id,
        "time_limit": time_limit,
        "workers": workers,
        "model": model,
        "valid": result.valid,
        "status": result.status,
        "unfilled_h": round(figures.unfilled_hours, 4),
        **_levels(result),
        "max_burden": round(figures.max_burden, 4),
        "runtime_s": round(time.monotonic() - started, 1),
    }


def observe(row: dict[str, Any]) -> best_known.Observation:
    source = f"{row['model']} {row['time_limit']:g} s × {row['workers']} workers, seed 0"
    return best_known.Observation(
        source=source,
        date=time.strftime("%Y-%m-%d"),
        valid=bool(row["valid"]) and row["status"] != "unknown",  # "unknown": no roster
        unfilled_h=row["unfilled_h"],
        unfilled_bound=row["unfilled_bound"],
        max_burden=row["max_burden"],
        max_burden_bound=row["max_burden_bound"],
        bound_counts=row["model"] != "plain" or bool(row["unfilled_proved"]),
    )


def _pct(a: float | None, b: float | None, over: float | None) -> float | None:
    return None if a is None or b is None or not over else round(100 * (a - b) / over, 2)


def add_gaps(row: dict[str, Any], entry: dict[str, Any]) -> None:
    value, bound = row["max_burden"], row["max_burden_bound"]
    best, best_bound = entry.get("max_burden"), entry.get("max_burden_bound")
    at_best = abs(row["unfilled_h"] - entry.get("unfilled_h", float("nan"))) <= best_known.EPS
    row["gap_own_pct"] = _pct(value, bound, value)
    row["gap_best_value_pct"] = _pct(value, best, best) if at_best else None
    row["gap_best_bound_pct"] = _pct(value, best_bound, value)


def engine_le_plain(engine: dict[str, Any], plain: dict[str, Any]) -> bool:
    """The engine's roster at least as good: fewer unfilled hours, or as few and a max
    burden no higher (an invalid roster is never as good)."""
    if not engine["valid"] or not plain["valid"]:
        return bool(engine["valid"])
    if abs(engine["unfilled_h"] - plain["unfilled_h"]) > best_known.EPS:
        return bool(engine["unfilled_h"] < plain["unfilled_h"])
    return bool(engine["max_burden"] <= plain["max_burden"] + best_known.EPS)


def _line(row: dict[str, Any]) -> str:
    proof = f" in {row['unfilled_proof_s']} s" if row["unfilled_proved"] else ", not proved"
    return (
        f"{row['district']:<17} {row['model']:<11} {row['time_limit']:>5g} s: "
        f"unfilled {row['unfilled_h']} h (bound {row['unfilled_bound']}{proof}); "
        f"max burden {row['max_burden']} (bound {row['max_burden_bound']}); "
        f"{row['status']}, valid {row['valid']}; {row['runtime_s']} s"
    )


def run(
    chosen: Sequence[District],
    limits: Sequence[float],
    workers: int,
    long: float | None,
    record_path: Path,
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """Every run, in order, each recorded in ``record_path`` as it ends."""
    record = best_known.load(record_path)
    plan = [(d, t, m) for d in chosen for t in limits for m in ("engine", "plain")]
    plan += [(d, long, "engine-long") for d in chosen] if long else []
    rows = []
    for district, limit, model in plan:
        row = run_one(district, model, limit, workers)
        record[district.id] = best_known.update(record.get(district.id), observe(row))
        best_known.save(record, record_path)
        rows.append(row)
        print(_line(row), flush=True)
        for problem in best_known.disagreements(record[district.id]):
            print(f"  warning: {district.id}: {problem}", flush=True)
    pairs: dict[tuple[str, float], dict[str, dict[str, Any]]] = {}
    for row in rows:
        pairs.setdefault((row["district"], row["time_limit"]), {})[row["model"]] = row
    for row in rows:
        add_gaps(row, record[row["district"]])
        pair = pairs[row["district"], row["time_limit"]]
        both = "engine" in pair and "plain" in pair
        row["engine_le_plain"] = (
            ("yes" if engine_le_plain(pair["engine"], pair["plain"]) else "no") if both else None
        )
    return rows, record


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, action="append", dest="limits")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", nargs="+", metavar="ID", help="these districts only")
    parser.add_argument("--long", type=float, metavar="SECONDS", help="one long engine run each")
    parser.add_argument("--out", type=Path, default=Path("benchmarks") / "results")
    parser.add_argument("--best-known", type=Path, default=best_known.PATH)
    args = parser.parse_args(argv)
    everything = districts()
    known = {d.id for d in everything}
    unknown = sorted(set(args.only or []) - known)
    if unknown:
        parser.error(f"unknown district(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    chosen = [d for d in everything if not args.only or d.id in args.only]
    limits = args.limits or ([] if args.long else [10.0, 30.0])
    rows, _ = run(chosen, limits, args.workers, args.long, args.best_known)
    head = [
        f"Engine quality against the plain model, {machine_line()}; time limits "
        f"{', '.join(f'{t:g}' for t in limits) or '-'} s"
        + (f", long engine runs {args.long:g} s" if args.long else "")
        + f", {args.workers} workers, seed 0. Best known: {args.best_known.name}.",
        "",
        "Gaps in %: to a bound (value − bound) ÷ value; to the best known value "
        "(value − best) ÷ best, where the run has the best known unfilled hours.",
    ]
    by_level = [lv for row in rows for lv in row.pop("levels")]
    write_report(args.out, "quality", rows, head, COLUMNS)
    if by_level:
        head = [
            f"The engine's levels: time and what each bought, {machine_line()}.",
            "",
            *levels.summary_lines(by_level),
        ]
        write_report(args.out, "quality-levels", by_level, head, levels.COLUMNS)
    print(f"wrote {args.out / 'quality.md'} and {args.out / 'quality.csv'}")
