"""Hard rule 4, bakvakt: a doctor who needs backup works with an independent colleague on
duty or exactly one independent bakvakt; nobody else holds backup."""

from __future__ import annotations

from typing import Any

from legevakt_opt.checks import validate_roster
from legevakt_opt.scenario import Scenario
from tests.helpers import (
    MONDAY,
    assignments,
    broken_rules,
    build,
    doctor,
    lis1,
    mutated,
    shift,
    solve_optimal,
    station,
    unfilled,
    value,
)

KVELD = shift("kveld", "16:00", "23:00")
STATIONS = [station("A"), station("B")]
# An independent doctor who may not work on site at A, so the LIS1 doctor must take A's duty.
BAKVAKT_ONLY = doctor("spes", stations=["B"])


def test_a_lis1_doctor_alone_gets_one_independent_bakvakt() -> None:
    result = solve_optimal(build([KVELD], [lis1("lis"), BAKVAKT_ONLY], stations=STATIONS))
    assert value(result, "unfilled") == 0
    assert assignments(result) == {
        (MONDAY, "kveld", "lis", "duty"),
        (MONDAY, "kveld", "spes", "backup"),
    }
    # The bakvakt weighs 0.15 per hour: 7 h -> 1.05; the LIS1 doctor carries 7.
    figures = result.roster["doctors"]
    assert figures["spes"]["weighted_hours"] == 1.05
    assert figures["spes"]["backups"] == 1
    assert figures["spes"]["duties"] == 0
    assert value(result, "max_burden") == 7


def test_lis1_completed_needs_no_bakvakt_when_the_policy_allows() -> None:
    doctors = [lis1("lis", lis1_completed=True), BAKVAKT_ONLY]
    result = solve_optimal(
        build([KVELD], doctors, stations=STATIONS, policy={"lis1_without_backup": True})
    )
    assert assignments(result) == {(MONDAY, "kveld", "lis", "duty")}


def test_lis1_completed_still_needs_a_bakvakt_when_the_policy_does_not_allow() -> None:
    doctors = [lis1("lis", lis1_completed=True), BAKVAKT_ONLY]
    result = solve_optimal(
        build([KVELD], doctors, stations=STATIONS, policy={"lis1_without_backup": False})
    )
    assert (MONDAY, "kveld", "spes", "backup") in assignments(result)


def test_lis1_not_completed_needs_a_bakvakt_even_when_the_policy_allows() -> None:
    doctors = [lis1("lis", lis1_completed=False), BAKVAKT_ONLY]
    result = solve_optimal(
        build([KVELD], doctors, stations=STATIONS, policy={"lis1_without_backup": True})
    )
    assert (MONDAY, "kveld", "spes", "backup") in assignments(result)


def test_an_independent_colleague_on_duty_replaces_the_bakvakt() -> None:
    two = shift("kveld", "16:00", "23:00", doctors=2)
    result = solve_optimal(build([two], [lis1("lis"), doctor("d1")]))
    assert value(result, "unfilled") == 0
    assert assignments(result) == {
        (MONDAY, "kveld", "lis", "duty"),
        (MONDAY, "kveld", "d1", "duty"),
    }


def test_two_lis1_doctors_on_one_instance_share_one_bakvakt() -> None:
    two = shift("kveld", "16:00", "23:00", doctors=2)
    result = solve_optimal(build([two], [lis1("l1"), lis1("l2"), BAKVAKT_ONLY], stations=STATIONS))
    assert value(result, "unfilled") == 0
    assert assignments(result) == {
        (MONDAY, "kveld", "l1", "duty"),
        (MONDAY, "kveld", "l2", "duty"),
        (MONDAY, "kveld", "spes", "backup"),
    }


def test_a_not_independent_doctor_cannot_be_bakvakt() -> None:
    result = solve_optimal(build([KVELD], [lis1("l1"), lis1("l2")]))
    assert result.roster["assignments"] == []
    assert value(result, "unfilled") == 7
    assert unfilled(result)[MONDAY, "kveld"]["blocked_by"] == {"needs_backup": 2}


def test_without_an_available_independent_doctor_the_shift_stays_unfilled() -> None:
    away = doctor("spes", unavailable=[{"from": MONDAY, "to": MONDAY}])
    result = solve_optimal(build([KVELD], [lis1("lis"), away]))
    assert value(result, "unfilled") == 7
    entry = unfilled(result)[MONDAY, "kveld"]
    assert entry["missing"] == 1
    assert entry["blocked_by"] == {"needs_backup": 1, "unavailable": 1}


