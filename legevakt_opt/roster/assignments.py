"""One assignment as a roster names it, and what it weighs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from legevakt_opt.calendar import Instance
from legevakt_opt.scenario import Scenario

ROSTER_FORMAT = "legevakt-roster/1"
ROLES = ("duty", "backup", "video")


@dataclass(frozen=True, order=True)
class NamedAssignment:
    """One assignment as the roster names it."""

    date: dt.date
    shift: str
    doctor: str
    role: str

    def to_dict(self) -> dict[str, str]:
        return {
            "date": self.date.isoformat(),
            "shift": self.shift,
            "doctor": self.doctor,
            "role": self.role,
        }


def role_weight(scenario: Scenario, inst: Instance, role: str) -> float:
    weights = scenario.policy.weights
    if role == "duty":
        return weights.on_site if inst.kind == "on_site" else weights.on_call
    return weights.backup if role == "backup" else weights.video
