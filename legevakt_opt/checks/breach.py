"""What a validator finding looks like, and the helpers its messages share.

The rule codes are the registry's (:mod:`legevakt_opt.families`), so the model, the
validator and the diagnosis spell them once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from legevakt_opt.families import CODES
from legevakt_opt.scenario import Policy

from .facts import DoctorFacts
from .timeline import PREVIOUS, Held, Instance

RULES: tuple[str, ...] = CODES
ROLES: tuple[str, ...] = ("duty", "backup", "video")

Key = tuple[str, dt.date]


@dataclass(frozen=True, slots=True)
class Breach:
    """One broken rule, in words a coordinator can act on.

    ``doctor``, ``shift`` and ``date`` name what the breach is about when there is
    one such thing, so callers can group or filter without parsing ``message``.
    """

    rule: str
    message: str
    doctor: str | None = None
    shift: str | None = None
    date: dt.date | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the date as ISO text)."""
        return {
            "rule": self.rule,
            "message": self.message,
            "doctor": self.doctor,
            "shift": self.shift,
            "date": self.date.isoformat() if self.date is not None else None,
        }


def held_breach(h: Held, doctor: str, rule: str, text: str) -> Breach:
    """A breach about one assignment, its message opening ``d03 on natt 2027-01-09 (duty)``."""
    inst = h.instance
    return Breach(
        rule, f"{doctor} on {inst.label} ({h.role}): {text}", doctor, inst.shift, inst.date
    )


def instance_breach(inst: Instance, rule: str, text: str, doctor: str | None = None) -> Breach:
    """A breach about who staffs one instance, its message opening ``natt 2027-01-09``."""
    return Breach(rule, f"{inst.label}: {text}", doctor, inst.shift, inst.date)


def hours_text(value: float) -> str:
    """Hours for messages: ``8`` for whole numbers, else one or two decimals (``7.5``, ``0.25``)."""
    if abs(value - round(value)) < 1e-9:
        return str(round(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True, slots=True)
class DoctorView:
    """One doctor's known assignments, as a family's per-doctor check sees them."""

    facts: DoctorFacts
    held: Sequence[Held]
    policy: Policy
    horizon_days: int
    #: The doctor's duties from the previous period (``timeline.past_duties``).
    past: Sequence[Held] = ()

    def about_now(self, found: Sequence[Breach]) -> list[Breach]:
        """The breaches about this period's assignments (none is about the past's)."""
        return [b for b in found if b.shift != PREVIOUS]

    @property
    def id(self) -> str:
        return self.facts.id


@dataclass(frozen=True, slots=True)
class StaffingView:
    """Who holds which role in each instance, as a family's per-instance check sees it."""

    instances: Mapping[Key, Instance]
    #: instance key -> role -> doctor ids, in time order of the instances
    roles: Mapping[Key, Mapping[str, Sequence[str]]]
    doctors: Mapping[str, DoctorFacts]
    #: The scenario's fixed assignments as (shift, date, doctor, role).
    fixed: Sequence[tuple[str, dt.date, str, str]] = ()
