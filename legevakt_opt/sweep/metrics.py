"""The figures of one solved variant: one summary row, computed from the roster document and
the scenario's shift instances (so a roster read back from disk gives the same row)."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from legevakt_opt.calendar import Calendar
from legevakt_opt.roster import role_weight
from legevakt_opt.scenario import Category, Scenario
from legevakt_opt.sweep.separation import level_columns

CATEGORIES = [c.value for c in Category]


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) with linear interpolation (numpy's default)."""
    if not values:
        return 0.0
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def gini(values: Sequence[float]) -> float:
    """Gini coefficient of non-negative values: 0 when all are equal, towards 1 when one
    carries everything (mean absolute difference ÷ twice the mean)."""
    n = len(values)
    total = sum(values)
    if n == 0 or total <= 0:
        return 0.0
    xs = sorted(values)
    # Σ_i (2i − n − 1) x_i over the sorted values equals Σ_i Σ_j |x_i − x_j| / 2.
    weighted = sum((2 * (i + 1) - n - 1) * x for i, x in enumerate(xs))
    return weighted / (n * total)


def single_doctor_hours(
    calendar: Calendar, assignments: Sequence[Mapping[str, Any]]
) -> dict[str, float]:
    """Per station: hours in which exactly one doctor is on duty there, from the duty
    assignments and the instances' windows (real elapsed time; overlapping shifts at a
    station add up)."""
    by_key = {(inst.shift, inst.date.isoformat()): inst for inst in calendar.instances}
    events: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for a in assignments:
        if a.get("role") != "duty":
            continue
        inst = by_key[a["shift"], a["date"]]
        events[inst.station].append((inst.start_min, +1))
        events[inst.station].append((inst.end_min, -1))
    out = {st.id: 0.0 for st in calendar.scenario.stations}
    for station, evs in events.items():
        evs.sort()
        count, last, alone = 0, None, 0
        for moment, delta in evs:
            if last is not None and count == 1:
                alone += moment - last
            count += delta
            last = moment
        out[station] = round(alone / 60, 4)
    return out


def gap_of(levels: Sequence[Mapping[str, Any]]) -> tuple[str, float | None]:
    """The first level not proved optimal and its relative gap (value − bound) ÷ value;
    ``("", 0.0)`` when every level is proved, ``None`` gap when that level has no bound."""
    for lv in levels:
        if lv.get("optimal"):
            continue
        value, bound = lv.get("value"), lv.get("bound")
        if value is None or bound is None:
            return str(lv.get("name", "")), None
        if abs(value) < 1e-9:
            return str(lv.get("name", "")), 0.0
        return str(lv.get("name", "")), round(max(0.0, (value - bound) / abs(value)), 4)
    return "", 0.0


def burdens(scenario: Scenario, roster: Mapping[str, Any]) -> dict[str, float]:
    """Burden (weighted hours ÷ share) of each doctor who is not exempt."""
    docs = roster.get("doctors", {})
    return {d.id: float(docs[d.id]["burden"]) for d in scenario.doctors if not d.exempt}


def weekly_hours(calendar: Calendar, roster: Mapping[str, Any]) -> dict[str, dict[str, float]]:
    """Weighted hours per doctor per week (the Monday the instance starts in, ISO)."""
    scenario = calendar.scenario
    by_key = {(inst.shift, inst.date.isoformat()): inst for inst in calendar.instances}
    weeks = sorted({inst.week.isoformat() for inst in calendar.instances})
    out = {d.id: dict.fromkeys(weeks, 0.0) for d in scenario.doctors}
    for a in roster.get("assignments", []):
        inst = by_key[a["shift"], a["date"]]
        out[a["doctor"]][inst.week.isoformat()] += inst.hours * role_weight(
            scenario, inst, a["role"]
        )
    return out


def summary_row(
    calendar: Calendar, roster: Mapping[str, Any], values: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The summary figures of one roster (keys in a stable order)."""
    scenario = calendar.scenario
    summary = roster["summary"]
    docs = roster["doctors"]
    burden = list(burdens(scenario, roster).values())
    required = float(summary["required_hours"])
    unfilled = float(summary["unfilled_hours"])
    gap_level, gap = gap_of(roster.get("objective", {}).get("levels", []))
    row: dict[str, Any] = {}
    for path, value in (values or {}).items():
        row[path] = value
    row.update(
        {
            "status": roster.get("status"),
            "gap_level": gap_level,
            "gap": gap,
            "doctors": len(burden),
            "required_hours": round(required, 2),
            "unfilled_hours": round(unfilled, 2),
            "unfilled_share": round(unfilled / required, 4) if required else 0.0,
            "unfilled_shifts": int(summary.get("unfilled_shifts", len(roster["unfilled"]))),
            "max_burden": round(max(burden, default=0.0), 2),
            "mean_burden": round(sum(burden) / len(burden), 2) if burden else 0.0,
            "p90_burden": round(percentile(burden, 90), 2),
            "gini_burden": round(gini(burden), 4),
            "max_nights": max((int(r["nights"]) for r in docs.values()), default=0),
            "max_weekends": max((int(r["weekends"]) for r in docs.values()), default=0),
        }
    )
    # Every level's value, bound and gap, so a reader sees how far each figure is proved.
    row.update(level_columns(roster.get("objective", {}).get("levels", [])))
    # Hours by doctor category: real hours on duty, and weighted hours of every role.
    category = {d.id: d.category.value for d in scenario.doctors}
    by_key = {(inst.shift, inst.date.isoformat()): inst for inst in calendar.instances}
    duty_hours: dict[str, float] = defaultdict(float)
    for a in roster["assignments"]:
        if a["role"] == "duty":
            duty_hours[category[a["doctor"]]] += by_key[a["shift"], a["date"]].hours
    weighted: dict[str, float] = defaultdict(float)
    for doc_id, r in docs.items():
        weighted[category[doc_id]] += float(r["weighted_hours"])
    present = [c for c in CATEGORIES if c in set(category.values())]
    for cat in present:
        row[f"duty_hours_{cat}"] = round(duty_hours[cat], 2)
    for cat in present:
        row[f"weighted_hours_{cat}"] = round(weighted[cat], 2)
    # Burden per 1,000 inhabitants: weighted hours of the doctors who live in a
    # municipality, over the horizon, per 1,000 of its inhabitants.
    for muni_id, m in roster.get("municipalities", {}).items():
        pop = m.get("population") or 0
        row[f"per_1000_{muni_id}"] = round(m["weighted_hours"] / (pop / 1000), 2) if pop else None
    alone = single_doctor_hours(calendar, roster["assignments"])
    row["single_doctor_hours"] = round(sum(alone.values()), 2)
    for station, hours in alone.items():
        row[f"single_doctor_hours_{station}"] = hours
    return row
