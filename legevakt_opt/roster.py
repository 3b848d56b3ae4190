"""Rosters: the result of a solve, its figures, and its JSON form (``legevakt-roster/1``)."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pandas as pd

from legevakt_opt.calendar import Calendar, Instance
from legevakt_opt.scenario import Scenario

ROSTER_FORMAT = "legevakt-roster/1"
ROLES = ("duty", "backup", "video")


@dataclass(frozen=True, order=True)
class NamedAssignment:
    """One assignment as the roster names it."""

    date: dt.date
    shift: str
    doctor: str
    role: str

    def to_dict(self) -> dict[str, str]:
        return {
            "date": self.date.isoformat(),
            "shift": self.shift,
            "doctor": self.doctor,
            "role": self.role,
        }


@dataclass(frozen=True)
class Level:
    """One level of the lexicographic objective, in display units (hours where it is time)."""

    name: str
    value: float | None
    bound: float | None
    proved: bool
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": self.value,
            "bound": self.bound,
            "optimal": self.proved,
            "seconds": round(self.seconds, 3),
        }


def role_weight(scenario: Scenario, inst: Instance, role: str) -> float:
    weights = scenario.policy.weights
    if role == "duty":
        return weights.on_site if inst.kind == "on_site" else weights.on_call
    return weights.backup if role == "backup" else weights.video


@dataclass
class Figures:
    """Per-doctor and per-roster figures, computed from the calendar."""

    doctors: dict[str, dict[str, Any]]
    unfilled: list[dict[str, Any]]
    required_hours: float
    unfilled_hours: float
    max_burden: float
    mean_burden: float
    by_municipality: dict[str, dict[str, float]]


def compute_figures(
    scenario: Scenario, calendar: Calendar, assignments: list[NamedAssignment]
) -> Figures:
    docs = {
        d.id: {
            "weighted_hours": 0.0,
            "duties": 0,
            "nights": 0,
            "weekends": 0,
            "backups": 0,
            "videos": 0,
        }
        for d in scenario.doctors
    }
    duty_count: dict[int, int] = defaultdict(int)
    video_count: dict[int, int] = defaultdict(int)
    for a in assignments:
        inst = calendar.by_key[a.shift, a.date]
        row = docs[a.doctor]
        row["weighted_hours"] += inst.hours * role_weight(scenario, inst, a.role)
        if a.role == "duty":
            duty_count[inst.index] += 1
            row["duties"] += 1
            row["nights"] += int(inst.night)
            row["weekends"] += int(inst.weekend)
        elif a.role == "backup":
            row["backups"] += 1
        else:
            video_count[inst.index] += 1
            row["videos"] += 1
    shares = {d.id: d.share for d in scenario.doctors}
    for doc_id, row in docs.items():
        row["weighted_hours"] = round(row["weighted_hours"], 4)
        row["burden"] = round(row["weighted_hours"] / shares[doc_id], 4)
    unfilled = []
    required = missing_hours = 0.0
    for inst in calendar.instances:
        required += inst.doctors * inst.hours
        if video_count[inst.index]:
            continue
        missing = inst.doctors - duty_count[inst.index]
        if missing > 0:
            unfilled.append(
                {"date": inst.date.isoformat(), "shift": inst.shift, "missing": missing}
            )
            missing_hours += missing * inst.hours
    fair = [docs[d.id]["burden"] for d in scenario.doctors if not d.exempt]
    by_muni: dict[str, dict[str, float]] = {
        m.id: {"doctors": 0, "weighted_hours": 0.0, "population": m.population or 0}
        for m in scenario.municipalities
    }
    for d in scenario.doctors:
        entry = by_muni[d.municipality]
        entry["doctors"] += 1
        entry["weighted_hours"] = round(entry["weighted_hours"] + docs[d.id]["weighted_hours"], 4)
    return Figures(
        doctors=docs,
        unfilled=unfilled,
        required_hours=round(required, 4),
        unfilled_hours=round(missing_hours, 4),
        max_burden=max(fair, default=0.0),
        mean_burden=round(sum(fair) / len(fair), 4) if fair else 0.0,
        by_municipality=by_muni,
    )


@dataclass
class SolveResult:
    """What a solve gives: the roster document, its figures, and the validator's verdict."""

    scenario: Scenario
    calendar: Calendar
    status: str
    assignments: list[NamedAssignment]
    figures: Figures
    levels: list[Level]
    runtime: float
    solver_info: dict[str, Any]
    roster: dict[str, Any]
    validation: Any = None  # legevakt_opt.checks.Report

    @property
    def unfilled(self) -> list[dict[str, Any]]:
        """The roster's unfilled shifts, each with ``blocked_by``."""
        return list(self.roster["unfilled"])

    @property
    def valid(self) -> bool:
        return bool(self.validation is not None and self.validation.ok)

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.roster, indent=indent, ensure_ascii=False)

    def assignments_frame(self) -> pd.DataFrame:
        """One row per assignment, with the instance's window and station."""
        return assignments_frame(self.scenario, self.calendar, self.assignments)

    def summary(self) -> dict[str, Any]:
        return self.roster["summary"]


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


def _summary(figures: Figures, n_assignments: int) -> dict[str, Any]:
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


def build_result(
    scenario: Scenario,
    calendar: Calendar,
    assignments: list[NamedAssignment],
    *,
    status: str,
    levels: list[Level],
    runtime: float,
    solver_info: dict[str, Any],
) -> SolveResult:
    """Assemble the roster document, explain what is unfilled, and validate it."""
    from legevakt_opt.checks import validate_roster
    from legevakt_opt.diagnosis import explain_unfilled

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
    unfilled = explain_unfilled(scenario, ordered, figures.unfilled)
    roster: dict[str, Any] = {
        "format": ROSTER_FORMAT,
        "scenario": scenario.name,
        "status": status,
        "assignments": [a.to_dict() for a in ordered],
        "unfilled": unfilled,
        "doctors": {
            doc_id: {
                k: row[k]
                for k in (
                    "weighted_hours",
                    "duties",
                    "nights",
                    "weekends",
                    "burden",
                    "backups",
                    "videos",
                )
            }
            for doc_id, row in figures.doctors.items()
        },
        "summary": _summary(figures, len(ordered)),
        "objective": {"levels": [lv.to_dict() for lv in levels]},
        "municipalities": figures.by_municipality,
        "solver": {**solver_info, "runtime": round(runtime, 3)},
    }
    result = SolveResult(
        scenario=scenario,
        calendar=calendar,
        status=status,
        assignments=ordered,
        figures=figures,
        levels=levels,
        runtime=runtime,
        solver_info=solver_info,
        roster=roster,
    )
    result.validation = validate_roster(scenario, roster)
    return result
