"""Running a sweep job in a pool worker: every variant in turn, then the command line's files.

The worker that claimed the job solves the variants one after the other, in its own
process, each with the sweep's CP-SAT ``workers``: a sweep takes one place in the pool,
like a solve, and never more cores than the pool was sized for. Each variant is checked by
the validator and stored as it finishes (``sweep_variants``); a sweep interrupted by a
restart is queued again and goes on after the last stored variant. At the end the summary
table (CSV, Excel, Markdown) and the plots are written by the same functions as
``legevakt-opt sweep`` and stored in ``sweep_files``.

Cancel: the job's monitor thread sets the cancel ``Event`` the running solve watches, so
the search stops at once. The variant it cut short is dropped, and the files are made from
the variants finished before (none: no files).
"""

from __future__ import annotations

import json
import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select

from legevakt_opt.sweep.report import write_plots, write_tables
from legevakt_opt.sweep.run import Outcome, evaluate, failed, solve_document
from legevakt_opt.sweep.variants import SweepPlan, Variant
from service.db import Database
from service.jobs.monitor import Claimed, Monitor, store_with_retries
from service.models import (
    CANCELLED,
    DONE,
    FAILED,
    MEDIA_TYPES,
    TABLES,
    VARIANT_DONE,
    VARIANT_FAILED,
    Job,
    SweepFileRow,
    SweepRow,
    SweepVariantRow,
    utcnow,
)
from service.settings import Settings
from service.sweep_plans import plan_of

log = logging.getLogger("legevakt.sweeps")


class Lost(Exception):
    """The job is no longer this run's (its lease was taken over): write nothing more."""


@dataclass(frozen=True)
class Report:
    """What a finished sweep stores: the summary rows and the files by name."""

    rows: list[dict[str, Any]]
    files: dict[str, bytes]


def run_sweep_job(db: Database, settings: Settings, job: Claimed) -> str:
    """Run one claimed sweep job and store how it ended; returns the final status."""
    monitor = Monitor(
        db, job, settings.progress_interval, history=False, lease=settings.lease_seconds
    )
    monitor.start()
    status, error, report = FAILED, None, None
    try:
        plan, finished = _resume(db, job)
        options = {"time_limit": job.time_limit, "workers": job.workers, "seed": job.seed}
        for position, variant in enumerate(plan.variants):
            if variant.name in finished:
                continue
            if monitor.cancel.is_set():
                break
            _start_variant(db, job, variant.name)
            monitor.forget()
            outcome = _solve(variant, options, monitor)
            if monitor.cancel.is_set():
                break  # cut short by the cancel: dropped
            _store_variant(db, job, position, outcome)
            finished[variant.name] = outcome
        outcomes = [finished[v.name] for v in plan.variants if v.name in finished]
        report = make_report(plan, outcomes) if outcomes else None
        status = CANCELLED if monitor.cancel.is_set() else DONE
    except Lost:
        monitor.lost = True
    except Exception as exc:  # a failed sweep must not take the worker down
        job.log(log).exception("sweep failed")
        error = f"internal error while running the sweep ({type(exc).__name__})"
        lines = getattr(exc, "errors", None)
        if isinstance(lines, list):  # the sweep no longer reads (a newer version's rules)
            error = "the sweep is not valid: " + "; ".join(str(x) for x in lines)
    finally:
        monitor.stop()
    if monitor.lost:
        return "lost"
    stored = store_with_retries(
        lambda: _finish(db, job, status, report, error),
        f"sweep {job.id}",
        give_up=(Lost,),
        logger=job.log(log),
    )
    return status if stored else "lost"


def _resume(db: Database, job: Claimed) -> tuple[SweepPlan, dict[str, Outcome]]:
    """The sweep's plan, and the variants an earlier run of it already finished."""
    with db.read() as session:
        sweep = session.get(SweepRow, job.id)
        if sweep is None:
            raise Lost
        spec, merges = dict(sweep.spec), dict(sweep.merges)
        rows = session.scalars(
            select(SweepVariantRow).where(SweepVariantRow.job_id == job.id)
        ).all()
        stored = {r.name: r for r in rows}
    plan = plan_of(spec, job.document, merges)
    finished: dict[str, Outcome] = {}
    for variant in plan.variants:
        r = stored.get(variant.name)
        if r is None:
            continue
        if r.status == VARIANT_DONE and r.roster is not None:
            payload = {"roster": r.roster, "seconds": r.seconds, "cpu_seconds": r.cpu_seconds}
            finished[variant.name] = evaluate(variant, payload)
        else:
            finished[variant.name] = Outcome(
                variant, seconds=r.seconds, cpu_seconds=r.cpu_seconds, errors=list(r.errors)
            )
    return plan, finished


