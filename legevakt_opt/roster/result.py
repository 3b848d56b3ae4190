"""What a solve gives: the roster document, its figures, each objective level, and the
independent validator's verdict, assembled in one place."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from legevakt_opt.calendar import Calendar
from legevakt_opt.checks import Report, validate_roster
from legevakt_opt.roster.assignments import ROLES, NamedAssignment
from legevakt_opt.roster.changes import Named, changes
from legevakt_opt.roster.diagnosis import explain_unfilled
from legevakt_opt.roster.document import assignments_frame, roster_document
from legevakt_opt.roster.figures import Figures, compute_figures
from legevakt_opt.scenario import Scenario

#: ``optimal``: every level proved; ``feasible``: valid, not proved best; ``unknown``: no
#: roster found in time (the format's three words).
Status = Literal["optimal", "feasible", "unknown"]


@dataclass(frozen=True)
class Level:
    """One level of the lexicographic objective, in display units (hours where it is time)."""

    name: str
    value: float | None
    bound: float | None
    proved: bool
    seconds: float
    #: The level's value in the roster its stage started from: what the stage's search
    #: bought is ``start - value`` (None when there was no complete start).
    start: float | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "value": self.value,
            "bound": self.bound,
            "optimal": self.proved,
            "seconds": round(self.seconds, 3),
        }
        if self.start is not None:
            out["start"] = self.start
        return out


@dataclass
class SolveResult:
    """The roster document, its figures, and the validator's verdict."""

    scenario: Scenario
    calendar: Calendar
    status: Status
    assignments: list[NamedAssignment]
    figures: Figures
    levels: list[Level]
    runtime: float
    solver_info: dict[str, Any]
    roster: dict[str, Any]
    validation: Report

    @property
    def unfilled(self) -> list[dict[str, Any]]:
        """The roster's unfilled shifts, each with ``blocked_by``."""
        return list(self.roster["unfilled"])

    @property
    def valid(self) -> bool:
        return self.validation.ok

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.roster, indent=indent, ensure_ascii=False)

    def assignments_frame(self) -> pd.DataFrame:
        """One row per assignment, with the instance's window and station."""
        return assignments_frame(self.scenario, self.calendar, self.assignments)

    def summary(self) -> dict[str, Any]:
        return dict(self.roster["summary"])


def build_result(
    scenario: Scenario,
    calendar: Calendar,
    assignments: list[NamedAssignment],
    *,
    status: Status,
    levels: list[Level],
    runtime: float,
    solver_info: dict[str, Any],
    published: Sequence[Named] | None = None,
) -> SolveResult:
    """Order the assignments, compute the figures, explain what is unfilled, write the
    roster document (with ``changes`` against a ``published`` roster), and have the
    validator check it."""
    ordered = sorted(
        assignments,
        key=lambda a: (
            calendar.by_key[a.shift, a.date].start_min,
            a.shift,
            ROLES.index(a.role),
            a.doctor,
        ),
    )
    figures = compute_figures(scenario, calendar, ordered)
    roster = roster_document(
        scenario,
        ordered,
        figures,
        explain_unfilled(scenario, ordered, figures.unfilled),
        status=status,
        levels=[lv.to_dict() for lv in levels],
        solver={**solver_info, "runtime": round(runtime, 3)},
    )
    if published is not None:
        roster["changes"] = changes(scenario, calendar, published, ordered)
    return SolveResult(
        scenario=scenario,
        calendar=calendar,
        status=status,
        assignments=ordered,
        figures=figures,
        levels=levels,
        runtime=runtime,
        solver_info=solver_info,
        roster=roster,
        validation=validate_roster(scenario, roster),
    )
