"""Load on the HTTP service: many concurrent solve submissions, and how the API holds up.

Starts a real server (``legevakt-opt serve``) on a fresh SQLite database (or
``--database-url``), submits ``--submissions`` solves of the Hallingdal example at once
(inline scenario documents, ``--time-limit`` s each), then follows them to the end while
polling ``GET /v1/solves/{id}`` to measure its latency during the solves. Prints: accepted
vs refused (429), whether any accepted job was lost, whether all finished, and latency
percentiles.

    python -m benchmarks.service_load                       # 50 submissions, time limit 5
    python -m benchmarks.service_load --queue-size 20 --pool-size 2 --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "service"))

from svc_harness import Server, scenario_doc  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def run(args: argparse.Namespace) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="legevakt-load-"))
    url = args.database_url or f"sqlite:///{folder / 'legevakt.db'}"
    settings: dict[str, Any] = {"queue_size": args.queue_size, "max_time_limit": 60}
    if args.pool_size:
        settings["pool_size"] = args.pool_size
    server = Server(url, folder, **settings).start()
    try:
        return _measure(server, args)
    finally:
        server.stop()


def _measure(server: Server, args: argparse.Namespace) -> dict[str, Any]:
    token = server.token("load")
    headers = {"Authorization": f"Bearer {token}"}
    body: dict[str, Any] = {"scenario": scenario_doc("hallingdal"), "time_limit": args.time_limit}
    if args.workers:
        body["workers"] = args.workers
    pool_size = httpx.get(server.base_url + "/health").json()["pool_size"]

    # 1. Submissions, all at once.
    gate = threading.Barrier(args.submissions)

    def submit(_: int) -> tuple[int, str | None, float, str | None]:
        with httpx.Client(base_url=server.base_url, headers=headers, timeout=60) as client:
            gate.wait()
            started = time.perf_counter()
            r = client.post("/v1/solves", json=body)
            took = time.perf_counter() - started
            job = r.json().get("id") if r.status_code == 202 else None
            return r.status_code, job, took, r.headers.get("retry-after")

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.submissions) as ex:
        answers = list(ex.map(submit, range(args.submissions)))
    codes = Counter(code for code, *_ in answers)
    accepted = [job for code, job, *_ in answers if code == 202 and job]
    submit_latency = [took for _, _, took, _ in answers]
    retry_after = sorted({int(ra) for code, _, _, ra in answers if code == 429 and ra})

    # 2. Poll status while the solves run.
    latencies: list[float] = []
    done = threading.Event()
    lock = threading.Lock()

    def poll() -> None:
        rng = random.Random()
        with httpx.Client(base_url=server.base_url, headers=headers, timeout=60) as client:
            while not done.is_set():
                job_id = rng.choice(accepted)
                started = time.perf_counter()
                r = client.get(f"/v1/solves/{job_id}")
                took = time.perf_counter() - started
                assert r.status_code == 200, r.text
                with lock:
                    latencies.append(took)
                time.sleep(args.poll_pause)

    pollers = [threading.Thread(target=poll) for _ in range(args.pollers)]
    for t in pollers:
        t.start()
    statuses: dict[str, str] = {}
    with httpx.Client(base_url=server.base_url, headers=headers, timeout=60) as client:
        deadline = time.monotonic() + args.timeout
        while time.monotonic() < deadline:
            listed = client.get("/v1/solves", params={"limit": 1000}).json()
            statuses = {j["id"]: j["status"] for j in listed}
            if all(statuses.get(j) in ("done", "failed", "cancelled") for j in accepted):
                break
            time.sleep(0.5)
        wall = time.perf_counter() - t0
        done.set()
        for t in pollers:
            t.join()
        rosters = sum(client.get(f"/v1/solves/{j}/roster").status_code == 200 for j in accepted)
    lost = [j for j in accepted if j not in statuses]
    unknown = [j for j in statuses if j not in accepted]
    finished = Counter(statuses.get(j, "lost") for j in accepted)
    return {
        "submissions": args.submissions,
        "time_limit": args.time_limit,
        "workers_per_solve": args.workers or "service default (2)",
        "pool_size": pool_size,
        "queue_size": args.queue_size,
        "cpus": os.cpu_count(),
        "accepted": len(accepted),
        "refused_429": codes.get(429, 0),
        "other_status": {str(k): v for k, v in codes.items() if k not in (202, 429)},
        "retry_after_s": retry_after,
        "lost": len(lost),
        "unexpected_jobs": len(unknown),
        "finished": dict(finished),
        "all_done": finished.get("done", 0) == len(accepted),
        "rosters": rosters,
        "wall_s": round(wall, 1),
        "submit_p50_ms": round(1000 * percentile(submit_latency, 50), 1),
        "submit_p95_ms": round(1000 * percentile(submit_latency, 95), 1),
        "status_requests": len(latencies),
        "status_p50_ms": round(1000 * percentile(latencies, 50), 1),
        "status_p95_ms": round(1000 * percentile(latencies, 95), 1),
        "status_max_ms": round(1000 * max(latencies, default=float("nan")), 1),
        "status_mean_ms": round(1000 * statistics.fmean(latencies), 1) if latencies else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=50)
    parser.add_argument("--time-limit", type=float, default=5.0)
    parser.add_argument(
        "--workers", type=int, default=0, help="CP-SAT threads per solve (default: the service's)"
    )
    parser.add_argument("--queue-size", type=int, default=20)
    parser.add_argument("--pool-size", type=int, default=0, help="default: the CPU count")
    parser.add_argument("--pollers", type=int, default=4, help="concurrent status pollers")
    parser.add_argument("--poll-pause", type=float, default=0.25, help="seconds between polls")
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    figures = run(args)
    width = max(len(k) for k in figures)
    for key, value in figures.items():
        print(f"{key:<{width}}  {value}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    ok = figures["lost"] == 0 and figures["all_done"] and not figures["other_status"]
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
