"""A plain two-stage CP-SAT model of a scenario, to judge the engine against (issue #15).

Plain on purpose: no hints, no hand-method start, CP-SAT's default parameters but for
``num_workers``, the time and ``random_seed`` (one worker: deterministic time, as the engine
counts it). Written from the scenario format; it imports nothing of ``legevakt_opt.model``,
``rules``, ``engine`` or ``baseline``. Stage 1 minimises unfilled doctor-minutes; stage 2
holds them and minimises the highest (weighted hours + carried burden) ÷ share over
non-exempt doctors, in the units of the engine's ``max_burden`` level (weighted minutes ×
the weight scale, shares to 1/1000, rounded up). Each stage gets half the time.

Every hard rule is a constraint: eligibility (exempt, absences, dated exemptions, stations),
coverage at most the demand or one video doctor, bakvakt, video hosts and concurrency,
weekly caps, window caps, sequences, fixed assignments, the previous period counted. One
place at a time and rest are pairwise clauses over a doctor's duty and backup windows: two
that overlap, or leave less than ``min_rest`` between them, are not both held, unless (rest)
a held window starts where the first ends and carries its work period on; touching windows
are one work period. The longest work period is one clause per too-long chain of touching
windows. Left out, as no district of the set uses them: ``backup_scope: district`` and
``backup_while_on_duty`` (refused).
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from legevakt_opt.calendar import Calendar, Instance, expand
from legevakt_opt.roster import Level, NamedAssignment, SolveResult, Status, build_result
from legevakt_opt.scenario import BackupScope, Scenario

Var = cp_model.IntVar
Lit = Var | None  # None: a window of the previous period, held for certain
Window = tuple[int, int, Lit]


@dataclass(frozen=True)
class Stage:
    name: str
    value: float | None  # display units: hours; weighted hours per share
    bound: float | None
    proved: bool
    seconds: float


@dataclass(frozen=True)
class PlainResult:
    result: SolveResult  # the roster, its figures recomputed and validated
    stages: list[Stage]


def _kind(start: dt.datetime, night: bool) -> str:
    return "night" if night else "evening" if start.time() >= dt.time(15) else "day"


def _ends_on(end: dt.datetime) -> dt.date:
    return end.date() - dt.timedelta(days=1) if end.time() == dt.time() else end.date()


class PlainModel:
    def __init__(self, scenario: Scenario, calendar: Calendar | None = None) -> None:
        p = self.policy = scenario.policy
        if p.backup_scope is not BackupScope.STATION or p.backup_while_on_duty:
            raise ValueError("the plain model leaves out backup_scope and backup_while_on_duty")
        self.sc, self.cal, self.m = scenario, calendar or expand(scenario), cp_model.CpModel()
        self.insts, self.doctors = self.cal.instances, scenario.doctors
        self.past = [self.cal.past(d.id) for d in self.doctors]
        mins = {i.minutes for i in self.insts} | {q.minutes for ps in self.past for q in ps}
        w = {p.weights.on_site, p.weights.on_call, p.weights.backup, p.weights.video}
        whole = [s for s in (1, 2, 4, 5, 10, 20, 25, 50, 100) if all(
            abs(m * x * s - round(m * x * s)) < 1e-6 for m in mins for x in w)]  # fmt: skip
        self.scale = whole[0] if whole else 1000  # the engine's weight scale
        self.x: dict[tuple[int, int, str], Var] = {}
        self.by: dict[tuple[int, str], list[tuple[int, Var]]] = defaultdict(list)
        self.mine: dict[int, list[tuple[Instance, str, Var]]] = defaultdict(list)
        self._variables()
        self._instances()
        for d in range(len(self.doctors)):
            self._work_periods(d)
            self._caps(d)
            if p.sequences.asks_anything:
                self._sequences(d)
        self._burden()

    def units(self, minutes: int, role: str, kind: str) -> int:
        w = self.policy.weights
        on = w.on_site if kind == "on_site" else w.on_call
        weight = {"backup": w.backup, "video": w.video}.get(role, on)
        return math.ceil(round(minutes * weight * self.scale, 6))

    def _variables(self) -> None:
        """One variable per (doctor, instance, role) the doctor may hold at all."""
        p = self.policy
        self.needy = [
            not d.independent and not (d.lis1_completed and p.lis1_without_backup)
            for d in self.doctors
        ]
        self.hosts = {
            s.index: [
                h.index
                for h in self.insts
                if h.station in self.sc.station(s.station).video_from
                and h.start_min <= s.start_min
                and s.end_min <= h.end_min
            ]
            for s in self.insts
            if s.video
        }
        needy_at: set[int] = set()
        for role in ("duty", "backup", "video"):
            for d, doc in enumerate(self.doctors):
                away = [tuple(map(self.cal.to_minutes, u.bounds())) for u in doc.unavailable]
                for i in [] if doc.exempt else self.insts:
                    if any(a < i.end_min and i.start_min < b for a, b in away):
                        continue
                    free = i.minutes <= p.max_work_period_hours * 60 and not any(
                        e.covers(i.date, i.night, i.weekend, i.kind == "on_site")
                        for e in doc.exemptions
                    )
                    if role == "duty":
                        ok = free and (doc.stations is None or i.station in doc.stations)
                    elif role == "backup":  # only where a doctor who needs one may be on duty
                        ok = free and doc.independent and i.index in needy_at
                    else:
                        ok = i.video and doc.video and p.video_allowed
                        ok = ok and any((d, h, "duty") in self.x for h in self.hosts[i.index])
                    if ok:
                        v = self.x[d, i.index, role] = self.m.new_bool_var(f"{role}{d}_{i.index}")
                        self.by[i.index, role].append((d, v))
                        self.mine[d].append((i, role, v))
            needy_at = {i for d, i, _ in self.x if self.needy[d]}

    def _instances(self) -> None:
        """Fixed assignments, coverage and video, bakvakt."""
        index = {d.id: k for k, d in enumerate(self.doctors)}
        for f in self.sc.fixed:
            inst = self.cal.by_key.get((f.shift, f.date))
            key = (index[f.doctor], inst.index if inst else -1, f.role)
            self.m.add_bool_or([self.x[key]] if key in self.x else [])  # [] : no roster
        total = cp_model.LinearExpr.sum
        short: list[cp_model.LinearExprT] = []
        for inst in self.insts:
            duty = self.by[inst.index, "duty"]
            on, n = total([v for _, v in duty]), inst.doctors
            video = total([v for _, v in self.by[inst.index, "video"]])
            self.m.add(on + n * video <= n)
            self.m.add(video <= 1)
            short.append(inst.minutes * (n - on - n * video))
            for d, v in self.by[inst.index, "video"]:
                hosts = [self.x.get((d, h, "duty")) for h in self.hosts[inst.index]]
                self.m.add(v <= total([h for h in hosts if h is not None]))
            needy = [v for d, v in duty if self.needy[d]]
            alone = total([v for d, v in duty if self.doctors[d].independent])
            backup = total([v for _, v in self.by[inst.index, "backup"]])
            for n_lit in needy:
                self.m.add(n_lit <= alone + backup)
            if self.by[inst.index, "backup"]:
                self.m.add(backup <= 1)
                self.m.add(backup <= total(needy))
                for d, a in duty:  # no bakvakt beside an independent doctor on duty
                    if self.doctors[d].independent:
                        self.m.add(a + backup <= 1)
        self.unfilled = cp_model.LinearExpr.sum(short)

    def _clause(self, held: list[Lit], unless: list[Lit] | None = None) -> None:
        """Not all of ``held``, unless one of ``unless``."""
        if any(u is None for u in unless or []):
            return
        lits = [~h for h in held if h is not None] + [u for u in unless or [] if u is not None]
        if lits:
            self.m.add_bool_or(lits)

    def _work_periods(self, d: int) -> None:
        p = self.policy
        rest = math.ceil(round(p.min_rest_hours * 60, 6))
        longest = math.floor(p.max_work_period_hours * 60)
        wins: list[Window] = [(q.start_min, q.end_min, None) for q in self.past[d]]
        wins += [(i.start_min, i.end_min, v) for i, role, v in self.mine[d] if role != "video"]
        wins.sort(key=lambda w: (w[0], w[1]))
        starting: dict[int, list[Window]] = defaultdict(list)
        for w in wins:
            starting[w[0]].append(w)
        for k, (_, a1, a) in enumerate(wins):
            for b0, _, b in wins[k + 1 :]:
                if b0 >= a1 + rest and b0 >= a1:
                    break
                if b0 < a1:  # overlap
                    self._clause([a, b])
                elif b0 > a1:  # too little rest, unless the work period goes on at a1
                    self._clause([a, b], [c for _, _, c in starting[a1]])

        def extend(chain: list[Window]) -> None:
            if chain[-1][1] - chain[0][0] > longest:
                if any(lit is not None for _, _, lit in chain):
                    self._clause([lit for _, _, lit in chain])
                return
            for nxt in starting[chain[-1][1]]:
                extend([*chain, nxt])

        for w in wins:
            extend([w])
        mine = [(i, v) for i, role, v in self.mine[d] if role == "video"]
        for t in sorted({i.start_min for i, _ in mine}):
            on = [v for i, v in mine if i.start_min <= t < i.end_min]
            if len(on) > p.video_max_satellites:
                self.m.add(sum(on) <= p.video_max_satellites)

    def _caps(self, d: int) -> None:
        p, doc, past = self.policy, self.doctors[d], self.past[d]
        cap = p.max_hours_per_week if doc.max_hours_per_week is None else doc.max_hours_per_week
        if cap is not None:
            budget = math.floor(round(cap * 60 * self.scale, 6))
            weeks: dict[dt.date, list[tuple[int, Var]]] = defaultdict(list)
            earlier: dict[dt.date, int] = defaultdict(int)
            for q in past:
                earlier[q.week] += self.units(q.minutes, q.role, q.kind)
            for i, role, v in self.mine[d]:
                weeks[i.week].append((self.units(i.minutes, role, i.kind), v))
            for week, terms in weeks.items():
                left = max(0, budget - earlier[week])
                if sum(c for c, _ in terms) > left:
                    self.m.add(sum(c * v for c, v in terms) <= left)
        n_days = self.sc.horizon.days
        for window, nights in ((p.max_shifts_in_window, False), (p.max_nights_in_window, True)):
            if window is None:
                continue
            per_day: dict[int, list[Var]] = defaultdict(list)
            for i, role, v in self.mine[d]:
                if role == "duty" and (i.night or not nights):
                    per_day[self.cal.day_index(i.date)].append(v)
            before: dict[int, int] = defaultdict(int)
            for q in past:
                if q.role == "duty" and (q.night or not nights):
                    before[self.cal.day_index(q.date)] += 1
            first = max(1 - window.days, min(before)) if before else 0
            for f in range(first, max(0, n_days - window.days) + 1):
                span = range(f, min(n_days, f + window.days))
                lits = [v for k in span if k >= 0 for v in per_day[k]]
                held = sum(before[k] for k in span)
                if len(lits) + held > window.shifts:
                    self.m.add(sum(lits) <= max(0, window.shifts - held))

    def _sequences(self, d: int) -> None:
        rules, n_days = self.policy.sequences, self.sc.horizon.days
        starts: list[dict[str, list[Var]]] = [defaultdict(list) for _ in range(n_days)]
        nights: list[tuple[dt.date, Lit]] = []
        for i, role, v in self.mine[d]:
            if role == "duty":
                starts[self.cal.day_index(i.date)][_kind(i.start, i.night)].append(v)
                if i.night:
                    nights.append((_ends_on(i.end), v))
        past = [q for q in self.past[d] if q.role == "duty"]
        eve = self.sc.horizon.start - dt.timedelta(days=1)
        eve_kinds = {_kind(dt.datetime.combine(q.date, q.begin), q.night) for q in past
                     if q.date == eve}  # fmt: skip
        for a, b in rules.forbidden:
            for k in range(n_days - 1):
                for va in starts[k].get(a, []):
                    for vb in starts[k + 1].get(b, []):
                        self._clause([va, vb])
            for vb in starts[0].get(b, []) if a in eve_kinds else []:
                self._clause([vb])
        if rules.day_off_after_night:
            nights += [(_ends_on(q.finish), None) for q in past if q.night]
            for day, night in nights:
                k = self.cal.day_index(day)
                after = starts[k] if 0 <= k < n_days else {}
                for v in after.get("day", []) + after.get("evening", []):
                    self._clause([night, v])
        longest = rules.max_consecutive_days
        if longest is not None:
            run, dates = 0, {q.date for q in past}
            while eve - dt.timedelta(days=run) in dates:
                run += 1
            on: list[Lit | bool] = [None] * min(run, longest)  # days on before the horizon
            for k in range(n_days):
                lits = [v for vs in starts[k].values() for v in vs]
                on_k = self.m.new_bool_var(f"on{d}_{k}") if lits else False
                for v in lits:
                    self.m.add_implication(v, on_k)
                on.append(on_k)
            for f in range(len(on) - longest):
                days = on[f : f + longest + 1]
                if all(x is not False for x in days):
                    self._clause([x for x in days if not isinstance(x, bool)])

    def _burden(self) -> None:
        fair = [d for d, doc in enumerate(self.doctors) if not doc.exempt]
        raw = {d: max(1, round(self.doctors[d].share * 1000)) for d in fair}
        g = math.gcd(1000, *raw.values())
        one, share = 1000 // g, {d: r // g for d, r in raw.items()}
        rows = []
        for d in fair:
            h = self.doctors[d].history
            carried = round(h.carried_burden * 60 * self.scale) if h else 0
            terms = [(self.units(i.minutes, role, i.kind), v) for i, role, v in self.mine[d]]
            top = carried + sum(c for c, _ in terms)
            rows.append((d, carried + sum(c * v for c, v in terms), top, min(0, carried)))
        upper = max([0, *(hi * one // share[d] + 1 for d, _, hi, _ in rows)])
        lower = min([0, *(lo * one // share[d] for d, _, _, lo in rows)])
        self.top = self.m.new_int_var(lower, upper, "max_burden")
        for d, expr, _, _ in rows:
            self.m.add(one * expr <= share[d] * self.top)


def solve_plain(
    scenario: Scenario, time_limit: float, workers: int = 2, seed: int = 0
) -> PlainResult:
    """Both stages, half the time each; the roster built and validated as the engine's is."""
    started = time.monotonic()
    pm = PlainModel(scenario)
    stages: list[Stage] = []
    best: cp_model.CpSolver | None = None
    for name, expr, per in (("unfilled", pm.unfilled, 60), ("max_burden", pm.top, 60 * pm.scale)):
        pm.m.minimize(expr)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = seed
        if workers == 1:
            solver.parameters.max_deterministic_time = time_limit / 2
        else:
            solver.parameters.max_time_in_seconds = time_limit / 2
        t0 = time.monotonic()
        code = solver.solve(pm.m)
        seconds = time.monotonic() - t0
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            stages.append(Stage(name, None, None, False, seconds))
            break
        best, value = solver, round(solver.objective_value)
        bound = max(0.0, solver.best_objective_bound) if name == "unfilled" else (
            solver.best_objective_bound)  # fmt: skip
        optimal = code == cp_model.OPTIMAL
        stages.append(Stage(name, value / per, round(bound / per, 4), optimal, seconds))
        pm.m.add(expr <= value)
    chosen = [
        NamedAssignment(pm.insts[i].date, pm.insts[i].shift, pm.doctors[d].id, role)
        for (d, i, role), v in pm.x.items()
        if best is not None and best.boolean_value(v)
    ]
    proved = len(stages) == 2 and all(s.proved for s in stages)
    status: Status = "unknown" if best is None else "optimal" if proved else "feasible"
    result = build_result(
        scenario,
        pm.cal,
        chosen,
        status=status,
        levels=[Level(s.name, s.value, s.bound, s.proved, s.seconds) for s in stages],
        runtime=time.monotonic() - started,
        solver_info={"method": "plain", "workers": workers, "seed": seed,
                     "time_limit": time_limit, "variables": len(pm.m.proto.variables)},
    )  # fmt: skip
    return PlainResult(result, stages)
