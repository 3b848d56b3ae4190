"""Helpers for the solver tests: tiny scenarios as dicts, a solve that must validate, and
roster mutations for the validator.

Test modules import these as ``from tests.helpers import ...``. Every builder fills in only
what the format requires, so a test states only what matters to it.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ortools.sat.python import cp_model

from legevakt_opt.checks import validate_roster
from legevakt_opt.engine import SolveOptions, solve
from legevakt_opt.roster import SolveResult
from legevakt_opt.rules.work_periods import Interval
from legevakt_opt.scenario import Scenario, scenario_from_data

#: A Monday with no Norwegian public holiday in the following weeks.
MONDAY = "2027-01-04"

#: Tiny scenarios prove every level optimal in well under a second.
OPTIONS = SolveOptions(time_limit=10, workers=1, seed=0)

Assignment = tuple[str, str, str, str]
"""``(date, shift, doctor, role)``, the order of the roster's fields."""


def station(
    id: str,
    municipality: str | None = None,
    *,
    kind: str = "main",
    video_from: Sequence[str] = (),
) -> dict[str, Any]:
    """A station; its municipality defaults to one named after it in lower case."""
    data: dict[str, Any] = {
        "id": id,
        "name": f"Station {id}",
        "municipality": municipality or id.lower(),
        "kind": kind,
    }
    if video_from:
        data["video_from"] = list(video_from)
    return data


def shift(id: str, start: str, end: str, station: str = "A", **fields: Any) -> dict[str, Any]:
    """A shift template at ``station`` (``when`` defaults to every date)."""
    return {"id": id, "station": station, "start": start, "end": end, **fields}


def doctor(id: str, municipality: str = "a", **fields: Any) -> dict[str, Any]:
    """An independent doctor living in municipality ``a`` unless told otherwise."""
    return {
        "id": id,
        "name": f"Doctor {id}",
        "municipality": municipality,
        "independent": True,
        **fields,
    }


def lis1(id: str, municipality: str = "a", **fields: Any) -> dict[str, Any]:
    """A LIS1 doctor: not independent (needs a bakvakt unless the policy says otherwise)."""
    return doctor(id, municipality, category="lis1", independent=False, **fields)


