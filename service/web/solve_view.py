"""A solve as its pages read it: the job, its roster and scenario, the period it belongs
to, whether it is the period's published roster, the adjustments being made to it, and
the solve it was re-planned from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from legevakt_opt.scenario import Scenario, ScenarioError, scenario_from_data
from service.db import Database
from service.models import Draft, Job, Publication, RosterRow, as_utc
from service.web.pages import own_solve
from service.web.sessions import Visitor


@dataclass
class SolveView:
    id: str
    status: str
    period_id: str | None
    name: str
    time_limit: float
    error: str | None
    document: dict[str, Any]
    roster: dict[str, Any] | None
    published: Publication | None  # this solve's publication, if it is the period's
    period_published: str | None  # the job id of the period's published roster
    draft: Draft | None  # adjustments being made to this solve
    replan_of: str | None  # the solve whose draft made this one
    created: dt.datetime | None

    def scenario(self) -> Scenario | None:
        try:
            return scenario_from_data(self.document)
        except ScenarioError:
            return None


def load_solve(db: Database, visitor: Visitor, job_id: str) -> SolveView:
    with db.read() as session:
        job: Job = own_solve(session, visitor, job_id)
        roster = session.get(RosterRow, job.id)
        newest = None
        if job.scenario_id is not None:
            newest = session.scalars(
                select(Publication)
                .where(Publication.scenario_id == job.scenario_id)
                .order_by(Publication.published_at.desc(), Publication.id.desc())
            ).first()
        origin = session.scalars(select(Draft.job_id).where(Draft.replan_job_id == job.id)).first()
        return SolveView(
            id=job.id,
            status=job.status,
            period_id=job.scenario_id,
            name=job.scenario_name,
            time_limit=job.time_limit,
            error=job.error,
            document=dict(job.scenario_document),
            roster=dict(roster.document) if roster is not None else None,
            published=newest if newest is not None and newest.job_id == job.id else None,
            period_published=newest.job_id if newest is not None else None,
            draft=session.get(Draft, job.id),
            replan_of=origin,
            created=as_utc(job.created_at),
        )


def roster_of(db: Database, job_id: str) -> dict[str, Any] | None:
    with db.read() as session:
        row = session.get(RosterRow, job_id)
        return dict(row.document) if row is not None else None
