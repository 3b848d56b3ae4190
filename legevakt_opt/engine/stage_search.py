"""One stage's search: CP-SAT on the stage's whole model (the bound, and what its own
search finds) and, for the levels that have neighbourhoods, large-neighbourhood search
(:mod:`.lns`) from the best roster so far.

With one worker the two run one after the other, each a share of the stage's
deterministic budget, so a single-worker solve still reproduces. With more, they run side
by side for the whole budget: CP-SAT on all workers but one, the neighbourhoods on the
last; neither waits for the other, and the first to prove the level optimal stops both.
"""

from __future__ import annotations

import dataclasses
import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from legevakt_opt.engine import cpsat, lns
from legevakt_opt.engine.neighbourhoods import roster_moves
from legevakt_opt.engine.options import DEFAULT_PARAMETERS, SolveOptions
from legevakt_opt.model import RosterModel

#: The levels whose stage searches neighbourhoods as well (see :mod:`.neighbourhoods`).
LNS_LEVELS = ("max_burden", "fairness")

Report = Callable[[float, float], None]


@dataclass
class Outcome:
    solver: cp_model.CpSolver
    status: cp_model.CpSolverStatus
    #: The neighbourhood search's best solution, when it improved on its start.
    improved: list[int] | None = None
    #: Deterministic seconds the neighbourhoods used (one worker only; else 0).
    lns_spent: float = 0.0


def search(
    rm: RosterModel,
    name: str,
    model: cp_model.CpModel,
    start: Sequence[int] | None,
    budget: cpsat.Budget,
    options: SolveOptions,
    report: Report,
    cancel: threading.Event | None,
    floor: float,
) -> Outcome:
    """Minimise level ``name`` over ``model`` (hinted with ``start``, a complete solution
    by proto index, when there is one) within ``budget``."""
    expr = rm.objectives[name]
    if name not in LNS_LEVELS or options.lns_share <= 0 or start is None:
        solver, status = cpsat.run(model, expr, budget, options, on_solution=report, cancel=cancel)
        return Outcome(solver, status)
    if options.workers <= 1:
        return _one_after_the_other(rm, name, model, start, budget, options, report, cancel, floor)
    return _side_by_side(rm, name, model, start, budget, options, report, cancel, floor)


def _one_after_the_other(
    rm: RosterModel,
    name: str,
    model: cp_model.CpModel,
    start: Sequence[int],
    budget: cpsat.Budget,
    options: SolveOptions,
    report: Report,
    cancel: threading.Event | None,
    floor: float,
) -> Outcome:
    expr = rm.objectives[name]
    full = cpsat.Budget(budget.seconds * (1 - options.lns_share), budget.deterministic)
    solver, status = cpsat.run(model, expr, full, options, on_solution=report, cancel=cancel)
    if status == cp_model.OPTIMAL or (cancel is not None and cancel.is_set()):
        return Outcome(solver, status)
    bound = max(solver.best_objective_bound, floor) if cpsat.found(status) else floor
    if cpsat.found(status) and round(solver.objective_value) < lns.evaluate(expr, start):
        start = list(solver.response_proto.solution)
    rest = cpsat.Budget(budget.seconds * options.lns_share, budget.deterministic)
    result = _lns(rm, name, model, start, rest, options, 1, bound, report, cancel)
    improved = result.values if result.improvements else None
    return Outcome(solver, status, improved, result.solve_time)


def _side_by_side(
    rm: RosterModel,
    name: str,
    model: cp_model.CpModel,
    start: Sequence[int],
    budget: cpsat.Budget,
    options: SolveOptions,
    report: Report,
    cancel: threading.Event | None,
    floor: float,
) -> Outcome:
    expr = rm.objectives[name]
    stop = threading.Event()  # either search done for good, or the caller's cancel
    own = model.clone()  # the neighbourhoods' copy: cpsat.run sets the model's objective
    found: list[lns.Result] = []
    failed: list[BaseException] = []

    def neighbourhoods() -> None:
        try:
            found.append(_lns(rm, name, own, start, budget, options, 1, floor, report, stop))
        except BaseException as exc:  # raised again in the caller's thread below
            failed.append(exc)
        if not found or found[0].optimal:
            stop.set()

    def bridge() -> None:  # the caller's cancel stops both searches
        while not stop.wait(0.1):
            if cancel is not None and cancel.is_set():
                stop.set()

    threads = [threading.Thread(target=neighbourhoods), threading.Thread(target=bridge)]
    for thread in threads:
        thread.start()
    fewer = dataclasses.replace(options, workers=max(1, options.workers - 1))
    solver, status = cpsat.run(model, expr, budget, fewer, on_solution=report, cancel=stop)
    if status == cp_model.OPTIMAL:
        stop.set()  # proved: the neighbourhoods cannot do better
    threads[0].join()
    stop.set()
    threads[1].join()
    if failed:
        raise failed[0]
    result = found[0] if found else None
    improved = result.values if result is not None and result.improvements else None
    return Outcome(solver, status, improved)


def _lns(
    rm: RosterModel,
    name: str,
    model: cp_model.CpModel,
    start: Sequence[int],
    budget: cpsat.Budget,
    options: SolveOptions,
    workers: int,
    bound: float,
    report: Report,
    cancel: threading.Event | None,
) -> lns.Result:
    target = math.ceil(bound - 1e-9) if math.isfinite(bound) else None
    return lns.search(
        model,
        rm.objectives[name],
        start,
        roster_moves(rm, name),
        budget,
        step=max(0.2, min(2.0, budget.seconds / 10)),
        workers=workers,
        seed=options.seed,
        bound=target,
        parameters={**DEFAULT_PARAMETERS, **options.extra_parameters},
        cancel=cancel,
        on_improvement=lambda obj: report(obj, bound),
    )
