"""The Curtois & Qu shift scheduling benchmark, read and mapped onto the engine's own rule
modules: the same coverage, load-cap, sequence, work-period and preference modules the
legevakt model uses, configured for day-based nurse rostering. No second model.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ortools.sat.python import cp_model

from legevakt_opt.rules import coverage, load_caps, preferences, sequences
from legevakt_opt.rules.work_periods import Interval, add_no_overlap

DAY = 24 * 60


class CurtoisFormatError(ValueError):
    """An instance file that does not follow the format; the message names line and field."""


@dataclass(frozen=True)
class Staff:
    id: str
    max_shifts: dict[str, int]
    max_minutes: int
    min_minutes: int
    max_consecutive: int
    min_consecutive: int
    min_days_off: int
    max_weekends: int


@dataclass
class CurtoisInstance:
    name: str
    days: int
    lengths: dict[str, int]  # shift id -> minutes
    cannot_follow: dict[str, set[str]]  # shift id -> shifts that may not come the next day
    staff: list[Staff]
    days_off: dict[str, set[int]] = field(default_factory=dict)
    on_requests: list[tuple[str, int, str, int]] = field(default_factory=list)
    off_requests: list[tuple[str, int, str, int]] = field(default_factory=list)
    cover: list[tuple[int, str, int, int, int]] = field(
        default_factory=list
    )  # day, shift, req, under, over

    @property
    def weekends(self) -> list[tuple[int, int]]:
        """(Saturday, Sunday) day indexes; the horizon starts on a Monday."""
        return [(d, d + 1) for d in range(5, self.days, 7)]


def read_instance(path: str | Path) -> CurtoisInstance:
    """Read an instance file (sections, comma-separated rows, ``#`` comments)."""
    p = Path(path)
    sections: dict[str, list[tuple[int, list[str]]]] = {}
    current: str | None = None
    for number, raw in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("SECTION_"):
            current = line
            sections[current] = []
        elif current is None:
            raise CurtoisFormatError(f"{p}:{number}: data before any SECTION_ header")
        else:
            sections[current].append((number, [c.strip() for c in line.split(",")]))

    def rows(name: str) -> list[tuple[int, list[str]]]:
        return sections.get(name, [])

    def num(where: int, value: str, what: str) -> int:
        try:
            return int(value)
        except ValueError:
            raise CurtoisFormatError(
                f"{p}:{where}: {what} {value!r} is not a whole number"
            ) from None

    try:
        (hline, (days_text, *_)), *_ = rows("SECTION_HORIZON")
    except ValueError:
        raise CurtoisFormatError(f"{p}: SECTION_HORIZON is missing or empty") from None
    days = num(hline, days_text, "horizon")
    lengths: dict[str, int] = {}
    cannot: dict[str, set[str]] = {}
    for where, cols in rows("SECTION_SHIFTS"):
        lengths[cols[0]] = num(where, cols[1], "shift length")
        cannot[cols[0]] = {s for s in (cols[2] if len(cols) > 2 else "").split("|") if s}
    staff = []
    for where, cols in rows("SECTION_STAFF"):
        if len(cols) < 8:
            raise CurtoisFormatError(f"{p}:{where}: a staff row has 8 fields, this one {len(cols)}")
        max_shifts = {}
        for pair in cols[1].split("|"):
            shift, _, limit = pair.partition("=")
            max_shifts[shift] = num(where, limit, f"max shifts of {shift}")
        staff.append(Staff(cols[0], max_shifts, *(num(where, c, "staff limit") for c in cols[2:8])))
    days_off = {
        cols[0]: {num(where, c, "day off") for c in cols[1:] if c}
        for where, cols in rows("SECTION_DAYS_OFF")
    }

    def requests(name: str) -> list[tuple[str, int, str, int]]:
        return [(c[0], num(w, c[1], "day"), c[2], num(w, c[3], "weight")) for w, c in rows(name)]

    cover = [
        (
            num(w, c[0], "day"),
            c[1],
            num(w, c[2], "requirement"),
            num(w, c[3], "weight"),
            num(w, c[4], "weight"),
        )
        for w, c in rows("SECTION_COVER")
    ]
    return CurtoisInstance(
        name=p.stem,
        days=days,
        lengths=lengths,
        cannot_follow=cannot,
        staff=staff,
        days_off=days_off,
        on_requests=requests("SECTION_SHIFT_ON_REQUESTS"),
        off_requests=requests("SECTION_SHIFT_OFF_REQUESTS"),
        cover=cover,
    )


class CurtoisModel:
    """The instance as a CP-SAT model, built only from the generic rule modules."""

    def __init__(self, inst: CurtoisInstance) -> None:
        self.inst = inst
        self.model = cp_model.CpModel()
        m = self.model
        # x[e, d, s]: employee e works shift s on day d (no variable on a day off, or for a
        # shift type the employee may not work at all).
        self.x: dict[tuple[str, int, str], cp_model.IntVar] = {}
        for e in inst.staff:
            off = inst.days_off.get(e.id, set())
            for d in range(inst.days):
                if d in off:
                    continue
                for s in inst.lengths:
                    if e.max_shifts.get(s, 0) > 0:
                        self.x[e.id, d, s] = m.new_bool_var(f"x_{e.id}_{d}_{s}")
        penalties: list[cp_model.LinearExprT] = []
        forbidden = {(a, b) for a, after in inst.cannot_follow.items() for b in after}
        for e in inst.staff:
            days = [
                {s: self.x[e.id, d, s] for s in inst.lengths if (e.id, d, s) in self.x}
                for d in range(inst.days)
            ]
            # One shift a day: every shift fills its day (work periods' one-place rule).
            add_no_overlap(
                m,
                [
                    Interval(d * DAY, (d + 1) * DAY, lit)
                    for d, day in enumerate(days)
                    for lit in day.values()
                ],
            )
            sequences.add_forbidden_successions(m, days, forbidden, one_a_day=True)
            for s, limit in e.max_shifts.items():
                lits = [day[s] for day in days if s in day]
                load_caps.add_budget(m, [(1, lit) for lit in lits], limit)
            minutes = [(inst.lengths[s], lit) for day in days for s, lit in day.items()]
            load_caps.add_range(m, minutes, e.min_minutes, e.max_minutes)
            on = sequences.day_on(m, days, f"on_{e.id}", one_a_day=True)
            per_day = {d: [lit] for d, lit in enumerate(on) if lit is not None}
            load_caps.add_rolling_count(
                m, per_day, inst.days, e.max_consecutive + 1, e.max_consecutive
            )
            sequences.add_min_run(m, on, e.min_consecutive)
            sequences.add_min_run(m, on, e.min_days_off, off=True)
            weekends = [
                sequences.any_of(
                    m, [lit for lit in (on[sat], on[sun]) if lit is not None], f"wk_{e.id}_{sat}"
                )
                for sat, sun in inst.weekends
                if on[sat] is not None or on[sun] is not None
            ]
            load_caps.add_budget(m, [(1, w) for w in weekends], e.max_weekends)
        for emp, d, s, weight in inst.on_requests:
            lit = self.x.get((emp, d, s))
            penalties.append(weight * preferences.unmet_wish(m, [lit] if lit is not None else []))
        for emp, d, s, weight in inst.off_requests:
            lit = self.x.get((emp, d, s))
            penalties.append(weight * preferences.broken_avoid(m, [lit] if lit is not None else []))
        demands = []
        for d, s, required, under, over in inst.cover:
            lits = [self.x[e.id, d, s] for e in inst.staff if (e.id, d, s) in self.x]
            demands.append(
                coverage.Demand(
                    literals=lits,
                    required=required,
                    weight=under,
                    max_extra=max(0, len(lits) - required),
                    extra_weight=over,
                )
            )
        penalties.append(coverage.add_coverage(m, demands))
        self.objective = cp_model.LinearExpr.sum(penalties)
        m.minimize(self.objective)


def portfolio(workers: int) -> list[str]:
    """The full-problem subsolvers for a few workers (empty: CP-SAT's own choice).

    CP-SAT's default portfolio gives its one or two full-problem workers to ``default_lp``,
    whose LP (linearization level 1) leaves out the clauses of the sequence rules: its bound
    stayed near 0 on Instances 5-12. ``max_lp`` (level 2 plus cuts) bounds and steers the
    search far better: Instance 6 proved optimal (1950) in under 60 s on 2 cores, against
    2772 with bound 203 from the default portfolio. The interleaved LNS and local-search
    workers run either way.
    """
    if workers <= 2:
        return ["max_lp"]
    if workers == 3:
        return ["max_lp", "reduced_costs"]
    return []


def solve_instance(
    inst: CurtoisInstance,
    time_limit: float = 60.0,
    workers: int = 2,
    seed: int = 0,
    parameters: str | None = None,
) -> dict[str, Any]:
    """Solve; returns instance, objective, bound, status, seconds and assignments.

    ``parameters`` (CP-SAT text format, e.g. ``'subsolvers: "default_lp"'``) is applied
    last; when it names ``subsolvers`` it replaces the :func:`portfolio` choice."""
    started = time.monotonic()
    cm = CurtoisModel(inst)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    if not (parameters and "subsolvers" in parameters):
        solver.parameters.subsolvers.extend(portfolio(workers))
    if parameters and not solver.parameters.merge_text_format(parameters):
        raise ValueError(f"--params: not valid CP-SAT parameters (text format): {parameters!r}")
    status = solver.solve(cm.model)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    assignments = (
        [
            {"employee": e, "day": d, "shift": s}
            for (e, d, s), lit in sorted(cm.x.items(), key=lambda kv: (kv[0][1], kv[0][0]))
            if solver.boolean_value(lit)
        ]
        if found
        else []
    )
    return {
        "instance": inst.name,
        "objective": round(solver.objective_value) if found else None,
        "bound": round(solver.best_objective_bound) if found else None,
        "status": solver.status_name(status).lower(),
        "seconds": round(time.monotonic() - started, 2),
        "assignments": assignments,
    }
