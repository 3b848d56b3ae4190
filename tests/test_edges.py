"""Edges of the input: one day, absent or exempt doctors, no doctors, templates that never
run, nights across the daylight-saving changes, and Easter."""

from __future__ import annotations

import pytest

from legevakt_opt.baseline import greedy_roster
from legevakt_opt.calendar import expand
from legevakt_opt.checks import validate_roster
from legevakt_opt.engine import SolveOptions, solve
from tests.helpers import (
    MONDAY,
    assignments,
    build,
    day,
    doctor,
    held,
    shift,
    solve_optimal,
    unfilled,
    value,
)

NATT = shift("natt", "23:00", "08:00")


def test_one_day_horizon() -> None:
    shifts = [shift("dag", "08:00", "16:00"), shift("kveld", "16:00", "23:00"), NATT]
    result = solve_optimal(build(shifts, [doctor("d1"), doctor("d2")], days=1))
    assert value(result, "unfilled") == 0
    assert {d for d, _, _, _ in assignments(result)} == {MONDAY}
    # 24 h in three touching shifts, two doctors: 08-23 and 23-08 (15 + 9) is the lowest top;
    # 08-16 then 23-08 would leave only 7 h rest.
    assert result.roster["summary"]["required_hours"] == 24
    assert value(result, "max_burden") == 15


def test_a_doctor_absent_the_whole_period_gets_nothing() -> None:
    away = {"from": MONDAY, "to": day(6)}
    doctors = [doctor("d1"), doctor("borte", unavailable=[away])]
    result = solve_optimal(build([shift("dag", "08:00", "16:00")], doctors, days=7))
    assert held(result, "borte") == []
    assert result.roster["doctors"]["borte"] == {
        "weighted_hours": 0,
        "duties": 0,
        "nights": 0,
        "weekends": 0,
        "burden": 0,
        "backups": 0,
        "videos": 0,
        # Below their share by half of the 56 weighted hours: what the next period carries.
        "carry_forward": -28,
    }
    assert result.roster["doctors"]["d1"]["carry_forward"] == 28
    assert value(result, "unfilled") == 0
    assert value(result, "max_burden") == 56


def test_every_doctor_exempt() -> None:
    doctors = [doctor(f"d{k}", exempt=True) for k in range(3)]
    shifts = [shift("dag", "08:00", "16:00"), shift("kveld", "16:00", "23:00")]
    result = solve_optimal(build(shifts, doctors, days=2))
    assert result.roster["assignments"] == []
    assert value(result, "unfilled") == 2 * (8 + 7)
    assert len(result.roster["unfilled"]) == 4
    for entry in result.roster["unfilled"]:
        assert entry["missing"] == 1
        assert entry["blocked_by"] == {"exempt": 3}
    assert value(result, "max_burden") == 0
    assert result.roster["summary"]["max_burden"] == 0


def test_zero_doctors() -> None:
    result = solve_optimal(build([NATT], [], days=3))
    assert result.roster["assignments"] == []
    assert result.roster["doctors"] == {}
    assert value(result, "unfilled") == 27
    assert value(result, "max_burden") == 0
    assert all(u["blocked_by"] == {} for u in result.roster["unfilled"])


def test_no_shifts_at_all() -> None:
    result = solve_optimal(build([], [doctor("d1")], days=2))
    assert result.roster["assignments"] == []
    assert result.roster["summary"]["required_hours"] == 0
    assert result.roster["summary"]["coverage"] == 1


def test_a_template_matching_no_date() -> None:
    # Monday to Friday without holidays: a weekend template and a holiday template never run.
    shifts = [
        shift("dag", "08:00", "16:00", when=["weekday"]),
        shift("helg", "10:00", "18:00", when=["weekend"]),
        shift("helligdag", "10:00", "18:00", when=["holiday"]),
    ]
    scn = build(shifts, [doctor("d1"), doctor("d2")], days=5)
    assert {inst.shift for inst in expand(scn).instances} == {"dag"}
    result = solve_optimal(scn)
    assert value(result, "unfilled") == 0
    assert result.roster["summary"]["required_hours"] == 5 * 8
    assert {s for _, s, _, _ in assignments(result)} == {"dag"}


@pytest.mark.parametrize(
    ("start", "hours"),
    [
        ("2027-03-27", 8),  # Saturday night into Sunday 28 March: clocks go forward
        ("2027-10-30", 10),  # Saturday night into Sunday 31 October: clocks go back
        ("2027-03-20", 9),  # an ordinary Saturday night
    ],
)
def test_nights_across_daylight_saving_changes(start: str, hours: int) -> None:
    result = solve_optimal(build([NATT], [doctor("d1")], start=start))
    assert result.roster["doctors"]["d1"]["weighted_hours"] == hours
    assert result.roster["doctors"]["d1"]["nights"] == 1
    assert result.roster["summary"]["required_hours"] == hours
    assert value(result, "max_burden") == hours
    # Unfilled, the same night counts its real hours.
    empty = solve_optimal(build([NATT], [], start=start))
    assert value(empty, "unfilled") == hours


def test_rest_is_real_time_across_the_autumn_change() -> None:
    # 2027-10-30 22:00 to 2027-10-31 02:00 then 2027-10-31 09:00 to 12:00. By the wall clock
    # the rest is 7 h, in real time 8 h: enough for 8 h of rest.
    shifts = [shift("kveld", "22:00", "02:00"), shift("morgen", "09:00", "12:00")]
    scn = build(shifts, [doctor("d1")], start="2027-10-30", days=2, policy={"min_rest_hours": 8})
    result = solve_optimal(scn)
    assert ("2027-10-30", "kveld") in held(result, "d1")
    assert ("2027-10-31", "morgen") in held(result, "d1")


