"""Lexicographic solving: each level of the ranking is optimised, then fixed, in turn.

A level is fixed at its optimum (or at the best value found within its share of the time),
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
from legevakt_opt.model import LEVELS, RosterModel
from legevakt_opt.roster import Level, NamedAssignment, SolveResult, build_result
from legevakt_opt.scenario import Scenario

#: Relative share of the time limit per level; time a level does not use flows on.
TIME_SHARES = {
    "unfilled": 0.25,
    "max_burden": 0.35,
    "fairness": 0.25,
    "requests": 0.1,
    "travel": 0.05,
}


#: CP-SAT parameters that measured better on the examples (benchmarks/engine.py): probing
#: cost 3 × 1.4 s of presolve per level on Molde and bought nothing.
DEFAULT_PARAMETERS: dict[str, object] = {"cp_model_probing_level": 0}


@dataclass(frozen=True)
class Progress:
    """A snapshot for a progress display or a job record."""

    stage: str
    stage_index: int
    elapsed: float
    objective: float | None
    bound: float | None
    solutions: int = 0


@dataclass
class SolveOptions:
    time_limit: float = 60.0
    workers: int = 2
    seed: int = 0
    #: Start from the hand-method roster as a hint (faster first solution).
    use_baseline_hint: bool = True
    #: Lowest level to optimise (all by default); fewer levels is faster.
    levels: tuple[str, ...] = LEVELS
    extra_parameters: dict[str, object] = field(default_factory=dict)

    @property
    def deterministic(self) -> bool:
        """Single-worker solves are cut by CP-SAT's deterministic time, so they reproduce."""
        return self.workers == 1


class _Watcher(cp_model.CpSolverSolutionCallback):
    def __init__(self, report: Callable[[float, float], None]) -> None:
        super().__init__()
        self._report = report

    def on_solution_callback(self) -> None:
        self._report(self.objective_value, self.best_objective_bound)


def _display(model: RosterModel, level: str, value: float) -> float:
    """A level's value in the unit people read: hours for unfilled and burden; for fairness,
    weighted hours off each doctor's proportional share, summed (a night or weekend duty off
    its share counts as 8 hours)."""
    if level == "unfilled":
        return round(value / 60, 4)
    if level == "max_burden":
        return round(model.hours_of(value), 4)
    if level == "fairness":
        return round(value / model.fairness_unit, 4)
    return value


