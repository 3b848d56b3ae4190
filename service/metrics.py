"""What ``GET /metrics`` shows (Prometheus text format), in the app's own registry (not
``prometheus_client``'s global one, so several apps in one process, as in tests, do not
clash).

- **Jobs**, read from the database at scrape time (the workers are other processes, and
  the database is the one place every process agrees on, across restarts too):
  ``legevakt_jobs_queued`` and ``legevakt_jobs_running`` (gauges), ``legevakt_job_seconds``
  (a histogram of finished jobs' run times, started to finished, of their latest run) and
  ``legevakt_job_failures_total``; all by ``district`` and ``kind`` (solve, sweep).
- **Leases**, counted in this process: ``legevakt_lease_expiries_total``, the running jobs
  this server's pool found with their lease run out and queued again (or failed, after
  their last attempt). Each server counts its own; Prometheus adds them up.
- **HTTP**, counted in this process by :class:`HttpMetrics`:
  ``legevakt_http_requests_total`` (``method``, ``route``, ``status``) and
  ``legevakt_http_request_duration_seconds`` (``method``, ``route``). ``route`` is the
  route's template (``/v1/solves/{job_id}``), never the path, so no id is a label.

Labels hold districts, kinds, statuses and route templates only: nothing of a scenario
(no names of doctors or scenarios).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.utils import floatToGoString
from sqlalchemy import ColumnElement, case, extract, func, select
from starlette.routing import Match, Router
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.db import Database
from service.models import FAILED, FINISHED, QUEUED, RUNNING, Job

#: Upper bounds (seconds) of the run-time buckets: a quick solve to an hour-long sweep.
JOB_BUCKETS = (1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0)
HTTP_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
UNMATCHED = "unmatched"


@dataclass(frozen=True)
class Metrics:
    """The app's registry and the HTTP metrics the middleware observes."""

    registry: CollectorRegistry
    requests: Counter
    latency: Histogram
    lease_expiries: Counter


def make_metrics(db_of: Callable[[], Database | None]) -> Metrics:
    """A registry with the database-derived job metrics (``db_of`` gives the app's
    database, once it is open) and the HTTP ones."""
    registry = CollectorRegistry()
    registry.register(JobsCollector(db_of))
    requests = Counter(
        "legevakt_http_requests",
        "HTTP requests answered, by method, route template and status code.",
        ("method", "route", "status"),
        registry=registry,
    )
    latency = Histogram(
        "legevakt_http_request_duration_seconds",
        "Seconds from a request's start to the end of its answer (a stream's: its length).",
        ("method", "route"),
        buckets=HTTP_BUCKETS,
        registry=registry,
    )
    lease_expiries = Counter(
        "legevakt_lease_expiries",
        "Running jobs found with their lease run out (their server or worker gone) and "
        "queued again or failed, by this server.",
        registry=registry,
    )
    return Metrics(registry, requests, latency, lease_expiries)


def _seconds(dialect: str) -> ColumnElement[Any]:
    """A finished job's run time in seconds, in the database's own arithmetic."""
    if dialect == "sqlite":
        return (func.julianday(Job.finished_at) - func.julianday(Job.started_at)) * 86400.0
    return extract("epoch", Job.finished_at - Job.started_at)


class JobsCollector:
    """The job metrics, computed from the ``jobs`` table at each scrape (two grouped
    queries; no row is loaded). Every district and kind that has jobs shows its gauges,
    0 when idle."""

    def __init__(self, db_of: Callable[[], Database | None]) -> None:
        self.db_of = db_of

    def describe(self) -> Iterable[Metric]:
        return []  # the names are known only when collecting (no database at registration)

    def collect(self) -> Iterable[Metric]:
        labels = ("district", "kind")
        queued = GaugeMetricFamily(
            "legevakt_jobs_queued", "Jobs waiting for a worker.", labels=labels
        )
        running = GaugeMetricFamily(
            "legevakt_jobs_running", "Jobs a worker is running.", labels=labels
        )
        failures = CounterMetricFamily(
            "legevakt_job_failures", "Jobs that ended failed.", labels=labels
        )
        seconds = HistogramMetricFamily(
            "legevakt_job_seconds",
            "Run time of finished jobs (their latest run), started to finished.",
            labels=labels,
        )
        db = self.db_of()
        if db is not None:
            with db.read() as session:
                counts = session.execute(
                    select(Job.district, Job.kind, Job.status, func.count()).group_by(
                        Job.district, Job.kind, Job.status
                    )
                ).all()
                d = _seconds(session.get_bind().dialect.name)
                runs = session.execute(
                    select(
                        Job.district,
                        Job.kind,
                        func.count(),
                        func.sum(d),
                        *(func.sum(case((d <= b, 1), else_=0)) for b in JOB_BUCKETS),
                    )
                    .where(Job.status.in_(FINISHED))
                    .where(Job.started_at.is_not(None))
                    .where(Job.finished_at.is_not(None))
                    .group_by(Job.district, Job.kind)
                ).all()
            by_status: dict[tuple[str, str], dict[str, int]] = {}
            for district, kind, status, n in counts:
                by_status.setdefault((district, kind), {})[status] = int(n)
            for key, n_by in sorted(by_status.items()):
                queued.add_metric(key, n_by.get(QUEUED, 0))
                running.add_metric(key, n_by.get(RUNNING, 0))
                failures.add_metric(key, n_by.get(FAILED, 0))
            for district, kind, n, total, *below in runs:
                buckets = [
                    (floatToGoString(b), float(c or 0))
                    for b, c in zip(JOB_BUCKETS, below, strict=True)
                ]
                buckets.append(("+Inf", float(n)))
                seconds.add_metric((district, kind), buckets, float(total or 0.0))
        return [queued, running, failures, seconds]


class HttpMetrics:
    """ASGI middleware: each answered request counted and timed by method, route template
    and status code (a request no route matches: route ``unmatched``)."""

    def __init__(self, app: ASGIApp, metrics: Metrics, router: Router) -> None:
        self.app = app
        self.metrics = metrics
        self.router = router

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            method = scope.get("method", "")
            method = method if method in METHODS else "other"
            route = self.template(scope)
            self.metrics.requests.labels(method, route, str(status)).inc()
            self.metrics.latency.labels(method, route).observe(time.perf_counter() - start)

    def template(self, scope: Scope) -> str:
        """The matched route's path template: set by the router, or (for an answer given
        before routing, such as a 413) found again here."""
        route = scope.get("route")
        path = getattr(route, "path", None)
        if isinstance(path, str) and path:
            return path
        matches = [(candidate.matches(scope)[0], candidate) for candidate in self.router.routes]
        for wanted in (Match.FULL, Match.PARTIAL):
            for match, candidate in matches:
                found = getattr(candidate, "path", None)
                if match == wanted and isinstance(found, str) and found:
                    return found
        return UNMATCHED
