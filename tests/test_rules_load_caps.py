"""Hard rule 6, caps: weekly weighted hours (personal cap over the policy's), duties in a
run of days, and night duties in a run of days."""

from __future__ import annotations

from typing import Any

from legevakt_opt.checks import validate_roster
from legevakt_opt.scenario import Scenario, scenario_from_data
from tests.helpers import (
    MONDAY,
    broken_rules,
    build,
    day,
    doctor,
    held,
    mutated,
    scenario_data,
    shift,
    solve_optimal,
    unfilled,
    value,
)

# A hjemmevakt night of 9 h weighs 9 x 0.25 = 2.25 weighted hours.
NATT = shift("natt", "23:00", "08:00", kind="on_call")
DAG = shift("dag", "08:00", "16:00")


def _week_of_nights(doctor_fields: dict[str, Any], policy: dict[str, Any]) -> Scenario:
    return build([NATT], [doctor("d1", **doctor_fields)], days=7, policy=policy)


def test_weekly_cap_allows_exactly_four_on_call_nights() -> None:
    result = solve_optimal(_week_of_nights({}, {"max_hours_per_week": 9}))
    assert result.roster["doctors"]["d1"]["duties"] == 4
    assert result.roster["doctors"]["d1"]["weighted_hours"] == 9
    assert value(result, "unfilled") == 3 * 9
    assert value(result, "max_burden") == 9
    for entry in result.roster["unfilled"]:
        assert entry["blocked_by"] == {"cap": 1}


def test_weekly_cap_just_below_four_nights_allows_three() -> None:
    result = solve_optimal(_week_of_nights({}, {"max_hours_per_week": 8.99}))
    assert result.roster["doctors"]["d1"]["duties"] == 3
    assert value(result, "unfilled") == 4 * 9


def test_no_weekly_cap_allows_every_night() -> None:
    result = solve_optimal(_week_of_nights({}, {}))
    assert value(result, "unfilled") == 0
    assert value(result, "max_burden") == 7 * 2.25


def test_personal_cap_replaces_a_lower_policy_cap() -> None:
    result = solve_optimal(_week_of_nights({"max_hours_per_week": 18}, {"max_hours_per_week": 9}))
    assert value(result, "unfilled") == 0
    assert result.roster["doctors"]["d1"]["weighted_hours"] == 15.75


def test_personal_cap_applies_without_a_policy_cap() -> None:
    result = solve_optimal(_week_of_nights({"max_hours_per_week": 4.5}, {}))
    assert result.roster["doctors"]["d1"]["duties"] == 2
    assert value(result, "unfilled") == 5 * 9


def test_personal_cap_of_zero_means_no_duty() -> None:
    result = solve_optimal(_week_of_nights({"max_hours_per_week": 0}, {"max_hours_per_week": 40}))
    assert result.roster["assignments"] == []
    assert value(result, "unfilled") == 7 * 9


def test_an_assignment_counts_in_the_week_it_starts() -> None:
    # The Sunday night runs into Monday but counts in the week it starts: Sunday's and
    # Monday's nights fall in two weeks, so a cap of one night a week allows both.
    sunday = day(6)
    scn = build([NATT], [doctor("d1")], start=sunday, days=2, policy={"max_hours_per_week": 2.25})
    result = solve_optimal(scn)
    assert value(result, "unfilled") == 0
    assert held(result, "d1") == [(sunday, "natt"), (day(7), "natt")]


def test_backup_and_video_count_toward_the_weekly_cap() -> None:
    # A bakvakt of 7 h weighs 1.05: with a cap of 1 the only independent doctor cannot be
    # bakvakt, so the LIS1 doctor's shift stays unfilled.
    kveld = shift("kveld", "16:00", "23:00")
    lis = doctor("lis", independent=False, category="lis1")
    result = solve_optimal(build([kveld], [lis, doctor("spes", max_hours_per_week=1)]))
    assert value(result, "unfilled") == 7
    result = solve_optimal(build([kveld], [lis, doctor("spes", max_hours_per_week=1.05)]))
    assert value(result, "unfilled") == 0


# ------------------------------------------------------------ windows of days


def test_at_most_one_shift_in_seven_days() -> None:
    scn = build(
        [DAG], [doctor("d1")], days=7, policy={"max_shifts_in_window": {"shifts": 1, "days": 7}}
    )
    result = solve_optimal(scn)
    assert result.roster["doctors"]["d1"]["duties"] == 1
    assert value(result, "unfilled") == 6 * 8
    assert all(u["blocked_by"] == {"shift_window": 1} for u in result.roster["unfilled"])


def test_at_most_one_shift_in_three_days() -> None:
    scn = build(
        [DAG], [doctor("d1")], days=7, policy={"max_shifts_in_window": {"shifts": 1, "days": 3}}
    )
    result = solve_optimal(scn)
    # Monday, Thursday, Sunday.
    assert held(result, "d1") == [(MONDAY, "dag"), (day(3), "dag"), (day(6), "dag")]
    assert value(result, "unfilled") == 4 * 8


def test_a_window_longer_than_the_horizon_still_caps() -> None:
    scn = build(
        [DAG], [doctor("d1")], days=3, policy={"max_shifts_in_window": {"shifts": 2, "days": 14}}
    )
    result = solve_optimal(scn)
    assert result.roster["doctors"]["d1"]["duties"] == 2
    assert value(result, "unfilled") == 8


