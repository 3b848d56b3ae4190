"""When a shift template runs: Norwegian holidays, date selectors, and whether its window
lasts any real time on a date (the hour skipped in spring does not).

The calendar builds its instances from these, and the scenario's own checks use them to
tell whether a fixed assignment names an instance that exists. The validator computes the
same things its own way (``checks/timeline.py``), on purpose.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import holidays as holidays_lib

OSLO = ZoneInfo("Europe/Oslo")
_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def local(day: dt.date, clock: dt.time = dt.time()) -> dt.datetime:
    """An aware Europe/Oslo datetime for a wall-clock time (the earlier one if repeated)."""
    return dt.datetime.combine(day, clock, tzinfo=OSLO)


def elapsed_minutes(origin: dt.datetime, moment: dt.datetime) -> int:
    """Real minutes from ``origin`` to ``moment`` (both aware)."""
    return round((moment.astimezone(dt.UTC) - origin.astimezone(dt.UTC)).total_seconds() / 60)


def norwegian_holidays(first: dt.date, last: dt.date) -> set[dt.date]:
    """Norwegian public holidays (not every Sunday) between two dates, inclusive."""
    years = range(first.year, last.year + 1)
    table = holidays_lib.country_holidays("NO", years=years, include_sundays=False)
    return {d for d in table if first <= d <= last}


def holidays_of(first: dt.date, last: dt.date, given: list[dt.date] | None) -> set[dt.date]:
    """A horizon's holidays: the listed ones, or Norway's public holidays when none are."""
    return set(given) if given is not None else norwegian_holidays(first, last)


def is_weekend(
    day: dt.date, start: dt.time, holidays: set[dt.date], weekend_from: tuple[int, dt.time] | None
) -> bool:
    """Whether duty starting at ``start`` on ``day`` counts as weekend: a Saturday, a Sunday
    or a holiday, or (``weekend_from``) at or after that moment of the week."""
    if day.weekday() >= 5 or day in holidays:
        return True
    return weekend_from is not None and (day.weekday(), start) >= weekend_from


def matches(when: list[str], day: dt.date, holidays: set[dt.date]) -> bool:
    """Whether any of a template's date selectors matches ``day``."""
    name = _DAY_NAMES[day.weekday()]
    is_holiday = day in holidays
    for sel in when:
        if (
            sel == "all"
            or sel == name
            or (sel == "weekday" and day.weekday() < 5 and not is_holiday)
            or (sel == "weekend" and day.weekday() >= 5)
            or (sel == "holiday" and is_holiday)
        ):
            return True
    return False


def window(day: dt.date, start: dt.time, end: dt.time) -> tuple[dt.datetime, dt.datetime]:
    """A template's aware window on a date; an end at or before the start is the next date."""
    end_day = day if end > start else day + dt.timedelta(days=1)
    return local(day, start), local(end_day, end)


def lasts(day: dt.date, start: dt.time, end: dt.time) -> bool:
    """Whether the window lasts any real time: 02:30–03:00 on the spring-forward date does
    not exist on the clock, so it is no shift."""
    begin, finish = window(day, start, end)
    return elapsed_minutes(begin, finish) > 0


DAY_WORDS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
