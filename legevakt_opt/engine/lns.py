"""Large-neighbourhood search with CP-SAT as the sub-solver, for any model.

On big models CP-SAT's full search finds a first solution and a bound but then improves
slowly: every worker searches the whole model. Fixing most decisions at the current
solution and re-solving the rest (a *neighbourhood*) for a short while moves much faster,
and neighbourhoods the caller knows (one worker's tasks, a window of days) free variables
that belong together, which CP-SAT's own LNS workers cannot guess. Typical use: the full
model for part of the time (a first solution and the bound), then :func:`search` from its
best solution for the rest.

This module knows no roster: it takes a model, an objective, a complete starting solution
(one value per model variable) and :class:`Move` s, each a list of groups of decision
variables with a :class:`Policy` that picks which groups to free. Iterations are cheap in
Python: the model is cloned once with every decision fixed; an iteration restores the
domains of the freed variables only (and fixes them again after), so its cost grows with
the neighbourhood, not the model. The hint is always the current solution, so a sub-solve
never returns worse; only a strictly better solution is taken. Each move's size adapts:
it grows after a sub-problem solved to optimality and shrinks after one that ran out.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ortools.sat.python import cp_model, cp_model_helper

from legevakt_opt.engine.cpsat import Budget, cancel_watch, found

Group = Sequence[cp_model.IntVar]
#: Called with the objective of each improvement.
OnImprovement = Callable[[int], None]


class Policy(Protocol):
    """Which of ``count`` groups to free: about ``size`` of them, given the current values
    (one per model variable, by proto index)."""

    def choose(
        self, count: int, size: int, rng: random.Random, values: Sequence[int]
    ) -> Collection[int]: ...


class RandomGroups:
    """``size`` groups drawn at random."""

    def choose(
        self, count: int, size: int, rng: random.Random, values: Sequence[int]
    ) -> Collection[int]:
        return rng.sample(range(count), min(size, count))


class Window:
    """``size`` consecutive groups (e.g. days) from a random first one."""

    def choose(
        self, count: int, size: int, rng: random.Random, values: Sequence[int]
    ) -> Collection[int]:
        size = min(size, count)
        first = rng.randrange(count - size + 1)
        return range(first, first + size)


@dataclass(frozen=True)
class Block:
    """Groups laid out as a grid, row by row, ``columns`` to a row (e.g. workers × days):
    a window of ``width`` consecutive columns in about ``size / width`` random rows."""

    columns: int
    width: int

    def choose(
        self, count: int, size: int, rng: random.Random, values: Sequence[int]
    ) -> Collection[int]:
        width = min(self.width, self.columns)
        rows = count // self.columns
        first = rng.randrange(self.columns - width + 1)
        picked = rng.sample(range(rows), min(rows, max(1, round(size / width))))
        return [r * self.columns + c for r in picked for c in range(first, first + width)]


@dataclass(frozen=True)
class Worst:
    """The groups the caller ranks worst in the current solution (``rank`` returns group
    indexes, worst first), a ``share`` of the size drawn from the top ``pool`` × size of
    that ranking, the rest at random. With ``first`` the worst is always among them: for a
    maximum, the one group whose change can lower it. With ``tied`` (how many groups at
    the head of the ranking reach the worst value) every one of them is, with as many
    others again at least: a maximum that several groups reach falls only when all of
    them change, and each needs somewhere to move its load."""

    rank: Callable[[Sequence[int]], Sequence[int]]
    share: float = 0.5
    pool: float = 2.0
    first: bool = False
    tied: Callable[[Sequence[int]], int] | None = None

    def choose(
        self, count: int, size: int, rng: random.Random, values: Sequence[int]
    ) -> Collection[int]:
        ranked = list(self.rank(values))
        must = ranked[: max(1, self.tied(values))] if self.tied else ranked[: int(self.first)]
        size = min(count, max(size, 2 * len(must) if self.tied else len(must)))
        top = ranked[: max(len(must), math.ceil(self.pool * size))]
        wanted = min(len(top), max(len(must), math.ceil(self.share * size)))
        chosen = set(must)
        rest = [g for g in top if g not in chosen]
        chosen.update(rng.sample(rest, min(len(rest), wanted - len(chosen))))
        others = [g for g in range(count) if g not in chosen]
        return chosen | set(rng.sample(others, size - len(chosen)))


@dataclass
class Move:
    """A kind of neighbourhood: ``groups`` of decision variables and the ``policy`` that
    frees some of them; ``size`` (groups freed) adapts between 1 and all of them."""

    name: str
    groups: Sequence[Group]
    policy: Policy
    size: float = 2.0
    tried: int = 0
    improved: int = 0


@dataclass
class Result:
    values: list[int]  # one per model variable, by proto index
    objective: int
    start_objective: int
    iterations: int = 0
    improvements: int = 0
    optimal: bool = False  # a sub-problem freeing every decision was solved to optimality
    overhead: float = 0.0  # wall seconds outside CP-SAT's solves (domain edits, set-up)
    #: the budget used: the sub-solves' deterministic seconds, or all wall seconds
    solve_time: float = 0.0
    moves: dict[str, tuple[int, int]] = field(default_factory=dict)  # name: (tried, improved)


def evaluate(objective: cp_model.LinearExprT, values: Sequence[int]) -> int:
    """The objective's value in a solution (one value per model variable)."""
    if isinstance(objective, int):
        return objective
    flat = cp_model_helper.FlatIntExpr(cp_model.LinearExpr.sum([objective]))
    return flat.offset + sum(
        c * values[v.index] for v, c in zip(flat.vars, flat.coeffs, strict=True)
    )


