"""The legevakt roster as a CP-SAT model.

Split the PyJobShop way: ``add_constraints`` calls ``add_<family>`` for each hard family of
the registry (:mod:`legevakt_opt.families`) in its order; the first, availability, makes
the variables (an ineligible pair gets none). Then each level of the objective
(:mod:`legevakt_opt.model.levels`) records its expression in ``objectives`` and its unit in
``per_display_unit``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence

from ortools.sat.python import cp_model, cp_model_helper

from legevakt_opt.calendar import Calendar, Instance, PastDuty, expand
from legevakt_opt.families import HARD
from legevakt_opt.model import floors, objective, presence, sequencing
from legevakt_opt.model.levels import LEVEL_NAMES
from legevakt_opt.model.statements import Named, Published, Statement, add_statements
from legevakt_opt.rules import (
    availability,
    backup,
    coverage,
    fairness,
    load_caps,
    video,
)
from legevakt_opt.rules.work_periods import Interval, add_work_periods
from legevakt_opt.scenario import Scenario


def weight_scale(minutes: set[int], weights: set[float]) -> int:
    """The smallest multiplier that makes every minutes × weight whole (at most 1000)."""
    for scale in (1, 2, 4, 5, 10, 20, 25, 50, 100, 1000):
        if all(abs(m * w * scale - round(m * w * scale)) < 1e-6 for m in minutes for w in weights):
            return scale
    return 1000


class RosterModel:
    """Variables, constraints and objective parts for one scenario."""

    def __init__(
        self,
        scenario: Scenario,
        calendar: Calendar | None = None,
        published: Published | None = None,
    ) -> None:
        self.scenario = scenario
        #: A re-plan's published roster and freeze (None: a roster from scratch).
        self.published = published
        #: The user's statements (fixed, frozen), each behind its literal (``add_fixed``).
        self.statements: list[Statement] = []
        self.calendar = calendar or expand(scenario)
        self.model = cp_model.CpModel()
        self.instances = self.calendar.instances
        self.doctors = scenario.doctors
        policy = scenario.policy
        weights = policy.weights
        #: Each doctor's duties from the previous period (``doctors[].history``).
        self.past = [self.calendar.past(doc.id) for doc in self.doctors]
        self.scale = weight_scale(
            {inst.minutes for inst in self.instances} | {p.minutes for ps in self.past for p in ps},
            {weights.on_site, weights.on_call, weights.backup, weights.video},
        )
        self.needy = [availability.needs_backup(doc, scenario) for doc in self.doctors]
        self.doctor_index = {doc.id: d for d, doc in enumerate(self.doctors)}
        #: Each doctor's carried burden (``history.carried_burden``) in model units.
        self.carried = [
            round(doc.history.carried_burden * 60 * self.scale) if doc.history else 0
            for doc in self.doctors
        ]
        self._present: cp_model.IntVar | None = None
        self._role_units: dict[tuple[int, str], int] = {}
        self.duty: dict[tuple[int, int], cp_model.IntVar] = {}
        self.backup: dict[tuple[int, int], cp_model.IntVar] = {}
        self.video: dict[tuple[int, int], cp_model.IntVar] = {}
        self.video_used: dict[int, cp_model.IntVar] = {}
        self.by_doctor: dict[int, list[tuple[Instance, str, cp_model.IntVar]]] = defaultdict(list)
        self.by_instance: dict[int, list[tuple[int, str, cp_model.IntVar]]] = defaultdict(list)
        #: Each level's expression, in model units, and how many of them make one unit of
        #: the level as people read it (hours, requests, ...).
        self.objectives: dict[str, cp_model.LinearExprT] = {}
        self.per_display_unit: dict[str, float] = {}
        self.changes_floor = 0
        #: The max-burden level's variable, and the fairness level's display unit.
        self.max_burden: cp_model.IntVar | None = None
        #: Each non-exempt doctor's burden (weighted hours and carried burden) variable.
        self.burden_loads: list[fairness.Load] = []
        #: The constraints (proto indices) each level's expression added.
        self.level_rows: dict[str, range] = {}
        self.fairness_unit = 1
        self.add_constraints()

    # ------------------------------------------------------------ units

    def units(self, minutes: int, weight: float) -> int:
        """Weighted minutes in model units, rounded up so caps are never exceeded."""
        return math.ceil(round(minutes * weight * self.scale, 6))

    def cap_units(self, hours: float) -> int:
        return math.floor(round(hours * 60 * self.scale, 6))

    def role_units(self, inst: Instance, role: str) -> int:
        """An assignment's weighted minutes in model units (kept: 224,000 asks at 160
        doctors × 13 weeks, of a few hundred instances × 3 roles)."""
        key = (inst.index, role)
        if key not in self._role_units:
            weights = self.scenario.policy.weights
            weight = {
                "duty": weights.on_site if inst.kind == "on_site" else weights.on_call,
                "backup": weights.backup,
                "video": weights.video,
            }[role]
            self._role_units[key] = self.units(inst.minutes, weight)
        return self._role_units[key]

    def past_weight(self, p: PastDuty) -> float:
        weights = self.scenario.policy.weights
        if p.role == "backup":
            return weights.backup
        return weights.on_site if p.kind == "on_site" else weights.on_call

    def present(self) -> cp_model.IntVar:
        """A literal that is always true: a duty of the past."""
        if self._present is None:
            self._present = self.model.new_bool_var("present")
            self.model.add(self._present == 1)
        return self._present

    def hours_of(self, units: float) -> float:
        return units / (60 * self.scale)

    # ------------------------------------------------------------ hard rule families

    def add_constraints(self) -> None:
        """Every hard family in the registry's order, then each level's expression."""
        for family in HARD:
            getattr(self, f"add_{family.name}")()
        objective.add_levels(self)
        assert tuple(self.objectives) == tuple(n for n in LEVEL_NAMES if n in self.objectives)

    def add_availability(self) -> None:
        """The variables themselves: one per (doctor, instance, role) the doctor may hold at
        all (exemption, absences, stations), so an ineligible pair never gets one."""
        cp = self.model
        self.eligible = availability.eligibility(self.scenario, self.calendar)
        for d, i in sorted(self.eligible.duty):
            self.duty[d, i] = cp.new_bool_var(f"duty_d{d}_i{i}")
        # Backup only where a doctor who needs it could be on duty.
        needy_at: set[int] = {i for d, i in self.eligible.duty if self.needy[d]}
        for d, i in sorted(self.eligible.backup):
            if i in needy_at:
                self.backup[d, i] = cp.new_bool_var(f"backup_d{d}_i{i}")
        for d, j in sorted(self.eligible.video):
            self.video[d, j] = cp.new_bool_var(f"video_d{d}_i{j}")
        for role, table in (("duty", self.duty), ("backup", self.backup), ("video", self.video)):
            for (d, i), lit in table.items():
                self.by_doctor[d].append((self.instances[i], role, lit))
                self.by_instance[i].append((d, role, lit))

    def tables(self) -> list[tuple[str, dict[tuple[int, int], cp_model.IntVar]]]:
        """The variables of each role, by (doctor index, instance index)."""
        return [("duty", self.duty), ("backup", self.backup), ("video", self.video)]

    def table(self, role: str) -> dict[tuple[int, int], cp_model.IntVar]:
        return dict(self.tables())[role]

    def instance_index(self, day: dt.date, shift: str) -> int | None:
        inst = self.calendar.by_key.get((shift, day))
        return None if inst is None else inst.index

    def triple_of(self, named: Named) -> tuple[int, int, str] | None:
        """``(doctor index, instance index, role)`` of an assignment that has a variable."""
        day, shift, doctor, role = named
        i = self.instance_index(day, shift)
        d = self.doctor_index.get(doctor)
        if i is None or d is None or role not in ("duty", "backup", "video"):
            return None
        return (d, i, role) if (d, i) in self.table(role) else None

    def literal_of(self, named: Named) -> cp_model.IntVar | None:
        triple = self.triple_of(named)
        return None if triple is None else self.table(triple[2])[triple[0], triple[1]]

    def add_video(self) -> None:
        """A satellite by video: one video doctor holding a host duty, few at once."""
        by_instance: dict[int, list[int]] = defaultdict(list)
        for d, j in self.video:
            by_instance[j].append(d)
        for j, doctor_ids in by_instance.items():
            sat = self.instances[j]
            station = self.scenario.station(sat.station)
            hosts = availability.hosts(self.calendar, sat, station.video_from)
            pairs = [
                (
                    self.video[d, j],
                    [self.duty[d, h.index] for h in hosts if (d, h.index) in self.duty],
                )
                for d in doctor_ids
            ]
            self.video_used[j] = video.add_video_cover(self.model, pairs)
        per_doctor: dict[int, list[Interval]] = defaultdict(list)
        for (d, j), lit in self.video.items():
            sat = self.instances[j]
            per_doctor[d].append(Interval(sat.start_min, sat.end_min, lit))
        for ivs in per_doctor.values():
            video.add_video_concurrency(self.model, ivs, self.scenario.policy.video_max_satellites)

    def add_coverage(self) -> None:
        """Never more doctors on duty than asked for; the shortfall is the unfilled level."""
        demands = [
            coverage.Demand(
                literals=self.role_at(inst.index, "duty"),
                required=inst.doctors,
                weight=inst.minutes,
                alternative=self.video_used.get(inst.index),
            )
            for inst in self.instances
        ]
        self._shortfall = coverage.add_coverage(self.model, demands)

    def add_work_periods(self) -> None:
        """One place at a time, rest between work periods, the longest work period."""
        policy = self.scenario.policy
        rest = math.ceil(round(policy.min_rest_hours * 60, 6))  # a minimum: never round down
        longest = math.floor(policy.max_work_period_hours * 60)
        for d in range(len(self.doctors)):
            intervals = [
                Interval(inst.start_min, inst.end_min, lit)
                for inst, lit in presence.work_literals(self, d)
            ]
            # The previous period's duties are there for certain: a night ending on the first
            # morning still needs its rest after it.
            intervals += [Interval(p.start_min, p.end_min, self.present()) for p in self.past[d]]
            add_work_periods(self.model, intervals, rest, longest)

    def add_backup(self) -> None:
        """A doctor who may not work alone: an independent colleague on duty or a bakvakt."""
        for inst in self.instances:
            duty = [(d, lit) for d, role, lit in self.by_instance[inst.index] if role == "duty"]
            needy = [lit for d, lit in duty if self.needy[d]]
            independent = [lit for d, lit in duty if self.doctors[d].independent]
            backups = self.role_at(inst.index, "backup")
            if needy or backups:
                backup.add_backup_rule(self.model, needy, independent, backups)

    def add_load_caps(self) -> None:
        """Weekly weighted hours, duties and night duties in rolling windows."""
        policy = self.scenario.policy
        n_days = self.scenario.horizon.days
        for d, doctor in enumerate(self.doctors):
            cap = (
                doctor.max_hours_per_week
                if doctor.max_hours_per_week is not None
                else policy.max_hours_per_week
            )
            if cap is not None:
                earlier: dict[object, int] = defaultdict(int)
                for p in self.past[d]:  # the previous period's part of the first week
                    earlier[p.week] += self.units(p.minutes, self.past_weight(p))
                for week, terms in self._weekly_terms(d).items():
                    budget = max(0, self.cap_units(cap) - earlier.get(week, 0))
                    load_caps.add_budget(self.model, terms, budget)
            for window, night_only in (
                (policy.max_shifts_in_window, False),
                (policy.max_nights_in_window, True),
            ):
                if window is None:
                    continue
                per_day: dict[int, list[cp_model.IntVar]] = defaultdict(list)
                for inst, role, lit in self.by_doctor[d]:
                    if role == "duty" and (inst.night or not night_only):
                        per_day[self.calendar.day_index(inst.date)].append(lit)
                before: dict[int, int] = defaultdict(int)
                for p in self.past[d]:
                    if p.role == "duty" and (p.night or not night_only):
                        before[self.calendar.day_index(p.date)] += 1
                load_caps.add_rolling_count(
                    self.model, per_day, n_days, window.days, window.shifts, before
                )

    def add_sequences(self) -> None:
        """Forbidden successions, the most duty dates in a row, a free day after a night;
        nothing when the policy asks for none (see :mod:`legevakt_opt.model.sequencing`)."""
        sequencing.add_sequences(self)

    def _weekly_terms(self, d: int) -> dict[object, list[tuple[int, cp_model.IntVar]]]:
        weeks: dict[object, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
        for inst, role, lit in self.by_doctor[d]:
            weeks[inst.week].append((self.role_units(inst, role), lit))
        return weeks

    def role_at(self, i: int, role: str) -> list[cp_model.IntVar]:
        return [lit for _, r, lit in self.by_instance[i] if r == role]

    def load_terms(self, d: int) -> list[tuple[int, cp_model.IntVar]]:
        """Doctor d's weighted hours as (units, literal) terms."""
        return [term for terms in self._weekly_terms(d).values() for term in terms]

    # ------------------------------------------------------------ the levels

    def add_fixed(self) -> None:
        """The scenario's fixed assignments and a re-plan's freeze, each behind its own
        literal (see :mod:`legevakt_opt.model.statements`)."""
        self.statements = add_statements(self, self.published)

    def display(self, level: str, value: float) -> float:
        """A level's value (or bound) in model units as people read it."""
        per = self.per_display_unit[level]
        return value if per == 1 else round(value / per, 4)

    # ------------------------------------------------------------ reading a solution

    def chosen(self, solver: cp_model.CpSolver) -> set[tuple[int, int, str]]:
        """A solution's assignments as (doctor, instance, role) triples, the form ``hint``
        takes."""
        return self.chosen_values(solver.response_proto.solution)

    def chosen_values(self, values: Sequence[int]) -> set[tuple[int, int, str]]:
        """The same from a solution's values (one per model variable, by proto index)."""
        return {
            (d, i, role)
            for role, table in self.tables()
            for (d, i), lit in table.items()
            if values[lit.index]
        }

    def fair_doctors(self) -> list[int]:
        """The doctors the burden levels count: every one not exempt, in index order (the
        order of ``burden_loads``)."""
        return [d for d, doc in enumerate(self.doctors) if not doc.exempt]

    def hint(self, chosen: set[tuple[int, int, str]]) -> None:
        """Hint a full solution given as (doctor, instance, role) triples."""
        # Straight into the proto: one add_hint call per variable took 0.7 s on 160 × 13.
        indexes: list[int] = []
        values: list[int] = []
        for role, table in self.tables():
            for (d, i), lit in table.items():
                indexes.append(lit.index)
                values.append(int((d, i, role) in chosen))
        self._set_hints(indexes, values)

    def floor(self, level: str, fixed_at: dict[str, int]) -> float:
        """A lower bound on a level that needs no search (see :mod:`.floors`)."""
        return floors.floor(self, level, fixed_at)

    def max_burden_of(self, chosen: Iterable[tuple[int, int, str]]) -> int:
        """The max-burden level's value (model units) in an assignment, without a solve."""
        return objective.max_burden_of(self, chosen)

    def model_for(self, level: str) -> cp_model.CpModel:
        """The model as a stage of ``level`` needs it: without the rows of the levels
        ranked below it, whose auxiliaries would only slow its search (on a 36-doctor
        district at equal deterministic time: max burden 70.4 against 72.0). Hints and the
        rows that fix the levels above are kept. A solution of it is only read for its
        assignments and this level: the levels below are unset in it."""
        names = list(self.level_rows)
        drop = [k for name in names[names.index(level) + 1 :] for k in self.level_rows[name]]
        if not drop:
            return self.model
        copy = self.model.clone()
        empty = cp_model_helper.ConstraintProto()  # a row that says nothing
        for k in drop:
            copy.proto.constraints[k].copy_from(empty)
        return copy

    def hint_all(self, solver: cp_model.CpSolver) -> None:
        """Hint every variable with its value in the solver's last solution, so the next
        stage starts from a complete feasible point."""
        values = list(solver.response_proto.solution)[: len(self.model.proto.variables)]
        self._set_hints(range(len(values)), values)

    def _set_hints(self, indexes: Iterable[int], values: Iterable[int]) -> None:
        self.model.clear_hints()
        hint = self.model.proto.solution_hint
        hint.vars.extend(indexes)
        hint.values.extend(values)