def test_an_exempt_independent_doctor_is_no_bakvakt() -> None:
    result = solve_optimal(build([KVELD], [lis1("lis"), doctor("sjef", exempt=True)]))
    assert value(result, "unfilled") == 7
    assert unfilled(result)[MONDAY, "kveld"]["blocked_by"] == {"exempt": 1, "needs_backup": 1}


def _after_bakvakt(min_rest: float) -> Scenario:
    # 16-23 at A, where only the LIS1 doctor may work on site, then 23:30-02:00 at B.
    shifts = [KVELD, shift("sen", "23:30", "02:00", "B")]
    doctors = [lis1("lis", stations=["A"]), doctor("spes")]
    return build(shifts, doctors, stations=STATIONS, policy={"min_rest_hours": min_rest})


def test_the_bakvakt_window_counts_for_rest() -> None:
    # spes is bakvakt until 23:00 (or on duty 16-23 itself): half an hour later it may not
    # start at B, so the 2.5 h shift at B stays unfilled.
    result = solve_optimal(_after_bakvakt(8))
    assert value(result, "unfilled") == 2.5
    assert "rest" in unfilled(result)[MONDAY, "sen"]["blocked_by"]


def test_without_rest_the_bakvakt_can_go_on_to_the_next_shift() -> None:
    result = solve_optimal(_after_bakvakt(0))
    assert value(result, "unfilled") == 0
    assert assignments(result) == {
        (MONDAY, "kveld", "lis", "duty"),
        (MONDAY, "kveld", "spes", "backup"),
        (MONDAY, "sen", "spes", "duty"),
    }


def test_validator_rejects_too_little_rest_after_a_bakvakt() -> None:
    scn = _after_bakvakt(8)
    roster = solve_optimal(_after_bakvakt(0)).roster
    assert broken_rules(scn, roster) == {"rest"}


# ------------------------------------------------------------ the validator catches breaches


def test_validator_rejects_a_missing_bakvakt() -> None:
    scn = build([KVELD], [lis1("lis"), BAKVAKT_ONLY], stations=STATIONS)
    roster = solve_optimal(scn).roster
    assert broken_rules(scn, roster) == set()
    assert broken_rules(scn, roster, drop=[(MONDAY, "kveld", "spes", "backup")]) == {"backup"}


def test_validator_rejects_two_bakvakts() -> None:
    scn = build(
        [KVELD], [lis1("lis"), BAKVAKT_ONLY, doctor("d2", stations=["B"])], stations=STATIONS
    )
    roster = solve_optimal(scn).roster
    (bakvakt,) = [a["doctor"] for a in roster["assignments"] if a["role"] == "backup"]
    other = "d2" if bakvakt == "spes" else "spes"
    assert broken_rules(scn, roster, add=[(MONDAY, "kveld", other, "backup")]) == {"backup"}


def test_validator_rejects_a_bakvakt_nobody_needs() -> None:
    scn = build([KVELD], [doctor("d1"), doctor("d2", stations=["B"])], stations=STATIONS)
    roster = solve_optimal(scn).roster
    assert assignments(roster) == {(MONDAY, "kveld", "d1", "duty")}
    assert broken_rules(scn, roster, add=[(MONDAY, "kveld", "d2", "backup")]) == {"backup"}


def test_validator_rejects_a_bakvakt_beside_an_independent_colleague_on_duty() -> None:
    two = shift("kveld", "16:00", "23:00", doctors=2)
    scn = build([two], [lis1("lis"), doctor("d1"), doctor("d2", stations=["B"])], stations=STATIONS)
    roster = solve_optimal(scn).roster
    assert broken_rules(scn, roster, add=[(MONDAY, "kveld", "d2", "backup")]) == {"backup"}


def test_validator_rejects_a_not_independent_bakvakt() -> None:
    scn = build([KVELD], [lis1("l1"), lis1("l2")])
    roster = solve_optimal(scn).roster
    add = [(MONDAY, "kveld", "l1", "duty"), (MONDAY, "kveld", "l2", "backup")]
    assert broken_rules(scn, roster, add=add) == {"backup"}


# ------------------------------------------ bakvakt as districts run it (policy switches)

