"""Coverage (soft) and hard rule 7, not overfilled: unfilled doctor-hours come first in the
ranking, and no instance gets more doctors on duty than it asks for."""

from __future__ import annotations

from tests.helpers import (
    MONDAY,
    assignments,
    broken_rules,
    build,
    day,
    doctor,
    shift,
    solve_optimal,
    station,
    unfilled,
    value,
)


def test_everything_covered_when_there_are_doctors_enough() -> None:
    shifts = [shift("dag", "08:00", "16:00"), shift("natt", "23:00", "08:00", kind="on_call")]
    result = solve_optimal(build(shifts, [doctor("d1"), doctor("d2")], days=2))
    assert value(result, "unfilled") == 0
    summary = result.roster["summary"]
    assert summary["required_hours"] == 2 * (8 + 9)
    assert summary["unfilled_hours"] == 0
    assert summary["coverage"] == 1
    assert result.roster["unfilled"] == []


def test_a_shift_asking_for_two_doctors_with_one_available_misses_one() -> None:
    result = solve_optimal(build([shift("dag", "08:00", "16:00", doctors=2)], [doctor("d1")]))
    assert value(result, "unfilled") == 8
    (entry,) = result.roster["unfilled"]
    assert entry["missing"] == 1
    assert entry["date"] == MONDAY
    # The doctor who is on duty does not count among those blocked.
    assert entry["blocked_by"] == {}
    assert result.roster["summary"]["required_hours"] == 16


def test_a_shift_asking_for_three_doctors_with_none_available_misses_three() -> None:
    result = solve_optimal(build([shift("dag", "08:00", "16:00", doctors=3)], []))
    assert value(result, "unfilled") == 24
    assert result.roster["unfilled"][0]["missing"] == 3


def test_unfilled_hours_come_first_the_longer_shift_is_covered() -> None:
    # One doctor, two overlapping shifts of 4 h and 8 h: cover the 8 h one.
    scn = build(
        [shift("kort", "12:00", "16:00", "A"), shift("lang", "08:00", "16:00", "B")],
        [doctor("d1")],
        stations=[station("A"), station("B")],
    )
    result = solve_optimal(scn)
    assert value(result, "unfilled") == 4
    assert assignments(result) == {(MONDAY, "lang", "d1", "duty")}


def test_coverage_beats_burden() -> None:
    # One doctor can cover three days of 8 h: max burden 24 is worth it to leave nothing.
    result = solve_optimal(build([shift("dag", "08:00", "16:00")], [doctor("d1")], days=3))
    assert value(result, "unfilled") == 0
    assert value(result, "max_burden") == 24


def test_several_unfilled_instances_are_each_listed() -> None:
    result = solve_optimal(build([shift("dag", "08:00", "16:00")], [], days=3))
    assert set(unfilled(result)) == {(day(k), "dag") for k in range(3)}
    assert value(result, "unfilled") == 24
    assert result.roster["summary"]["unfilled_shifts"] == 3
    assert result.roster["summary"]["coverage"] == 0


def test_validator_rejects_an_overfilled_instance() -> None:
    scn = build([shift("dag", "08:00", "16:00")], [doctor("d1"), doctor("d2")])
    roster = solve_optimal(scn).roster
    (on_duty,) = [a["doctor"] for a in roster["assignments"]]
    other = "d2" if on_duty == "d1" else "d1"
    assert broken_rules(scn, roster) == set()
    assert broken_rules(scn, roster, add=[(MONDAY, "dag", other, "duty")]) == {"overfilled"}


def test_validator_rejects_wrong_unfilled_claims() -> None:
    from legevakt_opt.checks import validate_roster

    scn = build([shift("dag", "08:00", "16:00")], [doctor("d1")], days=2)
    roster = solve_optimal(scn).roster
    assert validate_roster(scn, roster).ok
    claims = {**roster, "unfilled": [{"date": MONDAY, "shift": "dag", "missing": 1}]}
    assert validate_roster(scn, claims).rules() == {"figures"}
    dropped = {**roster, "assignments": roster["assignments"][1:]}
    assert validate_roster(scn, dropped).rules() == {"figures"}
