"""What every export needs: the roster's assignments joined with their shift windows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from legevakt_opt.calendar import Calendar, Instance, expand
from legevakt_opt.scenario import Scenario

ROLE_MARKS = {"duty": "", "backup": " (B)", "video": " (V)"}
"""How a role is marked after a doctor's name in grids: bakvakt (B), video (V)."""


class ExportError(ValueError):
    """The roster cannot be exported against this scenario (it names unknown things)."""


@dataclass(frozen=True)
class ExportRow:
    """One assignment with everything an export shows."""

    date: dt.date
    shift: str
    doctor: str
    name: str
    role: str
    instance: Instance
    station_name: str

    @property
    def start(self) -> dt.datetime:
        return self.instance.start

    @property
    def end(self) -> dt.datetime:
        return self.instance.end

    @property
    def station(self) -> str:
        return self.instance.station


def check_doctor(scenario: Scenario, doctor: str | None) -> None:
    """Raise :class:`ExportError` when ``doctor`` is given and not in the scenario."""
    if doctor is not None and doctor not in {d.id for d in scenario.doctors}:
        raise ExportError(f"doctor {doctor!r} is not in the scenario")


def export_rows(
    scenario: Scenario,
    roster: Mapping[str, Any],
    doctor: str | None = None,
    calendar: Calendar | None = None,
) -> list[ExportRow]:
    """The roster's assignments (one doctor's if ``doctor``), in the roster's order."""
    check_doctor(scenario, doctor)
    cal = calendar or expand(scenario)
    names = {d.id: d.name for d in scenario.doctors}
    stations = {s.id: s.name for s in scenario.stations}
    items = roster.get("assignments", [])
    if not isinstance(items, list):
        raise ExportError("assignments: not a list")
    rows: list[ExportRow] = []
    for k, item in enumerate(items):
        try:
            date = dt.date.fromisoformat(str(item["date"]))
            shift, doc, role = str(item["shift"]), str(item["doctor"]), str(item["role"])
        except (KeyError, TypeError, ValueError):
            raise ExportError(f"assignments[{k}]: not a date, shift, doctor and role") from None
        inst = cal.by_key.get((shift, date))
        if inst is None:
            raise ExportError(f"assignments[{k}]: no shift {shift!r} on {date.isoformat()}")
        if doc not in names:
            raise ExportError(f"assignments[{k}]: no doctor {doc!r} in the scenario")
        if role not in ROLE_MARKS:
            raise ExportError(f"assignments[{k}]: {role!r} is not a role")
        if doctor is not None and doc != doctor:
            continue
        rows.append(ExportRow(date, shift, doc, names[doc], role, inst, stations[inst.station]))
    return rows


def clock(moment: dt.datetime) -> str:
    """``HH:MM`` of a local time."""
    return moment.strftime("%H:%M")


def blocked_text(blocked_by: Any) -> str:
    """``{"cap": 9, "unavailable": 3}`` as ``cap 9, unavailable 3``."""
    if isinstance(blocked_by, Mapping):
        return ", ".join(f"{k} {v}" for k, v in blocked_by.items())
    return "" if blocked_by is None else str(blocked_by)