def _solve(variant: Variant, options: dict[str, Any], monitor: Monitor) -> Outcome:
    """Solve one variant in this process and check its roster (as the CLI's local backend
    does with one job at a time), stopping when the monitor's cancel is set."""
    try:
        payload = solve_document(
            variant.document, options, on_progress=monitor.on_progress, cancel=monitor.cancel
        )
        return evaluate(variant, payload)
    except Exception as exc:  # reported on the variant's row; the sweep goes on
        monitor.job.log(log).exception("variant %s failed", variant.name)
        return failed(variant, exc)


def _owned_run(session: Any, job: Claimed) -> tuple[Job, SweepRow]:
    row = session.get(Job, job.id, with_for_update=True)
    sweep = session.get(SweepRow, job.id)
    if row is None or sweep is None or row.claim != job.claim:
        raise Lost
    return row, sweep


def _start_variant(db: Database, job: Claimed, name: str) -> None:
    with db.write() as session:
        row, sweep = _owned_run(session, job)
        sweep.current_variant = name
        row.stage, row.stage_index, row.objective, row.bound = None, None, None, None
        row.progress_elapsed = None


def _store_variant(db: Database, job: Claimed, position: int, outcome: Outcome) -> None:
    """Keep a finished variant (a roster that failed the validator is not kept)."""
    ok = outcome.ok
    with db.write() as session:
        _, sweep = _owned_run(session, job)
        session.execute(
            delete(SweepVariantRow)
            .where(SweepVariantRow.job_id == job.id)
            .where(SweepVariantRow.name == outcome.variant.name)
        )
        session.add(
            SweepVariantRow(
                job_id=job.id,
                name=outcome.variant.name,
                position=position,
                kind=outcome.variant.kind,
                status=VARIANT_DONE if ok else VARIANT_FAILED,
                scenario=outcome.variant.document,
                roster=outcome.roster if ok else None,
                seconds=outcome.seconds,
                cpu_seconds=outcome.cpu_seconds,
                errors=outcome.errors[:50],
            )
        )
        sweep.variants_done += 1
        sweep.variants_failed += 0 if ok else 1
        sweep.current_variant = None


def make_report(plan: SweepPlan, outcomes: list[Outcome]) -> Report:
    """The summary rows and the files ``legevakt-opt sweep`` writes (tables and plots; the
    rosters and variant scenarios are stored per variant), made by the same functions."""
    with tempfile.TemporaryDirectory(prefix="legevakt-sweep-") as tmp:
        out = Path(tmp)
        frame = write_tables(out, plan, outcomes)
        plots = write_plots(out, plan, outcomes)
        files = {name: (out / name).read_bytes() for name in TABLES}
        files.update({f"plots/{p.name}": p.read_bytes() for p in plots})
    rows: list[dict[str, Any]] = json.loads(
        frame.to_json(orient="records", double_precision=15, force_ascii=False)
    )
    return Report(rows, files)


def _finish(
    db: Database, job: Claimed, status: str, report: Report | None, error: str | None
) -> None:
    with db.write() as session:
        row, sweep = _owned_run(session, job)
        if status == DONE and row.cancel_requested:
            status = CANCELLED
        row.status = status
        row.finished_at = utcnow()
        row.error = error
        sweep.current_variant = None
        session.execute(delete(SweepFileRow).where(SweepFileRow.job_id == job.id))
        sweep.summary = report.rows if report is not None else None
        for name, content in (report.files if report is not None else {}).items():
            session.add(
                SweepFileRow(
                    job_id=job.id,
                    name=name,
                    media_type=MEDIA_TYPES[Path(name).suffix],
                    content=content,
                )
            )
