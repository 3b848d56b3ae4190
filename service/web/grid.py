"""What the roster page shows, made from the scenario and the roster document: the grid
of dates × shifts (who is on each instance, bakvakt and video marked, unfilled cells with
their reasons), the per-doctor figures, and the weeks to page through."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from legevakt_opt.calendar import Instance, expand
from legevakt_opt.scenario import Scenario

VIEWS = ("week", "month", "all")


@dataclass
class Person:
    id: str
    name: str
    role: str  # duty | backup | video


@dataclass
class Cell:
    date: dt.date
    shift: str
    exists: bool
    people: list[Person] = field(default_factory=list)
    missing: int = 0
    blocked_by: dict[str, int] = field(default_factory=dict)
    start: str = ""
    end: str = ""
    night: bool = False


@dataclass
class Row:
    date: dt.date
    weekend: bool
    holiday: bool
    cells: list[Cell]


@dataclass
class Column:
    id: str
    start: str
    end: str
    station: str


@dataclass
class Grid:
    shifts: list[Column]
    rows: list[Row]
    first: dt.date
    last: dt.date
    previous: dt.date | None
    following: dt.date | None


def _clock(value: Any) -> str:
    return value.strftime("%H:%M") if isinstance(value, dt.time) else str(value)


def _instances(scenario: Scenario) -> tuple[dict[tuple[dt.date, str], Instance], set[dt.date]]:
    calendar = expand(scenario)
    return {(i.date, i.shift): i for i in calendar.instances}, calendar.holidays


def window(scenario: Scenario, view: str, at: dt.date | None) -> tuple[dt.date, dt.date]:
    """The dates a view shows: the ISO week (Monday to Sunday) or the month around ``at``,
    or the whole horizon; always inside the horizon."""
    start, end = scenario.horizon.start, scenario.horizon.end
    at = min(max(at or start, start), end)
    if view == "week":
        first = at - dt.timedelta(days=at.weekday())
        last = first + dt.timedelta(days=6)
    elif view == "month":
        first = at.replace(day=1)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        last = following - dt.timedelta(days=1)
    else:
        first, last = start, end
    return max(first, start), min(last, end)


def build_grid(
    scenario: Scenario, roster: dict[str, Any], view: str = "week", at: dt.date | None = None
) -> Grid:
    instances, holidays = _instances(scenario)
    names = {d.id: d.name for d in scenario.doctors}
    people: dict[tuple[str, str], list[Person]] = defaultdict(list)
    order = {"duty": 0, "backup": 1, "video": 2}
    for a in roster.get("assignments", []):
        key = (str(a["date"]), str(a["shift"]))
        people[key].append(Person(a["doctor"], names.get(a["doctor"], a["doctor"]), a["role"]))
    unfilled = {(str(u["date"]), str(u["shift"])): u for u in roster.get("unfilled", [])}
    first, last = window(scenario, view, at)
    rows = []
    day = first
    while day <= last:
        cells = []
        for shift in scenario.shifts:
            inst = instances.get((day, shift.id))
            key = (day.isoformat(), shift.id)
            gap = unfilled.get(key, {})
            cells.append(
                Cell(
                    date=day,
                    shift=shift.id,
                    exists=inst is not None,
                    people=sorted(people.get(key, []), key=lambda p: (order[p.role], p.name)),
                    missing=int(gap.get("missing", 0)),
                    blocked_by=dict(gap.get("blocked_by") or {}),
                    start=inst.start.strftime("%H:%M") if inst else "",
                    end=inst.end.strftime("%H:%M") if inst else "",
                    night=inst.night if inst else False,
                )
            )
        rows.append(Row(day, day.weekday() >= 5 or day in holidays, day in holidays, cells))
        day += dt.timedelta(days=1)
    start, end = scenario.horizon.start, scenario.horizon.end
    step = {"week": 7, "month": 31}.get(view)
    previous = following = None
    if step is not None:
        if first > start:
            previous = window(scenario, view, first - dt.timedelta(days=1))[0]
        if last < end:
            following = last + dt.timedelta(days=1)
    stations = {s.id: s.name for s in scenario.stations}
    columns = [
        Column(s.id, _clock(s.start), _clock(s.end), stations.get(s.station, s.station))
        for s in scenario.shifts
    ]
    return Grid(columns, rows, first, last, previous, following)


@dataclass
class DoctorLine:
    id: str
    name: str
    share: float
    exempt: bool
    duties: int
    weighted_hours: float
    nights: int
    weekends: int
    burden: float
    backups: int
    videos: int
    cap: float | None  # the doctor's weekly cap: their own, else the policy's


def doctor_lines(scenario: Scenario, roster: dict[str, Any]) -> list[DoctorLine]:
    figures = roster.get("doctors") or {}
    out = []
    for d in scenario.doctors:
        f = figures.get(d.id, {})
        out.append(
            DoctorLine(
                id=d.id,
                name=d.name,
                share=d.share,
                exempt=d.exempt,
                duties=int(f.get("duties", 0)),
                weighted_hours=float(f.get("weighted_hours", 0.0)),
                nights=int(f.get("nights", 0)),
                weekends=int(f.get("weekends", 0)),
                burden=float(f.get("burden", 0.0)),
                backups=int(f.get("backups", 0)),
                videos=int(f.get("videos", 0)),
                cap=d.max_hours_per_week
                if d.max_hours_per_week is not None
                else scenario.policy.max_hours_per_week,
            )
        )
    return out


@dataclass
class Duty:
    date: dt.date
    shift: str
    role: str
    start: str
    end: str
    station: str
    night: bool
    weekend: bool


def duties_of(scenario: Scenario, roster: dict[str, Any], doctor: str) -> list[Duty]:
    instances, _ = _instances(scenario)
    stations = {s.id: s.name for s in scenario.stations}
    out = []
    for a in roster.get("assignments", []):
        if a["doctor"] != doctor:
            continue
        day = dt.date.fromisoformat(str(a["date"]))
        inst = instances.get((day, str(a["shift"])))
        if inst is None:
            continue
        out.append(
            Duty(
                day,
                inst.shift,
                a["role"],
                inst.start.strftime("%H:%M"),
                inst.end.strftime("%H:%M"),
                stations.get(inst.station, inst.station),
                inst.night,
                inst.weekend,
            )
        )
    return sorted(out, key=lambda x: (x.date, x.start, x.shift))


def weeks_in(scenario: Scenario) -> float:
    return scenario.horizon.days / 7
