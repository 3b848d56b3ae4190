"""Validator figures and calendar: DST, holidays, night flags, claims, the example scenarios."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from legevakt_opt.checks import Checker, validate_roster
from legevakt_opt.scenario import Scenario, load_scenario, scenario_from_data

D = dt.date
EXAMPLES = Path("/work/shared/examples")


def district(start: str, days: int, shifts: list[dict[str, Any]], **policy: Any) -> Scenario:
    return scenario_from_data(
        {
            "name": "figures",
            "horizon": {"start": start, "days": days},
            "municipalities": [{"id": "m", "name": "M"}],
            "stations": [{"id": "A", "name": "A", "municipality": "m"}],
            "shifts": shifts,
            "doctors": [
                {"id": "d1", "name": "1", "municipality": "m", "independent": True},
                {"id": "d2", "name": "2", "municipality": "m", "independent": True, "share": 0.5},
                {"id": "d9", "name": "9", "municipality": "m", "independent": True, "exempt": True},
            ],
            "policy": policy,
        }
    )


def a(date: str, shift: str, doctor: str, role: str = "duty") -> dict[str, str]:
    return {"date": date, "shift": shift, "doctor": doctor, "role": role}


NATT: dict[str, Any] = {"id": "natt", "station": "A", "start": "23:00", "end": "08:00"}


# ---------------------------------------------------------------- real elapsed time


def test_dst_nights_are_real_hours() -> None:
    spring = Checker(district("2027-03-27", 1, [NATT]))
    assert spring.instances[("natt", D(2027, 3, 27))].hours == 8
    autumn = district("2027-10-29", 3, [NATT])
    chk = Checker(autumn)
    assert [chk.instances[("natt", D(2027, 10, d))].hours for d in (29, 30, 31)] == [9, 10, 9]
    report = validate_roster(autumn, {"assignments": [a("2027-10-30", "natt", "d1")]})
    assert report.ok
    assert report.figures.doctors["d1"].weighted_hours == pytest.approx(10.0)
    assert report.figures.required_hours == pytest.approx(28.0)
    assert report.figures.unfilled_hours == pytest.approx(18.0)


def test_dst_rest_is_real_time() -> None:
    # dag ends 2027-03-27 23:00; a day shift starting 07:00 on 03-28 is 7 h later, not 8
    shifts = [
        {"id": "kveld", "station": "A", "start": "15:00", "end": "23:00"},
        {"id": "tidlig", "station": "A", "start": "07:00", "end": "12:00"},
    ]
    sc = district("2027-03-27", 2, shifts, min_rest_hours=8)
    doc = {"assignments": [a("2027-03-27", "kveld", "d1"), a("2027-03-28", "tidlig", "d1")]}
    assert {b.rule for b in validate_roster(sc, doc).breaches} == {"rest"}
    autumn = district("2027-10-30", 2, shifts, min_rest_hours=9)
    doc = {"assignments": [a("2027-10-30", "kveld", "d1"), a("2027-10-31", "tidlig", "d1")]}
    assert validate_roster(autumn, doc).ok  # 9 h elapsed across the extra hour


def test_end_at_midnight_and_24_hour_shifts() -> None:
    shifts = [
        {"id": "kveld", "station": "A", "start": "16:00", "end": "00:00"},
        {"id": "dogn", "station": "A", "start": "08:00", "end": "08:00"},
        {"id": "morgen", "station": "A", "start": "06:00", "end": "10:00"},
        {"id": "tidlig", "station": "A", "start": "05:00", "end": "07:00"},
        {"id": "sein", "station": "A", "start": "18:00", "end": "24:00"},
    ]
    chk = Checker(district("2027-01-04", 1, shifts))
    inst = {s: chk.instances[(s, D(2027, 1, 4))] for s in ("kveld", "dogn", "morgen", "tidlig")}
    assert inst["kveld"].hours == 8 and not inst["kveld"].night
    assert inst["dogn"].hours == 24 and inst["dogn"].night
    assert inst["morgen"].hours == 4 and not inst["morgen"].night
    assert inst["tidlig"].night
    assert chk.instances[("sein", D(2027, 1, 4))].hours == 6


# ---------------------------------------------------------------- holidays and selectors


def test_default_holidays_are_norwegian() -> None:
    shifts = [
        {"id": "kveld", "station": "A", "when": ["weekday"], "start": "16:00", "end": "23:00"},
        {
            "id": "helg",
            "station": "A",
            "when": ["weekend", "holiday"],
            "start": "10:00",
            "end": "14:00",
        },
        {"id": "tor", "station": "A", "when": ["thu"], "start": "10:00", "end": "11:00"},
    ]
    # 2027-03-22 Mon .. 03-29 Mon: Maundy Thursday 25, Good Friday 26, Easter 28-29
    chk = Checker(district("2027-03-22", 8, shifts))
    kveld = sorted(d for s, d in chk.instances if s == "kveld")
    assert kveld == [D(2027, 3, 22), D(2027, 3, 23), D(2027, 3, 24)]
    helg = sorted(d for s, d in chk.instances if s == "helg")
    assert helg == [D(2027, 3, d) for d in (25, 26, 27, 28, 29)]
    assert chk.instances[("tor", D(2027, 3, 25))].weekend  # a holiday is weekend-like
    sc = district("2027-03-22", 8, shifts)
    report = validate_roster(sc, {"assignments": [a("2027-03-25", "kveld", "d1")]})
    assert [b.rule for b in report.breaches] == ["unknown"]
    report = validate_roster(sc, {"assignments": [a("2027-03-25", "tor", "d1")]})
    assert report.figures.doctors["d1"].weekends == 1


def test_explicit_holidays_replace_the_calendar() -> None:
    data = {
        "name": "h",
        "horizon": {"start": "2027-03-22", "days": 7, "holidays": ["2027-03-23"]},
        "municipalities": [{"id": "m", "name": "M"}],
        "stations": [{"id": "A", "name": "A", "municipality": "m"}],
        "shifts": [
            {"id": "k", "station": "A", "when": ["weekday"], "start": "16:00", "end": "23:00"}
        ],
        "doctors": [],
    }
    chk = Checker(scenario_from_data(data))
    assert sorted(d.day for _, d in chk.instances) == [22, 24, 25, 26]


# ---------------------------------------------------------------- figures and claims


SIMPLE: list[dict[str, Any]] = [
    {"id": "dag", "station": "A", "start": "08:00", "end": "16:00", "doctors": 2},
    {"id": "natt", "station": "A", "start": "23:00", "end": "08:00", "kind": "on_call"},
]


def simple() -> Scenario:
    return district("2027-01-04", 2, SIMPLE)


def test_figures_recomputed() -> None:
    doc = {
        "assignments": [
            a("2027-01-04", "dag", "d1"),
            a("2027-01-04", "natt", "d2"),
            a("2027-01-05", "dag", "d2"),
        ]
    }
    f = validate_roster(simple(), doc).figures
    assert f.doctors["d1"].weighted_hours == 8 and f.doctors["d1"].burden == 8
    assert f.doctors["d2"].weighted_hours == pytest.approx(8 + 9 * 0.25)
    assert f.doctors["d2"].burden == pytest.approx((8 + 9 * 0.25) / 0.5)
    assert f.doctors["d2"].nights == 1
    assert f.max_burden == pytest.approx(20.5)  # d9 is exempt and not counted
    assert f.mean_burden == pytest.approx((8 + 20.5) / 2)
    assert f.required_hours == pytest.approx(2 * (2 * 8 + 9))
    assert [(u.date, u.shift, u.missing) for u in f.unfilled] == [
        (D(2027, 1, 4), "dag", 1),
        (D(2027, 1, 5), "dag", 1),
        (D(2027, 1, 5), "natt", 1),
    ]
    assert f.unfilled_hours == pytest.approx(8 + 8 + 9)


def test_claims_equal_to_recomputed_figures_pass() -> None:
    doc: dict[str, Any] = {
        "assignments": [a("2027-01-04", "dag", "d1"), a("2027-01-04", "natt", "d2")]
    }
    figures = validate_roster(simple(), doc).to_dict()["figures"]
    doc["doctors"] = {
        d: {k: v for k, v in f.items() if k != "burden"}
        for d, f in figures["doctors"].items()
        if f["duties"]
    }
    doc["unfilled"] = figures["unfilled"]
    assert validate_roster(simple(), json.loads(json.dumps(doc))).ok


@pytest.mark.parametrize(
    ("doctors", "unfilled"),
    [
        ({"d1": {"weighted_hours": 8.5, "duties": 1, "nights": 0, "weekends": 0}}, None),
        ({"d1": {"weighted_hours": 8.0, "duties": 2, "nights": 0, "weekends": 0}}, None),
        ({"d1": {"weighted_hours": 8.0, "duties": 1, "nights": 1, "weekends": 0}}, None),
        ({"d1": {"weighted_hours": 8.0, "duties": 1, "nights": 0, "weekends": 1}}, None),
        ({}, None),  # d1 has work but no figures
        ({"d1": {"duties": 1}, "zz": {"duties": 0}}, None),  # not a doctor
        ({"d1": {"duties": "one"}}, None),
        ("d1", None),
        (None, [{"date": "2027-01-04", "shift": "dag", "missing": 1}]),  # incomplete
        (
            None,
            [
                {"date": "2027-01-04", "shift": "dag", "missing": 2},
                {"date": "2027-01-05", "shift": "dag", "missing": 2},
                {"date": "2027-01-05", "shift": "natt", "missing": 1},
            ],
        ),  # wrong count
        (
            None,
            [
                {"date": "2027-01-04", "shift": "dag", "missing": 1},
                {"date": "2027-01-04", "shift": "natt", "missing": 1},
                {"date": "2027-01-05", "shift": "dag", "missing": 2},
                {"date": "2027-01-05", "shift": "natt", "missing": 1},
            ],
        ),  # natt 01-04 is filled
        (None, [{"date": "2027-01-04", "shift": "dag"}]),
        (None, "all"),
    ],
)
def test_wrong_claims_are_figures_breaches(doctors: Any, unfilled: Any) -> None:
    doc: dict[str, Any] = {
        "assignments": [a("2027-01-04", "dag", "d1"), a("2027-01-04", "natt", "d2")]
    }
    if doctors is not None:
        doc["doctors"] = doctors
        if isinstance(doctors, dict):
            doc["doctors"].setdefault(
                "d2", {"weighted_hours": 2.25, "duties": 1, "nights": 1, "weekends": 0}
            )
    if unfilled is not None:
        doc["unfilled"] = unfilled
    report = validate_roster(simple(), doc)
    assert report.breaches
    assert {b.rule for b in report.breaches} == {"figures"}, [b.message for b in report.breaches]


def test_weighted_hours_tolerance_and_zero_doctors() -> None:
    doc = {
        "assignments": [a("2027-01-04", "natt", "d2")],
        "doctors": {
            "d2": {"weighted_hours": 2.255, "duties": 1, "nights": 1, "weekends": 0},
            "d1": {"weighted_hours": 0, "duties": 0, "nights": 0, "weekends": 0},
        },
    }
    assert validate_roster(simple(), doc).ok


def test_video_covers_and_counts_in_weighted_hours() -> None:
    data = {
        "name": "v",
        "horizon": {"start": "2027-01-04", "days": 1, "holidays": []},
        "municipalities": [{"id": "m", "name": "M"}],
        "stations": [
            {"id": "A", "name": "A", "municipality": "m"},
            {"id": "S", "name": "S", "municipality": "m", "kind": "satellite", "video_from": ["A"]},
        ],
        "shifts": [
            {"id": "kveld", "station": "A", "start": "16:00", "end": "23:00"},
            {"id": "sat", "station": "S", "start": "16:00", "end": "22:00", "video": True},
        ],
        "doctors": [{"id": "d1", "name": "1", "municipality": "m", "independent": True}],
    }
    doc = {"assignments": [a("2027-01-04", "kveld", "d1"), a("2027-01-04", "sat", "d1", "video")]}
    report = validate_roster(scenario_from_data(data), doc)
    assert report.ok
    assert report.figures.unfilled == []
    assert report.figures.doctors["d1"].weighted_hours == pytest.approx(7 + 6 * 0.25)
    assert report.figures.doctors["d1"].duties == 1


# ---------------------------------------------------------------- the example scenarios


@pytest.mark.parametrize(
    ("name", "hours"),
    [
        # 20 weekdays, 8 weekend days, no holidays, no DST change in January 2027:
        # gol-kveld and nes-kveld 7 h x 20; natt 9 h x 28;
        # helg-dag 2 x 8 h x 8; helg-kveld 2 x 7 h x 8
        ("hallingdal", 140 + 140 + 252 + 128 + 112),
        # kveld 2 x 7 h x 20; natt and natt-bered 9 h x 28; helg-dag, helg-kveld as above;
        # 4 satellites 6 h x 28
        ("molde", 280 + 252 + 252 + 128 + 112 + 4 * 6 * 28),
    ],
)
def test_examples_with_an_empty_roster(name: str, hours: int) -> None:
    sc = load_scenario(EXAMPLES / f"{name}.yaml")
    report = validate_roster(sc, {"format": "legevakt-roster/1", "assignments": []})
    assert report.ok
    chk = Checker(sc)
    assert len(report.figures.unfilled) == len(chk.instances)
    expected = sum(i.doctors * i.hours for i in chk.instances.values())
    assert report.figures.unfilled_hours == pytest.approx(expected)
    assert report.figures.unfilled_hours == pytest.approx(hours)
    assert report.figures.required_hours == pytest.approx(hours)
    assert report.figures.max_burden == 0


# ---------------------------------------------------------------- robustness


@st.composite
def rosters(draw: st.DrawFn) -> dict[str, Any]:
    dates = [f"2027-01-0{d}" for d in (3, 4, 5, 6)] + ["bad"]
    entry = st.fixed_dictionaries(
        {
            "date": st.sampled_from(dates),
            "shift": st.sampled_from(["dag", "natt", "nope"]),
            "doctor": st.sampled_from(["d1", "d2", "d9", "zz"]),
            "role": st.sampled_from(["duty", "backup", "video", "x"]),
        }
    )
    return {"assignments": draw(st.lists(entry | st.none() | st.integers(), max_size=12))}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rosters())
def test_any_roster_gives_a_report(doc: dict[str, Any]) -> None:
    sc = district(
        "2027-01-04",
        3,
        SIMPLE,
        max_shifts_in_window={"shifts": 1, "days": 2},
        max_hours_per_week=10,
    )
    report = validate_roster(sc, doc)
    json.dumps(report.to_dict())
    f = report.figures
    assert 0 <= f.unfilled_hours <= f.required_hours + 1e-9


def test_the_validator_counts_extra_holidays_and_weekend_from_itself() -> None:
    data = {
        "name": "weekends",
        "horizon": {"start": "2027-12-20", "days": 7, "extra_holidays": ["2027-12-24"]},
        "municipalities": [{"id": "m", "name": "M"}],
        "stations": [{"id": "A", "name": "A", "municipality": "m"}],
        "shifts": [{"id": "k", "station": "A", "start": "16:00", "end": "23:00"}],
        "doctors": [{"id": "d", "name": "D", "municipality": "m", "independent": True}],
        "policy": {"weekend_from": "thu 18:00"},
    }
    chk = Checker(scenario_from_data(data))
    weekend = {d.day for (_, d), inst in chk.instances.items() if inst.weekend}
    # Thursday 16:00 is before 18:00; Friday is the extra holiday; then the weekend.
    assert weekend == {24, 25, 26}
    roster = {
        "assignments": [
            {"date": f"2027-12-{d}", "shift": "k", "doctor": "d", "role": "duty"} for d in (23, 24)
        ]
    }
    assert validate_roster(scenario_from_data(data), roster).figures.doctors["d"].weekends == 1
