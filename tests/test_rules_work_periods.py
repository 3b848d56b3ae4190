"""Hard rules 2 and 3: one place at a time, rest between work periods, and the longest work
period (touching windows join into one period)."""

from __future__ import annotations

from typing import Any

import pytest

from legevakt_opt.checks import validate_roster
from legevakt_opt.engine import solve
from legevakt_opt.rules.work_periods import add_max_period
from legevakt_opt.scenario import Scenario
from tests.helpers import (
    MONDAY,
    OPTIONS,
    admitted_and_expected,
    broken_rules,
    build,
    day,
    doctor,
    held,
    lis1,
    shift,
    solve_optimal,
    station,
    unfilled,
    value,
)

TUESDAY = day(1)

# Two 8 h shifts with a 4 h gap: 08-16 and 20-04.
DAG = shift("dag", "08:00", "16:00")
SEN = shift("sen", "20:00", "04:00")
# Touching shifts: 16-23 and 23-08 form one 16 h work period.
KVELD = shift("kveld", "16:00", "23:00")
NATT = shift("natt", "23:00", "08:00")


def _rest(min_rest: float) -> Scenario:
    return build([DAG, SEN], [doctor("d1")], policy={"min_rest_hours": min_rest})


def _period(longest: float) -> Scenario:
    return build([KVELD, NATT], [doctor("d1")], policy={"max_work_period_hours": longest})


# ------------------------------------------------------------ overlap


def test_one_doctor_cannot_be_in_two_places_at_once() -> None:
    scn = build(
        [shift("a", "08:00", "16:00", "A"), shift("b", "12:00", "20:00", "B")],
        [doctor("d1")],
        stations=[station("A"), station("B")],
        policy={"min_rest_hours": 0},
    )
    result = solve_optimal(scn)
    assert value(result, "unfilled") == 8
    assert len(held(result, "d1")) == 1
    (entry,) = result.roster["unfilled"]
    assert entry["blocked_by"] == {"overlap": 1}


def test_two_doctors_cover_overlapping_shifts() -> None:
    scn = build(
        [shift("a", "08:00", "16:00", "A"), shift("b", "12:00", "20:00", "B")],
        [doctor("d1"), doctor("d2")],
        stations=[station("A"), station("B")],
    )
    result = solve_optimal(scn)
    assert value(result, "unfilled") == 0
    assert value(result, "max_burden") == 8


def test_a_bakvakt_is_busy_for_the_whole_window() -> None:
    # The only independent doctor cannot be on duty at B and bakvakt at A at the same time.
    shifts = [shift("a", "16:00", "23:00", "A"), shift("b", "16:00", "23:00", "B")]
    stations = [station("A"), station("B")]
    result = solve_optimal(build(shifts, [lis1("lis"), doctor("d1")], stations=stations))
    assert value(result, "unfilled") == 7
    # With a second independent doctor both are covered: LIS1 with a bakvakt, and the other.
    result = solve_optimal(
        build(shifts, [lis1("lis"), doctor("d1"), doctor("d2")], stations=stations)
    )
    assert value(result, "unfilled") == 0
    roles = sorted(r for _, _, _, r in _rows(result.roster))
    assert roles == ["backup", "duty", "duty"]


