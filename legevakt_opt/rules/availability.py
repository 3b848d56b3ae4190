"""Who may hold which role in which instance at all: exemptions, absences, stations.

These are decided before the model is built, so an ineligible pair never gets a variable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from legevakt_opt.calendar import OSLO, Calendar, Instance
from legevakt_opt.scenario import Doctor, Scenario


def needs_backup(doctor: Doctor, scenario: Scenario) -> bool:
    """akuttmedisinforskriften § 7: not qualified to work alone, unless the LIS1 switch applies."""
    if doctor.independent:
        return False
    return not (bool(doctor.lis1_completed) and scenario.policy.lis1_without_backup)


def _absences(calendar: Calendar, doctor: Doctor) -> list[tuple[int, int]]:
    spans = []
    for absence in doctor.unavailable:
        begin, end = absence.bounds()
        spans.append(
            (
                calendar.to_minutes(begin.replace(tzinfo=OSLO)),
                calendar.to_minutes(end.replace(tzinfo=OSLO)),
            )
        )
    return spans


@dataclass(frozen=True)
class Eligibility:
    """Eligible (doctor index, instance index) pairs per role."""

    duty: frozenset[tuple[int, int]]
    backup: frozenset[tuple[int, int]]  # independent doctors, any instance they could cover
    video: frozenset[tuple[int, int]]  # doctors able to cover a satellite by video


def eligibility(scenario: Scenario, calendar: Calendar) -> Eligibility:
    """Apply exemption, absence and station rules; and drop pairs no roster could use
    (an instance longer than the longest work period)."""
    policy = scenario.policy
    longest = policy.max_work_period_hours * 60
    duty: set[tuple[int, int]] = set()
    backup: set[tuple[int, int]] = set()
    video: set[tuple[int, int]] = set()
    for d, doctor in enumerate(scenario.doctors):
        if doctor.exempt:
            continue
        absent = _absences(calendar, doctor)
        allowed = set(doctor.stations) if doctor.stations is not None else None
        for inst in calendar.instances:
            if any(a < inst.end_min and inst.start_min < b for a, b in absent):
                continue
            if inst.minutes <= longest and not exempted(doctor, inst):
                if allowed is None or inst.station in allowed:
                    duty.add((d, inst.index))
                if doctor.independent:
                    backup.add((d, inst.index))
            if inst.video and doctor.video and policy.video_allowed:
                video.add((d, inst.index))
    return Eligibility(frozenset(duty), frozenset(backup), frozenset(video))


def exempted(doctor: Doctor, inst: Instance) -> bool:
    """A dated or partial exemption of the doctor covers duty and backup on ``inst``."""
    on_site = inst.kind == "on_site"
    return any(e.covers(inst.date, inst.night, inst.weekend, on_site) for e in doctor.exemptions)


def hosts(calendar: Calendar, satellite: Instance, video_from: list[str]) -> list[Instance]:
    """Instances at a linked main station whose window contains the satellite's window."""
    return [
        inst
        for inst in calendar.instances
        if inst.station in video_from
        and inst.start_min <= satellite.start_min
        and satellite.end_min <= inst.end_min
    ]


def on_date(calendar: Calendar, day: dt.date, shift: str | None) -> list[Instance]:
    """Instances starting on ``day`` (of ``shift``, if named)."""
    return [
        inst
        for inst in calendar.instances
        if inst.date == day and (shift is None or inst.shift == shift)
    ]
