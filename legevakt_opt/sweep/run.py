"""Running a sweep: every variant solved in parallel, checked, and summarised.

Only plain data crosses a process boundary: a variant's scenario document and the solve
settings go out, the roster document comes back. CP-SAT objects never leave the process
that made them. Two backends:

- ``local`` (default): a process pool started with *spawn*; ``jobs`` solves at a time,
  each with ``workers`` CP-SAT workers, and ``jobs × workers`` at most the cores;
- ``ray``: one Ray task per variant asking for ``num_cpus = workers``, so Ray's scheduler
  keeps the cluster's cores busy without oversubscribing them. A task whose node (or worker
  process) dies is run again elsewhere, up to ``RAY_RETRIES`` times; a solve that raises is
  a real failure and is not retried.

Every roster is checked again by the independent validator in the driver; a roster that
fails is an error (it is not written).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any

from legevakt_opt.calendar import expand
from legevakt_opt.checks import validate_roster
from legevakt_opt.scenario import scenario_from_data
from legevakt_opt.sweep.metrics import burdens, summary_row, weekly_hours
from legevakt_opt.sweep.variants import SweepPlan, Variant

BACKENDS = ("local", "ray")
#: How often Ray runs a task again when its node or worker process dies under it.
RAY_RETRIES = 3


def available_cores() -> int:
    """Cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def solve_document(
    document: dict[str, Any],
    options: dict[str, Any],
    *,
    on_progress: Callable[[Any], None] | None = None,
    cancel: threading.Event | None = None,
) -> dict[str, Any]:
    """Solve one scenario document; runs in a worker process or a Ray task.

    Plain data in, plain data out: ``{"roster": <roster document>, "seconds": wall-clock,
    "cpu_seconds": CPU time of this process}``. ``on_progress`` and ``cancel`` are passed to
    ``solve`` when the caller runs it in-process (the service's sweep jobs)."""
    # Here, not at the top: the HTTP service reads sweeps in its web process, which must not
    # load OR-Tools; a worker or a Ray task loads it for its first variant.
    from legevakt_opt.engine import SolveOptions, solve

    started, cpu = time.monotonic(), time.process_time()
    scenario = scenario_from_data(document)
    result = solve(scenario, SolveOptions(**options), on_progress=on_progress, cancel=cancel)
    return {
        "roster": result.roster,
        "seconds": round(time.monotonic() - started, 3),
        "cpu_seconds": round(time.process_time() - cpu, 3),
    }


@dataclass
class Outcome:
    """One variant, solved (or failed)."""

    variant: Variant
    roster: dict[str, Any] | None = None
    row: dict[str, Any] = field(default_factory=dict)
    burdens: dict[str, float] = field(default_factory=dict)
    weekly: dict[str, dict[str, float]] | None = None
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    #: What went wrong: a worker's exception, or the validator's breaches.
    errors: list[str] = field(default_factory=list)
    #: Read back from an earlier run's saved result (its figures, not its roster).
    resumed: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors and (self.roster is not None or self.resumed)


def evaluate(variant: Variant, payload: dict[str, Any]) -> Outcome:
    """Check a variant's roster with the validator and compute its summary row."""
    roster = payload["roster"]
    scenario = scenario_from_data(variant.document)
    report = validate_roster(scenario, roster)
    out = Outcome(
        variant,
        roster=roster,
        seconds=float(payload.get("seconds", 0.0)),
        cpu_seconds=float(payload.get("cpu_seconds", 0.0)),
    )
    if not report.ok:
        out.errors = [f"{b.rule}: {b.message}" for b in report.breaches]
        return out
    calendar = expand(scenario)
    out.row = summary_row(calendar, roster, variant.values)
    out.burdens = burdens(scenario, roster)
    if variant.kind == "base":
        out.weekly = weekly_hours(calendar, roster)
    return out


def failed(variant: Variant, exc: BaseException) -> Outcome:
    """A variant whose solve (or its check) raised: the exception is its one error line."""
    lines = traceback.format_exception_only(type(exc), exc)
    return Outcome(variant, errors=[f"solve failed: {''.join(lines).strip()}"])


