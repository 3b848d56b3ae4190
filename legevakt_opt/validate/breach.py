"""What a validator finding looks like, and the rule codes it may carry.

The codes are part of the contract with the rest of the project (the CLI, the
service and the tests match on them), so they are spelled once, here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

UNKNOWN = "unknown"
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
FIGURES = "figures"

RULES: tuple[str, ...] = (
    UNKNOWN,
    EXEMPT,
    UNAVAILABLE,
    STATION,
    OVERLAP,
    REST,
    WORK_PERIOD,
    CAP,
    SHIFT_WINDOW,
    NIGHT_WINDOW,
    BACKUP,
    VIDEO,
    OVERFILLED,
    FIGURES,
)

ROLES: tuple[str, ...] = ("duty", "backup", "video")


@dataclass(frozen=True, slots=True)
class Breach:
    """One broken rule, in words a coordinator can act on.

    ``doctor``, ``shift`` and ``date`` name what the breach is about when there is
    one such thing, so callers can group or filter without parsing ``message``.
    """

    rule: str
    message: str
    doctor: str | None = None
    shift: str | None = None
    date: dt.date | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the date as ISO text)."""
        return {
            "rule": self.rule,
            "message": self.message,
            "doctor": self.doctor,
            "shift": self.shift,
            "date": self.date.isoformat() if self.date is not None else None,
        }


def subject(doctor: str, shift: str, date: dt.date, role: str) -> str:
    """The common opening of a message about one assignment: ``d03 on natt 2027-01-09 (duty)``."""
    return f"{doctor} on {shift} {date.isoformat()} ({role})"


def hours_text(value: float) -> str:
    """Hours for messages: ``8`` for whole numbers, else one or two decimals (``7.5``, ``0.25``)."""
    if abs(value - round(value)) < 1e-9:
        return str(round(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")
