"""The per-doctor checker: every rule that one doctor's assignments can break alone.

Built once per scenario (instances, windows and doctor facts are precomputed), then
asked many times: by :func:`validate_roster` per doctor, by the "why unfilled"
explainer and by the greedy baseline for candidate assignments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from legevakt_opt.families import HARD, UNKNOWN
from legevakt_opt.scenario import Scenario

from . import (
    availability,
    backup,
    coverage,
    fixed,
    load_caps,
    sequences,
    video,
    work_periods,
)
from .breach import ROLES, Breach, DoctorView, StaffingView
from .facts import DoctorFacts, doctor_facts
from .timeline import Held, Instance, build_instances, holiday_dates, past_duties

#: Each hard family's check, by the registry's name (a test keeps the two in step).
MODULES = {
    m.__name__.rsplit(".", 1)[-1]: m
    for m in (availability, work_periods, load_caps, backup, video, coverage, fixed, sequences)
}
DOCTOR_CHECKS: tuple[Callable[[DoctorView], list[Breach]], ...] = tuple(
    MODULES[f.name].doctor_breaches for f in HARD if f.scope in ("doctor", "both")
)
INSTANCE_CHECKS: tuple[Callable[[StaffingView], list[Breach]], ...] = tuple(
    MODULES[f.name].instance_breaches for f in HARD if f.scope in ("instance", "both")
)

Assignment = tuple[str, dt.date, str]
"""``(shift id, start date, role)`` for one doctor."""

_DAY_WORDS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class Checker:
    """Precomputed instances and doctor facts for one scenario, and the per-doctor rules."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.policy = scenario.policy
        self.holidays = holiday_dates(scenario)
        self.instances: dict[tuple[str, dt.date], Instance]
        self.instances, self.in_gap = build_instances(scenario)
        self.doctors: dict[str, DoctorFacts] = {
            d.id: doctor_facts(d, scenario.policy) for d in scenario.doctors
        }
        self.shift_ids = frozenset(t.id for t in scenario.shifts)
        self.first_date = scenario.horizon.start
        self.last_date = scenario.horizon.end
        self.horizon_days = scenario.horizon.days
        self.fixed = tuple((f.shift, f.date, f.doctor, f.role) for f in scenario.fixed)
        self.past = {d.id: past_duties(scenario, d.id) for d in scenario.doctors}

    # ------------------------------------------------------------ resolving

    def _unknown_instance(self, shift: str, date: dt.date, role: str) -> str | None:
        """Why ``(shift, date, role)`` names no instance and role, or ``None`` if it does."""
        if role not in ROLES:
            return f"{role!r} is not a role (duty, backup or video)"
        if shift not in self.shift_ids:
            return f"there is no shift {shift!r} in the scenario"
        if not self.first_date <= date <= self.last_date:
            return (
                f"{date.isoformat()} is outside the horizon "
                f"{self.first_date.isoformat()} to {self.last_date.isoformat()}"
            )
        if (shift, date) in self.in_gap:
            return (
                f"{shift} on {date} lies in the hour skipped when the clocks go forward; "
                "it lasts no time and is not rostered"
            )
        if (shift, date) not in self.instances:
            holiday = " (a holiday)" if date in self.holidays else ""
            return f"{shift} does not run on {_DAY_WORDS[date.weekday()]} {date}{holiday}"
        return None

    def resolve(
        self, doctor_id: str, assignments: Iterable[Assignment]
    ) -> tuple[list[Held], list[Breach]]:
        """The doctor's known assignments (first of any duplicates) and ``unknown`` breaches."""
        held: list[Held] = []
        out: list[Breach] = []
        known_doctor = doctor_id in self.doctors
        seen: set[Assignment] = set()
        for shift, date, role in assignments:
            if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
                out.append(
                    Breach(
                        UNKNOWN,
                        f"{doctor_id} on {shift} {date!r} ({role}): not a date",
                        doctor_id,
                        shift,
                        None,
                    )
                )
                continue
            opening = f"{doctor_id} on {shift} {date.isoformat()} ({role})"
            if not known_doctor:
                out.append(
                    Breach(
                        UNKNOWN,
                        f"{opening}: there is no doctor {doctor_id!r} in the scenario",
                        doctor_id,
                        shift,
                        date,
                    )
                )
                continue
            why = self._unknown_instance(shift, date, role)
            if why is not None:
                out.append(Breach(UNKNOWN, f"{opening}: {why}", doctor_id, shift, date))
                continue
            if (shift, date, role) in seen:
                out.append(
                    Breach(
                        UNKNOWN,
                        f"{opening}: the assignment is listed more than once",
                        doctor_id,
                        shift,
                        date,
                    )
                )
                continue
            seen.add((shift, date, role))
            held.append(Held(self.instances[(shift, date)], role))
        return held, out

    # ------------------------------------------------------------ rules

    def held_breaches(self, doctor_id: str, held: list[Held]) -> list[Breach]:
        """Every per-doctor rule over already resolved assignments of a known doctor."""
        view = DoctorView(
            self.doctors[doctor_id], held, self.policy, self.horizon_days, self.past[doctor_id]
        )
        return [b for check in DOCTOR_CHECKS for b in check(view)]

    def doctor_breaches(self, doctor_id: str, assignments: Iterable[Assignment]) -> list[Breach]:
        """All breaches of one doctor's assignments ``(shift id, date, role)``, taken alone.

        Covers: known doctor and instance, exempt, unavailable, station, role eligibility
        (backup by an independent doctor, video by a video doctor on a video shift),
        overlap, rest, work period, weekly cap, shift and night windows, and the video
        host duty and simultaneous-satellite limit. Rules about several doctors on one
        instance (backup need, one video doctor, overfilled) are in :func:`validate_roster`.
        """
        held, out = self.resolve(doctor_id, assignments)
        if doctor_id in self.doctors:
            out += self.held_breaches(doctor_id, held)
        return out
