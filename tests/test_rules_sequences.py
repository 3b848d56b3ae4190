"""Sequences, the legevakt family (``policy.sequences``) on tiny scenarios: where each rule
binds the solver respects it and names it in ``blocked_by``, the same scenario without it
gives a roster that breaks it, and the validator catches each code; across the boundary
with the previous period too. The generic rules underneath are tested in
``test_rules_sequences_generic.py``."""

from __future__ import annotations

from typing import Any

import pytest

from legevakt_opt.checks import Checker, fixed_conflicts
from legevakt_opt.model import RosterModel
from legevakt_opt.scenario import Scenario, parse_date, scenario_from_data
from tests.helpers import (
    MONDAY,
    broken_rules,
    build,
    day,
    doctor,
    held,
    lis1,
    scenario_data,
    shift,
    solve_optimal,
    unfilled,
    value,
)

# ---------------------------------------------------------------- the legevakt family

NATT = shift("natt", "23:00", "08:00")
KVELD = shift("kveld", "16:00", "22:00")
DAG = shift("dag", "09:00", "15:00")
#: Each rule alone; rest never binds in these scenarios (min_rest_hours 0).
NIGHT_EVENING = {"forbidden": [["night", "evening"]]}
EVENING_DAY = {"forbidden": [["evening", "day"]]}
NIGHTS = {"forbidden": [["night", "night"]]}
DAY_OFF = {"day_off_after_night": True}


def _two(
    first: dict[str, Any], second: dict[str, Any], rules: dict[str, Any] | None, on: str
) -> Scenario:
    """``first`` on Monday, ``second`` on Monday or Tuesday (``on``), one doctor."""
    when = {"same": ["mon"], "next": ["tue"]}[on]
    policy: dict[str, Any] = {"min_rest_hours": 0}
    if rules is not None:
        policy["sequences"] = rules
    shifts = [{**first, "when": ["mon"]}, {**second, "when": when}]
    return build(shifts, [doctor("d1")], days=2, policy=policy)


def _case(
    what: str,
    first: dict[str, Any],
    second: dict[str, Any],
    rules: dict[str, Any],
    on: str,
    code: str | None,
) -> Any:
    """One pair of duties: the second on the ``same`` date or the ``next``; ``code`` is the
    rule that forbids the pair (None: allowed)."""
    return pytest.param(first, second, rules, on, code, id=f"{what} ({next(iter(rules))})")


FROM_15, FROM_1430 = shift("tidlig", "15:00", "20:00"), shift("tidlig", "14:30", "20:00")
TO_MIDNIGHT, FROM_MIDNIGHT = shift("sen", "16:00", "00:00"), shift("tidlig", "00:00", "07:00")
DOGN, NATT2 = shift("døgn", "08:00", "08:00"), {**NATT, "id": "natt2"}
CASES = [
    _case("a night, then an evening", NATT, KVELD, NIGHT_EVENING, "next", "succession"),
    _case("a night, then a day", NATT, DAG, NIGHT_EVENING, "next", None),
    _case("15:00 starts an evening", NATT, FROM_15, NIGHT_EVENING, "next", "succession"),
    _case("14:30 starts a day", NATT, FROM_1430, NIGHT_EVENING, "next", None),
    _case("an evening to 00:00 is no night", TO_MIDNIGHT, KVELD, NIGHT_EVENING, "next", None),
    _case("an evening, then a day", KVELD, DAG, EVENING_DAY, "next", "succession"),
    _case("a day, then an evening", DAG, KVELD, EVENING_DAY, "next", None),
    _case("two nights", NATT, NATT2, NIGHTS, "next", "succession"),
    _case("the same date is no succession", DAG, KVELD, EVENING_DAY, "same", None),
    _case("a night, then a day", NATT, DAG, DAY_OFF, "next", "after_night"),
    _case("a night, then an evening", NATT, KVELD, DAY_OFF, "next", "after_night"),
    _case("nights in a row", NATT, NATT2, DAY_OFF, "next", None),
    _case("a 24-hour duty from 08:00 is a night", DOGN, DAG, DAY_OFF, "next", "after_night"),
    _case(
        "a night from 00:00 ends that date", FROM_MIDNIGHT, KVELD, DAY_OFF, "same", "after_night"
    ),
    _case("the next date is free to take", FROM_MIDNIGHT, KVELD, DAY_OFF, "next", None),
]


