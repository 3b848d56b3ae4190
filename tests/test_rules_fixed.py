"""Fixed assignments: the model holds them even against the levels, the validator catches
a roster without them, and fixed assignments that break a rule are named as a minimal set
(each one removed lets the rest hold) in the validator's words."""

from __future__ import annotations

from typing import Any

import pytest

from legevakt_opt.engine import NoRosterError, SolveOptions, solve
from legevakt_opt.scenario import Scenario, scenario_from_data
from tests.helpers import (
    MONDAY,
    broken_rules,
    day,
    doctor,
    held,
    lis1,
    scenario_data,
    shift,
    solve_optimal,
)

SHIFTS = [
    shift("dag", "08:00", "16:00"),
    shift("natt", "23:00", "08:00"),
    shift("tidlig", "10:00", "14:00"),
]
OPTIONS = SolveOptions(time_limit=10, workers=1, seed=0)


def fixed(date: str, shift_id: str, who: str, role: str = "duty") -> dict[str, str]:
    return {"date": date, "shift": shift_id, "doctor": who, "role": role}


def district(entries: list[dict[str, str]], **kw: Any) -> Scenario:
    data = scenario_data(
        SHIFTS, [doctor("d1"), doctor("d2"), doctor("d3"), lis1("l1")], days=4, **kw
    )
    data["fixed"] = entries
    return scenario_from_data(data)


def conflict_lines(scn: Scenario) -> list[str]:
    with pytest.raises(NoRosterError) as info:
        solve(scn, OPTIONS)
    return info.value.lines


def test_a_fixed_duty_is_held_even_where_the_levels_would_move_it() -> None:
    # d1 wishes to be off on day 1; three fixed duties put three shifts on d1, far above an
    # even share, and the roster keeps them.
    entries = [fixed(MONDAY, "dag", "d1"), fixed(day(1), "dag", "d1"), fixed(day(2), "dag", "d1")]
    result = solve_optimal(district(entries))
    mine = held(result, "d1", "duty")
    assert {(MONDAY, "dag"), (day(1), "dag"), (day(2), "dag")} <= set(mine)


def test_a_fixed_lis1_duty_gets_its_bakvakt() -> None:
    result = solve_optimal(district([fixed(MONDAY, "natt", "l1")]))
    assert (MONDAY, "natt") in held(result, "l1", "duty")
    on = {(a["date"], a["shift"], a["role"]) for a in result.roster["assignments"]}
    assert (MONDAY, "natt", "backup") in on


def test_the_validator_catches_a_roster_without_its_fixed_assignment() -> None:
    scn = district([fixed(MONDAY, "dag", "d2")])
    result = solve_optimal(scn)
    assert broken_rules(scn, result.roster, drop=[(MONDAY, "dag", "d2", "duty")]) >= {"fixed"}
    # and a roster that holds it passes
    assert broken_rules(scn, result.roster) == set()


def test_two_fixed_duties_too_close_are_the_conflict_and_each_alone_is_fine() -> None:
    # natt ends 08:00 on day 2, tidlig starts 10:00: 2 h rest, 8 h required.
    entries = [
        fixed(day(1), "natt", "d1"),
        fixed(day(2), "tidlig", "d1"),
        fixed(MONDAY, "dag", "d2"),  # unrelated: not part of the conflict
    ]
    lines = conflict_lines(district(entries))
    assert lines[:2] == [
        f"fixed[0]: d1 on natt {day(1)} (duty)",
        f"fixed[1]: d1 on tidlig {day(2)} (duty)",
    ]
    assert any("only 2.0 h rest" in line and "8 h" in line for line in lines[2:]), lines
    # Minimal: without either member, a roster exists (with the unrelated one kept).
    for k in (0, 1):
        rest = [e for j, e in enumerate(entries) if j != k]
        assert solve(district(rest), OPTIONS).valid


def test_a_fixed_duty_for_an_unavailable_doctor_names_the_absence() -> None:
    scn = scenario_from_data(
        {
            **scenario_data(
                SHIFTS,
                [doctor("d1", unavailable=[{"from": day(1), "to": day(1)}]), doctor("d2")],
                days=3,
            ),
            "fixed": [fixed(day(1), "dag", "d1")],
        }
    )
    lines = conflict_lines(scn)
    assert lines[0] == f"fixed[0]: d1 on dag {day(1)} (duty)"
    assert "unavailable" in lines[1]


def test_two_fixed_duties_on_a_one_doctor_shift_conflict() -> None:
    entries = [fixed(MONDAY, "dag", "d1"), fixed(MONDAY, "dag", "d2")]
    lines = conflict_lines(district(entries))
    assert lines[:2] == [
        f"fixed[0]: d1 on dag {MONDAY} (duty)",
        f"fixed[1]: d2 on dag {MONDAY} (duty)",
    ]
    for k in (0, 1):
        assert solve(district([entries[1 - k]]), OPTIONS).valid


def test_a_fixed_lis1_duty_without_any_possible_bakvakt_conflicts() -> None:
    # Every independent doctor is fixed on another shift at the same time.
    entries = [
        fixed(MONDAY, "dag", "l1"),
        fixed(MONDAY, "tidlig", "d1"),
        fixed(MONDAY, "tidlig", "d2"),
        fixed(MONDAY, "tidlig", "d3"),
    ]
    data = scenario_data(
        [shift("dag", "08:00", "16:00"), shift("tidlig", "10:00", "14:00", doctors=3)],
        [doctor("d1"), doctor("d2"), doctor("d3"), lis1("l1")],
        days=1,
    )
    data["fixed"] = entries
    lines = conflict_lines(scenario_from_data(data))
    assert len([line for line in lines if line.startswith("fixed[")]) == 4


def test_without_fixed_assignments_nothing_changes() -> None:
    scn = district([])
    assert scn.fixed == []
    assert solve_optimal(scn).valid