def test_at_most_one_night_in_seven_days_leaves_day_shifts_alone() -> None:
    natt = shift("natt", "23:00", "07:00")
    dag = shift("dag", "10:00", "14:00")
    scn = build(
        [dag, natt],
        [doctor("d1")],
        days=3,
        policy={"min_rest_hours": 2, "max_nights_in_window": {"shifts": 1, "days": 7}},
    )
    result = solve_optimal(scn)
    # Every 4 h day shift, and one 8 h night of three.
    assert result.roster["doctors"]["d1"]["nights"] == 1
    assert result.roster["doctors"]["d1"]["duties"] == 4
    assert value(result, "unfilled") == 2 * 8
    nights = [k for k in unfilled(result) if k[1] == "natt"]
    assert len(nights) == 2
    for key in nights:
        assert unfilled(result)[key]["blocked_by"] == {"night_window": 1}


def test_an_evening_ending_at_midnight_is_no_night() -> None:
    scn = build(
        [shift("kveld", "16:00", "00:00")],
        [doctor("d1")],
        days=3,
        policy={"max_nights_in_window": {"shifts": 1, "days": 7}},
    )
    result = solve_optimal(scn)
    assert value(result, "unfilled") == 0
    assert result.roster["doctors"]["d1"]["nights"] == 0


# ------------------------------------------------------------ the validator catches breaches


def test_validator_rejects_a_week_over_the_cap() -> None:
    scn = _week_of_nights({}, {"max_hours_per_week": 9})
    roster = solve_optimal(scn).roster
    date, shift_id = next(iter(unfilled_keys(roster)))
    assert broken_rules(scn, roster) == set()
    assert broken_rules(scn, roster, add=[(date, shift_id, "d1", "duty")]) == {"cap"}


def test_validator_rejects_a_week_over_the_personal_cap() -> None:
    scn = _week_of_nights({"max_hours_per_week": 4.5}, {"max_hours_per_week": 40})
    roster = solve_optimal(scn).roster
    date, shift_id = next(iter(unfilled_keys(roster)))
    assert broken_rules(scn, roster, add=[(date, shift_id, "d1", "duty")]) == {"cap"}


def test_validator_rejects_too_many_shifts_in_the_window() -> None:
    scn = build(
        [DAG], [doctor("d1")], days=7, policy={"max_shifts_in_window": {"shifts": 1, "days": 3}}
    )
    roster = solve_optimal(scn).roster
    # Tuesday comes a day after Monday's duty.
    assert broken_rules(scn, roster, add=[(day(1), "dag", "d1", "duty")]) == {"shift_window"}


def test_validator_rejects_too_many_nights_in_the_window() -> None:
    scn = build(
        [NATT], [doctor("d1")], days=3, policy={"max_nights_in_window": {"shifts": 1, "days": 7}}
    )
    roster = solve_optimal(scn).roster
    assert value_of(roster, "d1", "nights") == 1
    date, shift_id = next(iter(unfilled_keys(roster)))
    assert broken_rules(scn, roster, add=[(date, shift_id, "d1", "duty")]) == {"night_window"}


def unfilled_keys(roster: dict[str, Any]) -> list[tuple[str, str]]:
    return [(u["date"], u["shift"]) for u in roster["unfilled"]]


def value_of(roster: dict[str, Any], doctor_id: str, figure: str) -> Any:
    return roster["doctors"][doctor_id][figure]


# ---------------------------------------------------------------- across the boundary


def _carrying(history: dict[str, Any], **kw: Any) -> Scenario:
    data = scenario_data([shift("natt", "23:00", "08:00")], [doctor("d1"), doctor("d2")], **kw)
    data["doctors"][0]["history"] = history
    return scenario_from_data(data)


def test_a_rolling_window_counts_the_previous_periods_nights() -> None:
    # One night in any 4 days; d1's last night was two days before the horizon: neither of
    # the first two nights may be d1's.
    past = {"duties": [{"start": "2027-01-02T23:00", "end": "2027-01-03T08:00"}]}
    scn = _carrying(past, days=6, policy={"max_nights_in_window": {"shifts": 1, "days": 4}})
    result = solve_optimal(scn)
    mine = [d for d, _ in held(result, "d1")]
    assert mine and min(mine) >= day(2)
    report = validate_roster(scn, mutated(result.roster, add=[(day(1), "natt", "d1", "duty")]))
    assert "night_window" in report.rules()
    assert all(b.shift != "the previous period's duty" for b in report.breaches)
    free = _carrying({}, days=6, policy={"max_nights_in_window": {"shifts": 1, "days": 4}})
    without, with_history = value(solve_optimal(free), "unfilled"), value(result, "unfilled")
    assert without is not None and with_history is not None
    assert without <= with_history


def test_the_first_week_counts_the_previous_periods_hours() -> None:
    # The horizon starts on a Wednesday; Monday and Tuesday's 18 weighted hours count
    # towards the week's cap of 27: one more 9-hour night at most.
    past = {
        "duties": [
            {"start": "2027-01-04T23:00", "end": "2027-01-05T08:00"},
            {"start": "2027-01-05T23:00", "end": "2027-01-06T08:00"},
        ]
    }
    scn = _carrying(
        past, days=5, start="2027-01-06", policy={"max_hours_per_week": 27, "min_rest_hours": 0}
    )
    result = solve_optimal(scn)
    first_week = [d for d, _ in held(result, "d1") if d <= "2027-01-10"]
    assert len(first_week) <= 1
