"""iCalendar (RFC 5545): one VEVENT per assignment, in Europe/Oslo with its VTIMEZONE.

UIDs are derived from (scenario name, date, shift, doctor, role), so importing an updated
roster of the same scenario updates the events a calendar already holds instead of
duplicating them. A re-planned roster also carries, for each assignment it took away
(``changes`` with a ``before``), that event again with ``STATUS:CANCELLED`` and a higher
``SEQUENCE``, so a calendar that imported the published roster drops it. ``doctor=`` gives
one doctor's own calendar.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from icalendar import Calendar, Event, Timezone

from legevakt_opt.calendar import expand
from legevakt_opt.io.common import ExportRow, export_rows
from legevakt_opt.scenario import Scenario

TZID = "Europe/Oslo"
_NAMESPACE = uuid.UUID("6f1d3c52-6a39-4c1e-9a57-4f0e7c2b9d11")
_ROLE_WORDS = {"duty": "Vakt", "backup": "Bakvakt", "video": "Video"}
_KIND_WORDS = {"on_site": "tilstedevakt (on site)", "on_call": "hjemmevakt (on call)"}


def event_uid(scenario_name: str, date: dt.date | str, shift: str, doctor: str, role: str) -> str:
    """The stable UID of one assignment's event."""
    day = date.isoformat() if isinstance(date, dt.date) else date
    key = "\x1f".join((scenario_name, day, shift, doctor, role))
    return f"{uuid.uuid5(_NAMESPACE, key)}@legevakt-opt"


def roster_ics(
    scenario: Scenario,
    roster: Mapping[str, Any],
    doctor: str | None = None,
    *,
    stamp: dt.datetime | None = None,
) -> bytes:
    """The calendar as bytes (``.ics``); ``stamp`` is the DTSTAMP (default: now, UTC)."""
    rows = export_rows(scenario, roster, doctor)
    now = (stamp or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", "-//legevakt-opt//roster//NO")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    title = scenario.name
    if doctor is not None:
        title = f"{title}: {scenario.doctor(doctor).name}"
    cal.add("x-wr-calname", title)
    cal.add("x-wr-timezone", TZID)
    # Transitions from the year before the horizon to the year after it: enough for any
    # client, and the VTIMEZONE stays small.
    first = dt.date(scenario.horizon.start.year - 1, 1, 1)
    last = dt.date(scenario.horizon.end.year + 2, 1, 1)
    cal.add_component(Timezone.from_tzid(TZID, first_date=first, last_date=last))
    for r in rows:
        cal.add_component(_event(scenario.name, r, now, with_name=doctor is None))
    for event in _cancelled(scenario, roster, doctor, now):
        cal.add_component(event)
    return bytes(cal.to_ical())


def _cancelled(
    scenario: Scenario, roster: Mapping[str, Any], doctor: str | None, stamp: dt.datetime
) -> list[Event]:
    """The published assignments a re-plan took away, as cancelled events."""
    changes = roster.get("changes")
    if not isinstance(changes, list):
        return []
    by_key = expand(scenario).by_key
    names = {d.id: d.name for d in scenario.doctors}
    out = []
    for c in changes:
        before = c.get("before") if isinstance(c, Mapping) else None
        if not before or (doctor is not None and before != doctor):
            continue
        try:
            day = dt.date.fromisoformat(str(c["date"]))
        except (KeyError, ValueError):
            continue
        inst = by_key.get((str(c.get("shift")), day))
        if inst is None:  # the shift no longer runs: no window to name
            continue
        ev = Event()
        ev.add("uid", event_uid(scenario.name, day, inst.shift, str(before), str(c.get("role"))))
        ev.add("dtstamp", stamp)
        ev.add("dtstart", inst.start)
        ev.add("dtend", inst.end)
        who = names.get(str(before), str(before))
        ev.add("summary", f"Avlyst: {who}, {_ROLE_WORDS.get(str(c.get('role')), '')} {inst.shift}")
        ev.add("description", f"{scenario.name}\nNo longer on the roster: {c.get('reason', '')}")
        ev.add("status", "CANCELLED")
        ev.add("sequence", 1)
        out.append(ev)
    return out


def _event(scenario_name: str, r: ExportRow, stamp: dt.datetime, with_name: bool) -> Event:
    ev = Event()
    ev.add("uid", event_uid(scenario_name, r.date, r.shift, r.doctor, r.role))
    ev.add("dtstamp", stamp)
    ev.add("dtstart", r.start)
    ev.add("dtend", r.end)
    what = f"{_ROLE_WORDS[r.role]} {r.shift}, {r.station_name}"
    ev.add("summary", f"{r.name}: {what}" if with_name else what)
    ev.add("location", r.station_name)
    kind = _KIND_WORDS.get(r.instance.kind, r.instance.kind)
    ev.add(
        "description",
        f"{scenario_name}\nDoctor: {r.name} ({r.doctor})\nRole: {r.role}\n"
        f"Shift: {r.shift} ({kind}), {r.instance.hours:g} h",
    )
    ev.add("categories", [r.role])
    ev.add("sequence", 0)
    return ev