def test_rest_is_real_time_across_the_spring_change() -> None:
    # 2027-03-27 22:00 to 2027-03-28 02:00 then 09:00: 7 h by the wall clock, 6 h in real
    # time: not enough for 7 h of rest.
    shifts = [shift("kveld", "22:00", "02:00"), shift("morgen", "09:00", "12:00")]
    scn = build(shifts, [doctor("d1")], start="2027-03-27", days=2, policy={"min_rest_hours": 7})
    result = solve_optimal(scn)
    mine = held(result, "d1")
    assert not {("2027-03-27", "kveld"), ("2027-03-28", "morgen")} <= set(mine)


def test_easter_holiday_templates() -> None:
    # Easter 2027: Maundy Thursday 25 March, Good Friday 26, Easter Sunday 28, Easter
    # Monday 29. Norway's holidays apply when the horizon gives none.
    shifts = [
        shift("hverdag", "08:00", "16:00", when=["weekday"]),
        shift("helligdag", "10:00", "18:00", when=["holiday"]),
    ]
    scn = build(shifts, [doctor("d1"), doctor("d2")], start="2027-03-22", days=9, holidays=None)
    instances = expand(scn).instances
    holy = sorted(i.date.isoformat() for i in instances if i.shift == "helligdag")
    plain = sorted(i.date.isoformat() for i in instances if i.shift == "hverdag")
    assert holy == ["2027-03-25", "2027-03-26", "2027-03-28", "2027-03-29"]
    assert plain == ["2027-03-22", "2027-03-23", "2027-03-24", "2027-03-30"]
    result = solve_optimal(scn)
    assert value(result, "unfilled") == 0
    figures = result.roster["doctors"]
    # Every holiday counts as a weekend; the two doctors share them evenly.
    assert figures["d1"]["weekends"] == figures["d2"]["weekends"] == 2
    assert value(result, "fairness") == 0


def test_explicit_holidays_replace_norways() -> None:
    scn = build(
        [shift("helligdag", "10:00", "18:00", when=["holiday"])],
        [doctor("d1")],
        start="2027-03-22",
        days=9,
        holidays=["2027-03-23"],
    )
    result = solve_optimal(scn)
    assert {d for d, _, _, _ in assignments(result)} == {"2027-03-23"}


def test_horizon_across_new_year() -> None:
    scn = build([NATT], [doctor("d1"), doctor("d2")], start="2027-12-30", days=4, holidays=None)
    result = solve_optimal(scn)
    assert value(result, "unfilled") == 0
    dates = sorted({d for d, _, _, _ in assignments(result)})
    assert dates == ["2027-12-30", "2027-12-31", "2028-01-01", "2028-01-02"]
    # New Year's Day is a holiday (and a Saturday) either way: 2 weekend nights.
    assert sum(f["weekends"] for f in result.roster["doctors"].values()) == 2


def test_an_instance_in_the_spring_forward_gap_is_not_made() -> None:
    # 02:30-03:00 on 28 March 2027 does not exist on the clock: a window of no length is no
    # shift, in the calendar and in the validator alike, and the calendar says so.
    wish = [{"date": "2027-03-28", "shift": "gap"}]
    shifts = [shift("gap", "02:30", "03:00"), shift("natt", "23:00", "08:00")]
    scn = build(shifts, [doctor("d1", wish=wish)], start="2027-03-27", days=2)
    cal = expand(scn)
    assert [(i.shift, i.date.isoformat()) for i in cal.instances] == [
        ("gap", "2027-03-27"),
        ("natt", "2027-03-27"),
        ("natt", "2027-03-28"),
    ]
    assert cal.warnings == [
        "shifts: gap on 2027-03-28 lies in the hour skipped when the clocks go forward; "
        "it lasts no time and is not rostered"
    ]
    result = solve_optimal(scn)
    assert ("2027-03-28", "gap") not in held(result, "d1")
    # A roster that names it anyway (the night doctor holding it beside the night, which
    # the model once allowed and the validator called an overlap) is told why it is wrong.
    report = validate_roster(
        scn,
        {"assignments": [{"date": "2027-03-28", "shift": "gap", "doctor": "d1", "role": "duty"}]},
    )
    assert [b.rule for b in report.breaches] == ["unknown"]
    assert "skipped when the clocks go forward" in report.breaches[0].message


def test_an_empty_instance_does_not_bridge_the_rest() -> None:
    # Sat 27 March 22:00 to Sun 02:30 (= 03:30 summer time, 4.5 h), a 02:30-03:00 template
    # that makes no instance that date, then 05:00-09:00: only 1.5 h after the first. One
    # doctor can take only one of the two real shifts, so the 4 h morning stays unfilled.
    shifts = [
        shift("kveld", "22:00", "02:30", when=["sat"]),
        shift("gap", "02:30", "03:00", when=["sun"]),
        shift("morgen", "05:00", "09:00", when=["sun"]),
    ]
    scn = build(shifts, [doctor("d1")], start="2027-03-27", days=2)
    result = solve(scn, SolveOptions(time_limit=10, workers=1, seed=0))
    assert result.validation.ok, [b.message for b in result.validation.breaches]
    assert value(result, "unfilled") == 4


def test_baseline_is_valid_on_the_edges() -> None:
    for scn in (
        build([NATT], [], days=2),
        build([NATT], [doctor("d1", exempt=True)], days=2),
        build([NATT], [doctor("d1")], start="2027-03-27", days=2),
    ):
        roster = {"assignments": [a.to_dict() for a in greedy_roster(scn)]}
        assert validate_roster(scn, roster).ok


def test_unfilled_entries_name_real_instances() -> None:
    result = solve_optimal(build([NATT], [], days=2))
    assert set(unfilled(result)) == {(MONDAY, "natt"), (day(1), "natt")}