@pytest.mark.parametrize(("first", "second", "rules", "on", "code"), CASES)
def test_two_duties_of_one_doctor(
    first: dict[str, Any], second: dict[str, Any], rules: dict[str, Any], on: str, code: str | None
) -> None:
    """Without the rule the doctor holds both; with it the solver gives up one exactly when
    the rule forbids the pair, names the rule for it, and the validator finds it in the
    roster that holds both, and in the ruled roster with the missing duty added."""
    free = solve_optimal(_two(first, second, None, on))
    assert len(held(free, "d1")) == 2
    scn = _two(first, second, rules, on)
    ruled = solve_optimal(scn)
    if code is None:
        assert len(held(ruled, "d1")) == 2
        assert broken_rules(scn, free.roster) == set()
        return
    assert len(held(ruled, "d1")) == 1
    ((date, shift_id),) = unfilled(ruled)
    assert unfilled(ruled)[date, shift_id]["blocked_by"] == {code: 1}
    assert broken_rules(scn, free.roster) == {code}
    assert broken_rules(scn, ruled.roster, add=[(date, shift_id, "d1", "duty")]) == {code}


def test_at_most_three_duty_dates_in_a_row() -> None:
    rules = {"sequences": {"max_consecutive_days": 3}}
    scn = build([DAG], [doctor("d1")], days=7, policy=rules)
    result = solve_optimal(scn)
    # 1110111: the only way to hold six of seven.
    assert held(result, "d1") == [(day(k), "dag") for k in range(7) if k != 3]
    assert unfilled(result)[day(3), "dag"]["blocked_by"] == {"consecutive_days": 1}
    assert value(result, "unfilled") == 6
    assert broken_rules(scn, result.roster, add=[(day(3), "dag", "d1", "duty")]) == {
        "consecutive_days"
    }
    free = solve_optimal(build([DAG], [doctor("d1")], days=7))
    assert value(free, "unfilled") == 0
    assert broken_rules(scn, free.roster) == {"consecutive_days"}


def test_two_duties_on_a_date_are_one_duty_date() -> None:
    policy = {"min_rest_hours": 0, "sequences": {"max_consecutive_days": 2}}
    result = solve_optimal(build([DAG, KVELD], [doctor("d1")], days=3, policy=policy))
    dates = {d for d, _ in held(result, "d1")}
    assert len(held(result, "d1")) == 4 and len(dates) == 2
    assert value(result, "unfilled") == 12


def test_backup_counts_for_no_sequence() -> None:
    """d1 is bakvakt for the LIS1's night, then on duty the next evening: neither the free
    day after a night nor one duty date in a row is broken, so nothing is unfilled."""
    rules = {"day_off_after_night": True, "max_consecutive_days": 1}
    scn = build(
        [{**NATT, "when": ["mon"]}, {**KVELD, "when": ["tue"]}],
        [doctor("d1"), lis1("l1", unavailable=[{"from": f"{day(1)}T12:00", "to": day(1)}])],
        days=2,
        policy={"sequences": rules},
    )
    result = solve_optimal(scn)
    assert value(result, "unfilled") == 0
    assert held(result, "d1") == [(MONDAY, "natt"), (day(1), "kveld")]
    assert held(result, "d1", "backup") == [(MONDAY, "natt")]


