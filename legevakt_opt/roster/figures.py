"""Per-doctor and per-roster figures, computed from the engine's calendar (the validator
recomputes them its own way and compares)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from legevakt_opt.calendar import Calendar
from legevakt_opt.roster.assignments import NamedAssignment, role_weight
from legevakt_opt.scenario import Scenario


def _carry_forward(
    scenario: Scenario, docs: dict[str, dict[str, Any]], carried: dict[str, float]
) -> None:
    """Each doctor's ``carry_forward``: how far above (+) or below (−) their share of the
    carried plus this period's weighted hours they end; the next period's
    ``history.carried_burden``. An exempt doctor keeps what they carried."""
    fair = [d for d in scenario.doctors if not d.exempt]
    total = sum(docs[d.id]["weighted_hours"] + carried[d.id] for d in fair)
    shares = sum(d.share for d in fair) or 1.0
    for d in scenario.doctors:
        own = docs[d.id]["weighted_hours"] + carried[d.id]
        docs[d.id]["carry_forward"] = (
            round(carried[d.id], 4) if d.exempt else round(own - d.share * total / shares, 4)
        )


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
    carried = {d.id: d.history.carried_burden if d.history else 0.0 for d in scenario.doctors}
    for doc_id, row in docs.items():
        row["weighted_hours"] = round(row["weighted_hours"], 4)
        # The burden carried from the year so far counts with this period's hours.
        row["burden"] = round((row["weighted_hours"] + carried[doc_id]) / shares[doc_id], 4)
    _carry_forward(scenario, docs, carried)
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
