"""What the rules need to know about each doctor, derived once from the scenario."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from legevakt_opt.scenario import Absence, Doctor, Policy

from .timeline import minutes


@dataclass(frozen=True, slots=True)
class Away:
    """One unavailability range as UTC minutes, with the text messages show."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class DoctorFacts:
    """A doctor as the rules see them.

    ``cap`` is the weekly weighted-hours cap that applies (personal, else the policy's,
    else ``None``); ``stations`` is ``None`` when the doctor may work at every station.
    """

    id: str
    exempt: bool
    independent: bool
    needs_backup: bool
    video: bool
    share: float
    cap: float | None
    stations: frozenset[str] | None
    away: tuple[Away, ...]
    #: Weighted hours above (+) or below (−) their share carried from the year so far.
    carried: float = 0.0
    #: Dated and partial exemptions: (first date, last date, kinds of duty, text).
    exemptions: tuple[tuple[dt.date, dt.date, frozenset[str], str], ...] = ()


def _moment_text(value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def _away(absence: Absence) -> Away:
    begin, end = absence.bounds()
    text = f"{_moment_text(absence.start)} to {_moment_text(absence.end)}"
    return Away(minutes(begin), minutes(end), text)


def needs_backup(doctor: Doctor, policy: Policy) -> bool:
    """Not independent, unless LIS1 is completed and the policy lets that suffice."""
    if doctor.independent:
        return False
    return not (bool(doctor.lis1_completed) and policy.lis1_without_backup)


def doctor_facts(doctor: Doctor, policy: Policy) -> DoctorFacts:
    """Derive a doctor's facts under a policy."""
    cap = (
        doctor.max_hours_per_week
        if doctor.max_hours_per_week is not None
        else policy.max_hours_per_week
    )
    return DoctorFacts(
        id=doctor.id,
        exempt=doctor.exempt,
        independent=doctor.independent,
        needs_backup=needs_backup(doctor, policy),
        video=doctor.video,
        share=doctor.share,
        cap=cap,
        stations=frozenset(doctor.stations) if doctor.stations is not None else None,
        away=tuple(_away(a) for a in doctor.unavailable),
        carried=doctor.history.carried_burden if doctor.history else 0.0,
        exemptions=tuple(
            (e.start, e.end, frozenset(e.from_duties), e.text) for e in doctor.exemptions
        ),
    )
