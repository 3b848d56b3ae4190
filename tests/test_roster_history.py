"""The previous roster as history (``roster/history.py``): which duties it carries over,
the burden carried forward, and a roster that does not fit its scenario."""

from __future__ import annotations

from typing import Any

import pytest

from legevakt_opt.roster.history import HistoryError, with_history
from legevakt_opt.scenario import Scenario
from tests.helpers import build, day, doctor, shift

DAG = shift("dag", "09:00", "15:00")


def _previous(days: int = 20) -> Scenario:
    return build([DAG], [doctor("d1"), doctor("d2")], days=days)


def _roster(days: int = 20) -> dict[str, Any]:
    """d1 holds every day shift of the previous period; d2 none, and carries 3.5 hours."""
    return {
        "assignments": [
            {"date": day(k), "shift": "dag", "doctor": "d1", "role": "duty"} for k in range(days)
        ],
        "doctors": {"d1": {"carry_forward": -3.5}, "d2": {"carry_forward": 3.5}},
    }


def _next(policy: dict[str, Any] | None = None, doctors: list[str] | None = None) -> Scenario:
    ids = doctors or ["d1", "d2"]
    return build([DAG], [doctor(i) for i in ids], days=7, start=day(20), policy=policy or {})


def _history_dates(s: Scenario, doctor_id: str) -> list[str]:
    d = next(d for d in s.doctors if d.id == doctor_id)
    assert d.history is not None
    return [str(h.start)[:10] for h in d.history.duties]


@pytest.mark.parametrize(
    ("policy", "days_back"),
    [
        ({}, 7),
        ({"max_shifts_in_window": {"shifts": 9, "days": 10}}, 10),
        ({"max_nights_in_window": {"shifts": 2, "days": 12}}, 12),
        ({"sequences": {"max_consecutive_days": 14}}, 14),
        ({"sequences": {"max_consecutive_days": 3}}, 7),
    ],
    ids=["a week", "a shift window", "a night window", "the longest run", "at least a week"],
)
def test_it_carries_the_days_the_policy_looks_back(policy: dict[str, Any], days_back: int) -> None:
    scenario, notes = with_history(_next(policy), _previous(), _roster())
    assert notes == []
    assert _history_dates(scenario, "d1") == [day(20 - k) for k in range(days_back, 0, -1)]
    assert _history_dates(scenario, "d2") == []


def test_the_burden_is_carried_forward_and_a_new_doctor_starts_with_none() -> None:
    scenario, notes = with_history(_next(doctors=["d1", "d2", "d9"]), _previous(), _roster())
    carried = {d.id: d.history.carried_burden if d.history else None for d in scenario.doctors}
    assert carried == {"d1": -3.5, "d2": 3.5, "d9": None}
    assert notes == ["d9: not in the previous roster; starts with no history"]


def test_a_roster_that_does_not_fit_its_scenario_is_named() -> None:
    roster = _roster()
    roster["assignments"][4]["shift"] = "kveld"
    with pytest.raises(HistoryError, match=r"assignments\[4\]: no shift 'kveld' on '2027-01-08'"):
        with_history(_next(), _previous(), roster)
