"""The rule families: one registry that the model, the validator and the diagnosis read.

A hard rule lives in two places on purpose, written separately: its CP-SAT module
``rules/<name>.py`` (added by ``RosterModel.add_<name>``) and its check
``checks/<name>.py`` (``doctor_breaches`` and/or ``instance_breaches``). This module is
plain data and imports nothing of the project, so the validator may read it without
sharing any code with the model. The order of :data:`HARD` is the order in which the model
adds the families (video before coverage, which counts a satellite covered by video), the
validator checks them, and ``blocked_by`` names the first reason that rules a doctor out
of an unfilled shift.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# Breach codes: part of the contract with the CLI, the service and the tests.
EXEMPT = "exempt"
UNAVAILABLE = "unavailable"
STATION = "station"
OVERLAP = "overlap"
REST = "rest"
WORK_PERIOD = "work_period"
CAP = "cap"
SHIFT_WINDOW = "shift_window"
NIGHT_WINDOW = "night_window"
BACKUP = "backup"
VIDEO = "video"
OVERFILLED = "overfilled"
FIXED = "fixed"
SUCCESSION = "succession"
AFTER_NIGHT = "after_night"
CONSECUTIVE_DAYS = "consecutive_days"
#: Not rules but findings about the roster itself: an assignment naming nothing known,
#: and figures the roster claims that its assignments do not give.
UNKNOWN = "unknown"
FIGURES = "figures"
#: A ``blocked_by`` reason only: the doctor would need a bakvakt and no independent doctor
#: can be one.
NEEDS_BACKUP = "needs_backup"


@dataclass(frozen=True)
class RuleFamily:
    """One hard rule family of the format (``scenario-format.md``, "Hard rules")."""

    name: str
    #: Breach codes its check reports, in the order ``blocked_by`` considers them.
    codes: tuple[str, ...]
    #: What the check looks at: one doctor's assignments, or who staffs one instance.
    scope: Literal["doctor", "instance", "both"]
    says: str


HARD: tuple[RuleFamily, ...] = (
    RuleFamily(
        "availability",
        (EXEMPT, UNAVAILABLE, STATION),
        "doctor",
        "no duty for an exempt or unavailable doctor, nor at a station outside their list",
    ),
    RuleFamily(
        "video",
        (VIDEO,),
        "both",
        "a satellite by video: one video doctor on duty at a linked station, few at once",
    ),
    RuleFamily(
        "coverage",
        (OVERFILLED,),
        "instance",
        "no instance has more doctors on duty than it asks for",
    ),
    RuleFamily(
        "work_periods",
        (OVERLAP, REST, WORK_PERIOD),
        "doctor",
        "one place at a time, rest between work periods, no work period too long",
    ),
    RuleFamily(
        "backup",
        (BACKUP,),
        "both",
        "a doctor who may not work alone has an independent colleague or one bakvakt",
    ),
    RuleFamily(
        "load_caps",
        (CAP, SHIFT_WINDOW, NIGHT_WINDOW),
        "doctor",
        "weighted hours per week, duties and night duties in a rolling window of days",
    ),
    RuleFamily(
        "fixed",
        (FIXED,),
        "instance",
        "every assignment the scenario fixes (an agreed swap, a duty worked) is in the roster",
    ),
    RuleFamily(
        "sequences",
        (SUCCESSION, AFTER_NIGHT, CONSECUTIVE_DAYS),
        "doctor",
        "no forbidden succession of duties, a free day after a night, few duty dates in a row",
    ),
)

#: Every breach code the validator may report.
CODES: tuple[str, ...] = (UNKNOWN, *(c for f in HARD for c in f.codes), FIGURES)

#: The order of ``blocked_by`` reasons: a doctor not on an unfilled shift counts once, under
#: the first code their candidate assignment breaks.
BLOCKED_BY_ORDER: tuple[str, ...] = tuple(c for f in HARD for c in f.codes if f.scope != "instance")


def family_of(code: str) -> RuleFamily | None:
    """The family whose check reports ``code`` (None for ``unknown`` and ``figures``)."""
    return next((f for f in HARD if code in f.codes), None)
