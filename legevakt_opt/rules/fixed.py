"""Statements that must hold, each behind its own literal: "this worker holds this task"
and "none of these is done". Enforced only through their literal, so a solver can be asked
first whether they can all hold (as assumptions) and, if not, which cannot, and then be
told to make them hard."""

from __future__ import annotations

from collections.abc import Sequence

from ortools.sat.python import cp_model


def add_held(
    model: cp_model.CpModel, variable: cp_model.IntVar | None, name: str
) -> cp_model.IntVar:
    """A literal that, when true, makes ``variable`` true; with no variable (the task is
    ruled out for the worker already) the literal can only be false."""
    statement = model.new_bool_var(name)
    if variable is None:
        model.add_bool_or([statement.Not()])
    else:
        model.add_implication(statement, variable)
    return statement


def add_none_of(
    model: cp_model.CpModel, literals: Sequence[cp_model.IntVar], name: str
) -> cp_model.IntVar:
    """A literal that, when true, makes every one of ``literals`` false."""
    statement = model.new_bool_var(name)
    for lit in literals:
        model.add_implication(statement, lit.Not())
    return statement
