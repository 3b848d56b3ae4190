"""What a re-plan request brings, checked before it is queued: the published roster (given,
or a solve of the district's), read as strictly as the validator reads a roster, the
freeze date, and fixed assignments that break a rule among themselves."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from legevakt_opt.checks import fixed_conflicts
from legevakt_opt.checks.reading import parse_assignments
from legevakt_opt.scenario import Scenario, parse_date
from service.checks import Problem, check_plain
from service.models import SOLVE, RosterRow
from service.routes import owned_job


def replan_of(
    session: Session,
    district: str,
    published: dict[str, Any] | None,
    published_solve_id: str | None,
    freeze_until: str | None,
) -> dict[str, Any] | None:
    """The job's ``replan`` record, or None for a roster from scratch; :class:`Problem`
    (422) naming the field, or 404 for another district's or an unknown solve."""
    if published is not None and published_solve_id is not None:
        raise Problem(["published, published_solve_id: give at most one of them"])
    if published is None and published_solve_id is None:
        if freeze_until is not None:
            raise Problem(
                ["freeze_until: only a re-plan (published or published_solve_id) has one"]
            )
        return None
    field = "published"
    if published_solve_id is not None:
        field = "published_solve_id"
        job = owned_job(session, published_solve_id, district, SOLVE, "solve")
        row = session.get(RosterRow, job.id)
        if row is None:
            raise Problem(
                [f"published_solve_id: solve {job.id!r} has no roster ({job.status})"], 409
            )
        published = row.document
    else:
        check_plain(published, "published")
    entries, problems = parse_assignments(published)
    if problems:
        raise Problem([f"{field}: {b.message}" for b in problems])
    freeze = None
    if freeze_until is not None:
        try:
            freeze = parse_date(freeze_until).isoformat()
        except ValueError as exc:
            raise Problem([f"freeze_until: {freeze_until!r} {exc}"]) from None
    return {
        "assignments": [
            {"date": e.date.isoformat(), "shift": e.shift, "doctor": e.doctor, "role": e.role}
            for e in entries
        ],
        "freeze_until": freeze,
        "published_solve_id": published_solve_id,
    }


def refuse_conflicting_fixed(scenario: Scenario) -> None:
    """Fixed assignments that break a rule among themselves: 422 with the lines at once."""
    lines = fixed_conflicts(scenario)
    if lines:
        raise Problem(["no roster can satisfy these:", *lines])
