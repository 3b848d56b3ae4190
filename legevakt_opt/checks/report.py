"""The whole-roster check: per-doctor rules, per-instance rules, figures and claims."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from legevakt_opt.families import (
    AFTER_NIGHT,
    CAP,
    CONSECUTIVE_DAYS,
    EXEMPT,
    NIGHT_WINDOW,
    OVERFILLED,
    OVERLAP,
    REST,
    SHIFT_WINDOW,
    STATION,
    SUCCESSION,
    UNAVAILABLE,
    WORK_PERIOD,
)
from legevakt_opt.scenario import Scenario

from .breach import Breach, StaffingView
from .checker import INSTANCE_CHECKS, Assignment, Checker
from .figures import Figures, claim_breaches, compute_figures
from .reading import parse_assignments
from .timeline import Held


@dataclass(frozen=True)
class Report:
    """What :func:`validate_roster` found: breaches of the hard rules and recomputed figures."""

    breaches: list[Breach]
    figures: Figures

    @property
    def ok(self) -> bool:
        """True when the roster breaks no rule (its claimed figures included)."""
        return not self.breaches

    def rules(self) -> set[str]:
        """The rule codes that were broken."""
        return {b.rule for b in self.breaches}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``{"valid", "breaches", "figures"}``."""
        return {
            "valid": self.ok,
            "breaches": [b.to_dict() for b in self.breaches],
            "figures": self.figures.to_dict(),
        }


def validate_roster(
    scenario: Scenario, roster: Mapping[str, Any] | Any, *, checker: Checker | None = None
) -> Report:
    """Check a roster document against a scenario, recomputing everything independently.

    ``roster`` is the roster JSON as plain data; any shape is accepted, and what is
    malformed becomes ``unknown`` breaches. Pass a ``checker`` to reuse its precomputation.
    """
    chk = checker if checker is not None else Checker(scenario)
    entries, breaches = parse_assignments(roster)

    by_doctor: dict[str, list[Assignment]] = {}
    for e in entries:
        by_doctor.setdefault(e.doctor, []).append((e.shift, e.date, e.role))

    held_by_doctor: dict[str, list[Held]] = {}
    roles: dict[tuple[str, dt.date], dict[str, list[str]]] = {}
    for doctor_id, assignments in by_doctor.items():
        held, unknown = chk.resolve(doctor_id, assignments)
        breaches += unknown
        if doctor_id not in chk.doctors:
            continue
        held_by_doctor[doctor_id] = held
        breaches += chk.held_breaches(doctor_id, held)
        for h in held:
            key = (h.instance.shift, h.instance.date)
            roles.setdefault(key, {}).setdefault(h.role, []).append(doctor_id)

    ordered = dict(
        sorted(roles.items(), key=lambda kv: (kv[0][1], chk.instances[kv[0]].start, kv[0][0]))
    )
    staffing = StaffingView(chk.instances, ordered, chk.doctors, chk.fixed)
    breaches += [b for check in INSTANCE_CHECKS for b in check(staffing)]

    figures = compute_figures(chk.instances, chk.doctors, held_by_doctor, chk.policy.weights)
    breaches += claim_breaches(roster, figures)
    return Report(breaches, figures)


#: Findings that adding assignments can never lift: fixed assignments that show one of
#: these cannot all hold, whatever else the roster holds.
_FINAL = frozenset(
    (
        EXEMPT,
        UNAVAILABLE,
        STATION,
        OVERLAP,
        REST,
        WORK_PERIOD,
        CAP,
        SHIFT_WINDOW,
        NIGHT_WINDOW,
        OVERFILLED,
        SUCCESSION,
        AFTER_NIGHT,
        CONSECUTIVE_DAYS,
    )
)
#: Findings about several assignments of one doctor: each of the doctor's fixed ones is
#: involved.
_BETWEEN = frozenset((REST, WORK_PERIOD, OVERLAP, CAP, SUCCESSION, AFTER_NIGHT, CONSECUTIVE_DAYS))


def fixed_conflicts(scenario: Scenario) -> list[str]:
    """The scenario's fixed assignments that break a rule among themselves (no solver
    needed): one line per fixed assignment involved, then the rule in the validator's words;
    empty when the check finds none (the engine's own check may still find some)."""
    entries = [
        {"date": f.date.isoformat(), "shift": f.shift, "doctor": f.doctor, "role": f.role}
        for f in scenario.fixed
    ]
    if not entries:
        return []
    found = [
        b for b in validate_roster(scenario, {"assignments": entries}).breaches if b.rule in _FINAL
    ]
    if not found:
        return []
    involved: list[int] = []
    for b in found:
        for k, f in enumerate(scenario.fixed):
            same_instance = (f.shift, f.date) == (b.shift, b.date)
            if (same_instance and b.doctor in (None, f.doctor) and k not in involved) or (
                b.doctor == f.doctor and b.rule in _BETWEEN and k not in involved
            ):
                involved.append(k)
    lines = [f"fixed[{k}]: {scenario.fixed[k].label}" for k in sorted(involved)]
    return lines + [f"because {b.message}" for b in found]
