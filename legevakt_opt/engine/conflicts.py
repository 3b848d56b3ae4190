"""Why no roster fits: the few user statements (fixed assignments, what a freeze keeps)
that cannot all hold, in plain words.

CP-SAT is asked whether every statement can hold, with each statement's literal as an
assumption. If not, its ``sufficient_assumptions_for_infeasibility`` is a set that cannot;
that set is shrunk, one statement at a time, until removing any one of them lets the others
hold (a minimal set). The lines name each statement and then what the validator finds
wrong with their assignments together (the rest that is too short, the cap exceeded).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from ortools.sat.python import cp_model

from legevakt_opt.checks import Checker
from legevakt_opt.engine import cpsat
from legevakt_opt.engine.options import SolveOptions
from legevakt_opt.model import RosterModel
from legevakt_opt.model.statements import Statement


class NoRosterError(Exception):
    """No roster can satisfy the user's statements; ``lines`` name the ones that conflict
    (one each, naming doctor, date and shift) and then why."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("no roster can satisfy these: " + "; ".join(lines))
        self.lines = lines


def check_statements(rm: RosterModel, options: SolveOptions) -> None:
    """Raise :class:`NoRosterError` when the statements cannot all hold; otherwise make them
    hard for the stages that follow. A check that runs out of time lets the solve go on."""
    statements = rm.statements
    if not statements:
        return
    alone = [s for s in statements if not s.possible]
    if alone:
        raise NoRosterError(_lines(rm, alone))
    budget = _budget(options)
    status, core = _assume(rm, statements, budget, options)
    if status == cp_model.INFEASIBLE:
        raise NoRosterError(_lines(rm, _shrink(rm, core or statements, budget, options)))
    for s in statements:
        rm.model.add(s.literal == 1)


def _budget(options: SolveOptions) -> cpsat.Budget:
    return cpsat.Budget(max(1.0, min(10.0, options.time_limit / 5)), options.deterministic)


def _assume(
    rm: RosterModel, statements: list[Statement], budget: cpsat.Budget, options: SolveOptions
) -> tuple[cp_model.CpSolverStatus, list[Statement]]:
    """Whether ``statements`` can all hold; if not, a subset CP-SAT says cannot."""
    rm.model.clear_assumptions()
    rm.model.add_assumptions([s.literal for s in statements])
    try:
        solver, status = cpsat.feasible(rm.model, budget, options)
    finally:
        rm.model.clear_assumptions()
    if status != cp_model.INFEASIBLE:
        return status, []
    by_index = {s.literal.index: s for s in statements}
    core = [by_index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in by_index]
    return status, core


def _shrink(
    rm: RosterModel, core: list[Statement], budget: cpsat.Budget, options: SolveOptions
) -> list[Statement]:
    """Drop each statement whose removal leaves the rest still impossible."""
    kept = list(core)
    for s in list(core):
        rest = [t for t in kept if t is not s]
        if not rest:
            break
        status, _ = _assume(rm, rest, budget, options)
        if status == cp_model.INFEASIBLE:
            kept = rest
    return kept


def _lines(rm: RosterModel, statements: list[Statement]) -> list[str]:
    """One line per statement, then what breaks among their assignments (the validator's
    words), or why one is impossible on its own."""
    checker = Checker(rm.scenario)
    lines = [s.text for s in statements]
    by_doctor: dict[str, list[tuple[str, dt.date, str]]] = defaultdict(list)
    for s in statements:
        if s.assignment is not None:
            day, shift, doctor, role = s.assignment
            by_doctor[doctor].append((shift, day, role))
    reasons: list[str] = []
    for doctor, held in sorted(by_doctor.items()):
        for breach in checker.doctor_breaches(doctor, held):
            reasons.append(f"because {breach.message}")
    if not reasons:
        reasons.append(
            "because together they leave no roster that keeps every rule (a bakvakt, the "
            "shift's number of doctors, a satellite's video cover)"
        )
    return lines + list(dict.fromkeys(reasons))