def test_the_validator_says_what_is_wrong_in_a_coordinators_words() -> None:
    def said(rules: dict[str, Any], shifts: list[dict[str, Any]], duties: list[Any]) -> list[str]:
        policy = {"min_rest_hours": 0, "sequences": rules}
        scn = build(shifts, [doctor("d03")], days=7, policy=policy)
        checker = Checker(scn)
        return [b.message for b in checker.doctor_breaches("d03", duties)]

    mon, tue = parse_date(MONDAY), parse_date(day(1))
    night_evening = [("natt", mon, "duty"), ("kveld", tue, "duty")]
    assert said(NIGHT_EVENING, [NATT, KVELD], night_evening) == [
        "d03 on kveld 2027-01-05 (duty): an evening duty on the day after a night duty "
        "(natt 2027-01-04) is not allowed"
    ]
    assert said(DAY_OFF, [NATT, DAG], [("natt", mon, "duty"), ("dag", tue, "duty")]) == [
        "d03 on dag 2027-01-05 (duty): a day duty on the date the night duty natt 2027-01-04 "
        "ends (2027-01-05 08:00); the policy gives the day after a night off"
    ]
    days = [("dag", parse_date(day(k)), "duty") for k in (0, 1, 2, 3, 4, 6)]
    assert said({"max_consecutive_days": 3}, [DAG], days) == [
        "d03 on dag 2027-01-07 (duty): 5 duty dates in a row, 2027-01-04 to 2027-01-08; "
        "at most 3 allowed"
    ]
    # Backups are not duty: none of them breaks a sequence.
    backups = [("natt", mon, "backup"), ("kveld", tue, "backup")]
    assert (
        said({**NIGHT_EVENING, **DAY_OFF, "max_consecutive_days": 1}, [NATT, KVELD], backups) == []
    )


def test_without_the_fields_the_model_is_as_before() -> None:
    """Absent, or given at their defaults, the rules add nothing: the same model, so the
    same rosters at a fixed seed."""
    shifts, doctors = [NATT, KVELD, DAG], [doctor("d1"), doctor("d2"), lis1("l1")]
    plain = RosterModel(build(shifts, doctors, days=7)).model.proto
    defaults: dict[str, Any] = {
        "forbidden": [],
        "max_consecutive_days": None,
        "day_off_after_night": False,
    }
    given = RosterModel(build(shifts, doctors, days=7, policy={"sequences": defaults}))
    assert str(given.model.proto) == str(plain)  # the text form: every variable and constraint
    for rules in (NIGHT_EVENING, DAY_OFF, {"max_consecutive_days": 3}):
        ruled = RosterModel(build(shifts, doctors, days=7, policy={"sequences": rules}))
        assert len(ruled.model.proto.constraints) > len(plain.constraints), rules


def test_all_three_rules_together() -> None:
    """A roster under every rule at once passes the validator; the night doctor moved onto
    the next evening breaks the succession and the free day at once."""
    rules = {
        "forbidden": [["night", "evening"]],
        "day_off_after_night": True,
        "max_consecutive_days": 2,
    }
    doctors = [doctor(f"d{k}") for k in range(1, 4)]
    policy = {"min_rest_hours": 0, "sequences": rules}
    scn = build([NATT, KVELD, DAG], doctors, days=4, policy=policy)
    roster = solve_optimal(scn).roster
    assert roster["unfilled"] == []
    by = {(a["date"], a["shift"]): a["doctor"] for a in roster["assignments"]}
    night_doctor, evening_doctor = by[MONDAY, "natt"], by[day(1), "kveld"]
    found = broken_rules(
        scn,
        roster,
        add=[(day(1), "kveld", night_doctor, "duty")],
        drop=[(day(1), "kveld", evening_doctor, "duty")],
    )
    assert {"succession", "after_night"} <= found


