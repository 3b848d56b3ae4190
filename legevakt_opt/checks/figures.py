"""Figures recomputed from the assignments, and the check of the roster's own claims.

The figures are what the objective ranks rosters by (unfilled doctor-hours, highest
burden, spread), so a roster that misstates them would mislead whoever compares runs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from legevakt_opt.families import FIGURES
from legevakt_opt.scenario import Weights

from .breach import Breach
from .facts import DoctorFacts
from .load_caps import weighted_hours
from .reading import parse_date
from .timeline import Held, Instance

Key = tuple[str, dt.date]
WEIGHTED_TOLERANCE = 0.01
_COUNTS = ("duties", "nights", "weekends")


@dataclass(frozen=True, slots=True)
class DoctorFigures:
    """One doctor's load: weighted hours over all roles; duties, nights, weekends count
    ``duty`` only; burden is (weighted hours + the burden carried from before) ÷ share;
    carry_forward is how far above or below their share of all that they end."""

    weighted_hours: float
    duties: int
    nights: int
    weekends: int
    burden: float
    carry_forward: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "weighted_hours": round(self.weighted_hours, 6),
            "duties": self.duties,
            "nights": self.nights,
            "weekends": self.weekends,
            "burden": round(self.burden, 6),
            "carry_forward": round(self.carry_forward, 6),
        }


@dataclass(frozen=True, slots=True)
class UnfilledShift:
    """An instance left short: ``missing`` doctors on duty."""

    date: dt.date
    shift: str
    missing: int

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "shift": self.shift, "missing": self.missing}


@dataclass(frozen=True)
class Figures:
    """Recomputed figures of a roster.

    ``max_burden`` and ``mean_burden`` are over non-exempt doctors (0 when there are none);
    ``required_hours`` is doctors × hours over all instances, ``unfilled_hours`` the part of
    it left uncovered.
    """

    doctors: dict[str, DoctorFigures]
    unfilled: list[UnfilledShift]
    unfilled_hours: float
    required_hours: float
    max_burden: float
    mean_burden: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "doctors": {d: f.to_dict() for d, f in self.doctors.items()},
            "unfilled": [u.to_dict() for u in self.unfilled],
            "unfilled_hours": round(self.unfilled_hours, 6),
            "required_hours": round(self.required_hours, 6),
            "max_burden": round(self.max_burden, 6),
            "mean_burden": round(self.mean_burden, 6),
        }


def compute_figures(
    instances: Mapping[Key, Instance],
    doctors: Mapping[str, DoctorFacts],
    held_by_doctor: Mapping[str, Sequence[Held]],
    weights: Weights,
) -> Figures:
    """Figures from each known doctor's known, de-duplicated assignments."""
    per_doctor: dict[str, DoctorFigures] = {}
    duty_count: dict[Key, int] = {}
    video_count: dict[Key, int] = {}
    for doctor_id, facts in doctors.items():
        held = held_by_doctor.get(doctor_id, ())
        weighted = sum(weighted_hours(h, weights) for h in held)
        duties = [h.instance for h in held if h.role == "duty"]
        per_doctor[doctor_id] = DoctorFigures(
            weighted_hours=weighted,
            duties=len(duties),
            nights=sum(1 for i in duties if i.night),
            weekends=sum(1 for i in duties if i.weekend),
            burden=(weighted + facts.carried) / facts.share,
        )
        for h in held:
            key = (h.instance.shift, h.instance.date)
            if h.role == "duty":
                duty_count[key] = duty_count.get(key, 0) + 1
            elif h.role == "video":
                video_count[key] = video_count.get(key, 0) + 1
    unfilled: list[UnfilledShift] = []
    unfilled_hours = required_hours = 0.0
    for key in sorted(instances, key=lambda k: (k[1], instances[k].start, k[0])):
        inst = instances[key]
        required_hours += inst.doctors * inst.hours
        on_duty = duty_count.get(key, 0)
        if on_duty >= inst.doctors or video_count.get(key, 0) > 0:
            continue
        missing = inst.doctors - on_duty
        unfilled.append(UnfilledShift(inst.date, inst.shift, missing))
        unfilled_hours += missing * inst.hours
    burdens = [per_doctor[d].burden for d, f in doctors.items() if not f.exempt]
    _carry_forward(per_doctor, doctors)
    return Figures(
        doctors=per_doctor,
        unfilled=unfilled,
        unfilled_hours=unfilled_hours,
        required_hours=required_hours,
        max_burden=max(burdens, default=0.0),
        mean_burden=sum(burdens) / len(burdens) if burdens else 0.0,
    )


