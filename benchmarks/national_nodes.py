"""National throughput on 1 and 2 Ray nodes: districts × variants solved a minute, and the
peak memory of a task, on a local multi-node cluster (``ray.cluster_utils.Cluster``: a head
without CPUs for the driver, then worker nodes of ``--cpus-per-node`` CPUs each).

    python -m benchmarks.national_nodes [--county Agder] [--time-limit 1] [--nodes 1 2]

Every solve uses one CP-SAT worker and a seed, so each costs the same deterministic work on
any number of nodes and every run must give the same results (checked). The cluster's start
is timed apart from the run. The machine may be shared: compare the ratio measured in one
run, not absolute figures across runs. Memory: each task records its worker process's peak
resident size (``ru_maxrss``; a worker is reused, so this is the most any one task of that
worker needed at most).
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

import legevakt_opt.sweep.run as sweep_run
from legevakt_opt.national import load_national, run_national
from legevakt_opt.sweep.report import TIMING


def spec(county: str, time_limit: float) -> dict[str, Any]:
    return {
        "format": "legevakt-national/1",
        "name": f"{county}: weekly caps",
        "districts": {"counties": [county]},
        "seed": 0,
        "start": "2027-01-04",
        "weeks": 1,
        "vary": {"policy.max_hours_per_week": [None, 21, 14]},
        "labels": {"policy.max_hours_per_week": "cap"},
        "solve": {
            "time_limit": time_limit,
            "workers": 1,
            "seed": 0,
            "levels": ["unfilled", "max_burden"],
        },
    }


def measured(log: str, real: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """``solve_document`` that appends its process's peak resident size (kB) to ``log``; a
    closure, so that Ray ships it by value to the tasks."""

    def solve(document: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
        out = real(document, options)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"{peak}\n")
        return out

    return solve


def run(nodes: int, cpus: int, data: dict[str, Any], folder: Path) -> dict[str, Any]:
    import ray  # optional: pip install -e '.[ray]'
    from ray.cluster_utils import Cluster  # (ray's own test cluster: real raylets)

    started = time.monotonic()
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 0})
    for _ in range(nodes):
        cluster.add_node(num_cpus=cpus)
    ray.init(address=cluster.address, include_dashboard=False, log_to_driver=False)
    cluster.wait_for_nodes()
    start_seconds = time.monotonic() - started
    log = folder / f"memory-{nodes}.txt"
    real = sweep_run.solve_document
    sweep_run.solve_document = measured(str(log), real)
    try:
        path = folder / "national.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        plan = load_national(path)
        began = time.monotonic()
        outcomes = run_national(plan, backend="ray", ray_address=cluster.address)
        wall = time.monotonic() - began
    finally:
        sweep_run.solve_document = real
        ray.shutdown()
        cluster.shutdown()
    flat = [o for district in outcomes.values() for o in district]
    rows = pd.DataFrame([{"variant": o.variant.name, **o.row} for o in flat if o.ok])
    peaks = [int(x) for x in log.read_text(encoding="utf-8").split()]
    return {
        "nodes": nodes,
        "cpus": nodes * cpus,
        "solves": len(flat),
        "failed": sum(not o.ok for o in flat),
        "start_s": round(start_seconds, 1),
        "wall_s": round(wall, 1),
        "per_minute": round(60 * len(flat) / wall, 1),
        "cpu_s": round(sum(o.cpu_seconds for o in flat), 1),
        "peak_task_mb": round(max(peaks) / 1024, 0),
        "rows": rows.drop(columns=[c for c in TIMING if c in rows]).sort_values("variant"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--county", default="Agder")
    parser.add_argument("--time-limit", type=float, default=1.0)
    parser.add_argument("--nodes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--cpus-per-node", type=int, default=1)
    args = parser.parse_args()
    data = spec(args.county, args.time_limit)
    folder = Path(tempfile.mkdtemp(prefix="legevakt-nodes-"))
    results = [run(n, args.cpus_per_node, data, folder) for n in args.nodes]
    same = all(
        r["rows"].reset_index(drop=True).equals(results[0]["rows"].reset_index(drop=True))
        for r in results
    )
    first = results[0]
    print(
        f"{args.county} × caps none/21/14, 1 week, {args.time_limit:g} s and 1 CP-SAT "
        "worker a solve, two levels"
    )
    print(
        "| nodes | CPUs | solves | failed | cluster start s | wall s | solves/min | "
        "× of the first | solve CPU s | peak task MB |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        ratio = r["per_minute"] / first["per_minute"]
        print(
            f"| {r['nodes']} | {r['cpus']} | {r['solves']} | {r['failed']} | {r['start_s']} | "
            f"{r['wall_s']} | {r['per_minute']} | {ratio:.2f} | {r['cpu_s']} | "
            f"{r['peak_task_mb']:.0f} |"
        )
    print(f"same results on every number of nodes: {same}")


if __name__ == "__main__":
    main()
