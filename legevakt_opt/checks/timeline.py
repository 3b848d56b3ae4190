"""Shift instances and their real-time windows, recomputed from the scenario alone.

The validator deliberately does not reuse the solver's calendar: if both derived
windows the same wrong way, a checked roster would prove nothing. Every window is
held as whole UTC minutes, so lengths, gaps and overlaps are real elapsed time
across daylight-saving changes, and as Europe/Oslo datetimes for messages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import holidays

from legevakt_opt.scenario import DutyKind, Scenario, ShiftTemplate, StationKind

OSLO = ZoneInfo("Europe/Oslo")
_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_NIGHT_END = dt.time(6, 0)


def minutes(local: dt.datetime) -> int:
    """Whole UTC minutes since the epoch of an Oslo wall-clock time (naive or Oslo-aware).

    Naive times are read as Oslo local; a time that does not exist or is repeated at
    a DST change takes the offset before the change (``fold=0``).
    """
    aware = local if local.tzinfo is not None else local.replace(tzinfo=OSLO)
    return int(aware.timestamp()) // 60


def local_text(moment: dt.datetime) -> str:
    """``2027-01-09 18:00``: how messages show a moment."""
    return moment.strftime("%Y-%m-%d %H:%M")


def holiday_dates(scenario: Scenario) -> frozenset[dt.date]:
    """The scenario's holidays, or Norway's public holidays (not ordinary Sundays), and its
    extra holidays."""
    extra = frozenset(scenario.horizon.extra_holidays)
    if scenario.horizon.holidays is not None:
        return frozenset(scenario.horizon.holidays) | extra
    years = sorted({d.year for d in scenario.horizon.dates})
    table = holidays.country_holidays("NO", years=years, include_sundays=False)
    return frozenset(table.keys()) | extra


def _weekend_from(scenario: Scenario) -> tuple[int, dt.time] | None:
    """``policy.weekend_from`` (``fri 16:00``) as a weekday and a time, read here again."""
    text = scenario.policy.weekend_from
    if text is None:
        return None
    name, clock = text.split()
    hour, minute = clock.split(":")
    return _DAY_NAMES.index(name), dt.time(int(hour), int(minute))


def selector_matches(selector: str, date: dt.date, holiday: bool) -> bool:
    """Whether one ``when`` selector picks ``date``."""
    weekday = date.weekday()
    if selector == "all":
        return True
    if selector == "weekday":
        return weekday < 5 and not holiday
    if selector == "weekend":
        return weekday >= 5
    if selector == "holiday":
        return holiday
    return _DAY_NAMES[weekday] == selector


def template_matches(template: ShiftTemplate, date: dt.date, holiday: bool) -> bool:
    """Whether a template makes an instance on ``date`` (any selector suffices)."""
    return any(selector_matches(s, date, holiday) for s in template.when)


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    """Positive-length overlap of two half-open intervals."""
    return a_start < b_end and b_start < a_end


@dataclass(frozen=True, slots=True)
class Instance:
    """One shift instance with everything the rules ask of it, computed once.

    ``start``/``end`` are UTC minutes (half-open window); ``begin``/``finish`` the same
    moments in Oslo time for messages.
    """

    shift: str
    date: dt.date
    index: int  # position of ``date`` in the horizon
    station: str
    kind: str  # on_site | on_call
    doctors: int
    video_enabled: bool  # a video template at a satellite station
    video_from: frozenset[str]
    start: int
    end: int
    begin: dt.datetime
    finish: dt.datetime
    hours: float
    night: bool
    weekend: bool
    week: dt.date  # the Monday of the week the instance starts in
    duty_weight: float

    @property
    def label(self) -> str:
        """``natt 2027-01-09``."""
        return f"{self.shift} {self.date.isoformat()}"


def _is_night(date: dt.date, start: int, end: int) -> bool:
    """Whether [start, end) shares a positive-length moment with 00:00–06:00 of some date.

    A window lasts at most 24 h from ``date``, so only ``date`` and the next two dates'
    early mornings can be touched.
    """
    for k in range(3):
        day = date + dt.timedelta(days=k)
        lo = minutes(dt.datetime.combine(day, dt.time()))
        hi = minutes(dt.datetime.combine(day, _NIGHT_END))
        if overlaps(start, end, lo, hi):
            return True
    return False


def build_instances(
    scenario: Scenario,
) -> tuple[dict[tuple[str, dt.date], Instance], frozenset[tuple[str, dt.date]]]:
    """Every shift instance of the horizon, keyed by ``(shift id, start date)``, and the
    keys of those not made: a window that lasts no real time (it lies in the hour skipped
    when the clocks go forward) is no shift, as the calendar also decides."""
    holiday_set = holiday_dates(scenario)
    weekend_from = _weekend_from(scenario)
    stations = {s.id: s for s in scenario.stations}
    weights = scenario.policy.weights
    out: dict[tuple[str, dt.date], Instance] = {}
    gap: set[tuple[str, dt.date]] = set()
    for index, date in enumerate(scenario.horizon.dates):
        holiday = date in holiday_set
        for template in scenario.shifts:
            if not template_matches(template, date, holiday):
                continue
            station = stations[template.station]
            end_date = date if template.end > template.start else date + dt.timedelta(days=1)
            begin = dt.datetime.combine(date, template.start, tzinfo=OSLO)
            finish = dt.datetime.combine(end_date, template.end, tzinfo=OSLO)
            start_min, end_min = minutes(begin), minutes(finish)
            if end_min <= start_min:
                gap.add((template.id, date))
                continue
            satellite = station.kind is StationKind.SATELLITE
            out[(template.id, date)] = Instance(
                shift=template.id,
                date=date,
                index=index,
                station=template.station,
                kind=str(template.kind.value),
                doctors=template.doctors,
                video_enabled=template.video and satellite,
                video_from=frozenset(station.video_from),
                start=start_min,
                end=end_min,
                begin=begin,
                finish=finish,
                hours=(end_min - start_min) / 60,
                night=_is_night(date, start_min, end_min),
                weekend=date.weekday() >= 5
                or holiday
                or (weekend_from is not None and (date.weekday(), template.start) >= weekend_from),
                week=date - dt.timedelta(days=date.weekday()),
                duty_weight=(
                    weights.on_site if template.kind is DutyKind.ON_SITE else weights.on_call
                ),
            )
    return out, frozenset(gap)


#: The "shift" of a duty from the previous period (``doctors[].history``) in messages.
PREVIOUS = "the previous period's duty"


def past_duties(scenario: Scenario, doctor_id: str) -> list[Held]:
    """A doctor's duties from the previous period as held instances on the same time line
    (their day numbers before the horizon are negative), so rest, work periods, windows
    and the first week's cap see them; no breach is ever reported on one of them."""
    doctor = next((d for d in scenario.doctors if d.id == doctor_id), None)
    if doctor is None or doctor.history is None:
        return []
    weights = scenario.policy.weights
    out = []
    for h in doctor.history.duties:
        assert isinstance(h.start, dt.datetime) and isinstance(h.end, dt.datetime)
        date = h.start.date()
        start, end = minutes(h.start), minutes(h.end)
        duty_weight = weights.on_site if h.kind is DutyKind.ON_SITE else weights.on_call
        inst = Instance(
            shift=PREVIOUS,
            date=date,
            index=(date - scenario.horizon.start).days,
            station="",
            kind=str(h.kind.value),
            doctors=1,
            video_enabled=False,
            video_from=frozenset(),
            start=start,
            end=end,
            begin=h.start.replace(tzinfo=OSLO),
            finish=h.end.replace(tzinfo=OSLO),
            hours=(end - start) / 60,
            night=_is_night(date, start, end),
            weekend=False,
            week=date - dt.timedelta(days=date.weekday()),
            duty_weight=duty_weight,
        )
        out.append(Held(inst, h.role))
    return sorted(out, key=lambda x: (x.start, x.end))


def from_minutes(value: int) -> dt.datetime:
    """The Oslo wall-clock time of UTC minutes (inverse of :func:`minutes`)."""
    return dt.datetime.fromtimestamp(value * 60, tz=OSLO)


@dataclass(frozen=True, slots=True)
class Held:
    """An instance held by one doctor in one role (``duty``, ``backup`` or ``video``)."""

    instance: Instance
    role: str

    @property
    def start(self) -> int:
        return self.instance.start

    @property
    def end(self) -> int:
        return self.instance.end
