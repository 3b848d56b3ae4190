"""The legevakt roster as a CP-SAT model: variables from the availability rules, one method
per rule family of the registry, and one objective expression per level.

Solver objects never leave this package and :mod:`legevakt_opt.engine`.
"""

from __future__ import annotations

from legevakt_opt.model.levels import LEVEL_NAMES, LEVELS, NIGHT_WEEKEND_HOURS, LevelSpec, level
from legevakt_opt.model.roster_model import RosterModel, weight_scale

__all__ = [
    "LEVELS",
    "LEVEL_NAMES",
    "NIGHT_WEEKEND_HOURS",
    "LevelSpec",
    "RosterModel",
    "level",
    "weight_scale",
]
