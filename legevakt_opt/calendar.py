"""Shift instances: templates expanded over the horizon, in real elapsed time.

Every time in a scenario is Europe/Oslo wall-clock time. The model works in whole
minutes since the horizon's first midnight, measured in real elapsed time, so a night
across a daylight-saving change is 60 minutes shorter or longer than its wall-clock span.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from legevakt_opt.scenario import Scenario, ShiftTemplate, StationKind
from legevakt_opt.scenario.dates import (
    OSLO,
    elapsed_minutes,
    is_weekend,
    local,
    matches,
    norwegian_holidays,
)
from legevakt_opt.scenario.dates import window as clock_window
from legevakt_opt.scenario.fields import week_moment

__all__ = [
    "OSLO",
    "Calendar",
    "Instance",
    "elapsed_minutes",
    "expand",
    "local",
    "matches",
    "norwegian_holidays",
    "window",
]


@dataclass(frozen=True)
class Instance:
    """One shift instance (vakt): a template on one date."""

    index: int
    shift: str
    date: dt.date
    station: str
    kind: str  # "on_site" | "on_call"
    doctors: int
    start: dt.datetime  # aware, Europe/Oslo
    end: dt.datetime
    start_min: int  # real minutes since the horizon's first midnight
    end_min: int
    night: bool
    weekend: bool
    video: bool  # a video-enabled shift at a satellite station
    week: dt.date  # the Monday of the week the instance starts in

    @property
    def minutes(self) -> int:
        return self.end_min - self.start_min

    @property
    def hours(self) -> float:
        return self.minutes / 60

    @property
    def key(self) -> tuple[str, dt.date]:
        return (self.shift, self.date)


def _touches_night(start: dt.datetime, end: dt.datetime) -> bool:
    """Whether [start, end) shares a moment with 00:00–06:00 of any date."""
    day = start.date() - dt.timedelta(days=1)
    while day <= end.date():
        lo, hi = local(day), local(day, dt.time(6))
        if max(lo, start) < min(hi, end):
            return True
        day += dt.timedelta(days=1)
    return False


@dataclass(frozen=True)
class PastDuty:
    """A duty or backup from the previous period (``doctors[].history``), on the same real
    time axis as the instances (so its minutes are negative, or reach into the horizon)."""

    start_min: int
    end_min: int
    date: dt.date  # the date it started
    week: dt.date  # the Monday of that week
    role: str  # duty | backup
    kind: str  # on_site | on_call
    night: bool
    begin: dt.time  # the local clock time it started
    finish: dt.datetime  # the naive local moment it ended

    @property
    def minutes(self) -> int:
        return self.end_min - self.start_min


def window(day: dt.date, template: ShiftTemplate) -> tuple[dt.datetime, dt.datetime]:
    """The aware window of a template on a date; an end at or before start is next date."""
    return clock_window(day, template.start, template.end)


@dataclass
class Calendar:
    """All shift instances of a scenario, in start order."""

    scenario: Scenario
    holidays: set[dt.date]
    origin: dt.datetime
    instances: list[Instance] = field(default_factory=list)
    #: (template, date) pairs not made: their window lasts no real time (see :func:`expand`).
    in_gap: list[tuple[str, dt.date]] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        """What the coordinator should know about the calendar the rules will see."""
        return [
            f"shifts: {shift} on {day.isoformat()} lies in the hour skipped when the clocks "
            "go forward; it lasts no time and is not rostered"
            for shift, day in self.in_gap
        ]

    @cached_property
    def by_key(self) -> dict[tuple[str, dt.date], Instance]:
        return {inst.key: inst for inst in self.instances}

    @property
    def dates(self) -> list[dt.date]:
        return self.scenario.horizon.dates

    def day_index(self, day: dt.date) -> int:
        return (day - self.scenario.horizon.start).days

    def past(self, doctor_id: str) -> list[PastDuty]:
        """A doctor's duties from the previous period, in time order."""
        doctor = next((d for d in self.scenario.doctors if d.id == doctor_id), None)
        if doctor is None or doctor.history is None:
            return []
        out = []
        for h in doctor.history.duties:
            assert isinstance(h.start, dt.datetime) and isinstance(h.end, dt.datetime)
            start, end = h.start.replace(tzinfo=OSLO), h.end.replace(tzinfo=OSLO)
            day = h.start.date()
            out.append(
                PastDuty(
                    start_min=self.to_minutes(start),
                    end_min=self.to_minutes(end),
                    date=day,
                    week=day - dt.timedelta(days=day.weekday()),
                    role=h.role,
                    kind=h.kind.value,
                    night=_touches_night(start, end),
                    begin=h.start.time(),
                    finish=h.end,
                )
            )
        return sorted(out, key=lambda p: (p.start_min, p.end_min))

    def to_minutes(self, moment: dt.datetime) -> int:
        """Real minutes since the origin of a naive local or an aware datetime."""
        aware = moment if moment.tzinfo else moment.replace(tzinfo=OSLO)
        return elapsed_minutes(self.origin, aware)


def expand(scenario: Scenario) -> Calendar:
    """Expand every template on every matching horizon date."""
    horizon = scenario.horizon
    dates = horizon.dates
    holiday_set = horizon.holiday_dates
    weekend_from = (
        week_moment(scenario.policy.weekend_from) if scenario.policy.weekend_from else None
    )
    origin = local(dates[0])
    stations = {s.id: s for s in scenario.stations}
    raw: list[tuple[int, int, dt.date, ShiftTemplate]] = []
    for order, template in enumerate(scenario.shifts):
        for day in dates:
            if matches(list(template.when), day, holiday_set):
                # Sort on real elapsed minutes: aware datetimes that share a tzinfo compare
                # by wall clock, which misorders a start in the spring-forward gap.
                start_min = elapsed_minutes(origin, window(day, template)[0])
                raw.append((start_min, order, day, template))
    raw.sort(key=lambda r: (r[0], r[1]))
    instances: list[Instance] = []
    in_gap: list[tuple[str, dt.date]] = []
    for _, _, day, template in raw:
        start, end = window(day, template)
        start_min, end_min = elapsed_minutes(origin, start), elapsed_minutes(origin, end)
        if end_min <= start_min:
            # Inside the spring-forward gap (02:30-03:00 on the DST date): no real time, so
            # no shift. Made, it would be held beside a night at no cost; the validator
            # takes the same decision.
            in_gap.append((template.id, day))
            continue
        instances.append(
            Instance(
                index=len(instances),
                shift=template.id,
                date=day,
                station=template.station,
                kind=template.kind.value,
                doctors=template.doctors,
                start=start,
                end=end,
                start_min=start_min,
                end_min=end_min,
                night=_touches_night(start, end),
                weekend=is_weekend(day, template.start, holiday_set, weekend_from),
                video=template.video and stations[template.station].kind is StationKind.SATELLITE,
                week=day - dt.timedelta(days=day.weekday()),
            )
        )
    return Calendar(
        scenario=scenario,
        holidays=holiday_set,
        origin=origin,
        instances=instances,
        in_gap=sorted(in_gap, key=lambda k: (k[1], k[0])),
    )