def search(
    model: cp_model.CpModel,
    objective: cp_model.LinearExprT,
    start: Sequence[int],
    moves: Sequence[Move],
    budget: Budget,
    *,
    step: float = 1.0,
    workers: int = 1,
    seed: int = 0,
    bound: float | None = None,
    parameters: Mapping[str, object] | None = None,
    cancel: threading.Event | None = None,
    on_improvement: OnImprovement | None = None,
) -> Result:
    """Minimise ``objective`` from the complete solution ``start`` within ``budget``, each
    sub-solve at most ``step`` seconds of the budget's kind; stops early at ``bound`` (a
    known lower bound), on ``cancel``, or when a whole-model neighbourhood proves optimal.
    ``model`` is not changed."""
    started = time.monotonic()
    work = model.clone()
    work.minimize(objective)
    proto = work.proto
    proto.clear_solution_hint()
    proto.solution_hint.vars.extend(range(len(start)))
    proto.solution_hint.values.extend(start)
    current = list(start)
    result = Result(current, evaluate(objective, current), evaluate(objective, current))
    decisions = sorted({v.index for mv in moves for g in mv.groups for v in g})
    # Each variable's own domain, read from ``model`` (never changed) when it is first
    # freed: reading all 228,000 up front took 1.2 s on 160 doctors × 13 weeks.
    domains: dict[int, list[int]] = {}
    variables = model.proto.variables
    for i in decisions:
        _set_domain(proto, i, [current[i], current[i]])
    rng = random.Random(seed)
    spent = 0.0
    holder: list[cp_model.CpSolver] = []
    stop_watch = cancel_watch(lambda: holder, cancel, every=0.05)
    try:
        while (left := budget.seconds - spent) > 0.01 and not (cancel and cancel.is_set()):
            if budget.deterministic and time.monotonic() - started > 10 * budget.seconds + 30:
                break  # a wall-clock safety net only, as in cpsat.run
            if bound is not None and result.objective <= bound:
                result.optimal = True
                break
            tick = time.monotonic()
            mv = moves[result.iterations % len(moves)]
            size = max(1, min(len(mv.groups), round(mv.size)))
            chosen = mv.policy.choose(len(mv.groups), size, rng, current)
            free = {v.index for g in chosen for v in mv.groups[g]}
            for i in free:
                if i not in domains:
                    domains[i] = list(variables[i].domain)
                _set_domain(proto, i, domains[i])
            solver = cp_model.CpSolver()
            _parameters(solver.parameters, min(step, left), budget, workers, parameters)
            solver.parameters.random_seed = seed + result.iterations
            holder[:] = [solver]
            solve_tick = time.monotonic()
            status = solver.solve(work)
            solve_tock = time.monotonic()
            # Wall-clock budgets count everything since the start, the model edits and
            # CP-SAT's loading included: on 60 doctors those overran a stage's share by 2 s.
            if budget.deterministic:
                spent += solver.deterministic_time
            else:
                spent = solve_tock - started
            result.iterations += 1
            mv.tried += 1
            if found(status) and round(solver.objective_value) < result.objective:
                current = list(solver.response_proto.solution)
                result.values, result.objective = current, round(solver.objective_value)
                result.improvements += 1
                mv.improved += 1
                proto.solution_hint.values.clear()
                proto.solution_hint.values.extend(current)
                if on_improvement:
                    on_improvement(result.objective)
            for i in free:
                _set_domain(proto, i, [current[i], current[i]])
            if status == cp_model.OPTIMAL:
                if len(free) == len(decisions):
                    result.optimal = True
                    break
                mv.size = min(len(mv.groups), mv.size * 1.25)
            elif status != cp_model.INFEASIBLE:
                mv.size = max(1.0, mv.size / 1.25)
            result.overhead += (time.monotonic() - tick) - (solve_tock - solve_tick)
            result.overhead += solve_tock - solve_tick - solver.wall_time
    finally:
        stop_watch()
    result.solve_time = spent
    result.moves = {mv.name: (mv.tried, mv.improved) for mv in moves}
    return result


def _set_domain(proto: cp_model_helper.CpModelProto, index: int, bounds: list[int]) -> None:
    domain = proto.variables[index].domain
    domain.clear()
    domain.extend(bounds)


def _parameters(
    params: cp_model_helper.SatParameters,
    seconds: float,
    budget: Budget,
    workers: int,
    extra: Mapping[str, object] | None,
) -> None:
    params.catch_sigint_signal = False  # signals are the caller's (its cancel event)
    params.num_workers = workers
    if budget.deterministic:
        params.max_deterministic_time = seconds
        params.max_time_in_seconds = 10 * seconds + 5
    else:
        params.max_time_in_seconds = seconds
    for key, val in (extra or {}).items():
        if isinstance(val, list | tuple):  # repeated fields, e.g. subsolvers
            getattr(params, key).extend(val)
        else:
            setattr(params, key, val)
