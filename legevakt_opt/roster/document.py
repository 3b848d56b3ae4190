"""The roster document (``legevakt-roster/1`` plus the project's extra fields) and its
assignments as a pandas DataFrame."""

from __future__ import annotations

from typing import Any

import pandas as pd

from legevakt_opt.calendar import Calendar
from legevakt_opt.roster.assignments import ROSTER_FORMAT, NamedAssignment, role_weight
from legevakt_opt.roster.figures import Figures
from legevakt_opt.scenario import Scenario

#: The per-doctor figures a roster document carries.
DOCTOR_FIELDS = (
    "weighted_hours",
    "duties",
    "nights",
    "weekends",
    "burden",
    "backups",
    "videos",
    "carry_forward",
)


def assignments_frame(
    scenario: Scenario, calendar: Calendar, assignments: list[NamedAssignment]
) -> pd.DataFrame:
    names = {d.id: d.name for d in scenario.doctors}
    rows = []
    for a in assignments:
        inst = calendar.by_key[a.shift, a.date]
        rows.append(
            {
                "date": a.date,
                "shift": a.shift,
                "doctor": a.doctor,
                "name": names[a.doctor],
                "role": a.role,
                "station": inst.station,
                "kind": inst.kind,
                "start": inst.start,
                "end": inst.end,
                "hours": inst.hours,
                "weighted_hours": inst.hours * role_weight(scenario, inst, a.role),
                "night": inst.night,
                "weekend": inst.weekend,
            }
        )
    columns = [
        "date",
        "shift",
        "doctor",
        "name",
        "role",
        "station",
        "kind",
        "start",
        "end",
        "hours",
        "weighted_hours",
        "night",
        "weekend",
    ]
    return pd.DataFrame(rows, columns=columns)


def summary(figures: Figures, n_assignments: int) -> dict[str, Any]:
    covered = figures.required_hours - figures.unfilled_hours
    return {
        "required_hours": figures.required_hours,
        "unfilled_hours": figures.unfilled_hours,
        "coverage": round(covered / figures.required_hours, 6) if figures.required_hours else 1.0,
        "unfilled_shifts": len(figures.unfilled),
        "max_burden": figures.max_burden,
        "mean_burden": figures.mean_burden,
        "assignments": n_assignments,
    }


def roster_document(
    scenario: Scenario,
    assignments: list[NamedAssignment],
    figures: Figures,
    unfilled: list[dict[str, Any]],
    *,
    status: str,
    levels: list[dict[str, Any]],
    solver: dict[str, Any],
) -> dict[str, Any]:
    """The roster as JSON-ready data: the format's fields, then the project's own."""
    return {
        "format": ROSTER_FORMAT,
        "scenario": scenario.name,
        "status": status,
        "assignments": [a.to_dict() for a in assignments],
        "unfilled": unfilled,
        "doctors": {
            doc_id: {k: row[k] for k in DOCTOR_FIELDS} for doc_id, row in figures.doctors.items()
        },
        "summary": summary(figures, len(assignments)),
        "objective": {"levels": levels},
        "municipalities": figures.by_municipality,
        "solver": solver,
    }
