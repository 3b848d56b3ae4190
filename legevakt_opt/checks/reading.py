"""Reading a roster document's assignments without trusting its shape.

A roster may come from anywhere (an older build, a hand edit, another tool), so a
malformed one must produce ``unknown`` breaches, never an exception.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from legevakt_opt.families import UNKNOWN
from legevakt_opt.scenario import DATE_PROBLEM
from legevakt_opt.scenario import parse_date as parse_scenario_date

from .breach import ROLES, Breach

#: The roster format of the contract, stated here too: the validator imports nothing of the
#: engine's.
ROSTER_FORMAT = "legevakt-roster/1"

_FIELDS = ("date", "shift", "doctor", "role")


@dataclass(frozen=True, slots=True)
class Entry:
    """One well-formed assignment line: it may still name unknown things."""

    doctor: str
    shift: str
    date: dt.date
    role: str


def parse_date(value: Any) -> dt.date | None:
    """A date read exactly as a scenario's dates are (``YYYY-MM-DD``), else ``None``."""
    try:
        return parse_scenario_date(value)
    except ValueError:
        return None


def _entry(k: int, item: Any) -> Entry | Breach:
    where = f"assignments[{k}]"
    if not isinstance(item, Mapping):
        return Breach(UNKNOWN, f"{where}: not a mapping of date, shift, doctor and role")
    missing = [f for f in _FIELDS if f not in item]
    if missing:
        return Breach(UNKNOWN, f"{where}: missing {', '.join(missing)}")
    bad = [f for f in ("shift", "doctor", "role") if not isinstance(item[f], str)]
    if bad:
        return Breach(UNKNOWN, f"{where}: {', '.join(bad)} must be text")
    doctor, shift, role = item["doctor"], item["shift"], item["role"]
    date = parse_date(item["date"])
    if date is None:
        return Breach(UNKNOWN, f"{where}.date: {item['date']!r} {DATE_PROBLEM}", doctor, shift)
    if role not in ROLES:
        text = f"{where}.role: {role!r} is not one of 'duty', 'backup' or 'video'"
        return Breach(UNKNOWN, text, doctor, shift, date)
    return Entry(doctor, shift, date, role)


def parse_assignments(roster: Any) -> tuple[list[Entry], list[Breach]]:
    """The well-formed assignment lines of a roster and ``unknown`` breaches for the rest.

    A roster without ``assignments`` has none (a roster may report that no roster was
    found); one whose ``assignments`` is not a list is malformed. A document with neither
    ``assignments`` nor ``format``, or with another format, is not a roster at all (e.g. an
    error answer saved by mistake): it must not pass as an empty roster.
    """
    if not isinstance(roster, Mapping):
        return [], [Breach(UNKNOWN, f"the roster is not a mapping but {type(roster).__name__}")]
    fmt = roster.get("format")
    if fmt is not None and fmt != ROSTER_FORMAT:
        return [], [Breach(UNKNOWN, f"format is {fmt!r}, not {ROSTER_FORMAT!r}")]
    if fmt is None and "assignments" not in roster:
        keys = ", ".join(sorted(map(str, roster))) or "none"
        return [], [
            Breach(UNKNOWN, f"not a roster: no format and no assignments (its keys: {keys})")
        ]
    items = roster.get("assignments", [])
    if not isinstance(items, list):
        return [], [Breach(UNKNOWN, f"assignments is not a list but {type(items).__name__}")]
    entries: list[Entry] = []
    breaches: list[Breach] = []
    for k, item in enumerate(items):
        parsed = _entry(k, item)
        if isinstance(parsed, Breach):
            breaches.append(parsed)
        else:
            entries.append(parsed)
    return entries, breaches
