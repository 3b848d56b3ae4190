"""Who can take this shift: every candidate called feasible, once applied, passes the
validator (on every candidate of several rosters, relieving a doctor or filling a gap);
the others name the rules that stop them; swaps appear when nobody is free; bad questions
get a clear error."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest

from legevakt_opt.baseline import greedy_roster
from legevakt_opt.checks import validate_roster
from legevakt_opt.engine import SolveOptions, solve
from legevakt_opt.roster.recommend import RecommendError, apply, recommend
from legevakt_opt.scenario import Scenario, load_scenario
from tests.helpers import MONDAY, build, day, doctor, lis1, shift, solve_optimal

ROOT = Path(__file__).resolve().parents[1]


def _roster(scenario: Scenario) -> dict[str, Any]:
    return {"assignments": [a.to_dict() for a in greedy_roster(scenario)]}


@pytest.mark.parametrize("name", ["hallingdal", "molde", "small-lis1", "satellites-video"])
def test_every_feasible_candidate_applied_passes_the_validator(name: str) -> None:
    scn = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    roster = _roster(scn)
    assert validate_roster(scn, roster).ok
    duties = [a for a in roster["assignments"] if a["role"] == "duty"]
    checked = 0
    for a in random.Random(1).sample(duties, 4):
        when = dt.date.fromisoformat(a["date"])
        answer = recommend(scn, roster, when, a["shift"], relieve=a["doctor"])
        assert [c.doctor for c in answer.candidates if c.feasible] == [
            c.doctor for c in answer.candidates[: sum(c.feasible for c in answer.candidates)]
        ]  # feasible ones first
        for c in answer.candidates:
            if not c.feasible:
                assert c.blocked_by
                continue
            applied = {"assignments": apply(scn, roster, when, a["shift"], c.doctor, a["doctor"])}
            report = validate_roster(scn, applied)
            assert report.ok, (c.doctor, [b.message for b in report.breaches])
            assert report.figures.max_burden == pytest.approx(c.max_burden_after, abs=1e-6)
            checked += 1
    assert checked > 0


def test_an_open_shift_ranks_who_can_take_it_and_why_the_others_cannot() -> None:
    shifts = [shift("dag", "08:00", "16:00"), shift("natt", "23:00", "08:00")]
    scn = build(
        shifts,
        [
            doctor("busy"),
            doctor("away", unavailable=[{"from": MONDAY, "to": MONDAY}]),
            doctor("free"),
            doctor("light", share=0.5),
            lis1("lis"),
        ],
        days=2,
    )
    roster = {
        "assignments": [
            {"date": MONDAY, "shift": "dag", "doctor": "busy", "role": "duty"},
            {"date": day(1), "shift": "dag", "doctor": "free", "role": "duty"},
        ]
    }
    answer = recommend(scn, roster, MONDAY, "natt").to_dict()
    assert answer["missing"] == 1 and answer["relieves"] is None
    by = {c["doctor"]: c for c in answer["candidates"]}
    assert by["away"]["blocked_by"] == ["unavailable"]
    assert by["lis"]["blocked_by"] == ["needs_backup"]
    assert by["busy"]["blocked_by"] == ["rest"]  # dag ends 16:00, natt starts 23:00: 7 h
    assert [c["doctor"] for c in answer["candidates"][:2]] == ["free", "light"]
    assert by["free"]["feasible"] and by["light"]["feasible"]
    assert by["light"]["burden_after"] == pytest.approx(9 / 0.5)


def test_swaps_appear_when_nobody_can_take_the_shift() -> None:
    # Two doctors; d1 holds dag on day 0, d2 holds dag on day 1 and is away on day 0. The
    # open natt on day 0 breaks d1's rest; d1 can take it if d2 takes d1's dag.
    shifts = [shift("dag", "08:00", "16:00"), shift("natt", "20:00", "06:00")]
    scn = build(
        shifts,
        [doctor("d1"), doctor("d2", unavailable=[{"from": f"{MONDAY}T18:00", "to": day(1)}])],
        days=2,
        policy={"min_rest_hours": 8},
    )
    roster = {"assignments": [{"date": MONDAY, "shift": "dag", "doctor": "d1", "role": "duty"}]}
    answer = recommend(scn, roster, MONDAY, "natt").to_dict()
    assert not any(c["feasible"] for c in answer["candidates"])
    assert answer["swaps"] == [
        {"takes": "d1", "gives": {"date": MONDAY, "shift": "dag", "role": "duty"}, "to": "d2"}
    ]


def test_bad_questions_are_errors_naming_what_is_wrong() -> None:
    scn = load_scenario(ROOT / "scenarios" / "small-lis1.yaml")
    roster = _roster(scn)
    with pytest.raises(RecommendError, match="there is no shift 'nope'"):
        recommend(scn, roster, scn.horizon.start, "nope")
    first = roster["assignments"][0]
    with pytest.raises(RecommendError, match="is not on duty"):
        recommend(scn, roster, first["date"], first["shift"], relieve="nobody")
    with pytest.raises(RecommendError, match="is not a date"):
        recommend(scn, roster, "20270104", first["shift"])


def test_a_solved_roster_answers_too() -> None:
    scn = build([shift("dag", "08:00", "16:00")], [doctor("d1"), doctor("d2")], days=3)
    result = solve_optimal(scn)
    a = result.roster["assignments"][0]
    answer = recommend(scn, result.roster, a["date"], a["shift"])
    assert answer.relieves == a["doctor"]
    assert [c.doctor for c in answer.candidates] == [d for d in ("d1", "d2") if d != a["doctor"]]
    assert solve(scn, SolveOptions(time_limit=2, workers=1)).valid
