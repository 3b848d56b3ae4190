"""The second and third levels: the highest burden per share, then burden, nights and
weekends shared in proportion to ``share``."""

from __future__ import annotations

from tests.helpers import MONDAY, build, day, doctor, held, shift, solve_optimal, value

DAG = shift("dag", "08:00", "16:00")


def test_two_identical_doctors_split_four_identical_shifts() -> None:
    result = solve_optimal(build([DAG], [doctor("d1"), doctor("d2")], days=4))
    assert value(result, "unfilled") == 0
    assert value(result, "max_burden") == 16
    assert value(result, "fairness") == 0
    figures = result.roster["doctors"]
    assert figures["d1"]["duties"] == figures["d2"]["duties"] == 2
    assert result.roster["summary"]["max_burden"] == 16


def test_shares_one_and_a_half_split_three_shifts_two_to_one() -> None:
    result = solve_optimal(build([DAG], [doctor("full"), doctor("half", share=0.5)], days=3))
    assert value(result, "unfilled") == 0
    figures = result.roster["doctors"]
    assert figures["full"]["duties"] == 2
    assert figures["half"]["duties"] == 1
    # Burden per share is 16 for both.
    assert figures["full"]["burden"] == figures["half"]["burden"] == 16
    assert value(result, "max_burden") == 16
    assert value(result, "fairness") == 0


def test_max_burden_per_share_can_favour_the_larger_share() -> None:
    # Three 8 h shifts, shares 2.0 and 1.0: 2 + 1 gives 16/2 = 8 and 8/1 = 8; 3 + 0 gives
    # 12, 1 + 2 gives 16. The doctor with the double share takes two.
    result = solve_optimal(build([DAG], [doctor("big", share=2.0), doctor("small")], days=3))
    assert value(result, "max_burden") == 8
    assert result.roster["doctors"]["big"]["duties"] == 2


def test_an_exempt_doctor_does_not_lower_anyones_burden() -> None:
    result = solve_optimal(build([DAG], [doctor("d1"), doctor("fri", exempt=True)], days=2))
    assert value(result, "max_burden") == 16
    assert result.roster["doctors"]["fri"]["duties"] == 0


def test_nights_are_shared_evenly() -> None:
    # Per day a night 00:00-08:00 and an afternoon 14:00-22:00, all 8 h; no rest rule, so
    # any split of the four is possible; the burden is equal in every two-two split, and
    # the fairness level gives each doctor one night.
    shifts = [shift("natt", "00:00", "08:00"), shift("ettermiddag", "14:00", "22:00")]
    scn = build(shifts, [doctor("d1"), doctor("d2")], days=2, policy={"min_rest_hours": 0})
    result = solve_optimal(scn)
    assert value(result, "max_burden") == 16
    figures = result.roster["doctors"]
    assert figures["d1"]["nights"] == figures["d2"]["nights"] == 1
    assert value(result, "fairness") == 0


def test_weekends_are_shared_evenly() -> None:
    # Friday to Monday, one 8 h day shift per date: two weekend duties, one each.
    friday = day(4)
    scn = build([DAG], [doctor("d1"), doctor("d2")], start=friday, days=4)
    result = solve_optimal(scn)
    figures = result.roster["doctors"]
    assert figures["d1"]["weekends"] == figures["d2"]["weekends"] == 1
    assert value(result, "fairness") == 0


def test_burden_evenly_shared_below_the_top() -> None:
    # Three doctors, one of them may only take the Monday; the two others should share
    # the rest evenly rather than one taking everything up to the top.
    doctors = [
        doctor("d1"),
        doctor("d2"),
        doctor("d3", unavailable=[{"from": day(1), "to": day(3)}]),
    ]
    result = solve_optimal(build([DAG], doctors, days=4))
    figures = result.roster["doctors"]
    # Four shifts, three doctors: the top is 16 (someone takes two); the fairness level
    # spreads them 2-1-1 with d3 taking Monday.
    assert value(result, "max_burden") == 16
    assert sorted(f["duties"] for f in figures.values()) == [1, 1, 2]
    assert figures["d3"]["duties"] == 1
    assert (MONDAY, "dag") in {
        (a["date"], a["shift"]) for a in result.roster["assignments"] if a["doctor"] == "d3"
    }


# ---------------------------------------------------------------- carried from before


def test_a_doctor_who_was_over_their_share_gets_less_now() -> None:
    # Four 8-hour days; d1 carries 16 weighted hours over their share. The burden with what
    # is carried is shared evenly: d1 16 + 8a = d2 8b with a + b = 4, so a = 1, b = 3.
    from legevakt_opt.scenario import scenario_from_data
    from tests.helpers import scenario_data

    data = scenario_data([shift("dag", "08:00", "16:00")], [doctor("d1"), doctor("d2")], days=4)
    data["doctors"][0]["history"] = {"carried_burden": 16}
    result = solve_optimal(scenario_from_data(data))
    assert (len(held(result, "d1")), len(held(result, "d2"))) == (1, 3)
    doctors = result.roster["doctors"]
    assert doctors["d1"]["burden"] == 24 and doctors["d2"]["burden"] == 24
    assert value(result, "max_burden") == 24
    assert doctors["d1"]["carry_forward"] == 0 and doctors["d2"]["carry_forward"] == 0
    assert result.validation.figures.max_burden == 24  # the validator counts it too


def test_a_negative_carried_burden_can_make_the_highest_burden_negative() -> None:
    from legevakt_opt.scenario import scenario_from_data
    from tests.helpers import scenario_data

    data = scenario_data([shift("dag", "08:00", "16:00")], [doctor("d1"), doctor("d2")], days=1)
    for d in data["doctors"]:
        d["history"] = {"carried_burden": -40}
    result = solve_optimal(scenario_from_data(data))
    assert value(result, "max_burden") == -32
    assert result.validation.ok
    assert sum(d["carry_forward"] for d in result.roster["doctors"].values()) == 0


def test_the_fairness_level_of_a_partly_exempt_doctor_is_in_weighted_hours() -> None:
    """Three 9 h nights; d2 (share 1) is exempt from Monday's, so d2 may do two thirds of
    what d1 may: fair shares are 27 × 3/5 = 16.2 h and 10.8 h, and 1.8 and 1.2 nights. The
    best roster, two nights and one, is 1.8 + 1.8 hours off, and 0.2 + 0.2 nights off at
    8 h a night: 6.8, in the same units as without exemptions."""
    exempt = [{"from": MONDAY, "to": MONDAY, "from_duties": ["night"]}]
    natt = shift("natt", "23:00", "08:00")
    result = solve_optimal(build([natt], [doctor("d1"), doctor("d2", exemptions=exempt)], days=3))
    assert value(result, "unfilled") == 0
    assert result.roster["doctors"]["d1"]["duties"] == 2
    fairness = value(result, "fairness")
    assert fairness is not None and abs(fairness - 6.8) < 0.01
    level = next(lv for lv in result.levels if lv.name == "fairness")
    assert level.bound is not None and level.bound <= fairness + 1e-9
