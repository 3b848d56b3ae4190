"""Hard rule 5, video: a satellite's video shift covered by one doctor on duty at a linked
main station whose window contains the satellite's, at most ``video_max_satellites`` at once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from legevakt_opt.baseline import greedy_roster
from legevakt_opt.calendar import expand
from legevakt_opt.roster import NamedAssignment
from legevakt_opt.rules.video import add_video_concurrency
from legevakt_opt.scenario import Scenario
from tests.helpers import (
    MONDAY,
    admitted_and_expected,
    assignments,
    broken_rules,
    build,
    doctor,
    shift,
    solve_optimal,
    station,
    unfilled,
    value,
)

MAIN = shift("hoved", "16:00", "23:00", "A")


def _satellites(n: int, video_from: tuple[str, ...] = ("A",)) -> list[dict[str, Any]]:
    return [station("A")] + [
        station(f"S{k}", kind="satellite", video_from=video_from) for k in range(1, n + 1)
    ]


def _sat_shift(k: int, start: str = "16:00", end: str = "22:00", **kw: Any) -> dict[str, Any]:
    return shift(f"sat{k}", start, end, f"S{k}", video=True, **kw)


def _one_satellite(
    doctors: list[dict[str, Any]] | None = None,
    main: dict[str, Any] = MAIN,
    sat: dict[str, Any] | None = None,
    **kw: Any,
) -> Scenario:
    return build(
        [main, sat or _sat_shift(1)],
        doctors if doctors is not None else [doctor("d1")],
        stations=_satellites(1),
        **kw,
    )


def test_the_main_station_doctor_covers_the_satellite_by_video() -> None:
    result = solve_optimal(_one_satellite())
    assert value(result, "unfilled") == 0
    assert assignments(result) == {
        (MONDAY, "hoved", "d1", "duty"),
        (MONDAY, "sat1", "d1", "video"),
    }
    # Not on site at the satellite; video weighs 0.25: 7 + 6 x 0.25.
    figures = result.roster["doctors"]["d1"]
    assert figures == {**figures, "duties": 1, "videos": 1, "weighted_hours": 8.5}
    assert value(result, "max_burden") == 8.5


def test_video_max_satellites_limits_one_doctor() -> None:
    scn = build(
        [MAIN, _sat_shift(1), _sat_shift(2), _sat_shift(3)],
        [doctor("d1")],
        stations=_satellites(3),
        policy={"video_max_satellites": 2},
    )
    result = solve_optimal(scn)
    # Two satellites by video, the third can neither be by video nor on site (overlap).
    assert value(result, "unfilled") == 6
    assert result.roster["doctors"]["d1"]["videos"] == 2
    (entry,) = result.roster["unfilled"]
    assert entry["blocked_by"] == {"overlap": 1}


def test_the_third_satellite_gets_a_doctor_on_site() -> None:
    scn = build(
        [MAIN, _sat_shift(1), _sat_shift(2), _sat_shift(3)],
        [doctor("d1"), doctor("d2")],
        stations=_satellites(3),
        policy={"video_max_satellites": 2},
    )
    result = solve_optimal(scn)
    assert value(result, "unfilled") == 0
    roles = sorted(r for _, _, _, r in assignments(result))
    assert roles == ["duty", "duty", "video", "video"]
    # The host: 7 + 2 x 1.5 = 10; the satellite doctor on site: 6.
    assert value(result, "max_burden") == 10


def test_satellites_one_after_another_do_not_count_as_at_once() -> None:
    scn = build(
        [
            shift("hoved", "08:00", "23:00", "A"),
            _sat_shift(1, "08:00", "12:00"),
            _sat_shift(2, "12:00", "16:00"),
            _sat_shift(3, "16:00", "20:00"),
        ],
        [doctor("d1")],
        stations=_satellites(3),
        policy={"video_max_satellites": 1},
    )
    result = solve_optimal(scn)
    assert value(result, "unfilled") == 0
    assert result.roster["doctors"]["d1"]["videos"] == 3


def test_no_video_when_the_policy_does_not_allow_it() -> None:
    result = solve_optimal(_one_satellite(policy={"video_allowed": False}))
    assert value(result, "unfilled") == 6
    assert all(r != "video" for _, _, _, r in assignments(result))
    assert unfilled(result)[MONDAY, "sat1"]["blocked_by"] == {"overlap": 1}


def test_a_doctor_without_video_does_not_cover_by_video() -> None:
    result = solve_optimal(_one_satellite([doctor("d1", video=False)]))
    assert value(result, "unfilled") == 6
    assert assignments(result) == {(MONDAY, "hoved", "d1", "duty")}


def test_a_host_window_that_does_not_contain_the_satellite_cannot_host() -> None:
    # The host ends at 21:00, the satellite at 22:00: no video; one doctor covers the
    # longer satellite shift on site (6 h) and the 5 h main shift stays unfilled.
    result = solve_optimal(_one_satellite(main=shift("hoved", "16:00", "21:00", "A")))
    assert value(result, "unfilled") == 5
    assert assignments(result) == {(MONDAY, "sat1", "d1", "duty")}


def test_a_satellite_is_only_hosted_from_its_video_from_stations() -> None:
    scn = build(
        [shift("hoved", "16:00", "23:00", "B"), _sat_shift(1)],
        [doctor("d1")],
        stations=[station("A"), station("B"), station("S1", kind="satellite", video_from=["A"])],
    )
    result = solve_optimal(scn)
    # B is not in video_from: one doctor, two overlapping shifts, the 6 h one unfilled.
    assert value(result, "unfilled") == 6
    assert assignments(result) == {(MONDAY, "hoved", "d1", "duty")}


def test_a_template_without_video_is_not_covered_by_video() -> None:
    plain = shift("sat1", "16:00", "22:00", "S1")
    result = solve_optimal(_one_satellite(sat=plain))
    assert value(result, "unfilled") == 6


def test_a_video_covered_satellite_needs_no_further_doctors() -> None:
    # A satellite shift asking for two doctors is fully covered by one video doctor.
    result = solve_optimal(_one_satellite(sat=_sat_shift(1, doctors=2)))
    assert value(result, "unfilled") == 0
    assert (MONDAY, "sat1", "d1", "video") in assignments(result)


def test_a_lis1_host_still_covers_by_video_with_a_bakvakt_at_the_host() -> None:
    doctors = [
        doctor("lis", independent=False, category="lis1"),
        doctor("spes", stations=["B"]),
    ]
    scn = build(
        [MAIN, _sat_shift(1)],
        doctors,
        stations=[*_satellites(1), station("B")],
    )
    result = solve_optimal(scn)
    assert value(result, "unfilled") == 0
    assert assignments(result) == {
        (MONDAY, "hoved", "lis", "duty"),
        (MONDAY, "hoved", "spes", "backup"),
        (MONDAY, "sat1", "lis", "video"),
    }


# ------------------------------------------------------------ the validator catches breaches


def test_validator_rejects_more_satellites_at_once_than_allowed() -> None:
    scn = build(
        [MAIN, _sat_shift(1), _sat_shift(2), _sat_shift(3)],
        [doctor("d1"), doctor("d2", video=False)],
        stations=_satellites(3),
        policy={"video_max_satellites": 2},
    )
    roster = solve_optimal(scn).roster
    assert broken_rules(scn, roster) == set()
    # d1 hosts two satellites by video; d2 (no video) is on site at the third.
    ((date, on_site, _, _),) = [a for a in assignments(roster) if a[2] == "d2"]
    assert on_site.startswith("sat")
    assert sorted(r for _, _, doc, r in assignments(roster) if doc == "d1") == [
        "duty",
        "video",
        "video",
    ]
    rules = broken_rules(
        scn, roster, add=[(date, on_site, "d1", "video")], drop=[(date, on_site, "d2", "duty")]
    )
    assert rules == {"video"}


def test_validator_rejects_video_by_a_doctor_without_video() -> None:
    scn = _one_satellite([doctor("d1", video=False)])
    roster = solve_optimal(scn).roster
    assert broken_rules(scn, roster, add=[(MONDAY, "sat1", "d1", "video")]) == {"video"}


def test_validator_rejects_video_without_a_host_duty() -> None:
    scn = _one_satellite()
    roster = solve_optimal(scn).roster
    assert broken_rules(scn, roster, drop=[(MONDAY, "hoved", "d1", "duty")]) == {"video"}


def test_validator_rejects_video_and_duty_on_one_satellite_instance() -> None:
    roster = solve_optimal(_one_satellite()).roster
    # The same roster in a district with a second doctor, who is put on site at the
    # satellite that d1 already covers by video.
    scn = _one_satellite([doctor("d1"), doctor("d2")])
    assert broken_rules(scn, roster) == set()
    assert broken_rules(scn, roster, add=[(MONDAY, "sat1", "d2", "duty")]) == {"video"}


def test_validator_rejects_two_video_doctors_on_one_satellite_instance() -> None:
    roster = solve_optimal(_one_satellite()).roster
    scn = _one_satellite(
        [doctor("d1"), doctor("d2")], main=shift("hoved", "16:00", "23:00", "A", doctors=2)
    )
    add = [(MONDAY, "hoved", "d2", "duty"), (MONDAY, "sat1", "d2", "video")]
    assert broken_rules(scn, roster, add=add[:1]) == set()
    assert broken_rules(scn, roster, add=add) == {"video"}


def test_validator_rejects_video_when_the_policy_forbids_it() -> None:
    roster = solve_optimal(_one_satellite()).roster
    assert (MONDAY, "sat1", "d1", "video") in assignments(roster)
    forbidden = _one_satellite(policy={"video_allowed": False})
    assert broken_rules(forbidden, roster) == {"video"}


def test_validator_rejects_video_on_a_non_video_shift() -> None:
    scn = build([MAIN, shift("annen", "17:00", "20:00", "A")], [doctor("d1"), doctor("d2")])
    roster = solve_optimal(scn).roster
    (host,) = [a["doctor"] for a in roster["assignments"] if a["shift"] == "hoved"]
    rules = broken_rules(
        scn,
        roster,
        add=[(MONDAY, "annen", host, "video")],
        drop=[
            (a["date"], a["shift"], a["doctor"], a["role"])
            for a in roster["assignments"]
            if a["shift"] == "annen"
        ],
    )
    assert rules == {"video"}


def test_the_hand_method_keeps_a_kept_satellite_duty_and_adds_no_video_beside_it() -> None:
    """A re-plan keeps a published duty at a satellite: the hand method around it must not
    also cover that satellite by video (the roster would break the video rule; a re-plan
    starting from it had no valid roster in its first stage's time)."""
    scenario = _one_satellite([doctor("d1"), doctor("d2")])
    calendar = expand(scenario)
    kept = [NamedAssignment(dt.date.fromisoformat(MONDAY), "sat1", "d2", "duty")]
    roster = greedy_roster(scenario, calendar, keep=kept)
    at_satellite = [a for a in roster if a.shift == "sat1"]
    assert at_satellite == kept


def test_concurrency_admits_exactly_the_sets_never_over_the_limit() -> None:
    """Every subset of overlapping, nested, touching and empty windows: the rule admits it
    iff at no moment more than two are running (the sweep by start time against a check
    of every minute)."""
    windows = [(0, 6), (2, 8), (4, 5), (6, 12), (6, 6), (8, 14), (0, 14), (13, 20), (12, 13)]
    admitted, expected = admitted_and_expected(
        windows,
        lambda model, intervals: add_video_concurrency(model, intervals, 2),
        lambda on: all(sum(s <= t < e for s, e in on) <= 2 for t in range(21)),
    )
    assert admitted == expected
    assert 1 < len(expected) < 1 << len(windows)
