"""Regional load: several districts submitting at once to two servers on one database.

Starts two real servers (``legevakt-opt serve``, each with ``--pool-size`` workers) on one
PostgreSQL database (``--database-url``; default the local ``legevakt_load``, which must
exist: ``CREATE DATABASE legevakt_load OWNER legevakt``) or, with
``--database-url sqlite``, on a fresh SQLite file. ``--districts`` districts (default 3)
each submit ``--jobs`` solves (default 30) of ``scenarios/small-lis1.yaml`` at once, a
thread per submission, spread across both servers. Each district may have
``--max-queued`` jobs waiting (``LEGEVAKT_MAX_QUEUED_PER_DISTRICT``); a refused submission
(429) waits its ``Retry-After`` (at most ``--retry-cap`` s) and tries the other server,
until it is accepted or ``--deadline`` passes. Meanwhile one poller per district reads
``GET /v1/solves/{id}`` of its jobs on both servers.

Prints (Markdown, and with ``--json`` the same figures as JSON): accepted, refused (429),
any other status (a 5xx is a fault), lost jobs (accepted but never finished: must be 0),
jobs run more than once (``attempts`` > 1: must be 0 with no server killed), the status
requests' p50/p95, the jobs each server ran, and each district's share of the jobs
finished in each tenth of the run, with whether every district had work queued then
(the round-robin's promise: each near 1/districts while all have work queued).

A PostgreSQL database that already holds the service's tables is refused unless
``--reset`` is given, which drops them first (never point it at a database in use).

The script is one piece because it is one measurement, read top to bottom: the clients,
the pollers and the figures they feed share its state.

    python -m benchmarks.regional_load --reset                  # PostgreSQL, legevakt_load
    python -m benchmarks.regional_load --database-url sqlite    # a quick run on SQLite
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, inspect, select, text

from benchmarks.service_load import percentile
from service.db import Database
from service.models import Base, Job, as_utc
from service.settings import normalize_database_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "service"))

from svc_harness import FINISHED, Server, scenario_doc  # noqa: E402

DEFAULT_DB = "postgresql://legevakt:legevakt@127.0.0.1:5432/legevakt_load"


@dataclass
class District:
    name: str
    token: str
    scenario_id: str = ""
    accepted: list[str] = field(default_factory=list)
    codes: Counter[int] = field(default_factory=Counter)
    retry_after: Counter[int] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    last_accepted: float = 0.0  # seconds from the start
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def prepare_database(url: str, folder: Path, reset: bool) -> str:
    if url == "sqlite":
        return f"sqlite:///{folder / 'legevakt.db'}"
    if url.startswith("sqlite"):
        return url
    engine = create_engine(normalize_database_url(url))
    try:
        with engine.begin() as conn:
            tables = set(inspect(conn).get_table_names())
            if "jobs" in tables and not reset:
                raise SystemExit(f"{url} holds the service's tables; --reset drops them first")
            Base.metadata.drop_all(conn)
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    finally:
        engine.dispose()
    return url


def run(args: argparse.Namespace) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="legevakt-regional-"))
    url = prepare_database(args.database_url, folder, args.reset)
    settings: dict[str, Any] = {
        "pool_size": args.pool_size,
        "queue_size": args.queue_size,
        "max_queued_per_district": args.max_queued,
        "max_time_limit": 60,
    }
    servers = []
    for k in range(2):
        (folder / f"server{k}").mkdir()
        servers.append(Server(url, folder / f"server{k}", **settings))
    try:
        with ThreadPoolExecutor(2) as pool:  # at once, as two hosts would
            list(pool.map(lambda s: s.start(), servers))
        figures = _measure(servers, url, args)
        figures["server_log_errors"] = sum(_log_errors(s.log) for s in servers)
        return figures
    finally:
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(lambda s: s.stop(), servers))


def _log_errors(log: Path) -> int:
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    return sum(("Traceback" in line or " ERROR " in f" {line}") for line in lines)


def _measure(servers: list[Server], url: str, args: argparse.Namespace) -> dict[str, Any]:
    names = [chr(ord("a") + k) for k in range(args.districts)]
    districts = [District(f"region-{n}", servers[0].token(f"region-{n}")) for n in names]
    doc = scenario_doc(args.scenario)
    for k, d in enumerate(districts):  # each district stores its scenario on one server
        r = httpx.post(
            servers[k % 2].base_url + "/v1/scenarios", json=doc, headers=d.headers, timeout=60
        )
        assert r.status_code == 201, r.text
        d.scenario_id = r.json()["id"]

    start_wall = dt.datetime.now(dt.UTC)
    t0 = time.monotonic()
    deadline = t0 + args.deadline
    gate = threading.Barrier(args.districts * args.jobs)

    def submit(d: District, k: int) -> None:
        body = {
            "scenario_id": d.scenario_id,
            "time_limit": args.time_limit,
            "workers": args.workers,
            "seed": k,
        }
        rng = random.Random(f"{d.name}-{k}")
        clients = [
            httpx.Client(base_url=s.base_url, headers=d.headers, timeout=60) for s in servers
        ]
        try:
            gate.wait()
            attempt = 0
            while time.monotonic() < deadline:
                client = clients[(k + attempt) % 2]
                attempt += 1
                try:
                    r = client.post("/v1/solves", json=body)
                except httpx.HTTPError as exc:
                    with d.lock:
                        d.errors.append(f"POST: {type(exc).__name__}: {exc}")
                    time.sleep(1)
                    continue
                with d.lock:
                    d.codes[r.status_code] += 1
                    if r.status_code == 202:
                        d.accepted.append(r.json()["id"])
                        d.last_accepted = time.monotonic() - t0
                        return
                if r.status_code == 429:
                    wait = int(r.headers.get("retry-after", "1"))
                    with d.lock:
                        d.retry_after[wait] += 1
                    time.sleep(min(wait, args.retry_cap) + rng.uniform(0, 0.5))
                else:
                    with d.lock:
                        d.errors.append(f"POST {r.status_code}: {r.text[:300]}")
                    time.sleep(1)
        finally:
            for c in clients:
                c.close()

    latencies: list[float] = []
    by_server: list[list[float]] = [[], []]
    poll_codes: Counter[int] = Counter()
    poll_errors: list[str] = []
    poll_lock = threading.Lock()
    finished = threading.Event()

    def poll(d: District) -> None:
        rng = random.Random(d.name)
        clients = [
            httpx.Client(base_url=s.base_url, headers=d.headers, timeout=60) for s in servers
        ]
        try:
            n = 0
            while not finished.is_set():
                with d.lock:
                    job_id = rng.choice(d.accepted) if d.accepted else None
                if job_id is None:
                    time.sleep(args.poll_pause)
                    continue
                which = n % 2
                n += 1
                started = time.perf_counter()
                try:
                    r = clients[which].get(f"/v1/solves/{job_id}")
                except httpx.HTTPError as exc:
                    with poll_lock:
                        poll_errors.append(f"GET: {type(exc).__name__}: {exc}")
                    continue
                took = time.perf_counter() - started
                with poll_lock:
                    poll_codes[r.status_code] += 1
                    if r.status_code == 200:
                        latencies.append(took)
                        by_server[which].append(took)
                    else:
                        poll_errors.append(f"GET {r.status_code}: {r.text[:300]}")
                time.sleep(args.poll_pause)
        finally:
            for c in clients:
                c.close()

    submitters = [
        threading.Thread(target=submit, args=(d, k)) for d in districts for k in range(args.jobs)
    ]
    pollers = [threading.Thread(target=poll, args=(d,)) for d in districts]
    for t in [*submitters, *pollers]:
        t.start()
    statuses: dict[str, str] = {}
    listed_at = 0
    while time.monotonic() < deadline:
        time.sleep(0.5)
        listed_at += 1
        for d in districts:
            r = httpx.get(
                servers[listed_at % 2].base_url + "/v1/solves",
                params={"limit": 1000},
                headers=d.headers,
                timeout=60,
            )
            if r.status_code == 200:
                statuses.update({j["id"]: j["status"] for j in r.json()})
        submitting = any(t.is_alive() for t in submitters)
        accepted = [j for d in districts for j in d.accepted]
        if not submitting and all(statuses.get(j) in FINISHED for j in accepted):
            break
    wall = time.monotonic() - t0
    finished.set()
    for t in [*submitters, *pollers]:
        t.join()

    rows = _rows(url)
    pids = {pid: k for k, s in enumerate(servers) for pid in s.worker_pids()}
    accepted_ids = {j for d in districts for j in d.accepted}
    lost = sorted(j for j in accepted_ids if j not in rows or rows[j]["status"] not in FINISHED)
    twice = sorted(j for j in accepted_ids if j in rows and rows[j]["attempts"] > 1)
    ran_on = Counter(
        f"server {pids[r['pid']]}" if r["pid"] in pids else "unknown"
        for j, r in rows.items()
        if j in accepted_ids and r["started"] is not None
    )
    shares = _shares(districts, rows, start_wall, args.buckets)
    other_codes = Counter[int]()
    for d in districts:
        other_codes.update({c: n for c, n in d.codes.items() if c not in (202, 429)})
    other_codes.update({c: n for c, n in poll_codes.items() if c != 200})
    return {
        "database": "postgresql" if url.startswith("postgres") else "sqlite",
        "servers": 2,
        "pool_size_per_server": args.pool_size,
        "districts": args.districts,
        "jobs_per_district": args.jobs,
        "scenario": args.scenario,
        "time_limit": args.time_limit,
        "workers_per_solve": args.workers,
        "max_queued_per_district": args.max_queued,
        "retry_cap_s": args.retry_cap,
        "wall_s": round(wall, 1),
        "accepted": {d.name: len(d.accepted) for d in districts},
        "refused_429": {d.name: d.codes.get(429, 0) for d in districts},
        "retry_after_s": dict(sorted(sum((d.retry_after for d in districts), Counter()).items())),
        "last_accepted_s": {d.name: round(d.last_accepted, 1) for d in districts},
        "other_status": {str(c): n for c, n in sorted(other_codes.items())},
        "client_errors": [e for d in districts for e in d.errors][:10] + poll_errors[:10],
        "final_status": dict(Counter(rows[j]["status"] for j in accepted_ids if j in rows)),
        "lost": len(lost),
        "lost_ids": lost[:10],
        "ran_more_than_once": len(twice),
        "ran_more_than_once_ids": twice[:10],
        "ran_on": dict(sorted(ran_on.items())),
        "status_requests": len(latencies),
        "status_p50_ms": round(1000 * percentile(latencies, 50), 1),
        "status_p95_ms": round(1000 * percentile(latencies, 95), 1),
        "status_max_ms": round(1000 * max(latencies, default=float("nan")), 1),
        "status_p50_ms_by_server": [round(1000 * percentile(v, 50), 1) for v in by_server],
        "status_p95_ms_by_server": [round(1000 * percentile(v, 95), 1) for v in by_server],
        "run_s_mean": _mean_run(rows, accepted_ids),
        "shares": shares,
    }


def _rows(url: str) -> dict[str, dict[str, Any]]:
    db = Database(normalize_database_url(url))
    try:
        with db.read() as session:
            return {
                job.id: {
                    "district": job.district,
                    "status": job.status,
                    "attempts": job.attempts,
                    "pid": job.worker_pid,
                    "created": as_utc(job.created_at),
                    "started": as_utc(job.started_at),
                    "finished": as_utc(job.finished_at),
                }
                for job in session.scalars(select(Job))
            }
    finally:
        db.dispose()


def _mean_run(rows: dict[str, dict[str, Any]], ids: set[str]) -> float | None:
    runs = [
        (r["finished"] - r["started"]).total_seconds()
        for j, r in rows.items()
        if j in ids and r["started"] and r["finished"]
    ]
    return round(sum(runs) / len(runs), 2) if runs else None


def _shares(
    districts: list[District], rows: dict[str, dict[str, Any]], start: dt.datetime, buckets: int
) -> list[dict[str, Any]]:
    """Per tenth (``buckets``) of the span from the start to the last job's end: the jobs
    each district finished in it, their shares, and the part of the tenth during which
    every district had a job queued (created, not yet started) or a submission not yet
    accepted."""
    mine = [r for d in districts for j in d.accepted if (r := rows.get(j)) and r["finished"]]
    if not mine:
        return []
    end = max(r["finished"] for r in mine)
    span = max((end - start).total_seconds(), 1e-6)
    pending_until = {d.name: d.last_accepted for d in districts}

    def queued_at(name: str, s: float) -> bool:
        if s < pending_until[name]:
            return True  # refused submissions still waiting to be accepted
        at = start + dt.timedelta(seconds=s)
        return any(
            r["district"] == name and r["created"] <= at and (r["started"] or end) > at
            for r in mine
        )

    table = []
    so_far: Counter[str] = Counter()
    for b in range(buckets):
        lo, hi = span * b / buckets, span * (b + 1) / buckets
        done = Counter(
            r["district"] for r in mine if lo < (r["finished"] - start).total_seconds() <= hi
        )
        total = sum(done.values())
        so_far.update(done)
        samples = [lo + (hi - lo) * (i + 0.5) / 20 for i in range(20)]
        backlog = sum(all(queued_at(d.name, s) for d in districts) for s in samples) / 20
        table.append(
            {
                "from_s": round(lo, 1),
                "to_s": round(hi, 1),
                "finished": {d.name: done.get(d.name, 0) for d in districts},
                "share": {
                    d.name: round(done.get(d.name, 0) / total, 2) if total else None
                    for d in districts
                },
                "cumulative": {
                    d.name: round(so_far[d.name] / max(1, sum(so_far.values())), 2)
                    for d in districts
                },
                "all_queued": round(backlog, 2),
            }
        )
    return table


def markdown(f: dict[str, Any]) -> str:
    names = list(f["accepted"])
    lines = [
        f"## Regional load: {f['districts']} districts × {f['jobs_per_district']} solves, "
        f"2 servers × pool {f['pool_size_per_server']}, {f['database']}",
        "",
        "| figure | value |",
        "|---|---|",
    ]
    for key, value in f.items():
        if key != "shares":
            lines.append(f"| {key} | {_cell(value)} |")
    lines += [
        "",
        "Jobs finished per tenth of the run, and each district's share of them "
        "(*all queued*: the part of the tenth in which every district had work waiting):",
        "",
        "| s | " + " | ".join(names) + " | shares | cumulative | all queued |",
        "|---|" + "---|" * len(names) + "---|---|---|",
    ]
    for row in f["shares"]:
        counts = " | ".join(str(row["finished"][n]) for n in names)
        share = " / ".join(
            "–" if row["share"][n] is None else f"{row['share'][n]:.2f}" for n in names
        )
        cumulative = " / ".join(f"{row['cumulative'][n]:.2f}" for n in names)
        lines.append(
            f"| {row['from_s']}–{row['to_s']} | {counts} | {share} | {cumulative} "
            f"| {row['all_queued']:.2f} |"
        )
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items()) or "none"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "none"
    return str(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_DB, help="or 'sqlite' (a fresh file)")
    parser.add_argument("--reset", action="store_true", help="drop the service's tables first")
    parser.add_argument("--districts", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=30, help="solves per district")
    parser.add_argument("--scenario", default="small-lis1", help="a file of scenarios/")
    parser.add_argument("--time-limit", type=float, default=1.0)
    parser.add_argument("--workers", type=int, default=1, help="CP-SAT threads per solve")
    parser.add_argument("--pool-size", type=int, default=1, help="workers per server")
    parser.add_argument("--max-queued", type=int, default=10, help="per district")
    parser.add_argument("--queue-size", type=int, default=64, help="per service")
    parser.add_argument("--retry-cap", type=float, default=5.0, help="most s to wait on a 429")
    parser.add_argument("--poll-pause", type=float, default=0.2, help="s between status polls")
    parser.add_argument("--buckets", type=int, default=10)
    parser.add_argument("--deadline", type=float, default=900, help="s for the whole run")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    figures = run(args)
    print(markdown(figures))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=str) + "\n", encoding="utf-8")
    ok = (
        figures["lost"] == 0
        and figures["ran_more_than_once"] == 0
        and not figures["other_status"]
        and sum(figures["accepted"].values()) == args.districts * args.jobs
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
