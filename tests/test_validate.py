"""The independent roster validator: a valid hand-made roster, and one mutation per rule.

The scenario is a week of a tiny district; each mutated roster breaks exactly one rule,
and the validator must name that rule and no other. One piece because every test mutates
the one valid roster of that district, built at the top.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest

from legevakt_opt.checks import RULES, Breach, Checker, Report, validate_roster
from legevakt_opt.scenario import Scenario, scenario_from_data

D = dt.date


def base_data() -> dict[str, Any]:
    """Mon 2027-01-04 to Sun 2027-01-10, no holidays; stations A, B (main), S, T (satellites)."""
    return {
        "format": "legevakt-scenario/1",
        "name": "tiny",
        "horizon": {"start": "2027-01-04", "days": 7, "holidays": []},
        "municipalities": [{"id": "m", "name": "M"}],
        "stations": [
            {"id": "A", "name": "A", "municipality": "m", "kind": "main"},
            {"id": "B", "name": "B", "municipality": "m", "kind": "main"},
            {"id": "S", "name": "S", "municipality": "m", "kind": "satellite", "video_from": ["A"]},
            {"id": "T", "name": "T", "municipality": "m", "kind": "satellite", "video_from": ["A"]},
        ],
        "shifts": [
            {"id": "dag", "station": "A", "start": "08:00", "end": "16:00"},
            {"id": "kveld", "station": "A", "when": ["weekday"], "start": "16:00", "end": "23:00"},
            {"id": "natt", "station": "A", "start": "23:00", "end": "08:00", "kind": "on_call"},
            {"id": "sat", "station": "S", "start": "17:00", "end": "21:00", "video": True},
            {"id": "sat2", "station": "T", "start": "17:00", "end": "21:00", "video": True},
            {
                "id": "helg",
                "station": "B",
                "when": ["weekend"],
                "start": "10:00",
                "end": "14:00",
                "doctors": 2,
            },
        ],
        "doctors": [
            {"id": "d1", "name": "1", "municipality": "m", "independent": True},
            {
                "id": "d2",
                "name": "2",
                "municipality": "m",
                "independent": True,
                "max_hours_per_week": 20,
            },
            {
                "id": "d3",
                "name": "3",
                "municipality": "m",
                "independent": False,
                "lis1_completed": False,
            },
            {"id": "d4", "name": "4", "municipality": "m", "independent": True, "stations": ["B"]},
            {"id": "d5", "name": "5", "municipality": "m", "independent": True, "exempt": True},
            {"id": "d6", "name": "6", "municipality": "m", "independent": True, "video": False},
            {
                "id": "d7",
                "name": "7",
                "municipality": "m",
                "independent": True,
                "max_hours_per_week": 50,
                "unavailable": [{"from": "2027-01-06", "to": "2027-01-06"}],
            },
        ],
        "policy": {
            "min_rest_hours": 8,
            "max_work_period_hours": 20,
            "max_hours_per_week": 40,
            "max_shifts_in_window": {"shifts": 4, "days": 7},
            "max_nights_in_window": {"shifts": 2, "days": 7},
            "lis1_without_backup": False,
            "video_allowed": True,
            "video_max_satellites": 1,
        },
    }


def make(data: dict[str, Any] | None = None) -> Scenario:
    return scenario_from_data(data if data is not None else base_data())


def a(date: str, shift: str, doctor: str, role: str = "duty") -> dict[str, str]:
    return {"date": date, "shift": shift, "doctor": doctor, "role": role}


VALID = [
    a("2027-01-04", "dag", "d1"),
    a("2027-01-04", "kveld", "d2"),
    a("2027-01-04", "natt", "d6"),
    a("2027-01-04", "sat", "d2", "video"),
    a("2027-01-05", "dag", "d3"),
    a("2027-01-05", "dag", "d1", "backup"),
    a("2027-01-05", "kveld", "d7"),
    a("2027-01-06", "dag", "d2"),
    a("2027-01-09", "helg", "d4"),
    a("2027-01-09", "helg", "d1"),
]


def roster(assignments: list[dict[str, str]] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "format": "legevakt-roster/1",
        "scenario": "tiny",
        "status": "feasible",
        "assignments": copy.deepcopy(VALID if assignments is None else assignments),
        **extra,
    }


def plus(*more: dict[str, str]) -> dict[str, Any]:
    return roster([*VALID, *more])


def without(*gone: dict[str, str]) -> list[dict[str, str]]:
    return [x for x in VALID if x not in gone]


def only(report: Report, rule: str) -> list[Breach]:
    """Assert every breach carries ``rule`` (and there is one); return them."""
    assert report.breaches, f"expected a {rule!r} breach, got none"
    assert {b.rule for b in report.breaches} == {rule}, [b.message for b in report.breaches]
    return report.breaches


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return make()


@pytest.fixture(scope="module")
def checker(scenario: Scenario) -> Checker:
    return Checker(scenario)


# ---------------------------------------------------------------- the valid roster


def test_valid_roster_passes(scenario: Scenario) -> None:
    report = validate_roster(scenario, roster())
    assert report.ok, [b.message for b in report.breaches]
    assert report.breaches == []
    d1 = report.figures.doctors["d1"]
    assert d1.weighted_hours == pytest.approx(8 + 8 * 0.15 + 4)
    assert (d1.duties, d1.nights, d1.weekends) == (2, 0, 1)
    assert report.figures.doctors["d6"].nights == 1
    assert report.figures.doctors["d6"].weighted_hours == pytest.approx(9 * 0.25)
    # video counts in weighted hours, never as a duty
    d2 = report.figures.doctors["d2"]
    assert d2.weighted_hours == pytest.approx(7 + 4 * 0.25 + 8)
    assert d2.duties == 2


def test_rule_codes_are_the_contract() -> None:
    assert set(RULES) == {
        "unknown",
        "exempt",
        "unavailable",
        "station",
        "overlap",
        "rest",
        "work_period",
        "cap",
        "shift_window",
        "night_window",
        "backup",
        "video",
        "overfilled",
        "fixed",
        "succession",
        "after_night",
        "consecutive_days",
        "figures",
    }


def test_to_dict_is_json_ready(scenario: Scenario) -> None:
    report = validate_roster(scenario, plus(a("2027-01-07", "dag", "d5")))
    out = report.to_dict()
    json.dumps(out)
    assert out["valid"] is False
    assert out["breaches"][0] == {
        "rule": "exempt",
        "message": out["breaches"][0]["message"],
        "doctor": "d5",
        "shift": "dag",
        "date": "2027-01-07",
    }
    assert set(out["figures"]) >= {
        "doctors",
        "unfilled",
        "unfilled_hours",
        "required_hours",
        "max_burden",
        "mean_burden",
    }
    assert set(out["figures"]["doctors"]["d1"]) == {
        "weighted_hours",
        "duties",
        "nights",
        "weekends",
        "burden",
        "carry_forward",
    }


# ---------------------------------------------------------------- unknown


@pytest.mark.parametrize(
    "entry",
    [
        a("2027-01-07", "dag", "zz"),  # unknown doctor
        a("2027-01-07", "nope", "d1"),  # unknown shift
        a("2027-01-11", "dag", "d1"),  # after the horizon
        a("2027-01-03", "natt", "d1"),  # before the horizon
        a("2027-01-09", "kveld", "d1"),  # kveld runs on weekdays only
        a("2027-01-08", "dag", "d1", "boss"),  # bad role
        a("2027-01-06", "dag", "d2"),  # duplicate of a valid line
        {"date": "2027-01-08", "shift": "dag", "doctor": "d1"},  # no role
        {"date": "2027-13-01", "shift": "dag", "doctor": "d1", "role": "duty"},  # bad date
        {"date": "2027-01-08", "shift": 3, "doctor": "d1", "role": "duty"},  # not text
        ["2027-01-08", "dag", "d1", "duty"],  # not a mapping
    ],
)
def test_unknown(scenario: Scenario, entry: Any) -> None:
    breaches = only(validate_roster(scenario, plus(entry)), "unknown")
    assert len(breaches) == 1


@pytest.mark.parametrize(
    "document",
    [
        None,
        [],
        "roster",
        42,
        {"assignments": None},
        {"assignments": {"a": 1}},
        {"detail": "no such solve"},  # an error answer saved as a roster
        {"format": "legevakt-sweep/1", "assignments": []},
    ],
)
def test_malformed_roster_never_raises(scenario: Scenario, document: Any) -> None:
    report = validate_roster(scenario, document)
    only(report, "unknown")
    # nothing is assigned, so everything is unfilled
    assert report.figures.unfilled_hours == pytest.approx(report.figures.required_hours)


def test_roster_without_assignments_has_none(scenario: Scenario) -> None:
    report = validate_roster(scenario, {"format": "legevakt-roster/1", "status": "unknown"})
    assert report.ok
    assert report.figures.unfilled_hours == pytest.approx(report.figures.required_hours)


@pytest.mark.parametrize(
    "text", ["20270108", " 2027-01-08", "2027-01-08 ", "2027-W01-5", "8.1.2027"]
)
def test_roster_dates_are_read_as_strictly_as_scenario_dates(scenario: Scenario, text: str) -> None:
    # date.fromisoformat alone takes 20270108 and 2027-W01-5; the scenario loader does not,
    # and a roster is read by the same rule, with the same words.
    [b] = validate_roster(scenario, plus(a(text, "dag", "d1"))).breaches
    k = len(VALID)
    assert b.rule == "unknown"
    assert b.message == f"assignments[{k}].date: {text!r} is not a date (YYYY-MM-DD)"


@pytest.mark.parametrize("role", ["Duty", " duty", "bakvakt", ""])
def test_roster_roles_are_read_exactly(scenario: Scenario, role: str) -> None:
    [b] = validate_roster(scenario, plus(a("2027-01-08", "dag", "d1", role))).breaches
    assert b.rule == "unknown"
    k = len(VALID)
    expected = f"assignments[{k}].role: {role!r} is not one of 'duty', 'backup' or 'video'"
    assert b.message == expected


def test_unknown_messages_say_why(scenario: Scenario) -> None:
    [b] = validate_roster(scenario, plus(a("2027-01-09", "kveld", "d1"))).breaches
    assert b.message == "d1 on kveld 2027-01-09 (duty): kveld does not run on Saturday 2027-01-09"
    assert (b.doctor, b.shift, b.date) == ("d1", "kveld", D(2027, 1, 9))
    [b] = validate_roster(scenario, plus(a("2027-01-09", "helg", "d1"))).breaches
    assert "listed more than once" in b.message


# ---------------------------------------------------------------- per-assignment rules


def test_exempt(scenario: Scenario) -> None:
    [b] = only(validate_roster(scenario, plus(a("2027-01-05", "natt", "d5"))), "exempt")
    assert (b.doctor, b.shift, b.date) == ("d5", "natt", D(2027, 1, 5))
    assert "exempt" in b.message


def test_exempt_applies_to_every_role(scenario: Scenario) -> None:
    mutated = [x for x in VALID if x != a("2027-01-05", "dag", "d1", "backup")]
    report = validate_roster(scenario, roster([*mutated, a("2027-01-05", "dag", "d5", "backup")]))
    only(report, "exempt")


def test_unavailable(scenario: Scenario) -> None:
    # d7 is away all of 2027-01-06; natt 01-06 runs 23:00 to 08:00 on 01-07
    [b] = only(validate_roster(scenario, plus(a("2027-01-06", "natt", "d7"))), "unavailable")
    assert b.doctor == "d7"
    assert "2027-01-06 to 2027-01-06" in b.message


def test_unavailable_needs_a_positive_overlap() -> None:
    data = base_data()
    data["doctors"][6]["unavailable"] = [{"from": "2027-01-07T16:00", "to": "2027-01-08T08:00"}]
    sc = make(data)
    ok = [a("2027-01-07", "dag", "d7"), a("2027-01-08", "dag", "d7")]  # touch the range only
    assert validate_roster(sc, roster(ok)).ok
    only(validate_roster(sc, roster([a("2027-01-07", "kveld", "d7")])), "unavailable")
    # unavailable applies to backup too
    both = [a("2027-01-07", "natt", "d3"), a("2027-01-07", "natt", "d7", "backup")]
    only(validate_roster(sc, roster(both)), "unavailable")


def test_station(scenario: Scenario) -> None:
    [b] = only(validate_roster(scenario, plus(a("2027-01-07", "dag", "d4"))), "station")
    assert "station A" in b.message


# ---------------------------------------------------------------- time line


def test_overlap(scenario: Scenario) -> None:
    # d1 already has helg 10-14 at B on 01-09; dag 08-16 at A overlaps it
    [b] = only(validate_roster(scenario, plus(a("2027-01-09", "dag", "d1"))), "overlap")
    assert b.doctor == "d1"


def test_rest(scenario: Scenario) -> None:
    # d1 works dag 08-16 on 01-04; natt 23:00 the same date leaves 7 h
    mutated = [*without(a("2027-01-04", "natt", "d6")), a("2027-01-04", "natt", "d1")]
    [b] = only(validate_roster(scenario, roster(mutated)), "rest")
    assert b.message == (
        "d1 on natt 2027-01-04 (duty): only 7.0 h rest after the work period ending "
        "2027-01-04 16:00; the policy asks for 8 h"
    )


def test_work_period(scenario: Scenario) -> None:
    # dag + kveld + natt on 01-07 touch: one 24 h work period, the policy allows 20
    chain = [a("2027-01-07", s, "d6") for s in ("dag", "kveld", "natt")]
    [b] = only(validate_roster(scenario, plus(*chain)), "work_period")
    assert b.shift == "natt"
    assert "24.0 h" in b.message


def test_cap_personal(scenario: Scenario) -> None:
    # d2: kveld 7 + video 1 + dag 8 = 16 weighted hours; cap 20; one more dag is 24
    [b] = only(validate_roster(scenario, plus(a("2027-01-08", "dag", "d2"))), "cap")
    assert b.doctor == "d2"
    assert "24.00 weighted hours in the week 2027-01-04 to 2027-01-10" in b.message


def test_cap_policy_and_personal_above_it(checker: Checker) -> None:
    days = [D(2027, 1, 4) + dt.timedelta(days=k) for k in range(5)]
    five_dag = [("dag", d, "duty") for d in days]  # 40 h
    five_dag_backup = [*five_dag, ("natt", D(2027, 1, 6), "backup")]  # never mind the rest
    assert [b.rule for b in checker.doctor_breaches("d1", five_dag) if b.rule == "cap"] == []
    rules = {b.rule for b in checker.doctor_breaches("d1", five_dag_backup)}
    assert "cap" in rules  # 41.35 > 40
    # d7's own cap (50) replaces the policy's 40
    d7 = [("dag", d, "duty") for d in days if d != D(2027, 1, 6)]
    d7 += [("kveld", D(2027, 1, 4), "duty"), ("kveld", D(2027, 1, 7), "duty")]  # 46 h
    assert "cap" not in {b.rule for b in checker.doctor_breaches("d7", d7)}


def test_shift_window(scenario: Scenario) -> None:
    # d6 has natt 01-04; four more duties make 5 in 7 days, cap 4
    more = [a(f"2027-01-{d:02d}", "dag", "d6") for d in (7, 8, 9, 10)]
    breaches = only(validate_roster(scenario, plus(*more)), "shift_window")
    assert [b.date for b in breaches] == [D(2027, 1, 10)]


def test_night_window(scenario: Scenario) -> None:
    more = [a("2027-01-06", "natt", "d6"), a("2027-01-08", "natt", "d6")]
    [b] = only(validate_roster(scenario, plus(*more)), "night_window")
    assert b.date == D(2027, 1, 8)


# ---------------------------------------------------------------- per-instance rules


def test_backup_missing(scenario: Scenario) -> None:
    mutated = without(a("2027-01-05", "dag", "d1", "backup"))
    [b] = only(validate_roster(scenario, roster(mutated)), "backup")
    assert (b.shift, b.date, b.doctor) == ("dag", D(2027, 1, 5), None)
    assert "d3 needs a bakvakt" in b.message


def test_backup_twice(scenario: Scenario) -> None:
    only(validate_roster(scenario, plus(a("2027-01-05", "dag", "d7", "backup"))), "backup")


def test_backup_not_needed(scenario: Scenario) -> None:
    [b] = only(validate_roster(scenario, plus(a("2027-01-06", "dag", "d1", "backup"))), "backup")
    assert b.doctor == "d1"


def test_backup_by_a_dependent_doctor(scenario: Scenario) -> None:
    mutated = [
        *without(a("2027-01-05", "dag", "d1", "backup"), a("2027-01-05", "dag", "d3")),
        a("2027-01-05", "dag", "d7"),
        a("2027-01-07", "dag", "d1"),
        a("2027-01-07", "dag", "d3", "backup"),
    ]
    # d3 as bakvakt is not allowed, and d1 needs none (independent): two backup breaches
    breaches = only(validate_roster(scenario, roster(mutated)), "backup")
    assert len(breaches) == 2


def test_backup_not_needed_beside_an_independent_duty_doctor(scenario: Scenario) -> None:
    # helg needs 2 on 01-10: d3 (needs backup) with d1 (independent) needs no bakvakt
    ok = [a("2027-01-10", "helg", "d3"), a("2027-01-10", "helg", "d1")]
    assert validate_roster(scenario, roster(ok)).ok
    both_dependent = [
        a("2027-01-10", "helg", "d3"),
        a("2027-01-10", "helg", "d3b"),
    ]
    data = base_data()
    data["doctors"].append({"id": "d3b", "name": "3b", "municipality": "m"})
    sc = make(data)
    only(validate_roster(sc, roster(both_dependent)), "backup")
    with_one = [*both_dependent, a("2027-01-10", "helg", "d2", "backup")]
    assert validate_roster(sc, roster(with_one)).ok


def test_lis1_without_backup_policy() -> None:
    data = base_data()
    data["doctors"][2]["lis1_completed"] = True
    data["policy"]["lis1_without_backup"] = True
    sc = make(data)
    mutated = without(a("2027-01-05", "dag", "d1", "backup"))
    assert validate_roster(sc, roster(mutated)).ok
    # and then the bakvakt in VALID is one too many
    only(validate_roster(sc, roster()), "backup")


def test_video_doctor_without_video(scenario: Scenario) -> None:
    mutated = [
        *without(a("2027-01-04", "sat", "d2", "video")),
        a("2027-01-04", "sat", "d6", "video"),
    ]
    # d6 holds natt 23:00 on 01-04, which does not contain sat 17-21 either
    breaches = only(validate_roster(scenario, roster(mutated)), "video")
    assert len(breaches) == 2


def test_video_without_a_containing_host_duty(scenario: Scenario) -> None:
    # d7 holds kveld 16-23 on 01-05 (contains 17-21) but nothing on 01-06
    assert validate_roster(scenario, plus(a("2027-01-05", "sat", "d7", "video"))).ok
    [b] = only(validate_roster(scenario, plus(a("2027-01-07", "sat", "d1", "video"))), "video")
    assert "no duty at A" in b.message


def test_video_host_must_contain_the_whole_window(scenario: Scenario) -> None:
    # dag 08-16 at A does not contain sat 17-21
    only(validate_roster(scenario, plus(a("2027-01-05", "sat", "d3", "video"))), "video")


def test_video_on_a_non_video_shift(scenario: Scenario) -> None:
    only(validate_roster(scenario, plus(a("2027-01-07", "dag", "d1", "video"))), "video")


def test_video_and_duty_on_one_instance(scenario: Scenario) -> None:
    [b] = only(validate_roster(scenario, plus(a("2027-01-04", "sat", "d7"))), "video")
    assert b.doctor is None and b.shift == "sat"


def test_two_video_doctors(scenario: Scenario) -> None:
    more = [a("2027-01-05", "sat", "d7", "video"), a("2027-01-05", "sat", "d2", "video")]
    breaches = validate_roster(scenario, plus(*more)).breaches
    # d2 holds no duty on 01-05, so that is one video breach; two video doctors is another
    assert {b.rule for b in breaches} == {"video"}
    assert any(b.doctor is None and "2 video doctors" in b.message for b in breaches)


def test_video_too_many_satellites_at_once(scenario: Scenario) -> None:
    [b] = only(validate_roster(scenario, plus(a("2027-01-04", "sat2", "d2", "video"))), "video")
    assert "2 satellites by video at once" in b.message


def test_video_not_allowed_by_policy() -> None:
    data = base_data()
    data["policy"]["video_allowed"] = False
    [b] = only(validate_roster(make(data), roster()), "video")
    assert "policy does not allow" in b.message


def test_overfilled(scenario: Scenario) -> None:
    [b] = only(validate_roster(scenario, plus(a("2027-01-04", "kveld", "d1"))), "overfilled")
    assert (b.shift, b.date) == ("kveld", D(2027, 1, 4))
    assert "2 doctors on duty (d1, d2)" in b.message


# ---------------------------------------------------------------- Checker.doctor_breaches


def test_checker_valid_assignments(checker: Checker) -> None:
    assert checker.doctor_breaches("d1", []) == []
    mine = [("dag", D(2027, 1, 4), "duty"), ("dag", D(2027, 1, 5), "backup")]
    assert checker.doctor_breaches("d1", mine) == []


def test_checker_unknowns(checker: Checker) -> None:
    [b] = checker.doctor_breaches("zz", [("dag", D(2027, 1, 4), "duty")])
    assert b.rule == "unknown" and b.doctor == "zz"
    rules = [b.rule for b in checker.doctor_breaches("d1", [("kveld", D(2027, 1, 10), "duty")])]
    assert rules == ["unknown"]


def test_checker_duty_and_backup_on_one_instance_overlap(checker: Checker) -> None:
    mine = [("dag", D(2027, 1, 4), "duty"), ("dag", D(2027, 1, 4), "backup")]
    assert [b.rule for b in checker.doctor_breaches("d1", mine)] == ["overlap"]


def test_checker_video_alongside_own_duty_is_fine(checker: Checker) -> None:
    mine = [("kveld", D(2027, 1, 4), "duty"), ("sat", D(2027, 1, 4), "video")]
    assert checker.doctor_breaches("d1", mine) == []


def test_checker_role_eligibility(checker: Checker) -> None:
    assert [b.rule for b in checker.doctor_breaches("d3", [("dag", D(2027, 1, 4), "backup")])] == [
        "backup"
    ]
    video = [("kveld", D(2027, 1, 4), "duty"), ("sat", D(2027, 1, 4), "video")]
    assert [b.rule for b in checker.doctor_breaches("d6", video)] == ["video"]


def test_checker_rest_boundary(checker: Checker) -> None:
    # kveld ends 23:00; dag next day starts 08:00: exactly 9 h, then exactly 8 h with natt
    nine = [("kveld", D(2027, 1, 4), "duty"), ("dag", D(2027, 1, 5), "duty")]
    assert checker.doctor_breaches("d1", nine) == []
    eight = [("natt", D(2027, 1, 4), "duty"), ("natt", D(2027, 1, 5), "duty")]
    assert checker.doctor_breaches("d1", eight) == []  # 08:00 to 23:00 is 15 h
    touching = [("dag", D(2027, 1, 4), "duty"), ("kveld", D(2027, 1, 4), "duty")]
    assert checker.doctor_breaches("d1", touching) == []  # joined: 15 h of work, no rest


def test_checker_work_period_boundary() -> None:
    data = base_data()
    data["policy"]["max_work_period_hours"] = 24
    chk = Checker(make(data))
    chain = [(s, D(2027, 1, 7), "duty") for s in ("dag", "kveld", "natt")]
    assert chk.doctor_breaches("d1", chain) == []  # exactly 24 h
    longer = [*chain, ("dag", D(2027, 1, 8), "duty")]
    assert [b.rule for b in chk.doctor_breaches("d1", longer)] == ["work_period"]


def test_checker_is_fast(checker: Checker) -> None:
    mine = [("dag", D(2027, 1, 4) + dt.timedelta(days=k), "duty") for k in range(7)]
    for _ in range(2000):
        checker.doctor_breaches("d1", mine)


def test_validate_roster_agrees_with_checker(scenario: Scenario, checker: Checker) -> None:
    document = plus(a("2027-01-09", "dag", "d1"), a("2027-01-07", "dag", "d4"))
    from_report = {b for b in validate_roster(scenario, document).breaches if b.doctor}
    per_doctor: set[Breach] = set()
    for doctor in ("d1", "d2", "d3", "d4", "d6", "d7"):
        mine = [
            (x["shift"], D.fromisoformat(x["date"]), x["role"])
            for x in document["assignments"]
            if x["doctor"] == doctor
        ]
        per_doctor |= set(checker.doctor_breaches(doctor, mine))
    assert from_report == per_doctor