def _carry_forward(
    per_doctor: dict[str, DoctorFigures], doctors: Mapping[str, DoctorFacts]
) -> None:
    """Each doctor's distance from their share of the carried plus this period's weighted
    hours of all non-exempt doctors (an exempt doctor keeps what they carried)."""
    fair = [d for d, f in doctors.items() if not f.exempt]
    total = sum(per_doctor[d].weighted_hours + doctors[d].carried for d in fair)
    shares = sum(doctors[d].share for d in fair) or 1.0
    for d, f in doctors.items():
        own = per_doctor[d].weighted_hours + f.carried
        forward = f.carried if f.exempt else own - f.share * total / shares
        figures = per_doctor[d]
        per_doctor[d] = DoctorFigures(
            figures.weighted_hours,
            figures.duties,
            figures.nights,
            figures.weekends,
            figures.burden,
            forward,
        )


# ---------------------------------------------------------------- the roster's claims


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _doctor_claims(claims: Any, figures: Figures) -> list[Breach]:
    if not isinstance(claims, Mapping):
        return [
            Breach(
                FIGURES,
                f"the roster's doctors figures are not a mapping but {type(claims).__name__}",
            )
        ]
    out: list[Breach] = []
    for doctor_id, claim in claims.items():
        did = str(doctor_id)
        actual = figures.doctors.get(did)
        if actual is None:
            out.append(
                Breach(
                    FIGURES,
                    f"the roster gives figures for {did!r}, who is not a doctor in the scenario",
                    did,
                )
            )
            continue
        if not isinstance(claim, Mapping):
            out.append(Breach(FIGURES, f"the roster's figures for {did} are not a mapping", did))
            continue
        for field in ("weighted_hours", "carry_forward", *_COUNTS):
            if field not in claim:
                continue
            value = _number(claim[field])
            real: float = getattr(actual, field)
            if value is None:
                out.append(
                    Breach(
                        FIGURES, f"{did}: the claimed {field} {claim[field]!r} is not a number", did
                    )
                )
                continue
            tolerance = WEIGHTED_TOLERANCE if field in ("weighted_hours", "carry_forward") else 1e-9
            if abs(value - real) > tolerance:
                shown = f"{real:.2f}" if field in ("weighted_hours", "carry_forward") else str(real)
                out.append(
                    Breach(
                        FIGURES,
                        f"{did}: the roster claims {field} {claim[field]}, "
                        f"but the assignments give {shown}",
                        did,
                    )
                )
    for did, actual in figures.doctors.items():
        if did in claims:
            continue
        if actual.duties or actual.nights or actual.weekends or actual.weighted_hours > 1e-9:
            out.append(
                Breach(
                    FIGURES,
                    f"{did}: the roster gives no figures, but the assignments give "
                    f"{actual.weighted_hours:.2f} weighted hours and "
                    f"{actual.duties} {'duty' if actual.duties == 1 else 'duties'}",
                    did,
                )
            )
    return out


def _unfilled_claims(claims: Any, figures: Figures) -> list[Breach]:
    if not isinstance(claims, list):
        return [Breach(FIGURES, f"the roster's unfilled is not a list but {type(claims).__name__}")]
    out: list[Breach] = []
    claimed: dict[tuple[dt.date, str], set[int]] = {}
    for k, item in enumerate(claims):
        date = parse_date(item.get("date")) if isinstance(item, Mapping) else None
        shift = item.get("shift") if isinstance(item, Mapping) else None
        missing = item.get("missing") if isinstance(item, Mapping) else None
        if (
            date is None
            or not isinstance(shift, str)
            or isinstance(missing, bool)
            or not isinstance(missing, int)
        ):
            out.append(
                Breach(
                    FIGURES,
                    f"unfilled[{k}]: not a mapping of date, shift and a whole number missing",
                )
            )
            continue
        claimed.setdefault((date, shift), set()).add(missing)
    actual = {(u.date, u.shift): u.missing for u in figures.unfilled}
    for (date, shift), values in claimed.items():
        real = actual.get((date, shift))
        for value in sorted(values):
            if value == real:
                continue
            state = f"it is missing {real}" if real is not None else "it is not unfilled"
            out.append(
                Breach(
                    FIGURES,
                    f"{shift} {date.isoformat()}: the roster lists it as missing "
                    f"{value}, but {state}",
                    None,
                    shift,
                    date,
                )
            )
    for (date, shift), real in actual.items():
        if (date, shift) not in claimed:
            out.append(
                Breach(
                    FIGURES,
                    f"{shift} {date.isoformat()}: missing {real} doctor(s), "
                    "but the roster does not list it as unfilled",
                    None,
                    shift,
                    date,
                )
            )
    return out


def claim_breaches(roster: Any, figures: Figures) -> list[Breach]:
    """``figures`` breaches where the roster's ``doctors`` or ``unfilled`` differ from ours.

    Only what the roster states is compared: a doctor left out of ``doctors`` is fine
    when all their figures are zero; a field left out of a doctor's figures is not claimed.
    """
    if not isinstance(roster, Mapping):
        return []
    out: list[Breach] = []
    if roster.get("doctors") is not None:
        out += _doctor_claims(roster["doctors"], figures)
    if roster.get("unfilled") is not None:
        out += _unfilled_claims(roster["unfilled"], figures)
    return out
