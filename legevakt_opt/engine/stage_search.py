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


@dataclass(frozen=True)
class _Stage:
    """What both searches of one stage share."""

    rm: RosterModel
    name: str
    model: cp_model.CpModel
    start: Sequence[int]
    budget: cpsat.Budget
    options: SolveOptions
    report: Report
    cancel: threading.Event | None
    floor: float

    @property
    def expr(self) -> cp_model.LinearExprT:
        return self.rm.objectives[self.name]


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
    if name not in LNS_LEVELS or options.lns_share <= 0 or start is None:
        expr = rm.objectives[name]
        solver, status = cpsat.run(model, expr, budget, options, on_solution=report, cancel=cancel)
        return Outcome(solver, status)
    stage = _Stage(rm, name, model, start, budget, options, report, cancel, floor)
    return _one_after_the_other(stage) if options.workers <= 1 else _side_by_side(stage)


def _one_after_the_other(st: _Stage) -> Outcome:
    share = st.options.lns_share
    full = cpsat.Budget(st.budget.seconds * (1 - share), st.budget.deterministic)
    solver, status = cpsat.run(
        st.model, st.expr, full, st.options, on_solution=st.report, cancel=st.cancel
    )
    if status == cp_model.OPTIMAL or (st.cancel is not None and st.cancel.is_set()):
        return Outcome(solver, status)
    bound = max(solver.best_objective_bound, st.floor) if cpsat.found(status) else st.floor
    start = st.start
    if cpsat.found(status) and round(solver.objective_value) < lns.evaluate(st.expr, start):
        start = list(solver.response_proto.solution)
    rest = cpsat.Budget(st.budget.seconds * share, st.budget.deterministic)
    result = _lns(st, st.model, start, rest, bound, st.cancel)
    improved = result.values if result.improvements else None
    return Outcome(solver, status, improved, result.solve_time)


def _side_by_side(st: _Stage) -> Outcome:
    stop = threading.Event()  # either search done for good, or the caller's cancel
    own = st.model.clone()  # the neighbourhoods' copy: cpsat.run sets the model's objective
    found: list[lns.Result] = []
    failed: list[BaseException] = []

    def neighbourhoods() -> None:
        try:
            found.append(_lns(st, own, st.start, st.budget, st.floor, stop))
        except BaseException as exc:  # raised again in the caller's thread below
            failed.append(exc)
        if not found or found[0].optimal:
            stop.set()

    def bridge() -> None:  # the caller's cancel stops both searches
        while not stop.wait(0.1):
            if st.cancel is not None and st.cancel.is_set():
                stop.set()

    threads = [threading.Thread(target=neighbourhoods), threading.Thread(target=bridge)]
    for thread in threads:
        thread.start()
    fewer = dataclasses.replace(st.options, workers=max(1, st.options.workers - 1))
    solver, status = cpsat.run(
        st.model, st.expr, st.budget, fewer, on_solution=st.report, cancel=stop
    )
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
    st: _Stage,
    model: cp_model.CpModel,
    start: Sequence[int],
    budget: cpsat.Budget,
    bound: float,
    cancel: threading.Event | None,
) -> lns.Result:
    """Neighbourhood search on one worker from ``start``, stopping at ``bound``."""
    target = math.ceil(bound - 1e-9) if math.isfinite(bound) else None
    return lns.search(
        model,
        st.expr,
        start,
        roster_moves(st.rm, st.name),
        budget,
        step=max(0.2, min(2.0, budget.seconds / 10)),
        workers=1,
        seed=st.options.seed,
        bound=target,
        parameters={**DEFAULT_PARAMETERS, **st.options.extra_parameters},
        cancel=cancel,
        on_improvement=lambda obj: st.report(obj, bound),
    )
