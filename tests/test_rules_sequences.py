"""Sequences: the generic rules (successions, a kind that ends a day, shortest and longest
runs) on tiny models, then the legevakt family (``policy.sequences``) on tiny scenarios:
where each rule binds the solver respects it and names it in ``blocked_by``, the same
scenario without it gives a roster that breaks it, and the validator catches each code."""

from __future__ import annotations

from typing import Any

import pytest
from ortools.sat.python import cp_model

from legevakt_opt.checks import Checker, fixed_conflicts
from legevakt_opt.model import RosterModel
from legevakt_opt.rules import sequences
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


def _solve(model: cp_model.CpModel) -> cp_model.CpSolver | None:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    return solver if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None


def test_any_of_is_an_or_that_allows_several() -> None:
    m = cp_model.CpModel()
    a, b = m.new_bool_var("a"), m.new_bool_var("b")
    on = sequences.any_of(m, [a, b], "on")
    m.add(a == 1)
    m.add(b == 1)
    solver = _solve(m)
    assert solver is not None and solver.value(on) == 1
    m2 = cp_model.CpModel()
    c = m2.new_bool_var("c")
    on2 = sequences.any_of(m2, [c], "on")
    m2.add(c == 0)
    s2 = _solve(m2)
    assert s2 is not None and s2.value(on2) == 0


def test_forbidden_succession() -> None:
    m = cp_model.CpModel()
    days = [{"N": m.new_bool_var(f"n{d}"), "D": m.new_bool_var(f"d{d}")} for d in range(2)]
    sequences.add_forbidden_successions(m, days, {("N", "D")})
    m.add(days[0]["N"] == 1)
    m.add(days[1]["D"] == 1)
    assert _solve(m) is None


def _runs_model(pattern: str, shortest: int, off: bool) -> cp_model.CpSolver | None:
    m = cp_model.CpModel()
    on = [m.new_bool_var(f"on{k}") for k in range(len(pattern))]
    for lit, ch in zip(on, pattern, strict=True):
        m.add(lit == int(ch == "1"))
    sequences.add_min_run(m, on, shortest, off=off)
    return _solve(m)


def test_min_run_of_working_days() -> None:
    assert _runs_model("0110110", 2, off=False) is not None
    assert _runs_model("0100110", 2, off=False) is None  # a lone working day inside
    assert _runs_model("1000110", 2, off=False) is not None  # touching the start: exempt
    assert _runs_model("0110001", 2, off=False) is not None  # touching the end: exempt


def test_min_run_of_days_off() -> None:
    assert _runs_model("1100111", 2, off=True) is not None
    assert _runs_model("1101111", 2, off=True) is None  # a lone day off inside
    assert _runs_model("0111111", 2, off=True) is not None  # touching the start: exempt


def test_penalties_are_exact_in_any_solution() -> None:
    """Without an objective pushing them down, wish, avoid and coverage penalties still
    equal their true values."""
    from legevakt_opt.rules import coverage, preferences

    m = cp_model.CpModel()
    a, b = m.new_bool_var("a"), m.new_bool_var("b")
    m.add(a == 1)
    m.add(b == 0)
    unmet = preferences.unmet_wish(m, [a, b])
    broken = preferences.broken_avoid(m, [a, b])
    lits = [m.new_bool_var(f"w{k}") for k in range(4)]
    for k, lit in enumerate(lits):
        m.add(lit == int(k < 3))
    cost = coverage.add_coverage(m, [coverage.Demand(lits, 2, 10, max_extra=2, extra_weight=1)])
    solver = _solve(m)
    assert solver is not None
    assert solver.value(unmet) == 0 and solver.value(broken) == 1
    assert solver.value(cost) == 1  # one over (weight 1), none short


def _succession_model(one_a_day: bool, first: str, second: str) -> cp_model.CpSolver | None:
    m = cp_model.CpModel()
    days = [{k: m.new_bool_var(f"{k}{d}") for k in "EDN"} for d in range(2)]
    for one in days:
        m.add_at_most_one(one.values())  # the one-a-day rule the flag relies on
    sequences.add_forbidden_successions(
        m, days, {("N", "D"), ("N", "E"), ("E", "D")}, one_a_day=one_a_day
    )
    m.add(days[0][first] == 1)
    m.add(days[1][second] == 1)
    return _solve(m)


def test_forbidden_succession_one_a_day_allows_and_forbids_the_same_pairs() -> None:
    for first in "EDN":
        for second in "EDN":
            forbidden = (first, second) in {("N", "D"), ("N", "E"), ("E", "D")}
            for flag in (False, True):
                solved = _succession_model(flag, first, second)
                assert (solved is None) == forbidden, (first, second, flag)


def test_day_on_one_a_day_is_the_sum_of_the_day() -> None:
    for flag in (False, True):
        m = cp_model.CpModel()
        days = [{"D": m.new_bool_var("d0"), "N": m.new_bool_var("n0")}, {}]
        on = sequences.day_on(m, days, "w", one_a_day=flag)
        assert on[1] is None and on[0] is not None
        m.add(days[0]["N"] == 1)
        solver = _solve(m)
        assert solver is not None and solver.value(on[0]) == 1
        m.add(on[0] == 0)
        assert _solve(m) is None


def test_max_run() -> None:
    def solved(pattern: str, longest: int) -> bool:
        m = cp_model.CpModel()
        on: list[cp_model.IntVar | None] = []
        for k, ch in enumerate(pattern):
            if ch == "-":  # a day that cannot be worked
                on.append(None)
                continue
            lit = m.new_bool_var(f"on{k}")
            m.add(lit == int(ch == "1"))
            on.append(lit)
        sequences.add_max_run(m, on, longest)
        return _solve(m) is not None

    assert solved("1110111", 3) and not solved("1111011", 3)
    assert solved("111-111", 3) and not solved("1111-11", 3)
    assert solved("1111", 4) and solved("11", 5)  # a horizon shorter than the run


def test_forbidden_on_end_day() -> None:
    for night_ends, day_starts, ok in ((1, 1, False), (1, 0, True), (0, 1, True)):
        m = cp_model.CpModel()
        n, d = m.new_bool_var("n"), m.new_bool_var("d")
        ending = [{}, {"N": n}] if night_ends else [{"N": n}, {}]
        starting = [{}, {"D": d}] if day_starts else [{"D": d}, {}]
        sequences.add_forbidden_on_end_day(m, ending, starting, {("N", "D")})
        m.add(n == 1)
        m.add(d == 1)
        assert (_solve(m) is not None) == ok


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
