"""Complete starting points for the stages: the hand method's roster, the same with its
busiest doctor relieved, and each stage's best, each made into a full solution of the model
(every auxiliary variable at its tightest), so a stage can start from it and every level
reads its true value in it."""

from __future__ import annotations

from collections.abc import Iterable

from ortools.sat.python import cp_model

from legevakt_opt.engine import cpsat
from legevakt_opt.engine.options import SolveOptions
from legevakt_opt.model import RosterModel
from legevakt_opt.roster import NamedAssignment

#: An assignment in the model's terms: (doctor index, instance index, role).
Triple = tuple[int, int, str]
#: A fixed level: its expression must stay at or below the value it was fixed at.
Fixed = tuple[cp_model.LinearExprT, int]


def triples(rm: RosterModel, assignments: Iterable[NamedAssignment]) -> set[Triple]:
    ids = {doc.id: k for k, doc in enumerate(rm.doctors)}
    by_key = rm.calendar.by_key
    return {(ids[a.doctor], by_key[a.shift, a.date].index, a.role) for a in assignments}


def named(rm: RosterModel, chosen: Iterable[Triple]) -> list[NamedAssignment]:
    out = []
    for d, i, role in sorted(chosen, key=lambda t: (t[1], t[2], t[0])):
        inst = rm.instances[i]
        out.append(NamedAssignment(inst.date, inst.shift, rm.doctors[d].id, role))
    return out


class StartPool:
    """Complete solutions to start stages from."""

    def __init__(self, rm: RosterModel, options: SolveOptions) -> None:
        self.rm = rm
        self.options = options
        self.solutions: list[cp_model.CpSolver] = []

    def complete(self, chosen: set[Triple]) -> cp_model.CpSolver | None:
        """Fix the assignment and let CP-SAT set every auxiliary variable at its best (the
        sum of all levels is the objective); None if the model rejects the assignment."""
        rm = self.rm
        rm.hint(chosen)
        everything = cp_model.LinearExpr.sum([rm.objectives[n] for n in rm.objectives])
        # A cap, not a cost: a completion ends when it is done. At 60 doctors its presolve
        # alone takes 1.1-1.5 wall seconds, and with a 1 s cap the hand method's roster
        # was lost from the pool in one of two 10 s runs.
        least = 1.0 if self.options.deterministic else 3.0
        budget = cpsat.Budget(max(least, self.options.time_limit / 10), self.options.deterministic)
        solver, status = cpsat.run(rm.model, everything, budget, self.options, fix_to_hints=True)
        rm.model.clear_hints()
        return solver if cpsat.found(status) else None

    def add(self, chosen: set[Triple], fallback: cp_model.CpSolver | None = None) -> None:
        """Pool ``chosen`` completed; if it cannot be completed, the ``fallback`` solution."""
        completed = self.complete(chosen)
        if completed is not None:
            self.solutions.append(completed)
        elif fallback is not None:
            self.solutions.append(fallback)

    def best(self, expr: cp_model.LinearExprT, fixed: list[Fixed]) -> cp_model.CpSolver | None:
        """The pooled solution that keeps every fixed level and is best on ``expr``."""
        allowed = [s for s in self.solutions if all(s.value(e) <= v for e, v in fixed)]
        return min(allowed, key=lambda s: s.value(expr), default=None)