def plan_jobs(jobs: int | None, workers: int, cores: int | None = None) -> tuple[int, str | None]:
    """Solves at a time for the local backend, so that jobs × workers ≤ cores; and a note
    when the asked-for number had to be lowered."""
    cores = cores or available_cores()
    most = max(1, cores // workers)
    if jobs is None:
        return most, None
    if jobs > most:
        return most, (
            f"--jobs {jobs} × {workers} CP-SAT workers exceeds {cores} cores; using {most} jobs"
        )
    return max(1, jobs), None


def _local(
    variants: list[Variant], options: dict[str, Any], jobs: int
) -> Iterator[tuple[Variant, dict[str, Any] | BaseException]]:
    if jobs <= 1 or len(variants) <= 1:
        for v in variants:
            try:
                yield v, solve_document(v.document, options)
            except Exception as exc:  # reported per variant; the sweep goes on
                yield v, exc
        return
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, len(variants)), mp_context=ctx) as pool:
        futures = {pool.submit(solve_document, v.document, options): v for v in variants}
        for fut in as_completed(futures):
            v = futures[fut]
            try:
                yield v, fut.result()
            except Exception as exc:
                yield v, exc


def _ray(
    variants: list[Variant], options: dict[str, Any], address: str | None
) -> Iterator[tuple[Variant, dict[str, Any] | BaseException]]:
    try:
        import ray  # an optional dependency: pip install -e '.[ray]'
    except ImportError:
        raise RuntimeError(
            "the ray backend needs Ray: pip install -e '.[ray]' (or 'ray[default]>=2.9')"
        ) from None
    started_here = False
    if not ray.is_initialized():
        ray.init(
            address=address,
            include_dashboard=False,
            log_to_driver=False,
            logging_level=logging.WARNING,
        )
        started_here = True
    try:
        cpus = ray.cluster_resources().get("CPU", 0)
        workers = int(options["workers"])
        if cpus < workers:
            raise RuntimeError(
                f"each solve asks for {workers} CPUs, but the Ray cluster has {cpus:g}"
            )
        # Only a lost node or worker is retried: a solve that raises would raise again.
        task = ray.remote(num_cpus=workers, max_retries=RAY_RETRIES, retry_exceptions=False)(
            solve_document
        )
        refs = {task.remote(v.document, options): v for v in variants}
        pending = list(refs)
        while pending:
            done, pending = ray.wait(pending, num_returns=1)
            for ref in done:
                v = refs[ref]
                try:
                    yield v, ray.get(ref)
                except Exception as exc:
                    cause = getattr(exc, "cause", None)
                    yield v, cause if isinstance(cause, BaseException) else exc
    finally:
        if started_here:
            ray.shutdown()


def run_sweep(
    plan: SweepPlan,
    *,
    backend: str = "local",
    jobs: int | None = None,
    ray_address: str | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
    options: dict[str, Any] | None = None,
) -> list[Outcome]:
    """Solve every variant of a plan; outcomes in the plan's order (not completion order).

    ``options`` overrides the sweep file's ``solve`` settings (keys of ``SolveOptions``).
    ``on_outcome`` is called as each variant finishes (for a progress display)."""
    if backend not in BACKENDS:
        raise ValueError(f"backend {backend!r} is not one of {', '.join(BACKENDS)}")
    opts = {**plan.spec.solve.as_options(), **(options or {})}
    variants = plan.variants
    if backend == "ray":
        stream = _ray(variants, opts, ray_address)
    else:
        n, _ = plan_jobs(jobs, int(opts["workers"]))
        stream = _local(variants, opts, n)
    outcomes: dict[str, Outcome] = {}
    for variant, payload in stream:
        if isinstance(payload, BaseException):
            outcome = failed(variant, payload)
        else:
            try:
                outcome = evaluate(variant, payload)
            except Exception as exc:
                outcome = failed(variant, exc)
        outcomes[variant.name] = outcome
        if on_outcome is not None:
            on_outcome(outcome)
    return [outcomes[v.name] for v in variants]
