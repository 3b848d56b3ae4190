"""Rosters: the assignments a solve chose, their figures, why what is left is unfilled, and
the roster document (``legevakt-roster/1``).

- :mod:`.assignments`: one assignment as the roster names it, and its weight;
- :mod:`.figures`: per-doctor and per-roster figures;
- :mod:`.diagnosis`: ``blocked_by`` for each unfilled shift (asks the validator);
- :mod:`.document`: the roster JSON and the DataFrame;
- :mod:`.result`: :class:`SolveResult`, assembled and validated by :func:`build_result`.
"""

from __future__ import annotations

from legevakt_opt.roster.assignments import ROLES, ROSTER_FORMAT, NamedAssignment, role_weight
from legevakt_opt.roster.figures import Figures, compute_figures
from legevakt_opt.roster.result import Level, SolveResult, Status, build_result

__all__ = [
    "ROLES",
    "ROSTER_FORMAT",
    "Figures",
    "Level",
    "NamedAssignment",
    "SolveResult",
    "Status",
    "build_result",
    "compute_figures",
    "role_weight",
]
