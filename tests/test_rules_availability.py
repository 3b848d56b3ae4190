"""Hard rule 1, known and able: exempt doctors, absences (whole dates and time ranges,
half-open), and the stations a doctor may work on site at."""

from __future__ import annotations

from typing import Any

from legevakt_opt.scenario import Scenario
from tests.helpers import (
    MONDAY,
    broken_rules,
    build,
    day,
    doctor,
    held,
    shift,
    solve_optimal,
    station,
    unfilled,
    value,
)

DAG = shift("dag", "08:00", "16:00")


def test_exempt_absent_and_wrong_station_doctors_leave_the_shift_unfilled() -> None:
    scn = build(
        [DAG],
        [
            doctor("fritak", exempt=True),
            doctor("borte", unavailable=[{"from": MONDAY, "to": MONDAY}]),
            doctor("annen", stations=["B"]),
        ],
        stations=[station("A"), station("B")],
    )
    result = solve_optimal(scn)
    assert result.roster["assignments"] == []
    assert value(result, "unfilled") == 8
    entry = unfilled(result)[MONDAY, "dag"]
    assert entry["missing"] == 1
    assert entry["blocked_by"] == {"exempt": 1, "station": 1, "unavailable": 1}


def test_the_one_able_doctor_gets_the_shift() -> None:
    scn = build(
        [DAG],
        [
            doctor("fritak", exempt=True),
            doctor("borte", unavailable=[{"from": MONDAY, "to": MONDAY}]),
            doctor("annen", stations=["B"]),
            doctor("her", stations=["A"]),
        ],
        stations=[station("A"), station("B")],
    )
    result = solve_optimal(scn)
    assert value(result, "unfilled") == 0
    assert held(result, "her") == [(MONDAY, "dag")]
    for other in ("fritak", "borte", "annen"):
        assert held(result, other) == []
        assert result.roster["doctors"][other]["weighted_hours"] == 0


def test_an_absence_that_touches_the_window_does_not_block_it() -> None:
    # Windows and absences are half-open: 16:00-18:00 shares no moment with 08:00-16:00.
    touching = {"from": f"{MONDAY}T16:00", "to": f"{MONDAY}T18:00"}
    result = solve_optimal(build([DAG], [doctor("d1", unavailable=[touching])]))
    assert value(result, "unfilled") == 0
    assert held(result, "d1") == [(MONDAY, "dag")]


def test_an_absence_overlapping_the_window_by_one_minute_blocks_it() -> None:
    overlapping = {"from": f"{MONDAY}T15:59", "to": f"{MONDAY}T18:00"}
    result = solve_optimal(build([DAG], [doctor("d1", unavailable=[overlapping])]))
    assert value(result, "unfilled") == 8
    assert unfilled(result)[MONDAY, "dag"]["blocked_by"] == {"unavailable": 1}


def test_a_whole_date_absence_blocks_the_night_running_into_it() -> None:
    # The Monday night 23:00-08:00 ends on Tuesday, the date the doctor is away.
    natt = shift("natt", "23:00", "08:00")
    away = {"from": day(1), "to": day(1)}
    result = solve_optimal(build([natt], [doctor("d1", unavailable=[away])], days=2))
    # Monday's night runs into Tuesday; Tuesday's night starts on Tuesday: both blocked.
    assert value(result, "unfilled") == 18
    assert set(unfilled(result)) == {(MONDAY, "natt"), (day(1), "natt")}
    # Away only in the daytime between the two nights: both nights are free.
    away_tuesday_only = {"from": f"{day(1)}T09:00", "to": f"{day(1)}T22:00"}
    result = solve_optimal(build([natt], [doctor("d1", unavailable=[away_tuesday_only])], days=2))
    assert value(result, "unfilled") == 0


def test_station_list_limits_duty_but_not_backup() -> None:
    # 'stations' restricts on-site duty only: the doctor restricted to B may be bakvakt at A.
    scn = build(
        [DAG],
        [doctor("lis", independent=False, category="lis1"), doctor("b-only", stations=["B"])],
        stations=[station("A"), station("B")],
    )
    result = solve_optimal(scn)
    assert value(result, "unfilled") == 0
    assert held(result, "lis", "duty") == [(MONDAY, "dag")]
    assert held(result, "b-only", "backup") == [(MONDAY, "dag")]


# ------------------------------------------------------------ the validator catches breaches


def _unfilled_roster_and_scenario() -> tuple[Scenario, dict[str, Any]]:
    scn = build(
        [DAG],
        [
            doctor("fritak", exempt=True),
            doctor("borte", unavailable=[{"from": f"{MONDAY}T12:00", "to": f"{MONDAY}T13:00"}]),
            doctor("annen", stations=["B"]),
        ],
        stations=[station("A"), station("B")],
    )
    return scn, solve_optimal(scn).roster


def test_validator_rejects_a_duty_for_an_exempt_doctor() -> None:
    scn, roster = _unfilled_roster_and_scenario()
    assert broken_rules(scn, roster) == set()
    assert broken_rules(scn, roster, add=[(MONDAY, "dag", "fritak", "duty")]) == {"exempt"}