def test_fixed_duties_that_break_a_sequence_are_named() -> None:
    data = scenario_data(
        [{**NATT, "when": ["mon"]}, {**KVELD, "when": ["tue"]}],
        [doctor("d1")],
        days=2,
        policy={"sequences": NIGHT_EVENING},
    )
    data["fixed"] = [
        {"date": MONDAY, "shift": "natt", "doctor": "d1"},
        {"date": day(1), "shift": "kveld", "doctor": "d1"},
    ]
    assert fixed_conflicts(scenario_from_data(data)) == [
        "fixed[0]: d1 on natt 2027-01-04 (duty)",
        "fixed[1]: d1 on kveld 2027-01-05 (duty)",
        "because d1 on kveld 2027-01-05 (duty): an evening duty on the day after a night duty "
        "(natt 2027-01-04) is not allowed",
    ]


# ------------------------------------------------- across the boundary (doctors[].history)

SUNDAY_NIGHT = {"start": "2027-01-03T23:00", "end": "2027-01-04T08:00"}


def _with_history(
    shifts: list[dict[str, Any]], duties: list[dict[str, str]], rules: dict[str, Any], days: int
) -> Scenario:
    policy = {"min_rest_hours": 0, "sequences": rules}
    d1 = doctor("d1", history={"duties": duties})
    return build(shifts, [d1], days=days, policy=policy)


@pytest.mark.parametrize(
    ("rules", "second", "code"),
    [
        (NIGHT_EVENING, KVELD, "succession"),
        (DAY_OFF, DAG, "after_night"),
        (DAY_OFF, KVELD, "after_night"),
        (NIGHT_EVENING, DAG, None),
    ],
    ids=["evening after the eve's night", "day off", "evening off", "a day is allowed"],
)
def test_the_previous_periods_night_on_the_eve_counts(
    rules: dict[str, Any], second: dict[str, Any], code: str | None
) -> None:
    """The night of Sunday into Monday, before the horizon, rules out Monday's duty as the
    rule says; the same scenario without it fills the duty."""
    scn = _with_history([{**second, "when": ["mon"]}], [SUNDAY_NIGHT], rules, days=1)
    result = solve_optimal(scn)
    assert value(solve_optimal(_with_history([second], [], rules, days=1)), "unfilled") == 0
    if code is None:
        assert held(result, "d1") == [(MONDAY, second["id"])]
        return
    assert held(result, "d1") == []
    assert unfilled(result)[MONDAY, second["id"]]["blocked_by"] == {code: 1}
    assert broken_rules(scn, result.roster, add=[(MONDAY, second["id"], "d1", "duty")]) == {code}


def test_a_run_of_duty_dates_continues_from_the_previous_period() -> None:
    """Five duty dates up to the eve (already more than three): Monday is off; then three
    on, one off, two on, as without history after a day off."""
    past = [
        {"start": f"2027-01-0{4 - k}T09:00", "end": f"2027-01-0{4 - k}T15:00"} for k in (1, 2, 3)
    ]
    past += [{"start": "2026-12-31T09:00", "end": "2026-12-31T15:00"}]
    past += [{"start": "2026-12-30T09:00", "end": "2026-12-30T15:00"}]
    scn = _with_history([DAG], past, {"max_consecutive_days": 3}, days=7)
    result = solve_optimal(scn)
    assert held(result, "d1") == [(day(k), "dag") for k in (1, 2, 3, 5, 6)]
    assert unfilled(result)[MONDAY, "dag"]["blocked_by"] == {"consecutive_days": 1}
    assert broken_rules(scn, result.roster, add=[(MONDAY, "dag", "d1", "duty")]) == {
        "consecutive_days"
    }
    # Two dates up to the eve: Monday is the third in a row, Tuesday would be the fourth.
    two = _with_history([DAG], past[:2], {"max_consecutive_days": 3}, days=2)
    assert held(solve_optimal(two), "d1") == [(MONDAY, "dag")]
    # A free eve breaks the run: the history does not reach the horizon.
    gap = _with_history([DAG], past[1:], {"max_consecutive_days": 3}, days=3)
    assert len(held(solve_optimal(gap), "d1")) == 3
