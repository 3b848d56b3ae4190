"""Lexicographic solving: each level of the ranking is optimised, then fixed, in turn.

A level is fixed at its optimum, or at the best value found within its share of the time,
so a lower level never trades against a higher one. The result carries every level's
value and bound; the roster is ``optimal`` only when every level is proved.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from legevakt_opt.baseline import greedy_roster, relieve_busiest
from legevakt_opt.calendar import Calendar, expand
from legevakt_opt.engine import cpsat, stage_search
from legevakt_opt.engine.conflicts import check_statements
from legevakt_opt.engine.options import Progress, SolveOptions
from legevakt_opt.engine.starts import Fixed, StartPool, Triple, named, triples
from legevakt_opt.model import LEVELS, RosterModel
from legevakt_opt.model.statements import Published
from legevakt_opt.roster import Level, NamedAssignment, SolveResult, Status, build_result
from legevakt_opt.scenario import Scenario

OnProgress = Callable[[Progress], None]


@dataclass
class _Run:
    """The state one solve carries from stage to stage."""

    rm: RosterModel
    options: SolveOptions
    pool: StartPool
    started: float
    on_progress: OnProgress | None
    cancel: threading.Event | None
    fixed: list[Fixed] = field(default_factory=list)
    fixed_at: dict[str, int] = field(default_factory=dict)
    spent: float = 0.0  # deterministic seconds used so far
    levels: list[Level] = field(default_factory=list)
    solution: set[Triple] | None = None
    cancelled: bool = False
    #: Seconds until the first complete roster (a start the model accepted), if any.
    first_roster: float | None = None

    def cancel_asked(self) -> bool:
        return self.cancel is not None and self.cancel.is_set()


def solve(
    scenario: Scenario,
    options: SolveOptions | None = None,
    *,
    on_progress: OnProgress | None = None,
    cancel: threading.Event | None = None,
    calendar: Calendar | None = None,
    published: Published | None = None,
) -> SolveResult:
    """Solve a scenario; always returns a validated roster (the hand method's if need be).

    With ``published``, a re-plan: the roster that differs least from the published one
    (after unfilled hours), nothing changed before its ``freeze_until``, and the roster's
    ``changes`` list each difference with its reason. :class:`NoRosterError` when the
    scenario's fixed assignments or the freeze leave no roster at all."""
    opts = options or SolveOptions()
    started = time.monotonic()
    calendar = calendar or expand(scenario)
    rm = RosterModel(scenario, calendar, published)
    build_seconds = time.monotonic() - started
    start = _start(scenario, calendar, published)
    check_statements(rm, opts)
    run = _Run(rm, opts, StartPool(rm, opts), started, on_progress, cancel)
    if opts.use_baseline_hint:
        _seed_pool(run, start, relieve=published is None)
    stages = [s.name for s in LEVELS if s.name in opts.levels and s.name in rm.objectives]
    for k in range(len(stages)):
        if run.cancel_asked():
            run.cancelled = True
            break
        if not _stage(run, k, stages):
            break
        if run.cancel_asked():
            run.cancelled = True
            break
    return _result(run, scenario, calendar, start, stages, build_seconds, published)


def _start(
    scenario: Scenario, calendar: Calendar, published: Published | None
) -> list[NamedAssignment]:
    """The hand method's roster; with fixed assignments or a published roster, the hand
    method around them (each kept where its doctor may still hold it)."""
    keep = [NamedAssignment(f.date, f.shift, f.doctor, f.role) for f in scenario.fixed]
    if published is not None:
        keep += [NamedAssignment(*a) for a in published.assignments]
    if not keep:
        return greedy_roster(scenario, calendar)
    frozen = published.frozen if published is not None else None
    return greedy_roster(scenario, calendar, keep=keep, frozen=frozen)


def _seed_pool(run: _Run, start: list[NamedAssignment], relieve: bool) -> None:
    """The hand method's roster and (``relieve``) the same with its busiest doctor
    relieved, so the engine is never worse than the hand method on any level. A re-plan
    starts from the published roster alone: relieving would only move duties. The first
    complete start is reported as progress: from then on there is a valid roster.

    When the relieved roster outranks the hand method's on the levels before any search
    (the same unfilled hours, a lower max burden), only it is completed: each completion
    is a CP-SAT call, 1.3 s on 160 doctors × 13 weeks."""
    rm = run.rm
    hand = triples(rm, start)
    relieved = triples(rm, relieve_busiest(rm.scenario, rm.calendar, start)) if relieve else None
    if relieved == hand:  # no move relieved anyone (160 doctors × 13 weeks: none did)
        relieved = None
    if relieved is not None and _outranks(run, relieved, hand):
        run.pool.add(relieved)
        if not run.pool.solutions:  # the model refused it: the hand method's, then
            run.pool.add(hand)
        relieved = None
    else:
        run.pool.add(hand)
    run.first_roster = time.monotonic() - run.started if run.pool.solutions else None
    if run.pool.solutions and run.on_progress is not None:
        first = rm.objectives[next(iter(rm.objectives))]
        value = rm.display(next(iter(rm.objectives)), run.pool.solutions[0].value(first))
        run.on_progress(Progress("start", -1, run.first_roster or 0.0, value, None))
    if relieved is not None:
        run.pool.add(relieved)


def _outranks(run: _Run, relieved: set[Triple], hand: set[Triple]) -> bool:
    """Whether the relieved roster is lexicographically better than the hand method's:
    its moves keep every instance's cover (the unfilled hours), so it is when the max
    burden comes next in the ranking and is lower in it."""
    ranked = [
        s.name for s in LEVELS if s.name in run.options.levels and s.name in run.rm.objectives
    ]
    if "max_burden" not in ranked or ranked[: ranked.index("max_burden")] not in ([], ["unfilled"]):
        return False
    return run.rm.max_burden_of(relieved) < run.rm.max_burden_of(hand)


def _budget(run: _Run, k: int, stages: list[str]) -> cpsat.Budget:
    """This stage's share of what is left of the time limit. Single-worker solves count
    deterministic time, so their budgets (and with them the roster) do not depend on how
    fast or busy the machine is."""
    opts = run.options
    remaining = max(0.0, _time_left(run))
    shares = {spec.name: spec.time_share for spec in LEVELS}
    share = shares[stages[k]] / sum(shares[n] for n in stages[k:])
    return cpsat.Budget(max(0.05, remaining * share), opts.deterministic)


def _time_left(run: _Run) -> float:
    used = run.spent if run.options.deterministic else time.monotonic() - run.started
    return run.options.time_limit - used


def _keep(
    run: _Run, k: int, stages: list[str], start_from: cp_model.CpSolver, floor: float, proved: bool
) -> None:
    """Record level ``k`` at the value of ``start_from`` without a search, and fix it."""
    rm, name = run.rm, stages[k]
    expr = rm.objectives[name]
    value = round(start_from.value(expr))
    run.solution = rm.chosen(start_from)
    met = rm.display(name, value)
    bound = rm.display(name, floor) if math.isfinite(floor) else None
    run.levels.append(Level(name, met, bound, proved, 0.0, met))
    _fix(run, k, stages, expr, value)


def _stage(run: _Run, k: int, stages: list[str]) -> bool:
    """Optimise level ``k`` from the best pooled start, record it, and fix it for the levels
    below; False when there is no solution at all to go on from."""
    rm, name = run.rm, stages[k]
    expr = rm.objectives[name]
    budget = _budget(run, k, stages)
    start_from = run.pool.best(expr, run.fixed)
    floor = rm.floor(name, run.fixed_at)
    if (
        start_from is not None
        and math.isfinite(floor)
        and round(start_from.value(expr)) <= math.ceil(floor - 1e-9)
    ):
        # The start already meets a bound no roster can beat: proved, no search needed
        # (the time goes to the levels below).
        _keep(run, k, stages, start_from, floor, proved=True)
        return True
    if k > 0 and start_from is not None and _time_left(run) <= 0:
        # The time limit is spent: a level below keeps the best roster's value unsearched.
        # Searching it anyway cost 1.5-2.5 s a level on 60 doctors however small its budget
        # (the copy of the model, its hints, CP-SAT's loading).
        _keep(run, k, stages, start_from, floor, proved=False)
        return True
    began = None if start_from is None else rm.display(name, round(start_from.value(expr)))
    if start_from is not None:
        rm.hint_all(start_from)

    seen = [math.inf, -math.inf]  # the best value and bound yet: two searches report

    def report(obj: float, bound: float) -> None:
        if run.on_progress is not None:
            seen[:] = [min(seen[0], obj), max(seen[1], bound)]
            elapsed = time.monotonic() - run.started
            shown = rm.display(name, seen[0]), rm.display(name, max(0.0, seen[1]))
            run.on_progress(Progress(name, k, elapsed, *shown))

    stage_start = time.monotonic()
    model = rm.model_for(name)
    start = None if start_from is None else list(start_from.response_proto.solution)
    found = stage_search.search(
        rm, name, model, start, budget, run.options, report, run.cancel, floor
    )
    solver, status = found.solver, found.status
    run.spent += solver.response_proto.deterministic_time + found.lns_spent
    if cpsat.found(status):
        # Polish: the stage's solution says nothing true of the levels below (their rows
        # were left out, or only bound them); complete its assignment in the whole model
        # so every level reads its true value. Only a solution of the whole model may
        # stand in when the completion fails.
        whole = model is rm.model
        run.pool.add(rm.chosen(solver), fallback=solver if whole else None)
    if found.improved is not None:
        run.pool.add(rm.chosen_values(found.improved))
    seconds = time.monotonic() - stage_start
    best = run.pool.best(expr, run.fixed)
    if best is None:
        run.levels.append(Level(name, None, None, False, seconds, began))
        return False
    value = round(best.value(expr))
    run.solution = rm.chosen(best)
    bound = _bound(run, name, solver, status)
    known = math.isfinite(bound)
    proved = status == cp_model.OPTIMAL or (known and value <= math.ceil(bound - 1e-9))
    shown = rm.display(name, bound) if known else None
    run.levels.append(Level(name, rm.display(name, value), shown, proved, seconds, began))
    _fix(run, k, stages, expr, value)
    return True


def _fix(run: _Run, k: int, stages: list[str], expr: cp_model.LinearExprT, value: int) -> None:
    """Hold level ``k`` at ``value`` for the levels below."""
    if k + 1 < len(stages):
        run.rm.model.add(expr <= value)
        run.fixed.append((expr, value))
        run.fixed_at[stages[k]] = value


def _bound(
    run: _Run, name: str, solver: cp_model.CpSolver, status: cp_model.CpSolverStatus
) -> float:
    """A valid lower bound on the level, in model units: CP-SAT's, never below the level's
    floor (:mod:`legevakt_opt.model.floors`), which holds even when CP-SAT found nothing in
    its budget. Every level counts something, so its floor is at least 0 (CP-SAT's first
    bound, before its LP, can lie far below: -242,898 h was reported for the unfilled
    level of 200 doctors × 4 weeks); the max burden's is the cheapest cover spread over
    all shares, the burden carried from before included."""
    floor = run.rm.floor(name, run.fixed_at)
    if not cpsat.found(status):
        return floor
    return max(solver.best_objective_bound, floor)


def _result(
    run: _Run,
    scenario: Scenario,
    calendar: Calendar,
    baseline: list[NamedAssignment],
    stages: list[str],
    build_seconds: float,
    published: Published | None,
) -> SolveResult:
    opts, rm = run.options, run.rm
    complete = len(run.levels) == len(stages) and all(lv.proved for lv in run.levels)
    status: Status
    if run.solution is None:
        assignments, status = baseline, "feasible"
    else:
        assignments = named(rm, run.solution)
        status = "optimal" if complete and not run.cancelled else "feasible"
    return build_result(
        scenario,
        calendar,
        assignments,
        status=status,
        levels=run.levels,
        runtime=time.monotonic() - run.started,
        published=None if published is None else list(published.assignments),
        solver_info={
            "workers": opts.workers,
            "seed": opts.seed,
            "time_limit": opts.time_limit,
            "deterministic": opts.deterministic,
            "build_seconds": round(build_seconds, 3),
            "first_roster_seconds": None
            if run.first_roster is None
            else round(run.first_roster, 3),
            "cancelled": run.cancelled,
            "variables": len(rm.model.proto.variables),
            "constraints": len(rm.model.proto.constraints),
        },
    )
