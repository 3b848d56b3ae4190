"""What a re-plan changed against the published roster, and why: the list a coordinator
uses to know whom to notify.

Per instance and role, the doctors taken off are paired with the doctors put on (a
replacement is one change); the rest are removals or additions. The reason of each comes
from the validator, asked about the doctor who lost the assignment: the new absence, the
cap, the doctor or the shift that is gone; a change no rule forces on its own makes room
for the others.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from legevakt_opt.calendar import Calendar
from legevakt_opt.checks import Checker
from legevakt_opt.roster.assignments import ROLES, NamedAssignment
from legevakt_opt.scenario import Scenario

#: ``(date, shift, doctor, role)``: an assignment as a roster names it.
Named = tuple[dt.date, str, str, str]

Slot = tuple[dt.date, str, str]  # (date, shift, role)


def diff(
    before: Iterable[Named], after: Iterable[Named]
) -> list[tuple[Slot, str | None, str | None]]:
    """``(slot, doctor before, doctor after)`` for every change, in date order; a doctor
    replaced by another is one change, paired in id order."""
    removed: dict[Slot, list[str]] = defaultdict(list)
    added: dict[Slot, list[str]] = defaultdict(list)
    old, new = set(before), set(after)
    for day, shift, doctor, role in old - new:
        removed[day, shift, role].append(doctor)
    for day, shift, doctor, role in new - old:
        added[day, shift, role].append(doctor)
    out: list[tuple[Slot, str | None, str | None]] = []
    for slot in sorted(set(removed) | set(added), key=lambda s: (s[0], s[1], ROLES.index(s[2]))):
        gone, came = sorted(removed.get(slot, [])), sorted(added.get(slot, []))
        for k in range(max(len(gone), len(came))):
            out.append(
                (slot, gone[k] if k < len(gone) else None, came[k] if k < len(came) else None)
            )
    return out


def changes(
    scenario: Scenario,
    calendar: Calendar,
    published: Sequence[Named],
    assignments: Sequence[NamedAssignment],
) -> list[dict[str, Any]]:
    """The roster's ``changes`` entries: ``{date, shift, role, before, after, reason}``."""
    after = [(a.date, a.shift, a.doctor, a.role) for a in assignments]
    checker = Checker(scenario)
    own: dict[str, list[tuple[str, dt.date, str]]] = defaultdict(list)
    for day, shift, doctor, role in after:
        own[doctor].append((shift, day, role))
    known = {d.id for d in scenario.doctors}
    published_keys = {(day, shift) for day, shift, _, _ in published}
    out = []
    for (day, shift, role), before, now in diff(published, after):
        if before is not None:
            reason = _why_lost(checker, calendar, known, own, (day, shift, before, role))
        elif (day, shift) not in published_keys:
            reason = "a shift the published roster did not have"
        else:
            reason = "the published roster left it short"
        out.append(
            {
                "date": day.isoformat(),
                "shift": shift,
                "role": role,
                "before": before,
                "after": now,
                "reason": reason,
            }
        )
    return out


def _why_lost(
    checker: Checker,
    calendar: Calendar,
    known: set[str],
    own: dict[str, list[tuple[str, dt.date, str]]],
    lost: Named,
) -> str:
    day, shift, doctor, role = lost
    if doctor not in known:
        return f"{doctor} is no longer in the scenario"
    if (shift, day) not in calendar.by_key:
        return f"{shift} no longer runs on {day.isoformat()}"
    alone = checker.doctor_breaches(doctor, [(shift, day, role)])
    if alone:
        return _words(alone[0].message)
    together = checker.doctor_breaches(doctor, [*own.get(doctor, []), (shift, day, role)])
    if together:
        return _words(together[0].message)
    return "moved to make room for the other changes (no rule stops the doctor keeping it)"


def _words(message: str) -> str:
    """A breach message without its opening (``d03 on natt 2027-02-03 (duty): ``)."""
    return message.split("): ", 1)[1] if "): " in message else message