def _rows(roster: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return [(a["date"], a["shift"], a["doctor"], a["role"]) for a in roster["assignments"]]


# ------------------------------------------------------------ rest


def test_too_little_rest_leaves_one_shift_unfilled() -> None:
    result = solve_optimal(_rest(8))
    assert value(result, "unfilled") == 8
    assert value(result, "max_burden") == 8
    (entry,) = result.roster["unfilled"]
    assert entry["missing"] == 1
    assert "rest" in entry["blocked_by"]


def test_enough_rest_covers_both() -> None:
    result = solve_optimal(_rest(3))
    assert value(result, "unfilled") == 0
    assert value(result, "max_burden") == 16
    assert held(result, "d1") == [(MONDAY, "dag"), (MONDAY, "sen")]


def test_rest_exactly_the_gap_is_enough() -> None:
    result = solve_optimal(_rest(4))
    assert value(result, "unfilled") == 0


def test_rest_is_counted_in_minutes_not_rounded_hours() -> None:
    # 4 h 1 min of rest asked for, 4 h given: not enough.
    result = solve_optimal(_rest(4 + 1 / 60))
    assert value(result, "unfilled") == 8


def test_a_rest_minimum_is_never_rounded_down() -> None:
    result = solve(_rest(4.004), OPTIONS)
    assert result.validation.ok, [b.message for b in result.validation.breaches]
    assert value(result, "unfilled") == 8


def test_rest_breach_message_shows_the_hours_readably() -> None:
    scn = _rest(4.004)
    roster = solve_optimal(_rest(4)).roster
    report = validate_roster(scn, roster)
    (breach,) = report.breaches
    assert breach.rule == "rest"
    assert "4. h" not in breach.message


def test_rest_applies_between_days() -> None:
    # A night 20-04 and the next morning 08-16: 4 h apart across midnight.
    scn = build([DAG, SEN], [doctor("d1")], days=2, policy={"min_rest_hours": 8})
    result = solve_optimal(scn)
    # dag Mon 08-16, sen Mon 20-04, dag Tue 08-16, sen Tue 20-04: every pair in a row is
    # 4 h apart, so at most every other one: two shifts of 8 h unfilled.
    assert value(result, "unfilled") == 16
    assert held(result, "d1") in (
        [(MONDAY, "dag"), (TUESDAY, "dag")],
        [(MONDAY, "dag"), (TUESDAY, "sen")],
        [(MONDAY, "sen"), (TUESDAY, "sen")],
    )


# ------------------------------------------------------------ longest work period


def test_touching_shifts_join_into_a_work_period_that_fits() -> None:
    result = solve_optimal(_period(24))
    assert value(result, "unfilled") == 0
    assert value(result, "max_burden") == 16
    assert held(result, "d1") == [(MONDAY, "kveld"), (MONDAY, "natt")]


def test_a_work_period_of_exactly_the_limit_is_allowed() -> None:
    result = solve_optimal(_period(16))
    assert value(result, "unfilled") == 0


def test_touching_shifts_are_one_work_period_not_two_without_rest() -> None:
    # Even with a 12 h limit and 8 h rest, 16-23 then 23-08 is one 16 h period: too long.
    result = solve_optimal(_period(12))
    # The solver leaves the shorter one (7 h) unfilled and keeps the 9 h night.
    assert value(result, "unfilled") == 7
    assert held(result, "d1") == [(MONDAY, "natt")]
    assert "work_period" in unfilled(result)[MONDAY, "kveld"]["blocked_by"]


def test_a_shift_longer_than_the_longest_work_period_is_never_staffed() -> None:
    scn = build(
        [shift("dogn", "08:00", "08:00")], [doctor("d1")], policy={"max_work_period_hours": 20}
    )
    result = solve_optimal(scn)
    assert value(result, "unfilled") == 24
    assert unfilled(result)[MONDAY, "dogn"]["blocked_by"] == {"work_period": 1}


def test_a_chain_of_three_touching_shifts_is_one_period() -> None:
    shifts = [shift("a", "08:00", "16:00"), KVELD, NATT]
    scn = build(shifts, [doctor("d1")], policy={"max_work_period_hours": 24})
    # 08-16, 16-23, 23-08 is 24 h: allowed.
    assert value(solve_optimal(scn), "unfilled") == 0
    scn = build(shifts, [doctor("d1")], policy={"max_work_period_hours": 23.5, "min_rest_hours": 8})
    # One must go. Dropping the 7 h evening leaves 08-16 and 23-08 only 7 h apart, so the
    # cheapest is to drop the 8 h day and keep the 16 h evening and night.
    result = solve_optimal(scn)
    assert value(result, "unfilled") == 8
    assert held(result, "d1") == [(MONDAY, "kveld"), (MONDAY, "natt")]


# ------------------------------------------------------------ the validator catches breaches


def test_validator_rejects_overlapping_duties() -> None:
    scn = build(
        [shift("a", "08:00", "16:00", "A"), shift("b", "12:00", "20:00", "B")],
        [doctor("d1")],
        stations=[station("A"), station("B")],
        policy={"min_rest_hours": 0},
    )
    roster = solve_optimal(scn).roster
    ((date, free),) = [(u["date"], u["shift"]) for u in roster["unfilled"]]
    assert broken_rules(scn, roster) == set()
    assert broken_rules(scn, roster, add=[(date, free, "d1", "duty")]) == {"overlap"}


def test_validator_rejects_duty_and_backup_in_one_window() -> None:
    scn = build([KVELD], [doctor("d1")])
    roster = solve_optimal(scn).roster
    assert [(a["doctor"], a["role"]) for a in roster["assignments"]] == [("d1", "duty")]
    # d1 as bakvakt in its own duty's window: overlap (and a bakvakt nobody needs).
    rules = broken_rules(scn, roster, add=[(MONDAY, "kveld", "d1", "backup")])
    assert rules == {"overlap", "backup"}


def test_validator_rejects_too_little_rest() -> None:
    scn = _rest(8)
    roster = solve_optimal(scn).roster
    ((date, free),) = [(u["date"], u["shift"]) for u in roster["unfilled"]]
    assert broken_rules(scn, roster, add=[(date, free, "d1", "duty")]) == {"rest"}


def test_validator_rejects_a_too_long_work_period() -> None:
    scn = _period(12)
    roster = solve_optimal(scn).roster
    assert broken_rules(scn, roster, add=[(MONDAY, "kveld", "d1", "duty")]) == {"work_period"}


@pytest.mark.parametrize("min_rest", [3, 4])
def test_validator_accepts_the_solvers_roster_with_enough_rest(min_rest: float) -> None:
    scn = _rest(min_rest)
    assert broken_rules(scn, solve_optimal(scn).roster) == set()


# ---------------------------------------------------------------- across the boundary


def _with_history(duties: list[dict[str, Any]], **kw: Any) -> Scenario:
    from legevakt_opt.scenario import scenario_from_data
    from tests.helpers import scenario_data

    data = scenario_data(
        [shift("dag", "10:00", "16:00")], [doctor("natt-lege"), doctor("d2")], **kw
    )
    data["doctors"][0]["history"] = {"duties": duties}
    return scenario_from_data(data)


def test_a_night_that_ends_on_the_first_morning_needs_its_rest() -> None:
    # The previous period's night ends 08:00 on the first date; dag starts 10:00: 2 h rest.
    night = {"start": "2027-01-03T23:00", "end": "2027-01-04T08:00"}
    scn = _with_history([night])
    result = solve_optimal(scn)
    assert held(result, "natt-lege") == []
    assert held(result, "d2") == [(MONDAY, "dag")]
    report = validate_roster(
        scn,
        {"assignments": [{"date": MONDAY, "shift": "dag", "doctor": "natt-lege", "role": "duty"}]},
    )
    [breach] = [b for b in report.breaches if b.rule == "rest"]
    assert "only 2.0 h rest after the work period ending 2027-01-04 08:00" in breach.message
    assert breach.shift == "dag"  # reported on this period's duty, never on the past one
    # Without the history the same doctor may take it.
    free = _with_history([])
    assert not validate_roster(
        free,
        {"assignments": [{"date": MONDAY, "shift": "dag", "doctor": "natt-lege", "role": "duty"}]},
    ).breaches


def test_a_work_period_continues_across_the_boundary() -> None:
    # 16 h in the past period touching the first dag joins one work period of 22 h > 20 h.
    long = {"start": "2027-01-03T18:00", "end": "2027-01-04T10:00"}
    scn = _with_history([long], policy={"max_work_period_hours": 20, "min_rest_hours": 0})
    result = solve_optimal(scn)
    assert held(result, "natt-lege") == []


# ------------------------------------------------------------ the rule module alone


def _longest_chain(present: list[tuple[int, int]]) -> int:
    """The longest run of touching intervals among ``present`` (brute force, no model)."""
    longest = 0
    for start, end in present:
        reach = {end}
        changed = True
        while changed:  # extend the run through every interval that starts where it ends
            grown = {e for s, e in present if s in reach and e > s} | reach
            changed, reach = grown != reach, grown
        longest = max(longest, max(reach) - start)
    return longest


def test_max_period_admits_exactly_the_rosters_whose_chains_fit() -> None:
    """Every subset of a small set of windows (touching, branching, one too long on its
    own, one empty as in a DST gap): the model admits it iff no chain of touching windows
    is longer than the limit."""
    windows = [(0, 6), (6, 10), (6, 14), (10, 16), (14, 14), (14, 20), (16, 22), (0, 30)]
    longest = 16
    admitted, expected = admitted_and_expected(
        windows,
        lambda model, intervals: add_max_period(model, intervals, longest),
        lambda present: _longest_chain(present) <= longest,
    )
    assert admitted == expected
    assert len(expected) > 1 and len(expected) < 1 << len(windows)
