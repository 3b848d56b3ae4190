"""The Curtois & Qu instance as a CP-SAT model, mapped onto the engine's own rule modules:
the same coverage, load-cap, sequence, work-period and preference modules the legevakt
model uses, configured for day-based nurse rostering. No second model. Beside it, what the
solve needs to know of its structure: the LNS neighbourhoods (employees, windows of days)
and a greedy first roster for the instances where the full model finds none in time.

The greedy start: within a minute CP-SAT finds no solution of the full model on Instances
20-24, yet one employee's own rules alone solve in about a second with the LP at level 2
(the rolling counts and the minute range bind together). Without the cover the employees
are independent, and given the others, one more worker on a (day, shift) changes the cover
penalty by a known amount (minus the under-cover weight while short, plus the over-cover
weight after), so each employee in turn gets their own rules, their own requests and that
linear cover cost.
"""

from __future__ import annotations

import dataclasses
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from legevakt_opt.engine import lns
from legevakt_opt.rules import coverage, load_caps, preferences, sequences
from legevakt_opt.rules.work_periods import Interval, add_no_overlap

if TYPE_CHECKING:  # the reader's types; curtois.py imports this module to solve
    from legevakt_opt.bench.curtois import CurtoisInstance

DAY = 24 * 60
#: Deterministic seconds for one employee's solve in :func:`greedy_start`.
GREEDY_STEP = 1.0


class CurtoisModel:
    """The instance as a CP-SAT model, built only from the generic rule modules."""

    def __init__(
        self, inst: CurtoisInstance, cover_costs: dict[tuple[int, str], int] | None = None
    ) -> None:
        """``cover_costs`` (day, shift: cost of one more worker) adds a linear cover cost
        to the objective, e.g. the marginal cost for one employee when the others are set."""
        self.inst = inst
        self.model = cp_model.CpModel()
        m = self.model
        # x[e, d, s]: employee e works shift s on day d (no variable on a day off, or for a
        # shift type the employee may not work at all).
        self.x: dict[tuple[str, int, str], cp_model.IntVar] = {}
        for e in inst.staff:
            off = inst.days_off.get(e.id, set())
            for d in range(inst.days):
                if d in off:
                    continue
                for s in inst.lengths:
                    if e.max_shifts.get(s, 0) > 0:
                        self.x[e.id, d, s] = m.new_bool_var(f"x_{e.id}_{d}_{s}")
        penalties: list[cp_model.LinearExprT] = []
        forbidden = {(a, b) for a, after in inst.cannot_follow.items() for b in after}
        for e in inst.staff:
            days = [
                {s: self.x[e.id, d, s] for s in inst.lengths if (e.id, d, s) in self.x}
                for d in range(inst.days)
            ]
            # One shift a day: every shift fills its day (work periods' one-place rule).
            add_no_overlap(
                m,
                [
                    Interval(d * DAY, (d + 1) * DAY, lit)
                    for d, day in enumerate(days)
                    for lit in day.values()
                ],
            )
            sequences.add_forbidden_successions(m, days, forbidden, one_a_day=True)
            for s, limit in e.max_shifts.items():
                lits = [day[s] for day in days if s in day]
                load_caps.add_budget(m, [(1, lit) for lit in lits], limit)
            minutes = [(inst.lengths[s], lit) for day in days for s, lit in day.items()]
            load_caps.add_range(m, minutes, e.min_minutes, e.max_minutes)
            on = sequences.day_on(m, days, f"on_{e.id}", one_a_day=True)
            per_day = {d: [lit] for d, lit in enumerate(on) if lit is not None}
            load_caps.add_rolling_count(
                m, per_day, inst.days, e.max_consecutive + 1, e.max_consecutive
            )
            sequences.add_min_run(m, on, e.min_consecutive)
            sequences.add_min_run(m, on, e.min_days_off, off=True)
            weekends = [
                sequences.any_of(
                    m, [lit for lit in (on[sat], on[sun]) if lit is not None], f"wk_{e.id}_{sat}"
                )
                for sat, sun in inst.weekends
                if on[sat] is not None or on[sun] is not None
            ]
            load_caps.add_budget(m, [(1, w) for w in weekends], e.max_weekends)
        for emp, d, s, weight in inst.on_requests:
            lit = self.x.get((emp, d, s))
            penalties.append(weight * preferences.unmet_wish(m, [lit] if lit is not None else []))
        for emp, d, s, weight in inst.off_requests:
            lit = self.x.get((emp, d, s))
            penalties.append(weight * preferences.broken_avoid(m, [lit] if lit is not None else []))
        demands = []
        for d, s, required, under, over in inst.cover:
            lits = [self.x[e.id, d, s] for e in inst.staff if (e.id, d, s) in self.x]
            demands.append(
                coverage.Demand(
                    literals=lits,
                    required=required,
                    weight=under,
                    max_extra=max(0, len(lits) - required),
                    extra_weight=over,
                )
            )
        penalties.append(coverage.add_coverage(m, demands))
        if cover_costs:
            penalties += [
                cover_costs[d, s] * lit
                for (_, d, s), lit in self.x.items()
                if cover_costs.get((d, s))
            ]
        self.objective = cp_model.LinearExpr.sum(penalties)
        m.minimize(self.objective)


