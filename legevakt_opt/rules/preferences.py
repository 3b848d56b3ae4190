"""Requests and preferences: wishes to work, wishes not to, and per-assignment costs."""

from __future__ import annotations

from collections.abc import Sequence

from ortools.sat.python import cp_model


def unmet_wish(
    model: cp_model.CpModel, literals: Sequence[cp_model.IntVar]
) -> cp_model.LinearExprT:
    """1 when none of ``literals`` is true (the wish is not granted), else 0."""
    if not literals:
        return 1
    granted = model.new_bool_var("granted")  # exactly the OR, so any solution scores truly
    model.add_max_equality(granted, literals)
    return 1 - granted


def broken_avoid(
    model: cp_model.CpModel, literals: Sequence[cp_model.IntVar]
) -> cp_model.LinearExprT:
    """1 when any of ``literals`` is true (the avoid is broken), else 0."""
    if not literals:
        return 0
    if len(literals) == 1:
        return literals[0]
    broken = model.new_bool_var("broken")  # exactly the OR, so any solution scores truly
    model.add_max_equality(broken, literals)
    return broken


def assignment_cost(terms: Sequence[tuple[int, cp_model.IntVar]]) -> cp_model.LinearExpr:
    """A plain weighted count, e.g. of assignments away from home."""
    return cp_model.LinearExpr.weighted_sum([lit for _, lit in terms], [c for c, _ in terms])
