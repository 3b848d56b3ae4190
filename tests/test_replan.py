"""Re-planning with minimal change: after a new absence the shared examples change only what
they must (fewer changes than a roster from scratch, the same unfilled hours), nothing
before ``freeze_until`` moves, ``changes`` is exactly the difference of the two rosters with
a reason each, and a freeze that cannot hold is named. Hypothesis: random small scenarios
and random changes always give a valid re-plan whose ``changes`` are the difference."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from legevakt_opt.calendar import expand
from legevakt_opt.checks import validate_roster
from legevakt_opt.engine import NoRosterError, Published, SolveOptions, solve
from legevakt_opt.roster import SolveResult
from legevakt_opt.roster.changes import diff
from legevakt_opt.scenario import Scenario, load_scenario, scenario_from_data
from tests.test_hypothesis import scenarios

ROOT = Path(__file__).resolve().parents[1]
OPTIONS = SolveOptions(time_limit=4, workers=1, seed=0)
#: Enough for the figures these tests compare: unfilled proved, changes, the top burden.
QUICK = SolveOptions(time_limit=3, workers=1, seed=0, levels=("unfilled", "changes", "max_burden"))
Named = tuple[dt.date, str, str, str]


def named(roster: dict[str, Any]) -> tuple[Named, ...]:
    return tuple(
        (dt.date.fromisoformat(a["date"]), a["shift"], a["doctor"], a["role"])
        for a in roster["assignments"]
    )


def with_absence(scenario: Scenario, doctor: str, first: dt.date, days: int) -> Scenario:
    doc = scenario.to_document()
    entry = next(d for d in doc["doctors"] if d["id"] == doctor)
    last = first + dt.timedelta(days=days - 1)
    entry["unavailable"].append({"from": first.isoformat(), "to": last.isoformat()})
    return scenario_from_data(doc)


def busiest(roster: dict[str, Any]) -> str:
    return max(roster["doctors"], key=lambda d: (roster["doctors"][d]["duties"], d))


@pytest.fixture(scope="module", params=["hallingdal", "molde"])
def example(request: pytest.FixtureRequest) -> tuple[Scenario, SolveResult]:
    scn = load_scenario(ROOT / "scenarios" / f"{request.param}.yaml")
    return scn, solve(scn, OPTIONS)


def test_one_new_absence_changes_only_what_it_must(example: tuple[Scenario, SolveResult]) -> None:
    scn, first = example
    published = named(first.roster)
    ill = busiest(first.roster)
    theirs = sorted(a[0] for a in published if a[2] == ill)
    changed = with_absence(scn, ill, theirs[len(theirs) // 2], 3)
    again = solve(changed, QUICK, published=Published(published))
    assert again.valid, [b.message for b in again.validation.breaches]
    scratch = solve(changed, QUICK)
    assert again.figures.unfilled_hours == pytest.approx(scratch.figures.unfilled_hours)
    moves = again.roster["changes"]
    assert 0 < len(moves) < len(diff(published, named(scratch.roster)))
    # Every assignment the ill doctor lost in the absence is among the changes, with why.
    lost = [c for c in moves if c["before"] == ill]
    assert lost and all("unavailable" in c["reason"] for c in lost)
    assert len(moves) == len(diff(published, named(again.roster)))


def test_nothing_before_freeze_until_moves(example: tuple[Scenario, SolveResult]) -> None:
    scn, first = example
    published = named(first.roster)
    freeze = scn.horizon.start + dt.timedelta(days=10)
    ill = busiest(first.roster)
    # The absence starts before the freeze ends, but no duty of the ill doctor is there.
    theirs = sorted(a[0] for a in published if a[2] == ill and a[0] >= freeze)
    absent_from = max(freeze - dt.timedelta(days=1), theirs[0] - dt.timedelta(days=1))
    changed = with_absence(scn, ill, absent_from, 3)
    if any(a[2] == ill and absent_from <= a[0] < freeze for a in published):
        pytest.skip("the absence would touch a frozen duty")
    again = solve(changed, QUICK, published=Published(published, freeze))
    assert again.valid
    early = {a for a in published if a[0] < freeze}
    assert {a for a in named(again.roster) if a[0] < freeze} == early
    assert all(dt.date.fromisoformat(c["date"]) >= freeze for c in again.roster["changes"])


def test_a_frozen_duty_of_a_doctor_now_absent_is_named() -> None:
    scn = load_scenario(ROOT / "scenarios" / "small-lis1.yaml")
    first = solve(scn, QUICK)
    published = named(first.roster)
    # A duty that is its doctor's only one on its day or the day before (a night spills into
    # the next morning), so the absence breaks that one duty and no other.
    alone = [
        (d, s, doc, r)
        for d, s, doc, r in sorted(published)[3:]
        if not any(
            o[2] == doc and (o[0], o[1]) != (d, s) and d - dt.timedelta(days=1) <= o[0] <= d
            for o in published
        )
    ]
    assert alone, "every duty has a neighbour of the same doctor: no duty to test with"
    day, shift, doctor, role = alone[0]
    changed = with_absence(scn, doctor, day, 1)
    with pytest.raises(NoRosterError) as info:
        solve(changed, OPTIONS, published=Published(published, day + dt.timedelta(days=1)))
    lines = info.value.lines
    assert lines[0] == (
        f"freeze_until {(day + dt.timedelta(days=1)).isoformat()}: keeps {doctor} on {shift} "
        f"{day.isoformat()} ({role})"
    )
    assert any("unavailable" in line for line in lines[1:])


def test_the_changes_of_a_replacement_a_removal_and_an_addition() -> None:
    d = dt.date(2027, 1, 4)
    before = [(d, "natt", "a", "duty"), (d, "dag", "b", "duty"), (d, "dag", "c", "backup")]
    after = [(d, "natt", "x", "duty"), (d, "dag", "b", "duty"), (d, "kveld", "y", "duty")]
    assert diff(before, after) == [
        ((d, "dag", "backup"), "c", None),
        ((d, "kveld", "duty"), None, "y"),
        ((d, "natt", "duty"), "a", "x"),
    ]


# ---------------------------------------------------------------- random scenarios


@st.composite
def replans(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """A random scenario, and the same with one random change."""
    data = draw(scenarios())
    changed = copy.deepcopy(data)
    kind = draw(st.sampled_from(["absence", "remove", "add_doctor", "cap", "add_shift"]))
    start = dt.date.fromisoformat(data["horizon"]["start"])
    if kind == "absence":
        k = draw(st.integers(0, len(changed["doctors"]) - 1))
        first = start + dt.timedelta(days=draw(st.integers(0, data["horizon"]["days"] - 1)))
        changed["doctors"][k].setdefault("unavailable", []).append(
            {"from": first.isoformat(), "to": first.isoformat()}
        )
    elif kind == "remove" and len(changed["doctors"]) > 1:
        changed["doctors"].pop(draw(st.integers(0, len(changed["doctors"]) - 1)))
    elif kind == "add_doctor":
        changed["doctors"].append(
            {"id": "new", "name": "New", "municipality": "a", "independent": True}
        )
    elif kind == "cap":
        changed["policy"]["max_hours_per_week"] = draw(st.sampled_from([4, 8, 12]))
    else:
        changed["shifts"].append(
            {"id": "extra", "station": data["stations"][0]["id"], "start": "09:00", "end": "12:00"}
        )
    return data, changed


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(replans(), st.booleans())
def test_random_replans_validate_and_list_exactly_the_difference(
    pair: tuple[dict[str, Any], dict[str, Any]], freeze: bool
) -> None:
    data, changed_data = pair
    scn = scenario_from_data(data)
    assume(expand(scn).instances)
    changed = scenario_from_data(changed_data)
    options = SolveOptions(time_limit=2, workers=1, seed=0)
    published = named(solve(scn, options).roster)
    until = scn.horizon.start + dt.timedelta(days=1) if freeze else None
    try:
        again = solve(changed, options, published=Published(published, until))
    except NoRosterError:
        # Only a freeze can make a re-plan impossible here (the scenarios fix nothing).
        assert freeze
        return
    assert again.valid, [b.message for b in again.validation.breaches]
    assert validate_roster(changed, again.roster).ok
    listed = {
        ((dt.date.fromisoformat(c["date"]), c["shift"], c["role"]), c["before"], c["after"])
        for c in again.roster["changes"]
    }
    assert listed == set(diff(published, named(again.roster)))
    assert all(c["reason"] for c in again.roster["changes"])
    if until is not None:
        kept = {a for a in published if a[0] < until}
        assert {a for a in named(again.roster) if a[0] < until} == {
            a for a in kept if a[2] in {d.id for d in changed.doctors}
        } or not kept