def test_validator_rejects_a_duty_for_an_absent_doctor() -> None:
    scn, roster = _unfilled_roster_and_scenario()
    assert broken_rules(scn, roster, add=[(MONDAY, "dag", "borte", "duty")]) == {"unavailable"}


def test_validator_rejects_a_duty_outside_the_doctors_stations() -> None:
    scn, roster = _unfilled_roster_and_scenario()
    assert broken_rules(scn, roster, add=[(MONDAY, "dag", "annen", "duty")]) == {"station"}


def test_validator_rejects_unknown_doctors_and_instances() -> None:
    scn, roster = _unfilled_roster_and_scenario()
    assert broken_rules(scn, roster, add=[(MONDAY, "dag", "nobody", "duty")]) == {"unknown"}
    assert broken_rules(scn, roster, add=[(day(1), "dag", "annen", "backup")]) == {"unknown"}
    assert broken_rules(scn, roster, add=[(MONDAY, "kveld", "annen", "duty")]) == {"unknown"}


# ---------------------------------------------------------------- dated and partial exemptions

NATT = shift("natt", "23:00", "08:00")


def _exempt(first: int, last: int, *kinds: str) -> list[dict[str, Any]]:
    return [{"from": day(first), "to": day(last), "from_duties": list(kinds)}]


def test_a_night_exemption_in_a_date_range_keeps_the_doctor_off_those_nights_only() -> None:
    scn = build(
        [DAG, NATT],
        [doctor("gravid", exemptions=_exempt(0, 2, "night")), doctor("d2"), doctor("d3")],
        days=5,
    )
    result = solve_optimal(scn)
    nights = {d for d, s in held(result, "gravid") if s == "natt"}
    assert not nights & {MONDAY, day(1), day(2)}
    assert value(result, "unfilled") == 0
    # The exemption binds: without it the even share would give her a night in those days.
    assert any(s == "dag" for _, s in held(result, "gravid"))


def test_an_exemption_covers_backup_too_and_blocked_by_says_exempt() -> None:
    scn = build([NATT], [doctor("d1", exemptions=_exempt(0, 0, "all"))], days=2)
    result = solve_optimal(scn)
    assert held(result, "d1") == [(day(1), "natt")]
    assert unfilled(result)[MONDAY, "natt"]["blocked_by"] == {"exempt": 1}


def test_weekend_and_on_site_exemptions() -> None:
    # 2027-01-09 is a Saturday; the on-call night stays allowed under an on-site exemption.
    call = shift("hjemme", "23:00", "08:00", kind="on_call")
    scn = build(
        [DAG, call],
        [doctor("d1", exemptions=[
            {"from": day(0), "to": day(6), "from_duties": ["weekend"]},
            {"from": day(0), "to": day(1), "from_duties": ["on_site"]},
        ]), doctor("d2"), doctor("d3")],
        days=7,
    )  # fmt: skip
    result = solve_optimal(scn)
    mine = held(result, "d1")
    assert all(d not in (day(5), day(6)) for d, _ in mine)  # Saturday, Sunday
    assert all(not (s == "dag" and d in (MONDAY, day(1))) for d, s in mine)


def test_the_validator_rejects_a_duty_an_exemption_covers() -> None:
    scn = build(
        [DAG, NATT], [doctor("d1", exemptions=_exempt(1, 1, "night")), doctor("d2")], days=3
    )
    result = solve_optimal(scn)
    assert broken_rules(scn, result.roster, add=[(day(1), "natt", "d1", "duty")]) >= {"exempt"}
    report_rules = broken_rules(scn, result.roster, add=[(day(2), "natt", "d1", "duty")])
    assert "exempt" not in report_rules  # after the range: no exemption


def test_a_partly_exempt_doctor_takes_her_share_of_what_she_may_do() -> None:
    # Four doctors, eight nights; one is exempt from nights for half the horizon: her share
    # of the nights is half, so the even split gives her one night and the others more.
    scn = build(
        [NATT],
        [doctor("ex", exemptions=_exempt(0, 3, "night")), doctor("a"), doctor("b"), doctor("c")],
        days=8,
        policy={"min_rest_hours": 0},
    )
    result = solve_optimal(scn)
    counts = sorted(len(held(result, d)) for d in ("a", "b", "c"))
    assert len(held(result, "ex")) <= min(counts)


def test_an_exemption_must_name_kinds_and_run_forward() -> None:
    import pytest

    from legevakt_opt.scenario import ScenarioError, scenario_from_data
    from tests.helpers import scenario_data

    for bad, line in (
        (_exempt(2, 1, "night"), "doctors[0].exemptions[0]: 'to' is before 'from'"),
        ([{"from": MONDAY, "to": MONDAY, "from_duties": []}], "from_duties: must have at least 1"),
        (
            [{"from": MONDAY, "to": MONDAY, "from_duties": ["nights"]}],
            "doctors[0].exemptions[0].from_duties[0]: 'nights' is not one of",
        ),
    ):
        with pytest.raises(ScenarioError) as info:
            scenario_from_data(scenario_data([DAG], [doctor("d1", exemptions=bad)]))
        assert any(line in e for e in info.value.errors), info.value.errors
