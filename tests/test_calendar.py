"""Calendar expansion: holidays, selectors, flags and real elapsed time across DST."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from legevakt_opt.calendar import Calendar, Instance, expand, matches, norwegian_holidays
from legevakt_opt.scenario import Scenario, load_scenario, scenario_from_data

D = dt.date
SCENARIOS = Path(__file__).parent.parent / "scenarios"


def shift(sid: str, start: str, end: str, when: list[str] | None = None, **extra: Any) -> dict:
    out: dict[str, Any] = {"id": sid, "station": "main", "start": start, "end": end, **extra}
    if when is not None:
        out["when"] = when
    return out


def scenario(
    start: str, days: int, shifts: list[dict], holidays: list[str] | None = None
) -> Scenario:
    horizon: dict[str, Any] = {"start": start, "days": days}
    if holidays is not None:
        horizon["holidays"] = holidays
    return scenario_from_data(
        {
            "name": "calendar test",
            "horizon": horizon,
            "municipalities": [{"id": "m", "name": "M"}],
            "stations": [
                {"id": "main", "name": "Main", "municipality": "m"},
                {
                    "id": "sat",
                    "name": "Sat",
                    "municipality": "m",
                    "kind": "satellite",
                    "video_from": ["main"],
                },
            ],
            "shifts": shifts,
            "doctors": [{"id": "d1", "name": "D", "municipality": "m", "independent": True}],
        }
    )


def cal(start: str, days: int, shifts: list[dict], holidays: list[str] | None = None) -> Calendar:
    return expand(scenario(start, days, shifts, holidays))


def dates_of(c: Calendar, sid: str) -> list[dt.date]:
    return [i.date for i in c.instances if i.shift == sid]


def instance(c: Calendar, sid: str, day: dt.date) -> Instance:
    return c.by_key[(sid, day)]


# ---------------------------------------------------------------- daylight saving time


def test_night_into_summer_time_is_an_hour_short() -> None:
    c = cal("2027-03-26", 4, [shift("natt", "23:00", "08:00")])
    assert instance(c, "natt", D(2027, 3, 26)).minutes == 540
    short = instance(c, "natt", D(2027, 3, 27))
    assert short.minutes == 480
    assert short.hours == 8.0
    assert instance(c, "natt", D(2027, 3, 28)).minutes == 540
    # Wall-clock bounds stay as written.
    assert short.start.hour == 23 and short.end.hour == 8 and short.end.date() == D(2027, 3, 28)


def test_night_into_winter_time_is_an_hour_long() -> None:
    c = cal("2027-10-29", 3, [shift("natt", "23:00", "08:00")])
    assert instance(c, "natt", D(2027, 10, 29)).minutes == 540
    long = instance(c, "natt", D(2027, 10, 30))
    assert long.minutes == 600
    assert long.hours == 10.0
    assert instance(c, "natt", D(2027, 10, 31)).minutes == 540


def test_minutes_are_real_elapsed_from_the_first_midnight() -> None:
    c = cal("2027-03-27", 3, [shift("dag", "08:00", "16:00")])
    first, second, third = (instance(c, "dag", D(2027, 3, d)) for d in (27, 28, 29))
    assert first.start_min == 8 * 60
    # 24 wall-clock hours after Saturday 08:00 are only 23 real hours: 02:00 was skipped.
    assert second.start_min == first.start_min + 23 * 60
    assert third.start_min == second.start_min + 24 * 60
    assert all(i.minutes == 480 for i in (first, second, third))
    assert c.to_minutes(dt.datetime(2027, 3, 28, 8, 0)) == second.start_min


def test_starts_in_the_spring_gap_sort_by_real_time() -> None:
    # 02:30 does not exist on 2027-03-28; it is read as 03:30 summer time, after 03:00.
    c = cal("2027-03-28", 1, [shift("a", "02:30", "06:00"), shift("b", "03:00", "06:00")])
    assert [i.shift for i in c.instances] == ["b", "a"]
    assert [i.start_min for i in c.instances] == sorted(i.start_min for i in c.instances)


def test_window_inside_the_spring_gap_is_not_made() -> None:
    c = cal("2027-03-27", 3, [shift("gap", "02:30", "03:00"), shift("tidlig", "02:00", "03:00")])
    assert instance(c, "gap", D(2027, 3, 27)).minutes == 30
    assert ("gap", D(2027, 3, 28)) not in c.by_key
    assert instance(c, "gap", D(2027, 3, 29)).minutes == 30
    assert c.in_gap == [("gap", D(2027, 3, 28)), ("tidlig", D(2027, 3, 28))]
    assert [i.index for i in c.instances] == list(range(len(c.instances)))


# ---------------------------------------------------------------- holidays and selectors


EASTER_SHIFTS = [
    shift("hverdag", "16:00", "23:00", ["weekday"]),
    shift("helligdag", "08:00", "16:00", ["holiday"]),
    shift("helg", "08:00", "16:00", ["weekend"]),
    shift("torsdag", "19:00", "21:00", ["thu"]),
    shift("natt", "23:00", "08:00"),
]


def test_easter_2027() -> None:
    c = cal("2027-03-22", 14, EASTER_SHIFTS)
    maundy, good_friday, easter_sunday, easter_monday = (
        D(2027, 3, 25),
        D(2027, 3, 26),
        D(2027, 3, 28),
        D(2027, 3, 29),
    )
    assert {maundy, good_friday, easter_monday, easter_sunday} <= c.holidays
    weekday_dates = set(dates_of(c, "hverdag"))
    assert not weekday_dates & {maundy, good_friday, easter_monday}
    assert weekday_dates == {
        D(2027, 3, 22),
        D(2027, 3, 23),
        D(2027, 3, 24),
        D(2027, 3, 30),
        D(2027, 3, 31),
        D(2027, 4, 1),
        D(2027, 4, 2),
    }
    assert {maundy, good_friday, easter_sunday, easter_monday} <= set(dates_of(c, "helligdag"))
    assert easter_sunday.weekday() == 6
    assert easter_sunday in dates_of(c, "helg")
    # A day-name selector matches the day whether or not it is a holiday.
    assert maundy in dates_of(c, "torsdag")
    for day in (maundy, good_friday, easter_monday, easter_sunday):
        assert instance(c, "natt", day).weekend
    assert not instance(c, "natt", D(2027, 3, 24)).weekend
    assert not instance(c, "natt", D(2027, 3, 30)).weekend


def test_seventeenth_of_may() -> None:
    c = cal("2027-05-10", 14, EASTER_SHIFTS)
    may17 = D(2027, 5, 17)
    assert may17.weekday() == 0 and may17 in c.holidays
    assert may17 not in dates_of(c, "hverdag")
    assert may17 in dates_of(c, "helligdag")
    assert instance(c, "natt", may17).weekend
    assert D(2027, 5, 18) in dates_of(c, "hverdag")


def test_explicit_empty_holidays_remove_all() -> None:
    c = cal("2027-03-22", 14, EASTER_SHIFTS, holidays=[])
    assert c.holidays == set()
    assert dates_of(c, "helligdag") == []
    assert {D(2027, 3, 25), D(2027, 3, 26), D(2027, 3, 29)} <= set(dates_of(c, "hverdag"))
    assert not instance(c, "natt", D(2027, 3, 25)).weekend
    assert instance(c, "natt", D(2027, 3, 27)).weekend  # Saturday is weekend regardless


def test_explicit_holidays_replace_the_norwegian_ones() -> None:
    c = cal("2027-03-22", 14, EASTER_SHIFTS, holidays=["2027-03-24"])
    assert c.holidays == {D(2027, 3, 24)}
    assert dates_of(c, "helligdag") == [D(2027, 3, 24)]
    assert D(2027, 3, 25) in dates_of(c, "hverdag")


def test_new_year_horizon_gets_next_years_holidays() -> None:
    c = cal("2027-12-27", 14, EASTER_SHIFTS)
    assert c.holidays == {D(2028, 1, 1)}
    assert dates_of(c, "helligdag") == [D(2028, 1, 1)]
    assert instance(c, "natt", D(2027, 12, 31)).week == D(2027, 12, 27)
    assert instance(c, "natt", D(2028, 1, 2)).week == D(2027, 12, 27)
    assert instance(c, "natt", D(2028, 1, 3)).week == D(2028, 1, 3)


def test_norwegian_holidays_are_not_every_sunday() -> None:
    days = norwegian_holidays(D(2027, 1, 1), D(2027, 12, 31))
    assert D(2027, 1, 3) not in days  # an ordinary Sunday
    assert {
        D(2027, 1, 1),
        D(2027, 5, 1),
        D(2027, 5, 6),
        D(2027, 5, 17),
        D(2027, 12, 25),
        D(2027, 12, 26),
    } <= days


def test_matches_selectors() -> None:
    hol = {D(2027, 3, 25)}
    assert matches(["all"], D(2027, 3, 25), hol)
    assert not matches(["weekday"], D(2027, 3, 25), hol)
    assert matches(["weekday", "holiday"], D(2027, 3, 25), hol)
    assert not matches(["weekend"], D(2027, 3, 25), hol)
    assert matches(["sat"], D(2027, 3, 27), hol) and not matches(["sun"], D(2027, 3, 27), hol)


def test_one_day_horizon() -> None:
    c = cal("2027-02-03", 1, EASTER_SHIFTS)
    assert c.dates == [D(2027, 2, 3)]
    assert sorted(i.shift for i in c.instances) == ["hverdag", "natt"]
    night = instance(c, "natt", D(2027, 2, 3))
    assert night.end.date() == D(2027, 2, 4)  # may end after the horizon


def test_template_matching_no_date_gives_no_instances() -> None:
    s = scenario(
        "2027-02-01",
        14,
        [shift("kveld", "16:00", "23:00"), shift("helligdag", "08:00", "16:00", ["holiday"])],
    )
    assert s.warnings() == []
    c = expand(s)
    assert dates_of(c, "helligdag") == []
    assert len(dates_of(c, "kveld")) == 14


# ---------------------------------------------------------------- flags and order


@pytest.mark.parametrize(
    ("start", "end", "night", "minutes"),
    [
        ("16:00", "23:00", False, 420),
        ("23:00", "08:00", True, 540),
        ("20:00", "00:00", False, 240),
        ("20:00", "24:00", False, 240),
        ("20:00", "00:01", True, 241),
        ("04:00", "10:00", True, 360),
        ("05:59", "10:00", True, 241),
        ("06:00", "14:00", False, 480),
        ("00:00", "06:00", True, 360),
        ("08:00", "08:00", True, 24 * 60),
    ],
)
def test_night_flag_and_length(start: str, end: str, night: bool, minutes: int) -> None:
    c = cal("2027-02-01", 1, [shift("s", start, end)])
    (inst,) = c.instances
    assert inst.night is night
    assert inst.minutes == minutes
    assert inst.end_min - inst.start_min == minutes


def test_weekend_video_and_week_flags() -> None:
    c = cal(
        "2027-02-01",
        14,
        [
            shift("kveld", "16:00", "23:00"),
            {"id": "sat-kveld", "station": "sat", "start": "16:00", "end": "20:00", "video": True},
            shift("main-video", "16:00", "20:00", video=True),
        ],
    )
    for inst in c.instances:
        assert inst.weekend is (inst.date.weekday() >= 5)
        assert inst.week == inst.date - dt.timedelta(days=inst.date.weekday())
        assert inst.week.weekday() == 0
        # Only a video shift at a satellite is video-enabled.
        assert inst.video is (inst.shift == "sat-kveld")


def test_instances_are_sorted_by_start_and_indexed() -> None:
    shifts = [
        shift("natt", "23:00", "08:00"),
        shift("kveld", "16:00", "23:00"),
        shift("dag", "08:00", "16:00", ["weekend"]),
        shift("kveld2", "16:00", "23:00", ["weekday"]),
    ]
    c = cal("2027-03-22", 14, shifts)
    starts = [i.start_min for i in c.instances]
    assert starts == sorted(starts)
    assert [i.index for i in c.instances] == list(range(len(c.instances)))
    assert [i.start for i in c.instances] == sorted(
        (i.start for i in c.instances), key=lambda t: t.timestamp()
    )
    # Same start: template order decides.
    same = [i.shift for i in c.instances if i.date == D(2027, 3, 22) and i.start.hour == 16]
    assert same == ["kveld", "kveld2"]
    assert len(c.by_key) == len(c.instances)


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_scenario_files_expand(path: Path) -> None:
    s = load_scenario(path)
    c = expand(s)
    assert c.instances
    assert all(i.minutes > 0 for i in c.instances)
    assert all(s.horizon.start <= i.date <= s.horizon.end for i in c.instances)
    starts = [i.start_min for i in c.instances]
    assert starts == sorted(starts)


def test_satellites_scenario_crosses_easter_and_dst() -> None:
    c = expand(load_scenario(SCENARIOS / "satellites-video.yaml"))
    assert {D(2027, 3, 25), D(2027, 3, 26), D(2027, 3, 29)} <= c.holidays
    assert c.by_key[("forde-natt", D(2027, 3, 27))].minutes == 480
    assert ("askvoll-kveld", D(2027, 3, 25)) not in c.by_key
    assert c.by_key[("forde-dag", D(2027, 3, 25))].weekend
    assert c.by_key[("hoyanger-kveld", D(2027, 3, 22))].video


# ---------------------------------------------------------------- the district's own counting


def test_extra_holidays_add_to_norways() -> None:
    # Julaften and nyttårsaften are not public holidays; a district counts them as one.
    data = scenario("2027-12-20", 14, [shift("kveld", "16:00", "23:00", ["weekday"])]).to_document()
    data["horizon"]["extra_holidays"] = ["2027-12-24", "2027-12-31"]
    c = expand(scenario_from_data(data))
    assert {D(2027, 12, 24), D(2027, 12, 31), D(2027, 12, 25), D(2027, 12, 26)} <= c.holidays
    weekday_dates = dates_of(c, "kveld")
    assert D(2027, 12, 24) not in weekday_dates and D(2027, 12, 23) in weekday_dates
    assert D(2027, 12, 30) in weekday_dates and D(2027, 12, 31) not in weekday_dates
    # With an explicit list of holidays, the extra ones are added to that list.
    data["horizon"]["holidays"] = []
    assert expand(scenario_from_data(data)).holidays == {D(2027, 12, 24), D(2027, 12, 31)}


def test_weekend_from_friday_evening() -> None:
    shifts = [shift("dag", "08:00", "16:00"), shift("kveld", "16:00", "23:00")]
    data = scenario("2027-01-04", 7, shifts).to_document()
    plain = expand(scenario_from_data(data))
    data["policy"]["weekend_from"] = "fri 16:00"
    counted = expand(scenario_from_data(data))
    friday = D(2027, 1, 8)
    assert not instance(plain, "kveld", friday).weekend
    assert instance(counted, "kveld", friday).weekend
    assert not instance(counted, "dag", friday).weekend  # 08:00 is before 16:00
    assert not instance(counted, "kveld", D(2027, 1, 7)).weekend  # Thursday
    assert all(instance(counted, s, D(2027, 1, 9)).weekend for s in ("dag", "kveld"))
