"""An independent checker for Curtois & Qu solutions: recomputes the objective and every
hard rule from the assignments alone. It imports no solver code and no rule module."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from legevakt_opt.bench.curtois import CurtoisInstance


@dataclass
class CheckReport:
    objective: int
    breaches: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.breaches


def _runs(worked: list[bool], value: bool) -> list[tuple[int, int]]:
    """(first, last) of each maximal run of days equal to ``value``."""
    out, start = [], None
    for d, w in enumerate([*worked, not value]):
        if w == value and start is None:
            start = d
        elif w != value and start is not None:
            out.append((start, d - 1))
            start = None
    return out


def check_solution(inst: CurtoisInstance, assignments: list[dict[str, Any]]) -> CheckReport:
    breaches: list[str] = []
    staff = {e.id: e for e in inst.staff}
    plan: dict[str, dict[int, str]] = defaultdict(dict)
    for a in assignments:
        emp, day, shift = a["employee"], a["day"], a["shift"]
        if emp not in staff or shift not in inst.lengths or not 0 <= day < inst.days:
            breaches.append(f"unknown assignment {a}")
            continue
        if day in plan[emp]:
            breaches.append(f"{emp} has two shifts on day {day}")
        plan[emp][day] = shift
    for emp_id, e in staff.items():
        days = plan.get(emp_id, {})
        for d in sorted(days):
            if d in inst.days_off.get(emp_id, set()):
                breaches.append(f"{emp_id} works on day off {d}")
            nxt = days.get(d + 1)
            if nxt is not None and nxt in inst.cannot_follow.get(days[d], set()):
                breaches.append(f"{emp_id}: {nxt} on day {d + 1} may not follow {days[d]}")
        counts = Counter(days.values())
        for s, n in counts.items():
            if n > e.max_shifts.get(s, 0):
                breaches.append(f"{emp_id} works {n} × {s}, at most {e.max_shifts.get(s, 0)}")
        minutes = sum(inst.lengths[s] for s in days.values())
        if not e.min_minutes <= minutes <= e.max_minutes:
            breaches.append(
                f"{emp_id} works {minutes} min, allowed {e.min_minutes}..{e.max_minutes}"
            )
        worked = [d in days for d in range(inst.days)]
        for first, last in _runs(worked, True):
            length = last - first + 1
            if length > e.max_consecutive:
                breaches.append(f"{emp_id} works {length} days in a row from day {first}")
            touches = first == 0 or last == inst.days - 1
            if length < e.min_consecutive and not touches:
                breaches.append(f"{emp_id} works only {length} days in a row from day {first}")
        for first, last in _runs(worked, False):
            length = last - first + 1
            touches = first == 0 or last == inst.days - 1
            if length < e.min_days_off and not touches:
                breaches.append(f"{emp_id} has only {length} days off in a row from day {first}")
        weekends = sum(
            1 for sat, sun in inst.weekends if worked[sat] or (sun < inst.days and worked[sun])
        )
        if weekends > e.max_weekends:
            breaches.append(f"{emp_id} works {weekends} weekends, at most {e.max_weekends}")
    objective = 0
    for emp, day, shift, weight in inst.on_requests:
        if plan.get(emp, {}).get(day) != shift:
            objective += weight
    for emp, day, shift, weight in inst.off_requests:
        if plan.get(emp, {}).get(day) == shift:
            objective += weight
    on_duty = Counter((d, s) for days in plan.values() for d, s in days.items())
    for day, shift, required, under, over in inst.cover:
        have = on_duty[day, shift]
        objective += under * max(0, required - have) + over * max(0, have - required)
    return CheckReport(objective, breaches)