def solve(
    scenario: Scenario,
    options: SolveOptions | None = None,
    *,
    on_progress: Callable[[Progress], None] | None = None,
    cancel: threading.Event | None = None,
    calendar: Calendar | None = None,
) -> SolveResult:
    """Solve a scenario; always returns a validated roster (the hand method's if need be)."""
    opts = options or SolveOptions()
    started = time.monotonic()
    calendar = calendar or expand(scenario)
    rm = RosterModel(scenario, calendar)
    build_seconds = time.monotonic() - started
    baseline = greedy_roster(scenario, calendar)
    ids = {doc.id: k for k, doc in enumerate(scenario.doctors)}

    def chosen(roster: list[NamedAssignment]) -> set[tuple[int, int, str]]:
        return {(ids[a.doctor], calendar.by_key[a.shift, a.date].index, a.role) for a in roster}

    # Complete solutions to start levels from: the hand method's roster, the same with its
    # busiest doctor relieved, then each level's best. A level starts from the best of them
    # that respects the levels fixed so far, so the engine is never worse than the hand
    # method on any level.
    pool: list[cp_model.CpSolver] = []
    if opts.use_baseline_hint:
        for start in (baseline, relieve_busiest(scenario, calendar, baseline)):
            completed = _complete(rm, chosen(start), opts)
            if completed is not None:
                pool.append(completed)
    fixed: list[tuple[cp_model.LinearExprT, int]] = []
    fixed_at: dict[str, int] = {}
    spent = 0.0  # deterministic time used so far

    levels: list[Level] = []
    solution: set[tuple[int, int, str]] | None = None
    cancelled = False
    stages = [name for name in LEVELS if name in opts.levels]
    for k, name in enumerate(stages):
        if cancel is not None and cancel.is_set():
            cancelled = True
            break
        # Single-worker solves spend deterministic time, so their budgets (and with them the
        # roster) do not depend on how fast or busy the machine is.
        used = spent if opts.deterministic else time.monotonic() - started
        remaining = max(0.0, opts.time_limit - used)
        share = TIME_SHARES[name] / sum(TIME_SHARES[n] for n in stages[k:])
        budget = max(0.05, remaining * share)
        expr = rm.objectives[name]
        rm.model.minimize(expr)
        start_from = _best_start(pool, expr, fixed)
        if start_from is not None:
            rm.hint_all(start_from)
        solver = cp_model.CpSolver()
        params = solver.parameters
        params.num_workers = opts.workers
        params.random_seed = opts.seed
        if opts.deterministic:
            params.max_deterministic_time = budget
            params.max_time_in_seconds = max(30.0, 10 * budget)  # safety net only
        else:
            params.max_time_in_seconds = budget
        for key, val in {**DEFAULT_PARAMETERS, **opts.extra_parameters}.items():
            if isinstance(val, list | tuple):  # repeated fields, e.g. subsolvers
                getattr(params, key).extend(val)
            else:
                setattr(params, key, val)

        def report(obj: float, bound: float, name: str = name, k: int = k) -> None:
            if on_progress is not None:
                on_progress(
                    Progress(
                        name,
                        k,
                        time.monotonic() - started,
                        _display(rm, name, obj),
                        _display(rm, name, max(0.0, bound)),
                    )
                )

        stop_watch = _cancel_watch(solver, cancel)
        stage_start = time.monotonic()
        status = solver.solve(rm.model, _Watcher(report))
        spent += solver.response_proto.deterministic_time
        stop_watch()
        seconds = time.monotonic() - stage_start
        found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        # Every level counts something (hours, deviations, penalties), so 0 is a valid floor;
        # CP-SAT's first bound, before its LP, can lie far below it (-242,898 h was reported
        # for the unfilled level of 200 doctors × 4 weeks).
        bound: float | None = max(0.0, solver.best_objective_bound) if found else None
        if name == "max_burden" and "unfilled" in fixed_at:
            bound = max(bound or 0.0, rm.max_burden_floor(fixed_at["unfilled"]))
        if found:
            # Polish: the stage's own auxiliaries for other levels are only bounded, not
            # tight; re-complete its assignment so every level reads its true value.
            polished = _complete(rm, rm.chosen(solver), opts, objective=expr)
            pool.append(polished if polished is not None else solver)
        # The best complete solution so far for this level (the solver's own, or the one it
        # started from if it found nothing better in its budget).
        best = _best_start(pool, expr, fixed)
        if best is not None:
            value = round(best.value(expr))
            solution = rm.chosen(best)
        else:
            levels.append(Level(name, None, None, False, seconds))
            break
        # Proved by CP-SAT, or by meeting a valid bound (levels are integers).
        proved = status == cp_model.OPTIMAL or (
            bound is not None and value <= math.ceil(bound - 1e-9)
        )
        levels.append(
            Level(
                name,
                _display(rm, name, value),
                None if bound is None else _display(rm, name, bound),
                proved,
                seconds,
            )
        )
        if k + 1 < len(stages):
            rm.model.add(expr <= value)
            fixed.append((expr, value))
            fixed_at[name] = value
        if cancel is not None and cancel.is_set():
            cancelled = True
            break
    runtime = time.monotonic() - started
    complete = len(levels) == len(stages) and all(lv.proved for lv in levels)
    if solution is None:
        assignments = baseline
        status_word = "feasible"
    else:
        assignments = [
            _named(rm, d, i, role)
            for d, i, role in sorted(solution, key=lambda t: (t[1], t[2], t[0]))
        ]
        status_word = "optimal" if complete and not cancelled else "feasible"
    return build_result(
        scenario,
        calendar,
        assignments,
        status=status_word,
        levels=levels,
        runtime=runtime,
        solver_info={
            "workers": opts.workers,
            "seed": opts.seed,
            "time_limit": opts.time_limit,
            "deterministic": opts.deterministic,
            "build_seconds": round(build_seconds, 3),
            "cancelled": cancelled,
            "variables": len(rm.model.proto.variables),
            "constraints": len(rm.model.proto.constraints),
        },
    )


def _complete(
    rm: RosterModel,
    chosen: set[tuple[int, int, str]],
    opts: SolveOptions,
    objective: cp_model.LinearExprT | None = None,
) -> cp_model.CpSolver | None:
    """Turn an assignment into a complete solution of the model (every auxiliary variable
    at its best), so CP-SAT can start from it; None if the model rejects it.

    Afterwards the model's objective is ``objective`` again (it is shared state)."""
    rm.hint(chosen)
    rm.model.minimize(cp_model.LinearExpr.sum([rm.objectives[n] for n in LEVELS]))
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    if opts.deterministic:
        solver.parameters.max_deterministic_time = max(1.0, opts.time_limit / 10)
    else:
        solver.parameters.max_time_in_seconds = max(1.0, opts.time_limit / 10)
    status = solver.solve(rm.model)
    rm.model.clear_hints()
    if objective is not None:
        rm.model.minimize(objective)
    return solver if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None


def _best_start(
    pool: list[cp_model.CpSolver],
    expr: cp_model.LinearExprT,
    fixed: list[tuple[cp_model.LinearExprT, int]],
) -> cp_model.CpSolver | None:
    """The pooled solution that keeps every fixed level and is best on ``expr``."""
    allowed = [s for s in pool if all(s.value(e) <= v for e, v in fixed)]
    return min(allowed, key=lambda s: s.value(expr), default=None)


def _named(rm: RosterModel, d: int, i: int, role: str) -> NamedAssignment:
    inst = rm.instances[i]
    return NamedAssignment(inst.date, inst.shift, rm.doctors[d].id, role)


def _cancel_watch(solver: cp_model.CpSolver, cancel: threading.Event | None) -> Callable[[], None]:
    """Stop the solver when ``cancel`` is set; returns a function that ends the watch."""
    if cancel is None:
        return lambda: None
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.1):
            if cancel.is_set():
                solver.stop_search()
                return

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()

    def finish() -> None:
        done.set()
        thread.join()

    return finish