def moves(cm: CurtoisModel) -> list[lns.Move]:
    """The neighbourhoods: a few employees (all their days), a window of days (all
    employees), the days dearest in cover penalty with a few at random (all employees), and
    a few employees over a window of two weeks."""
    inst = cm.inst
    staff = [e.id for e in inst.staff]
    cells: dict[tuple[str, int], list[cp_model.IntVar]] = {
        (e, d): [] for e in staff for d in range(inst.days)
    }
    for (e, d, _), lit in cm.x.items():
        cells[e, d].append(lit)
    by_employee = [[lit for d in range(inst.days) for lit in cells[e, d]] for e in staff]
    by_day = [[lit for e in staff for lit in cells[e, d]] for d in range(inst.days)]
    width = min(inst.days, 14)
    dearest = lns.Worst(_dearest_days(cm), share=0.5, first=True)
    return [
        lns.Move("employees", by_employee, lns.RandomGroups(), size=2),
        lns.Move("days", by_day, lns.Window(), size=3),
        lns.Move("dearest days", by_day, dearest, size=3),
        lns.Move("block", list(cells.values()), lns.Block(inst.days, width), size=3 * width),
    ]


def _dearest_days(cm: CurtoisModel) -> Callable[[Sequence[int]], list[int]]:
    """Days by the cover penalty they cost in a solution, dearest first: where the cover is
    short or over, moving a few employees' days pays."""
    inst = cm.inst
    on: dict[tuple[int, str], list[int]] = defaultdict(list)
    for (_, d, s), lit in cm.x.items():
        on[d, s].append(lit.index)

    def rank(values: Sequence[int]) -> list[int]:
        cost = [0] * inst.days
        for d, s, required, under, over in inst.cover:
            have = sum(values[i] for i in on.get((d, s), []))
            cost[d] += under * max(0, required - have) + over * max(0, have - required)
        return sorted(range(inst.days), key=lambda d: -cost[d])

    return rank


def greedy_start(
    inst: CurtoisInstance, deadline: float, seed: int = 0
) -> dict[tuple[str, int, str], bool] | None:
    """The shifts each employee works, chosen employee by employee against the cover left
    by the ones before; None when an employee's own rules find no roster in time or
    ``deadline`` (``time.monotonic()``) passes."""
    have: Counter[tuple[int, str]] = Counter()
    works: dict[tuple[str, int, str], bool] = {}
    for e in inst.staff:
        if time.monotonic() > deadline:
            return None
        alone = dataclasses.replace(
            inst,
            staff=[e],
            on_requests=[r for r in inst.on_requests if r[0] == e.id],
            off_requests=[r for r in inst.off_requests if r[0] == e.id],
            cover=[],
        )
        costs = {
            (d, s): over if have[d, s] >= required else -under
            for d, s, required, under, over in inst.cover
        }
        own = CurtoisModel(alone, cover_costs=costs)
        solver = cp_model.CpSolver()
        params = solver.parameters
        params.num_workers = 1
        params.random_seed = seed
        params.linearization_level = 2
        params.max_deterministic_time = GREEDY_STEP
        params.max_time_in_seconds = max(0.1, deadline - time.monotonic())
        status = solver.solve(own.model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        for key, lit in own.x.items():
            works[key] = solver.boolean_value(lit)
            if works[key]:
                have[key[1], key[2]] += 1
    return works


def complete(cm: CurtoisModel, works: dict[tuple[str, int, str], bool]) -> list[int]:
    """Every variable's value with the shifts fixed at ``works`` ([] if the model refuses)."""
    model = cm.model.clone()
    model.clear_hints()
    for key, lit in cm.x.items():
        model.add_hint(lit, works[key])
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 60
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return []
    return list(solver.response_proto.solution)
