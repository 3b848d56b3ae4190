"""Running a solve job in a pool worker: the scenario from the job's row, the engine with
the job's monitor, and the roster stored (also the best so far of a cancelled one)."""

from __future__ import annotations

import logging
from typing import Any

from legevakt_opt.engine import NoRosterError, Published, SolveOptions, solve
from legevakt_opt.scenario import ScenarioError, parse_date, scenario_from_data
from service.db import Database
from service.jobs.monitor import Claimed, Monitor, finite, store_with_retries
from service.models import CANCELLED, DONE, FAILED, Job, RosterRow, utcnow
from service.settings import Settings

log = logging.getLogger("legevakt.jobs")


def published_of(replan: dict[str, Any] | None) -> Published | None:
    """A stored re-plan request as the engine takes it."""
    if not replan:
        return None
    assignments = tuple(
        (parse_date(a["date"]), a["shift"], a["doctor"], a["role"])
        for a in replan.get("assignments", [])
    )
    freeze = replan.get("freeze_until")
    return Published(assignments, parse_date(freeze) if freeze else None)


def run_job(db: Database, settings: Settings, job: Claimed) -> str:
    """Solve one claimed job and store how it ended; returns the final status."""

    monitor = Monitor(db, job, settings.progress_interval, lease=settings.lease_seconds)
    monitor.start()
    roster: dict[str, Any] | None = None
    error: str | None = None
    status = FAILED
    roster_status: str | None = None
    conflicts: list[str] | None = None
    try:
        scenario = scenario_from_data(job.document)
        result = solve(
            scenario,
            SolveOptions(time_limit=job.time_limit, workers=job.workers, seed=job.seed),
            on_progress=monitor.on_progress,
            cancel=monitor.cancel,
            published=published_of(job.replan),
        )
        if result.valid:
            roster = result.roster
            roster_status = result.status
            status = CANCELLED if monitor.cancel.is_set() else DONE
        else:
            n = len(result.validation.breaches) if result.validation is not None else 0
            error = f"internal error: the roster failed validation ({n} breaches); not stored"
    except ScenarioError as exc:
        error = "the scenario is not valid: " + "; ".join(exc.errors)
    except NoRosterError as exc:
        conflicts = exc.lines
        error = "no roster can satisfy these: " + "; ".join(exc.lines)
    except Exception as exc:  # a failed solve must not take the worker down
        job.log(log).exception("solve failed")
        error = f"internal error while solving ({type(exc).__name__})"
    finally:
        monitor.stop()
    if monitor.lost:
        return "lost"
    stored = store_with_retries(
        lambda: _finish(db, job, status, roster, roster_status, error, conflicts),
        f"job {job.id}",
        logger=job.log(log),
    )
    return status if stored else "lost"


def _finish(
    db: Database,
    job: Claimed,
    status: str,
    roster: dict[str, Any] | None,
    roster_status: str | None,
    error: str | None,
    conflicts: list[str] | None = None,
) -> None:
    with db.write() as session:
        row = session.get(Job, job.id, with_for_update=True)
        if row is None or row.claim != job.claim:
            return
        if status == DONE and row.cancel_requested:
            status = CANCELLED
        row.status = status
        row.finished_at = utcnow()
        row.error = error
        row.conflicts = conflicts
        row.roster_status = roster_status
        if roster is not None:
            row.summary = roster.get("summary")
            levels = roster.get("objective", {}).get("levels") or []
            if levels:
                last = levels[-1]
                row.stage = last.get("name", row.stage)
                row.stage_index = len(levels) - 1
                row.objective = finite(last.get("value"))
                row.bound = finite(last.get("bound"))
            old = session.get(RosterRow, job.id)
            if old is not None:
                session.delete(old)
                session.flush()
            session.add(RosterRow(job_id=job.id, document=roster))
