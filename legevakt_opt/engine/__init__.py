"""Solving: the lexicographic stages over the model, their time split, the starting points
and the CP-SAT calls, progress and cancel.

    from legevakt_opt.engine import SolveOptions, solve
    result = solve(scenario, SolveOptions(time_limit=30, workers=2))
"""

from __future__ import annotations

from legevakt_opt.engine.conflicts import NoRosterError
from legevakt_opt.engine.lexicographic import OnProgress, solve
from legevakt_opt.engine.options import DEFAULT_PARAMETERS, Progress, SolveOptions
from legevakt_opt.model.statements import Published

__all__ = [
    "DEFAULT_PARAMETERS",
    "NoRosterError",
    "OnProgress",
    "Progress",
    "Published",
    "SolveOptions",
    "solve",
]
