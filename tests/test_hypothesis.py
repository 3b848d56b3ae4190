"""Properties over random small scenarios: every solver roster passes the independent
validator and leaves no more unfilled than the hand method; and rosters broken on purpose
are rejected with the right rule.

Scenarios have 1-2 main stations and sometimes a video satellite, 2-4 templates at random
hours, 2-6 doctors with random qualifications, shares, stations and absences, random caps,
rest and sequence rules, and 1-7 days from a random 2027 date, often around the
daylight-saving changes (28 March, 31 October) and Easter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from legevakt_opt.baseline import greedy_roster
from legevakt_opt.calendar import expand
from legevakt_opt.checks import Checker, validate_roster
from legevakt_opt.engine import SolveOptions, solve
from legevakt_opt.scenario import Scenario, scenario_from_data
from tests.helpers import Assignment, mutated

OPTIONS = SolveOptions(time_limit=2, workers=1, seed=0)
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

NEAR_CHANGES = [
    dt.date(2027, 3, 25),
    dt.date(2027, 3, 27),
    dt.date(2027, 3, 28),
    dt.date(2027, 10, 29),
    dt.date(2027, 10, 30),
    dt.date(2027, 10, 31),
]
WHEN = [
    ["all"],
    ["all"],
    ["weekday"],
    ["weekend"],
    ["holiday"],
    ["weekend", "holiday"],
    ["mon", "wed", "fri"],
    ["sat"],
]


@st.composite
def clock(draw: st.DrawFn) -> str:
    return f"{draw(st.integers(0, 23)):02d}:{draw(st.sampled_from(['00', '00', '30'])):s}"


@st.composite
def sequence_rules(draw: st.DrawFn) -> dict[str, Any]:
    """Mostly none; else some forbidden successions, a run limit, a free day after a night."""
    if draw(st.booleans()):
        return {}
    kinds = st.sampled_from(["night", "evening", "day"])
    pairs = st.lists(st.tuples(kinds, kinds), max_size=3, unique=True)
    return {
        "forbidden": [list(pair) for pair in draw(pairs)],
        "max_consecutive_days": draw(st.sampled_from([None, 1, 2, 3])),
        "day_off_after_night": draw(st.booleans()),
    }


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    start = draw(
        st.one_of(
            st.dates(dt.date(2027, 1, 1), dt.date(2027, 12, 31)), st.sampled_from(NEAR_CHANGES)
        )
    )
    days = draw(st.integers(1, 7))
    mains = ["A", "B"][: draw(st.integers(1, 2))]
    stations: list[dict[str, Any]] = [
        {"id": m, "name": m, "municipality": m.lower(), "kind": "main"} for m in mains
    ]
    if draw(st.booleans()):
        hosts = draw(st.lists(st.sampled_from(mains), min_size=1, max_size=2, unique=True))
        stations.append(
            {"id": "S", "name": "S", "municipality": "s", "kind": "satellite", "video_from": hosts}
        )
    station_ids = [s["id"] for s in stations]
    shifts: list[dict[str, Any]] = []
    if "S" in station_ids and draw(st.booleans()):
        # A host shift at a linked main station and a video shift inside its window.
        begin, length = draw(st.integers(0, 23)), draw(st.integers(6, 16))
        shifts.append(
            {
                "id": "host",
                "station": stations[-1]["video_from"][0],
                "start": f"{begin:02d}:00",
                "end": f"{(begin + length) % 24:02d}:00",
            }
        )
        shifts.append(
            {
                "id": "video",
                "station": "S",
                "video": True,
                "start": f"{(begin + 1) % 24:02d}:00",
                "end": f"{(begin + length - draw(st.integers(0, 3))) % 24:02d}:00",
            }
        )
    for k in range(draw(st.integers(2, 4)) - len(shifts)):
        at = draw(st.sampled_from(station_ids))
        opens = draw(clock())
        if draw(st.booleans()):
            closes = draw(clock())  # any end; at or before the start is on the next date
        else:
            closes = f"{(int(opens[:2]) + draw(st.integers(1, 16))) % 24:02d}:{opens[3:]}"
        shifts.append(
            {
                "id": f"t{k}",
                "station": at,
                "when": draw(st.sampled_from(WHEN)),
                "start": opens,
                "end": closes,
                "kind": draw(st.sampled_from(["on_site", "on_site", "on_call"])),
                "doctors": draw(st.sampled_from([1, 1, 1, 2])),
                "video": at == "S" and draw(st.booleans()),
            }
        )
    twin = next((s for s in shifts if s["station"] in mains), None)
    if len(mains) > 1 and twin is not None and draw(st.booleans()):
        # The same window at the other main station: a bakvakt may back up both at once.
        other = next(m for m in mains if m != twin["station"])
        shifts.append({**twin, "id": "twin", "station": other, "video": False})
    dates = [start + dt.timedelta(days=k) for k in range(days)]
    doctors = []
    for k in range(draw(st.integers(2, 6))):
        independent = draw(st.sampled_from([True, True, False]))
        doc: dict[str, Any] = {
            "id": f"d{k}",
            "name": f"Doctor {k}",
            "municipality": draw(st.sampled_from(["a", "b", "s"])),
            "independent": independent,
            "lis1_completed": independent or draw(st.booleans()),
            "exempt": draw(st.sampled_from([False, False, False, False, True])),
            "video": draw(st.sampled_from([True, True, False])),
            "share": draw(st.sampled_from([0.5, 1.0, 1.0, 1.5])),
        }
        if draw(st.booleans()):
            doc["stations"] = draw(st.lists(st.sampled_from(station_ids), max_size=2, unique=True))
        if draw(st.booleans()):
            first = draw(st.sampled_from(dates))
            if draw(st.booleans()):
                last = first + dt.timedelta(days=draw(st.integers(0, 2)))
                doc["unavailable"] = [{"from": first.isoformat(), "to": last.isoformat()}]
            else:
                away = dt.datetime.combine(first, dt.time(draw(st.integers(0, 23))))
                back = away + dt.timedelta(hours=draw(st.integers(1, 30)))
                doc["unavailable"] = [
                    {"from": away.strftime("%Y-%m-%dT%H:%M"), "to": back.strftime("%Y-%m-%dT%H:%M")}
                ]
        if draw(st.booleans()):
            doc["wish"] = [{"date": draw(st.sampled_from(dates)).isoformat()}]
        if draw(st.booleans()):
            doc["avoid"] = [
                {
                    "date": draw(st.sampled_from(dates)).isoformat(),
                    "shift": draw(st.sampled_from(shifts))["id"],
                }
            ]
        doctors.append(doc)
    window = st.one_of(
        st.none(),
        st.builds(lambda n, d: {"shifts": n, "days": d}, st.integers(1, 3), st.integers(2, 7)),
    )
    policy = {
        "min_rest_hours": draw(st.sampled_from([0, 4, 8, 8, 11])),
        "max_work_period_hours": draw(st.sampled_from([12, 16, 24, 24])),
        "max_hours_per_week": draw(st.sampled_from([None, None, 8, 16, 30])),
        "max_shifts_in_window": draw(window),
        "max_nights_in_window": draw(window),
        "lis1_without_backup": draw(st.booleans()),
        "video_allowed": draw(st.sampled_from([True, True, False])),
        "video_max_satellites": draw(st.integers(1, 2)),
        "sequences": draw(sequence_rules()),
        "backup_scope": draw(st.sampled_from(["station", "station", "district"])),
        "backup_max_shifts": draw(st.integers(1, 3)),
        "backup_while_on_duty": draw(st.booleans()),
    }
    municipalities = [{"id": m, "name": m.upper()} for m in ("a", "b", "s")]
    return {
        "format": "legevakt-scenario/1",
        "name": "random",
        "horizon": {
            "start": start.isoformat(),
            "days": days,
            "holidays": draw(st.sampled_from([None, None, []])),
        },
        "municipalities": municipalities,
        "stations": stations,
        "shifts": shifts,
        "doctors": doctors,
        "policy": policy,
    }


def _usable(data: dict[str, Any]) -> Scenario:
    scn = scenario_from_data(data)
    assume(expand(scn).instances)
    return scn


def _events(roster: dict[str, Any]) -> None:
    """What the example exercised (shown by ``--hypothesis-show-statistics``)."""
    roles = {a["role"] for a in roster["assignments"]}
    for role in ("duty", "backup", "video"):
        event(f"{role}: {'yes' if role in roles else 'no'}")
    event(f"unfilled: {'yes' if roster['unfilled'] else 'no'}")
    event(f"status: {roster['status']}")


def _baseline_unfilled(scn: Scenario) -> float:
    roster = {"assignments": [a.to_dict() for a in greedy_roster(scn)]}
    report = validate_roster(scn, roster)
    assert report.ok, [b.message for b in report.breaches]
    return report.figures.unfilled_hours


@SETTINGS
@given(scenarios())
def test_every_solver_roster_is_valid_and_no_worse_than_the_hand_method(
    data: dict[str, Any],
) -> None:
    scn = _usable(data)
    result = solve(scn, OPTIONS)
    _events(result.roster)
    assert result.validation.ok, [b.message for b in result.validation.breaches]
    report = validate_roster(scn, result.roster)
    assert report.ok, [b.message for b in report.breaches]
    unfilled = result.roster["summary"]["unfilled_hours"]
    assert abs(unfilled - report.figures.unfilled_hours) < 1e-6
    assert unfilled <= _baseline_unfilled(scn) + 1e-6
    levels = {lv.name: lv for lv in result.levels}
    if levels["unfilled"].value is not None:
        assert abs(levels["unfilled"].value - unfilled) < 1e-3
    if result.status == "optimal":
        assert all(lv.proved for lv in result.levels)
        assert len(result.levels) == 5


@SETTINGS
@given(scenarios())
def test_rosters_broken_on_purpose_are_rejected(data: dict[str, Any]) -> None:
    data["doctors"].append(
        {"id": "fritak", "name": "Fritak", "municipality": "a", "independent": True, "exempt": True}
    )
    scn = _usable(data)
    instances = Checker(scn).instances
    roster = solve(scn, OPTIONS).roster
    rows = [(a["date"], a["shift"], a["doctor"], a["role"]) for a in roster["assignments"]]
    assert validate_roster(scn, mutated(roster)).ok

    def rules(add: Sequence[Assignment] = (), drop: Sequence[Assignment] = ()) -> set[str]:
        return validate_roster(scn, mutated(roster, add, drop)).rules()

    # An assignment duplicated to the exempt doctor (or a duty for them anywhere).
    date, shift, _, role = rows[0] if rows else (*_key_text(next(iter(instances))), "", "duty")
    assert "exempt" in rules(add=[(date, shift, "fritak", role)])

    # A required bakvakt dropped.
    for row in rows:
        if row[3] == "backup":
            assert "backup" in rules(drop=[row])

    # A duty for a doctor in a window overlapping one of their own duties or bakvakts.
    for date, shift, doc, role in rows:
        if role == "video":
            continue
        mine = instances[shift, dt.date.fromisoformat(date)]
        others = [
            key
            for key, inst in instances.items()
            if key != (shift, mine.date)
            and inst.start < mine.end
            and mine.start < inst.end
            and not any(r[:3] == (*_key_text(key), doc) for r in rows)
        ]
        if mine.end > mine.start and others:
            assert "overlap" in rules(add=[(*_key_text(others[0]), doc, "duty")])
            break

    # A duty added to an instance that already has all its doctors.
    on_duty: dict[tuple[str, str], list[str]] = {}
    for date, shift, doc, role in rows:
        if role == "duty":
            on_duty.setdefault((date, shift), []).append(doc)
    for (date, shift), docs in on_duty.items():
        if len(docs) == instances[shift, dt.date.fromisoformat(date)].doctors:
            extra = next(
                d.id for d in scn.doctors if not any(r[:3] == (date, shift, d.id) for r in rows)
            )
            assert "overfilled" in rules(add=[(date, shift, extra, "duty")])


def _key_text(key: tuple[str, dt.date]) -> tuple[str, str]:
    """An instance key as the roster writes it: ``(date, shift)``."""
    shift, date = key
    return date.isoformat(), shift