THREE = [station("A"), station("B"), station("C")]
KVELD_A, KVELD_B = shift("kveld-a", "16:00", "23:00", "A"), shift("kveld-b", "16:00", "23:00", "B")
KVELD_C = shift("kveld-c", "16:00", "23:00", "C")
# A LIS1 doctor at each station, and a specialist who works on site only at C.
NEEDY = [lis1("la", stations=["A"]), lis1("lb", stations=["B"]), lis1("lc", stations=["C"])]
REMOTE = doctor("spes", stations=["C"])


def _district(shifts: list[dict[str, Any]], **policy: Any) -> Scenario:
    return build(shifts, [*NEEDY, REMOTE], stations=THREE, policy=policy)


def test_one_bakvakt_backs_up_one_shift_at_a_time_by_default() -> None:
    result = solve_optimal(_district([KVELD_A, KVELD_B]))
    assert value(result, "unfilled") == 7
    [(day, shift_id)] = unfilled(result)
    # lb could take it but would need a bakvakt, and the only one is taken.
    assert unfilled(result)[day, shift_id]["blocked_by"] == {"station": 3, "needs_backup": 1}


def test_a_district_bakvakt_backs_up_two_stations_at_once() -> None:
    scn = _district([KVELD_A, KVELD_B], backup_scope="district")
    result = solve_optimal(scn)
    assert value(result, "unfilled") == 0
    assert {(s, r) for _, s, d, r in assignments(result) if d == "spes"} == {
        ("kveld-a", "backup"),
        ("kveld-b", "backup"),
    }
    # The same roster breaks the default rule: the second bakvakt overlaps the first.
    assert broken_rules(_district([KVELD_A, KVELD_B]), result.roster) == {"overlap"}


def test_the_district_bakvakt_has_a_maximum() -> None:
    shifts = [KVELD_A, KVELD_B, KVELD_C]
    result = solve_optimal(_district(shifts, backup_scope="district", backup_max_shifts=2))
    assert value(result, "unfilled") == 7
    three = [(MONDAY, s, "spes", "backup") for s in ("kveld-a", "kveld-b", "kveld-c")]
    duties = [(MONDAY, s, d, "duty") for s, d in (("kveld-a", "la"), ("kveld-b", "lb"))]
    roster = {**result.roster, "assignments": [], "unfilled": []}
    scn = _district(shifts, backup_scope="district", backup_max_shifts=2)
    full = [*three, *duties, (MONDAY, "kveld-c", "lc", "duty")]
    assert broken_rules(scn, roster, add=full) == {"overlap"}
    report = validate_roster(scn, mutated(roster, add=full))
    assert any("bakvakt for 3 shifts at once" in b.message for b in report.breaches)
    assert (
        broken_rules(
            _district(shifts, backup_scope="district", backup_max_shifts=3), roster, add=full
        )
        == set()
    )


def test_only_shifts_of_the_same_window_share_a_bakvakt() -> None:
    later = shift("kveld-b", "17:00", "23:00", "B")
    result = solve_optimal(_district([KVELD_A, later], backup_scope="district"))
    assert value(result, "unfilled") == 6


def _on_duty_at_a(**policy: Any) -> Scenario:
    """d1 may work on site only at A; the LIS1 doctor only at B."""
    doctors = [doctor("d1", stations=["A"]), lis1("lb", stations=["B"])]
    return build([KVELD_A, KVELD_B], doctors, stations=THREE, policy=policy)


def test_a_doctor_on_duty_may_be_bakvakt_for_another_station_when_the_policy_allows() -> None:
    assert value(solve_optimal(_on_duty_at_a()), "unfilled") == 7
    scn = _on_duty_at_a(backup_while_on_duty=True)
    result = solve_optimal(scn)
    assert value(result, "unfilled") == 0
    assert (MONDAY, "kveld-b", "d1", "backup") in assignments(result)
    assert broken_rules(_on_duty_at_a(), result.roster) == {"overlap"}


def test_a_doctor_on_duty_is_never_bakvakt_at_their_own_station() -> None:
    second = shift("kveld-a2", "16:00", "23:00", "A")
    doctors = [doctor("d1", stations=["A"]), lis1("la", stations=["A"])]
    scn = build([KVELD_A, second], doctors, stations=THREE, policy={"backup_while_on_duty": True})
    result = solve_optimal(scn)
    assert value(result, "unfilled") == 7
    roster = {**result.roster, "assignments": [], "unfilled": []}
    both = [
        (MONDAY, "kveld-a", "d1", "duty"),
        (MONDAY, "kveld-a2", "la", "duty"),
        (MONDAY, "kveld-a2", "d1", "backup"),
    ]
    assert broken_rules(scn, roster, add=both) == {"overlap"}
