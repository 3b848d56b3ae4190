"""The generic sequence rules (``rules/sequences.py``): successions, a kind that ends a day,
shortest and longest runs and exact penalties, on tiny CP-SAT models. The legevakt family
built on them is tested in ``test_rules_sequences.py``; the Curtois & Qu instances use them
too (``test_curtois.py``)."""

from __future__ import annotations

from ortools.sat.python import cp_model

from legevakt_opt.rules import sequences


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
