"""The fourth and fifth levels: wishes granted and avoids kept when that costs nothing
higher up, then less travel away from the doctor's own municipality."""

from __future__ import annotations

from tests.helpers import (
    MONDAY,
    assignments,
    build,
    day,
    doctor,
    held,
    lis1,
    shift,
    solve_optimal,
    station,
    value,
)

TUESDAY = day(1)
DAG = shift("dag", "08:00", "16:00")
KVELD = shift("kveld", "16:00", "23:00")


def test_a_wish_is_granted_when_it_costs_nothing_higher_up() -> None:
    for wisher in ("d1", "d2"):
        doctors = [doctor("d1"), doctor("d2")]
        doctors[int(wisher[1]) - 1]["wish"] = [{"date": TUESDAY}]
        result = solve_optimal(build([DAG], doctors, days=2))
        assert value(result, "requests") == 0
        assert held(result, wisher) == [(TUESDAY, "dag")]


def test_a_wish_naming_a_shift_is_granted_only_by_that_shift() -> None:
    doctors = [doctor("d1", wish=[{"date": MONDAY, "shift": "kveld"}]), doctor("d2")]
    result = solve_optimal(build([DAG, KVELD], doctors, policy={"min_rest_hours": 0}))
    assert value(result, "requests") == 0
    assert held(result, "d1") == [(MONDAY, "kveld")]


def test_a_wish_is_not_granted_at_the_cost_of_burden() -> None:
    # d1 wishes both days; granting both would make the highest burden 16 instead of 8.
    doctors = [doctor("d1", wish=[{"date": MONDAY}, {"date": TUESDAY}]), doctor("d2")]
    result = solve_optimal(build([DAG], doctors, days=2))
    assert value(result, "max_burden") == 8
    assert value(result, "requests") == 1
    assert len(held(result, "d1")) == 1


def test_two_wishes_for_one_shift_grant_one() -> None:
    doctors = [doctor("d1", wish=[{"date": MONDAY}]), doctor("d2", wish=[{"date": MONDAY}])]
    result = solve_optimal(build([DAG], doctors))
    assert value(result, "requests") == 1


def test_a_wish_for_a_date_without_shifts_stays_unmet() -> None:
    doctors = [doctor("d1", wish=[{"date": TUESDAY}])]
    result = solve_optimal(build([shift("dag", "08:00", "16:00", when=["mon"])], doctors, days=2))
    assert value(result, "requests") == 1


def test_an_avoid_is_respected() -> None:
    doctors = [doctor("d1", avoid=[{"date": MONDAY}]), doctor("d2")]
    result = solve_optimal(build([DAG], doctors, days=2))
    assert value(result, "requests") == 0
    assert held(result, "d1") == [(TUESDAY, "dag")]
    assert held(result, "d2") == [(MONDAY, "dag")]


def test_an_avoid_naming_a_shift_leaves_the_others() -> None:
    doctors = [doctor("d1", avoid=[{"date": MONDAY, "shift": "dag"}]), doctor("d2")]
    result = solve_optimal(build([DAG, KVELD], doctors, policy={"min_rest_hours": 0}))
    assert value(result, "requests") == 0
    assert held(result, "d1") == [(MONDAY, "kveld")]


def test_an_avoid_is_broken_rather_than_leave_a_shift_unfilled() -> None:
    result = solve_optimal(build([DAG], [doctor("d1", avoid=[{"date": MONDAY}])]))
    assert value(result, "unfilled") == 0
    assert value(result, "requests") == 1


def test_an_avoid_is_broken_by_a_bakvakt_too() -> None:
    # The only independent doctor avoids Monday; the LIS1 doctor needs a bakvakt: either
    # way (on duty or as bakvakt) the avoid is broken, and coverage comes first.
    doctors = [lis1("lis"), doctor("spes", stations=["B"], avoid=[{"date": MONDAY}])]
    result = solve_optimal(build([DAG], doctors, stations=[station("A"), station("B")]))
    assert value(result, "unfilled") == 0
    assert value(result, "requests") == 1
    assert (MONDAY, "dag", "spes", "backup") in assignments(result)


def test_an_avoid_keeps_the_doctor_from_being_bakvakt_when_another_can() -> None:
    doctors = [
        lis1("lis"),
        doctor("s1", stations=["B"], avoid=[{"date": MONDAY}]),
        doctor("s2", stations=["B"]),
    ]
    result = solve_optimal(build([DAG], doctors, stations=[station("A"), station("B")]))
    assert value(result, "requests") == 0
    assert (MONDAY, "dag", "s2", "backup") in assignments(result)


# ------------------------------------------------------------ travel


def test_a_doctor_from_the_stations_municipality_is_preferred() -> None:
    # Everything above travel is equal: one shift, two identical doctors but for home.
    for home_first in (True, False):
        doctors = [doctor("borte", "b"), doctor("hjemme", "a")]
        if home_first:
            doctors.reverse()
        result = solve_optimal(build([DAG], doctors))
        assert value(result, "travel") == 0
        assert held(result, "hjemme") == [(MONDAY, "dag")]


def test_each_doctor_works_at_home_when_possible() -> None:
    stations = [station("A", "a"), station("B", "b")]
    shifts = [shift("a-dag", "08:00", "16:00", "A"), shift("b-dag", "08:00", "16:00", "B")]
    result = solve_optimal(build(shifts, [doctor("da", "a"), doctor("db", "b")], stations=stations))
    assert value(result, "travel") == 0
    assert assignments(result) == {
        (MONDAY, "a-dag", "da", "duty"),
        (MONDAY, "b-dag", "db", "duty"),
    }


def test_travel_is_counted_when_unavoidable() -> None:
    result = solve_optimal(build([DAG], [doctor("borte", "b")], days=2))
    assert value(result, "unfilled") == 0
    assert value(result, "travel") == 2


def test_travel_gives_way_to_burden() -> None:
    # The home doctor could take both days, but max burden (8 vs 16) comes first.
    result = solve_optimal(build([DAG], [doctor("hjemme", "a"), doctor("borte", "b")], days=2))
    assert value(result, "max_burden") == 8
    assert value(result, "travel") == 1


def test_travel_gives_way_to_wishes() -> None:
    doctors = [doctor("hjemme", "a"), doctor("borte", "b", wish=[{"date": MONDAY}])]
    result = solve_optimal(build([DAG], doctors))
    assert value(result, "requests") == 0
    assert value(result, "travel") == 1
    assert held(result, "borte") == [(MONDAY, "dag")]
