"""Solving: the lexicographic stages over the model, their time split, the starting points
and the CP-SAT calls, progress and cancel.

    from legevakt_opt.engine import SolveOptions, solve
    result = solve(scenario, SolveOptions(time_limit=30, workers=2))
"""

from __future__ import annotations

from legevakt_opt.engine.lexicographic import OnProgress, solve
from legevakt_opt.engine.options import DEFAULT_PARAMETERS, Progress, SolveOptions

__all__ = ["DEFAULT_PARAMETERS", "OnProgress", "Progress", "SolveOptions", "solve"]
