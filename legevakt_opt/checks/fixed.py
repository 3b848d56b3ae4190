"""Fixed assignments: every assignment the scenario fixes is in the roster (the model's twin
is ``RosterModel.add_fixed``, which holds each one behind its own literal)."""

from __future__ import annotations

from legevakt_opt.families import FIXED

from .breach import Breach, StaffingView


def instance_breaches(view: StaffingView) -> list[Breach]:
    """A fixed assignment missing from the roster."""
    out: list[Breach] = []
    for shift, date, doctor, role in view.fixed:
        if doctor in view.roles.get((shift, date), {}).get(role, ()):
            continue
        text = (
            f"{doctor} on {shift} {date.isoformat()} ({role}): the scenario fixes this "
            "assignment, but the roster does not hold it"
        )
        out.append(Breach(FIXED, text, doctor, shift, date))
    return out