def scenario_data(
    shifts: Sequence[dict[str, Any]],
    doctors: Sequence[dict[str, Any]],
    *,
    days: int = 1,
    start: str = MONDAY,
    holidays: Sequence[str] | None = (),
    stations: Sequence[dict[str, Any]] | None = None,
    policy: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A scenario document; municipalities are made up from the ids stations and doctors use.

    ``holidays`` defaults to none (so a weekday template runs every weekday); pass ``None``
    for Norway's public holidays.
    """
    stations = list(stations) if stations is not None else [station("A")]
    used = [s["municipality"] for s in stations] + [d["municipality"] for d in doctors]
    municipalities = [{"id": m, "name": m.upper()} for m in dict.fromkeys(used)]
    return {
        "format": "legevakt-scenario/1",
        "name": "test",
        "horizon": {
            "start": start,
            "days": days,
            "holidays": None if holidays is None else list(holidays),
        },
        "municipalities": municipalities,
        "stations": stations,
        "shifts": list(shifts),
        "doctors": list(doctors),
        "policy": dict(policy or {}),
    }


def build(
    shifts: Sequence[dict[str, Any]], doctors: Sequence[dict[str, Any]], **kw: Any
) -> Scenario:
    """A validated scenario (see :func:`scenario_data` for the keywords)."""
    return scenario_from_data(scenario_data(shifts, doctors, **kw))


def solve_ok(scenario: Scenario, options: SolveOptions = OPTIONS) -> SolveResult:
    """Solve, and insist the roster passes the independent validator, twice over: as the
    solve reports it and when the roster document is validated again from scratch."""
    result = solve(scenario, options)
    assert result.validation.ok, [b.message for b in result.validation.breaches]
    again = validate_roster(scenario, result.roster)
    assert again.ok, [b.message for b in again.breaches]
    return result


def solve_optimal(scenario: Scenario) -> SolveResult:
    """A valid roster proved optimal on every level (what tiny scenarios must give)."""
    result = solve_ok(scenario)
    assert result.status == "optimal", [lv.to_dict() for lv in result.levels]
    assert all(lv.proved for lv in result.levels)
    return result


def value(result: SolveResult, level: str) -> float | None:
    """The value of one level of the objective, in display units (hours for time)."""
    return next(lv.value for lv in result.levels if lv.name == level)


def assignments(result: SolveResult | dict[str, Any]) -> set[Assignment]:
    """The roster's assignments as ``(date, shift, doctor, role)`` tuples."""
    roster = result.roster if isinstance(result, SolveResult) else result
    return {(a["date"], a["shift"], a["doctor"], a["role"]) for a in roster["assignments"]}


def held(result: SolveResult, doctor_id: str, role: str | None = None) -> list[tuple[str, str]]:
    """``(date, shift)`` of a doctor's assignments (in one role if named), sorted."""
    return sorted(
        (d, s) for d, s, doc, r in assignments(result) if doc == doctor_id and role in (None, r)
    )


def unfilled(result: SolveResult) -> dict[tuple[str, str], dict[str, Any]]:
    """The roster's unfilled entries keyed by ``(date, shift)``."""
    return {(u["date"], u["shift"]): u for u in result.roster["unfilled"]}


def day(offset: int, start: str = MONDAY) -> str:
    """The ISO date ``offset`` days after ``start``."""
    return (dt.date.fromisoformat(start) + dt.timedelta(days=offset)).isoformat()


def mutated(
    roster: dict[str, Any],
    add: Iterable[Assignment] = (),
    drop: Iterable[Assignment] = (),
) -> dict[str, Any]:
    """A copy of a roster with assignments added and dropped, and without its figure claims
    (``doctors``, ``unfilled``), so the validator judges only the hard rules."""
    drop = set(drop)
    present = {(a["date"], a["shift"], a["doctor"], a["role"]) for a in roster["assignments"]}
    rows = [
        a
        for a in roster["assignments"]
        if (a["date"], a["shift"], a["doctor"], a["role"]) not in drop
    ]
    missing = drop - present
    assert not missing, f"not in the roster: {missing}"
    rows += [{"date": d, "shift": s, "doctor": doc, "role": r} for d, s, doc, r in add]
    out = {k: copy.deepcopy(v) for k, v in roster.items() if k not in ("doctors", "unfilled")}
    out["assignments"] = rows
    return out


def broken_rules(
    scenario: Scenario,
    roster: dict[str, Any],
    add: Iterable[Assignment] = (),
    drop: Iterable[Assignment] = (),
) -> set[str]:
    """The rule codes the validator reports for a mutated roster (empty when it passes)."""
    report = validate_roster(scenario, mutated(roster, add, drop))
    assert report.ok == (not report.breaches)
    return report.rules()


def nordic_data(**policy: Any) -> dict[str, Any]:
    """A two-week district whose ids are Norwegian words (``sørvik``, ``østmark``, ``ål``,
    ``bærum-sat``), with a satellite by video and a LIS1 who needs a bakvakt: every place
    that turns an id into something else (file names, UIDs, cells, URLs) meets them."""
    stations = [
        station("sørvik", "sørvik"),
        station("bærum-sat", "østmark", kind="satellite", video_from=["sørvik"]),
    ]
    shifts = [
        shift("kveld-ø", "16:00", "23:00", station="sørvik"),
        shift("natt", "23:00", "08:00", station="sørvik", kind="on_call"),
        shift("sat-kveld", "17:00", "21:00", station="bærum-sat", video=True),
    ]
    doctors = [
        doctor("ål-lege", "ål", name="Åse Ødegård"),
        doctor("øyvind", "østmark", name="Øyvind Lærdal"),
        doctor("sølvi", "sørvik", name="Sølvi Aas"),
        lis1("bjørn-lis1", "sørvik", name="Bjørn Fløysand"),
    ]
    return scenario_data(shifts, doctors, days=14, stations=stations, policy=policy)


Window = tuple[int, int]


def admitted_and_expected(
    windows: Sequence[Window],
    add_rule: Callable[[cp_model.CpModel, list[Interval]], None],
    fits: Callable[[list[Window]], bool],
) -> tuple[set[tuple[int, ...]], set[tuple[int, ...]]]:
    """The subsets of ``windows`` (as 0/1 tuples) a rule module admits, every solution
    enumerated, and those ``fits`` accepts, every subset tried: equal when the rule says
    what it should."""
    model = cp_model.CpModel()
    lits = [model.new_bool_var(f"w{k}") for k in range(len(windows))]
    add_rule(model, [Interval(s, e, x) for (s, e), x in zip(windows, lits, strict=True)])
    admitted: set[tuple[int, ...]] = set()

    class Collect(cp_model.CpSolverSolutionCallback):
        def on_solution_callback(self) -> None:
            admitted.add(tuple(self.value(x) for x in lits))

    solver = cp_model.CpSolver()
    solver.parameters.enumerate_all_solutions = True
    solver.solve(model, Collect())
    expected = set()
    for mask in range(1 << len(windows)):
        chosen = tuple((mask >> k) & 1 for k in range(len(windows)))
        if fits([w for w, on in zip(windows, chosen, strict=True) if on]):
            expected.add(chosen)
    return admitted, expected
