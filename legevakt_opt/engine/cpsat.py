"""One call of CP-SAT on the roster model: the objective it minimises is always given, the
budget is wall-clock or (one worker) deterministic time, and a cancel stops the search.

Every call names its objective, so no call inherits another's: the model is shared by the
stages and the completions of starting points.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ortools.sat.python import cp_model, cp_model_helper

from legevakt_opt.engine.options import DEFAULT_PARAMETERS, SolveOptions

#: Called with the objective value and the bound of each new solution, in model units.
OnSolution = Callable[[float, float], None]


@dataclass(frozen=True)
class Budget:
    """Seconds for one call; with ``deterministic`` they are CP-SAT's deterministic seconds
    (a wall-clock guard of 10× stops runaway runs)."""

    seconds: float
    deterministic: bool


def run(
    model: cp_model.CpModel,
    objective: cp_model.LinearExprT,
    budget: Budget,
    options: SolveOptions,
    *,
    fix_to_hints: bool = False,
    on_solution: OnSolution | None = None,
    cancel: threading.Event | None = None,
) -> tuple[cp_model.CpSolver, cp_model.CpSolverStatus]:
    """Minimise ``objective`` over ``model`` (with its hints); returns the solver and its
    status."""
    model.minimize(objective)
    solver = cp_model.CpSolver()
    params = solver.parameters
    # Signals are the caller's: CP-SAT would take Ctrl-C as the end of one stage only. A
    # caller stops a solve with its cancel event (the CLI sets it on Ctrl-C).
    params.catch_sigint_signal = False
    if fix_to_hints:
        # Completing a fixed assignment: one worker, no search parameters (the seed and
        # the search options do not change what the completion finds).
        params.fix_variables_to_their_hinted_value = True
        params.num_workers = 1
        _set_budget(params, budget)
    else:
        params.num_workers = options.workers
        params.random_seed = options.seed
        _set_budget(params, budget)
        for key, val in {**DEFAULT_PARAMETERS, **options.extra_parameters}.items():
            if isinstance(val, list | tuple):  # repeated fields, e.g. subsolvers
                getattr(params, key).extend(val)
            else:
                setattr(params, key, val)
    stop_watch = cancel_watch(lambda: [solver], cancel)
    try:
        status = solver.solve(model, _Watcher(on_solution) if on_solution else None)
    finally:
        stop_watch()
    return solver, status


def feasible(
    model: cp_model.CpModel, budget: Budget, options: SolveOptions
) -> tuple[cp_model.CpSolver, cp_model.CpSolverStatus]:
    """Whether the model (with its assumptions) has any solution at all: no objective, the
    first solution ends the search."""
    model.clear_objective()
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.catch_sigint_signal = False
    params.num_workers = options.workers
    params.random_seed = options.seed
    _set_budget(params, budget)
    return solver, solver.solve(model)


def _set_budget(params: cp_model_helper.SatParameters, budget: Budget) -> None:
    if budget.deterministic:
        params.max_deterministic_time = budget.seconds
        params.max_time_in_seconds = max(30.0, 10 * budget.seconds)  # a safety net only
    else:
        params.max_time_in_seconds = budget.seconds


def found(status: cp_model.CpSolverStatus) -> bool:
    return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)


class _Watcher(cp_model.CpSolverSolutionCallback):
    def __init__(self, report: OnSolution) -> None:
        super().__init__()
        self._report = report

    def on_solution_callback(self) -> None:
        self._report(self.objective_value, self.best_objective_bound)


def cancel_watch(
    solvers: Callable[[], Iterable[cp_model.CpSolver]],
    cancel: threading.Event | None,
    every: float = 0.1,
) -> Callable[[], None]:
    """Stop the running solvers (``solvers()`` names them) once ``cancel`` is set; returns a
    function that ends the watch. One thread per call of :func:`run`, or per whole
    neighbourhood search (:mod:`.lns`)."""
    if cancel is None:
        return lambda: None
    done = threading.Event()

    def watch() -> None:
        while not done.wait(every):
            if cancel.is_set():
                for solver in list(solvers()):
                    solver.stop_search()
                return

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()

    def finish() -> None:
        done.set()
        thread.join()

    return finish
