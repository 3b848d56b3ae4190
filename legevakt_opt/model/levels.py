"""The objective's levels, most important first: the one table of their names, the share of
the time limit each gets, and the unit people read them in.

The ranking is the format's ("What makes a roster better"). Each level is minimised and
then fixed at the value reached before the next, so a lower level never trades against a
higher one. The model builds each level's expression (``RosterModel.objectives``) and says
how many model units make one display unit (``RosterModel.per_display_unit``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LevelSpec:
    name: str
    #: Share of the time limit; time a level does not use flows on to the next.
    time_share: float
    #: What one unit of the displayed value is.
    unit: str
    says: str


LEVELS: tuple[LevelSpec, ...] = (
    LevelSpec("unfilled", 0.25, "h", "missing doctors × hours: the locum need"),
    LevelSpec(
        "changes",
        0.30,
        "changes",
        "a re-plan only: assignments that differ from the published roster, each weighted by "
        "how near its date is and whether it is a night or a weekend",
    ),
    LevelSpec(
        "max_burden",
        0.35,
        "weighted h per share",
        "the highest weighted hours ÷ share over non-exempt doctors",
    ),
    LevelSpec(
        "fairness",
        0.25,
        "weighted h off share",
        "Σ over doctors of |load − share × total ÷ Σ shares| for weighted hours, night "
        "duties and weekend duties; one night or weekend duty off a share counts as 8 h",
    ),
    LevelSpec("requests", 0.10, "requests", "wishes not granted + avoids broken"),
    LevelSpec(
        "travel", 0.05, "duties", "duties at a station outside the doctor's own municipality"
    ),
)

LEVEL_NAMES: tuple[str, ...] = tuple(level.name for level in LEVELS)

#: In the fairness level, one night or weekend duty off a doctor's share counts as this
#: many weighted hours off it.
NIGHT_WEEKEND_HOURS = 8


def level(name: str) -> LevelSpec:
    """The level called ``name`` (``KeyError`` for an unknown one)."""
    for spec in LEVELS:
        if spec.name == name:
            return spec
    raise KeyError(name)
