"""The Curtois & Qu shift scheduling benchmark: the reader and the solve (the full model for
a first solution and a bound, then large-neighbourhood search from its best). The model,
built from the engine's own rule modules, is in ``curtois_model.py``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ortools.sat.python import cp_model

from legevakt_opt.bench.curtois_model import CurtoisModel, complete, greedy_start, moves
from legevakt_opt.engine import lns
from legevakt_opt.engine.cpsat import Budget

#: The full model's share of the time (after building it); LNS has the rest.
FULL_SHARE = 0.3
#: The longest LNS sub-solve, seconds.
LNS_STEP = 0.5
#: The full model alone does best on instances of at most this many days and fewer than
#: BIG_STAFF staff: measured at 60 s on 2 cores (2026-12-02), it was ahead of a greedy start
#: and LNS on Instances 4-10 (28 days, at most 40 staff; 6 proved optimal), the greedy
#: start and LNS on 11-13 (50-120 staff) and 14-20 (42-182 days).
SHORT_DAYS = 28
BIG_STAFF = 50
#: CP-SAT parameters of the LNS sub-solves.
LNS_PARAMETERS: dict[str, object] = {"linearization_level": 2}


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
    *,
    full_share: float = FULL_SHARE,
    deterministic: bool = False,
    method: str = "auto",
) -> dict[str, Any]:
    """Solve; returns instance, objective, bound, status, seconds, the greedy ``start``, the
    LNS figures and the assignments.

    ``method``: ``full`` (the full model alone for the whole time), ``lns``, or ``auto``
    (``full`` up to :data:`SHORT_DAYS` days and under :data:`BIG_STAFF` staff, else
    ``lns``). With ``lns`` a greedy first
    roster (:func:`greedy_start`, within 60 % of the time) is hinted to the full model,
    which runs for ``full_share`` of the time left (its bound, a better solution; all the
    time left if there is no start), then :func:`lns.search` improves the
    best for the rest, freeing a few employees, a window of days or a block of both at a
    time (``full_share=1``: no LNS). With ``deterministic`` the time limit is in CP-SAT's
    deterministic seconds (build time not counted), so a run reproduces whatever the load.

    ``parameters`` (CP-SAT text format, e.g. ``'subsolvers: "default_lp"'``) is applied
    last to the full solve; when it names ``subsolvers`` it replaces the :func:`portfolio`
    choice."""
    started = time.monotonic()
    cm = CurtoisModel(inst)
    if method == "auto":
        small = inst.days <= SHORT_DAYS and len(inst.staff) < BIG_STAFF
        method = "full" if small else "lns"
    greedy = method == "lns"
    if not greedy:
        full_share = 1.0  # the full model alone, for the whole time

    def spent(solver: cp_model.CpSolver | None = None) -> float:
        if deterministic:
            return solver.deterministic_time if solver else 0.0
        return time.monotonic() - started

    # A first roster, employee by employee, hinted to the full model: on the bigger
    # instances the full model alone finds none, or a poor one, in a minute.
    deadline = started + (10 if deterministic else 1) * time_limit * 0.6
    works = greedy_start(inst, deadline, seed) if greedy else None
    values = complete(cm, works) if works is not None else []
    if values:
        cm.model.clear_hints()
        for k, v in enumerate(values):
            cm.model.add_hint(cm.model.get_int_var_from_proto_index(k), v)
    share = full_share if values else 1.0  # with no start, the full model has all the time
    solver = cp_model.CpSolver()
    params = solver.parameters
    if deterministic:
        params.max_deterministic_time = max(0.1, time_limit * share)
    else:
        params.max_time_in_seconds = max(0.1, (time_limit - spent()) * share)
    params.num_workers = workers
    params.random_seed = seed
    if not (parameters and "subsolvers" in parameters):
        params.subsolvers.extend(portfolio(workers))
    if parameters and not params.merge_text_format(parameters):
        raise ValueError(f"--params: not valid CP-SAT parameters (text format): {parameters!r}")
    status = solver.solve(cm.model)
    out: dict[str, Any] = {
        "instance": inst.name,
        "method": method,
        "objective": None,
        "bound": None,
        "lns": None,
    }
    out["status"] = solver.status_name(status).lower()
    out["start"] = lns.evaluate(cm.objective, values) if values else None
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        values = list(solver.response_proto.solution)
        out["objective"] = round(solver.objective_value)
        out["bound"] = round(solver.best_objective_bound)
    elif values:
        out["status"], out["objective"] = "feasible", out["start"]
    left = time_limit - spent(solver)
    if values and status != cp_model.OPTIMAL and left > 0.5:
        result = lns.search(
            cm.model,
            cm.objective,
            values,
            moves(cm),
            Budget(left, deterministic),
            step=LNS_STEP,
            workers=workers,
            seed=seed,
            bound=out["bound"],
            parameters=LNS_PARAMETERS,
        )
        values = result.values
        out["objective"] = result.objective
        out["status"] = "optimal" if result.optimal else out["status"]
        out["lns"] = {
            "iterations": result.iterations,
            "improvements": result.improvements,
            "start": result.start_objective,
            "overhead": round(result.overhead, 2),
            "moves": result.moves,
        }
    out["seconds"] = round(time.monotonic() - started, 2)
    out["assignments"] = [
        {"employee": e, "day": d, "shift": s}
        for (e, d, s), lit in sorted(cm.x.items(), key=lambda kv: (kv[0][1], kv[0][0]))
        if values and values[lit.index]
    ]
    return out
