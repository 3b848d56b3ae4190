"""Who can take this shift? For one instance of a roster, open or held by a doctor who must
be relieved: every doctor in order, whether they can take it as the roster stands or which
rules stop them (the validator's words), their burden after, and what it does to the
roster's highest burden and fairness; where nobody can, the one-for-one swaps that make it
possible (A takes the shift, B takes one of A's duties).

No solver: each candidate is one question to the validator's per-doctor checker and the
instance's own staffing rules, so a 60-doctor district answers in well under a second.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from legevakt_opt.calendar import Calendar, Instance, expand
from legevakt_opt.checks import Checker, needs_backup
from legevakt_opt.families import NEEDS_BACKUP
from legevakt_opt.model.levels import NIGHT_WEEKEND_HOURS
from legevakt_opt.roster.assignments import NamedAssignment, role_weight
from legevakt_opt.scenario import Scenario, parse_date

#: Weighted hours, night duties, weekend duties.
Load = tuple[float, int, int]

#: Rules a swap can lift: they are about the candidate's other duties.
SWAPPABLE = frozenset(
    (
        "overlap",
        "rest",
        "work_period",
        "cap",
        "shift_window",
        "night_window",
        "succession",
        "after_night",
        "consecutive_days",
    )
)
MAX_SWAPS = 10


class RecommendError(ValueError):
    """The question names no instance, or a doctor not on it."""


@dataclass(frozen=True)
class Candidate:
    doctor: str
    name: str
    feasible: bool
    blocked_by: list[str]
    burden_after: float
    max_burden_after: float
    fairness_after: float

    def to_dict(self, max_before: float, fairness_before: float) -> dict[str, Any]:
        return {
            "doctor": self.doctor,
            "name": self.name,
            "feasible": self.feasible,
            "blocked_by": self.blocked_by,
            "burden_after": round(self.burden_after, 4),
            "max_burden_after": round(self.max_burden_after, 4),
            "max_burden_change": round(self.max_burden_after - max_before, 4),
            "fairness_after": round(self.fairness_after, 4),
            "fairness_change": round(self.fairness_after - fairness_before, 4),
        }


@dataclass
class Recommendation:
    date: dt.date
    shift: str
    relieves: str | None
    missing: int
    max_burden_before: float
    fairness_before: float
    candidates: list[Candidate] = field(default_factory=list)
    swaps: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "shift": self.shift,
            "relieves": self.relieves,
            "missing": self.missing,
            "max_burden_before": round(self.max_burden_before, 4),
            "fairness_before": round(self.fairness_before, 4),
            "candidates": [
                c.to_dict(self.max_burden_before, self.fairness_before) for c in self.candidates
            ],
            "swaps": self.swaps,
        }


def recommend(
    scenario: Scenario,
    roster: Mapping[str, Any],
    day: dt.date | str,
    shift: str,
    *,
    relieve: str | None = None,
    calendar: Calendar | None = None,
) -> Recommendation:
    """The candidates for ``shift`` on ``day`` (best first) and, when none can take it as
    the roster stands, the swaps that make it possible. ``relieve``: the doctor on duty who
    must give the shift up (default: none when the shift is short, else its only doctor)."""
    cal = calendar or expand(scenario)
    when = day if isinstance(day, dt.date) else _date(day)
    inst = cal.by_key.get((shift, when))
    if inst is None:
        raise RecommendError(f"there is no shift {shift!r} on {when.isoformat()}")
    state = _State(scenario, cal, roster)
    here = state.at[inst.key]
    duty = [a.doctor for a in here if a.role == "duty"]
    if any(a.role == "video" for a in here):
        raise RecommendError(f"{shift} {when.isoformat()} is covered by video")
    missing = inst.doctors - len(duty)
    if relieve is None and missing <= 0:
        if len(duty) != 1:
            raise RecommendError(
                f"{shift} {when.isoformat()} is full ({', '.join(duty)}); name the doctor to "
                "relieve"
            )
        relieve = duty[0]
    if relieve is not None and relieve not in duty:
        raise RecommendError(f"{relieve!r} is not on duty on {shift} {when.isoformat()}")
    out = Recommendation(
        when, shift, relieve, max(0, missing), state.max_burden(), state.fairness()
    )
    for doc in scenario.doctors:
        if doc.exempt or doc.id in {a.doctor for a in here}:
            continue
        out.candidates.append(state.candidate(doc.id, inst, relieve))
    out.candidates.sort(
        key=lambda c: (
            not c.feasible,
            c.max_burden_after,
            c.fairness_after,
            c.burden_after,
            c.doctor,
        )
    )
    if not any(c.feasible for c in out.candidates):
        out.swaps = state.swaps(inst, relieve, out.candidates)
    return out


def apply(
    scenario: Scenario,
    roster: Mapping[str, Any],
    day: dt.date,
    shift: str,
    doctor: str,
    relieve: str | None = None,
) -> list[dict[str, str]]:
    """The roster's assignments with ``doctor`` on duty on the shift (in place of
    ``relieve``, whose video cover hosted by that duty moves along), and no bakvakt left
    where none is needed any more: what a candidate called feasible means."""
    cal = expand(scenario)
    host = cal.by_key[shift, day]
    text = day.isoformat()
    items = [dict(a) for a in roster.get("assignments", [])]
    if relieve is None:
        items.append({"date": text, "shift": shift, "doctor": doctor, "role": "duty"})
    else:
        for a in items:
            if a["doctor"] == relieve and _moves_with(cal, host, a):
                a["doctor"] = doctor
    team = [
        scenario.doctor(a["doctor"])
        for a in items
        if (a["date"], a["shift"], a["role"]) == (text, shift, "duty")
    ]
    needed = any(needs_backup(d, scenario.policy) for d in team) and not any(
        d.independent for d in team
    )
    if not needed:
        items = [a for a in items if (a["date"], a["shift"], a["role"]) != (text, shift, "backup")]
    return items


# ---------------------------------------------------------------- the roster's state


class _State:
    """One roster's assignments, loads and the per-doctor checker, for many questions."""

    def __init__(self, scenario: Scenario, cal: Calendar, roster: Mapping[str, Any]) -> None:
        self.scenario, self.cal = scenario, cal
        self.checker = Checker(scenario)
        self.doctors = {d.id: d for d in scenario.doctors}
        self.at: dict[tuple[str, dt.date], list[NamedAssignment]] = defaultdict(list)
        self.own: dict[str, list[NamedAssignment]] = defaultdict(list)
        for item in roster.get("assignments", []):
            a = NamedAssignment(_date(item["date"]), item["shift"], item["doctor"], item["role"])
            if (a.shift, a.date) in cal.by_key and a.doctor in self.doctors:
                self.at[a.shift, a.date].append(a)
                self.own[a.doctor].append(a)
        self.load = {d: self._load(self.own[d]) for d in self.doctors}
        self.fair = [d.id for d in scenario.doctors if not d.exempt]

    def _load(self, held: Sequence[NamedAssignment]) -> Load:
        """Weighted hours, night duties and weekend duties of some assignments."""
        total, nights, weekends = 0.0, 0, 0
        for a in held:
            inst = self.cal.by_key[a.shift, a.date]
            total += inst.hours * role_weight(self.scenario, inst, a.role)
            if a.role == "duty":
                nights += int(inst.night)
                weekends += int(inst.weekend)
        return total, nights, weekends

    def max_burden(self, load: Mapping[str, Load] | None = None) -> float:
        loads = load or self.load
        return max((loads[d][0] / self.doctors[d].share for d in self.fair), default=0.0)

    def fairness(self, load: Mapping[str, Load] | None = None) -> float:
        """The fairness level in weighted hours: the spread of hours, nights and weekend
        duties around each doctor's proportional share (a night or weekend counts 8 h)."""
        loads = load or self.load
        shares = {d: self.doctors[d].share for d in self.fair}
        total_share = sum(shares.values()) or 1.0
        out = 0.0
        for part, weight in ((0, 1.0), (1, NIGHT_WEEKEND_HOURS), (2, NIGHT_WEEKEND_HOURS)):
            total = sum(loads[d][part] for d in self.fair)
            out += weight * sum(
                abs(loads[d][part] - shares[d] * total / total_share) for d in self.fair
            )
        return out

    def _held(
        self,
        doctor: str,
        extra: Sequence[NamedAssignment] = (),
        drop: Sequence[NamedAssignment] = (),
    ) -> list[tuple[str, dt.date, str]]:
        """The doctor's assignments as the checker takes them, with ``extra``, without
        ``drop``."""
        mine = [a for a in self.own[doctor] if a not in drop]
        return [(a.shift, a.date, a.role) for a in (*mine, *extra)]

    def _bundle(self, inst: Instance, relieve: str | None, to: str) -> list[NamedAssignment]:
        """What ``to`` takes: the duty, and the video cover it hosts for the relieved."""
        out = [NamedAssignment(inst.date, inst.shift, to, "duty")]
        if relieve is not None:
            for v in self.own[relieve]:
                sat = self.cal.by_key[v.shift, v.date]
                if (
                    v.role == "video"
                    and inst.start_min <= sat.start_min
                    and sat.end_min <= inst.end_min
                ):
                    out.append(NamedAssignment(v.date, v.shift, to, "video"))
        return out

    def candidate(self, doctor: str, inst: Instance, relieve: str | None) -> Candidate:
        taken = self._bundle(inst, relieve, doctor)
        rules: list[str] = []
        for b in self.checker.doctor_breaches(doctor, self._held(doctor, taken)):
            if b.rule not in rules:
                rules.append(b.rule)
        team = [a.doctor for a in self.at[inst.key] if a.role == "duty" and a.doctor != relieve]
        team.append(doctor)
        backups = [a for a in self.at[inst.key] if a.role == "backup"]
        if self._needs(team) and not backups:
            rules.append(NEEDS_BACKUP)
        load = dict(self.load)
        load[doctor] = _plus(load[doctor], self._load(taken))
        if relieve is not None:
            given = [NamedAssignment(t.date, t.shift, relieve, t.role) for t in taken]
            load[relieve] = _plus(load[relieve], self._load(given), -1)
        return Candidate(
            doctor,
            self.doctors[doctor].name,
            not rules,
            rules,
            load[doctor][0] / self.doctors[doctor].share,
            self.max_burden(load),
            self.fairness(load),
        )

    def _needs(self, team: Sequence[str]) -> bool:
        facts = {d: self.doctors[d] for d in team}
        return any(needs_backup(f, self.scenario.policy) for f in facts.values()) and not any(
            f.independent for f in facts.values()
        )

    def swaps(
        self, inst: Instance, relieve: str | None, blocked: Sequence[Candidate]
    ) -> list[dict[str, Any]]:
        """A takes the shift once B takes one of A's duties near it."""
        out: list[dict[str, Any]] = []
        for cand in blocked:
            if not set(cand.blocked_by) <= SWAPPABLE:
                continue
            taken = self._bundle(inst, relieve, cand.doctor)
            near = [
                a
                for a in self.own[cand.doctor]
                if a.role == "duty" and abs((a.date - inst.date).days) <= 7
            ]
            for give in near:
                if self.checker.doctor_breaches(
                    cand.doctor, self._held(cand.doctor, taken, drop=(give,))
                ):
                    continue
                to = self._taker(give, exclude={cand.doctor, relieve})
                if to is not None:
                    out.append(
                        {
                            "takes": cand.doctor,
                            "gives": {
                                "date": give.date.isoformat(),
                                "shift": give.shift,
                                "role": give.role,
                            },
                            "to": to,
                        }
                    )
                    break
            if len(out) >= MAX_SWAPS:
                break
        return out

    def _taker(self, give: NamedAssignment, exclude: set[str | None]) -> str | None:
        """The least-burdened doctor who can take ``give`` as the roster stands."""
        inst = self.cal.by_key[give.shift, give.date]
        here = {a.doctor for a in self.at[inst.key]}
        for doctor in sorted(self.fair, key=lambda d: (self.load[d][0] / self.doctors[d].share, d)):
            if doctor in exclude or doctor in here:
                continue
            duty = [
                a.doctor for a in self.at[inst.key] if a.role == "duty" and a.doctor != give.doctor
            ]
            if self._needs([*duty, doctor]) and not any(
                a.role == "backup" for a in self.at[inst.key]
            ):
                continue
            mine = self._held(doctor, [NamedAssignment(give.date, give.shift, doctor, give.role)])
            if not self.checker.doctor_breaches(doctor, mine):
                return doctor
        return None


def _plus(a: Load, b: Load, sign: int = 1) -> Load:
    return a[0] + sign * b[0], a[1] + sign * b[1], a[2] + sign * b[2]


def _date(text: str) -> dt.date:
    try:
        return parse_date(text)
    except ValueError as exc:
        raise RecommendError(f"date: {text!r} {exc}") from None


def _moves_with(cal: Calendar, host: Instance, a: Mapping[str, str]) -> bool:
    """The relieved doctor's duty itself, or the video cover it hosts."""
    if (a["date"], a["shift"], a["role"]) == (host.date.isoformat(), host.shift, "duty"):
        return True
    sat = cal.by_key.get((a["shift"], _date(a["date"])))
    return (
        a["role"] == "video"
        and sat is not None
        and host.start_min <= sat.start_min
        and sat.end_min <= host.end_min
    )
