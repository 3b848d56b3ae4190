"""The objective's levels as model expressions, one function per level (the ranking and its
time shares are :mod:`.levels`): each records its expression in ``rm.objectives`` and how
many model units make one unit people read in ``rm.per_display_unit``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from legevakt_opt.model.levels import NIGHT_WEEKEND_HOURS
from legevakt_opt.model.statements import change_costs
from legevakt_opt.rules import availability, fairness, load_caps, preferences

if TYPE_CHECKING:  # the model calls these on itself; a runtime import would loop
    from legevakt_opt.model.roster_model import RosterModel

#: With dated exemptions, the integer shares of each fairness deviation add up to this
#: (shares exact to 1/10 000 of the total).
SPREAD_SCALE = 10_000


def add_levels(rm: RosterModel) -> None:
    """Every level that applies, in the ranking's order. The rows each level adds are
    recorded (``rm.level_rows``), so a stage can leave out the levels below it: their
    auxiliaries only slow its search (see :meth:`RosterModel.model_for`)."""
    steps = [("unfilled", add_unfilled)]
    if rm.published is not None:
        steps.append(("changes", add_changes))
    steps += [
        ("max_burden", add_max_burden),
        ("fairness", add_fairness),
        ("requests", add_requests),
        ("travel", add_travel),
    ]
    for name, add in steps:
        first = len(rm.model.proto.constraints)
        add(rm)
        rm.level_rows[name] = range(first, len(rm.model.proto.constraints))


def add_unfilled(rm: RosterModel) -> None:
    """Missing doctor-minutes (coverage's shortfall), read in hours."""
    rm.objectives["unfilled"] = rm._shortfall
    rm.per_display_unit["unfilled"] = 60


def add_changes(rm: RosterModel) -> None:
    """A re-plan: the weighted number of assignments that differ from the published
    roster, read in changes (a plain change on a weekday far off counts 1)."""
    assert rm.published is not None
    rm.objectives["changes"], rm.changes_floor = change_costs(rm, rm.published)
    rm.per_display_unit["changes"] = 100


def add_max_burden(rm: RosterModel) -> None:
    """The highest burden per share: each non-exempt doctor's weighted hours (with the
    burden carried from the year so far) behind one variable, and their maximum per share."""
    burden = []
    for d in rm.fair_doctors():
        terms = rm.load_terms(d)
        carried = rm.carried[d]
        expr = load_caps.weighted(terms) + carried
        upper = sum(c for c, _ in terms) + carried
        burden.append(fairness.Load(expr, upper, rm.doctors[d].share, min(0, carried)))
    rm.burden_loads = fairness.as_variables(rm.model, burden, "burden")
    rm.max_burden = fairness.add_max_per_share(rm.model, rm.burden_loads, "max_burden")
    rm.objectives["max_burden"] = rm.max_burden
    rm.per_display_unit["max_burden"] = 60 * rm.scale


def max_burden_of(rm: RosterModel, chosen: Iterable[tuple[int, int, str]]) -> int:
    """The max-burden level's value (model units) in an assignment, as its rows set it at
    their least: so two starts can be ranked on it before CP-SAT completes either."""
    load = {d: rm.carried[d] for d in rm.fair_doctors()}
    for d, i, role in chosen:
        if d in load:
            load[d] += rm.role_units(rm.instances[i], role)
    # No doctor: top's domain is {0}.
    return max(fairness.tops_per_share(rm.burden_loads, list(load.values())), default=0)


def add_fairness(rm: RosterModel) -> None:
    """The spread around proportional shares of weighted hours, night duties and weekend
    duties."""
    fair = rm.fair_doctors()
    nights, weekends = [], []
    for d in fair:
        share = rm.doctors[d].share
        duties = [(inst, lit) for inst, role, lit in rm.by_doctor[d] if role == "duty"]
        n = [lit for inst, lit in duties if inst.night]
        w = [lit for inst, lit in duties if inst.weekend]
        nights.append(fairness.Load(sum(n), len(n), share * _free(rm, d, "night")))
        weekends.append(fairness.Load(sum(w), len(w), share * _free(rm, d, "weekend")))
    nights = fairness.as_variables(rm.model, nights, "nights")
    weekends = fairness.as_variables(rm.model, weekends, "weekends")
    # The spread is taken around each doctor's share of what they may do: a partly
    # exempt doctor's share of the hours is their share × the part of the duty hours
    # no exemption of theirs covers (the highest burden stays weighted hours ÷ share).
    spread = [
        fairness.Load(load.expr, load.upper, load.share * _free(rm, d, "hours"), load.lower)
        for d, load in zip(fair, rm.burden_loads, strict=True)
    ]
    # The three deviations are read on one scale: the sum of the integer shares. Without
    # dated exemptions the three sets of shares are the same and exact; with them they
    # differ, and each is rounded to add up to SPREAD_SCALE.
    scales = {fairness.deviation_scale(group) for group in (spread, nights, weekends)}
    same = len(scales) == 1
    scale = next(iter(scales)) if same else SPREAD_SCALE
    rounded = None if same else scale
    #: the fairness level divided by this is in weighted hours off proportional shares
    rm.fairness_unit = max(1, scale) * 60 * rm.scale
    per_duty = NIGHT_WEEKEND_HOURS * 60 * rm.scale
    rm.objectives["fairness"] = (
        fairness.add_proportional_deviation(rm.model, spread, "burden", rounded)
        + per_duty * fairness.add_proportional_deviation(rm.model, nights, "nights", rounded)
        + per_duty * fairness.add_proportional_deviation(rm.model, weekends, "weekends", rounded)
    )
    rm.per_display_unit["fairness"] = rm.fairness_unit


def _free(rm: RosterModel, d: int, part: str) -> float:
    """The part of the horizon's duty hours (``hours``), night duties or weekend duties
    that no dated exemption of doctor ``d`` covers: 1 for a doctor without any."""
    doctor = rm.doctors[d]
    if not doctor.exemptions:
        return 1.0
    total = free = 0.0
    for inst in rm.instances:
        if (part == "night" and not inst.night) or (part == "weekend" and not inst.weekend):
            continue
        size = inst.doctors * (rm.role_units(inst, "duty") if part == "hours" else 1)
        total += size
        free += 0 if availability.exempted(doctor, inst) else size
    return free / total if total else 1.0


def add_requests(rm: RosterModel) -> None:
    """Wishes not granted and avoids broken."""
    terms: list[cp_model.LinearExprT] = []
    for d, doctor in enumerate(rm.doctors):
        for wish in doctor.wish:
            insts = availability.on_date(rm.calendar, wish.date, wish.shift)
            lits = [rm.duty[d, inst.index] for inst in insts if (d, inst.index) in rm.duty]
            terms.append(preferences.unmet_wish(rm.model, lits))
        for avoid in doctor.avoid:
            insts = availability.on_date(rm.calendar, avoid.date, avoid.shift)
            lits = [
                table[d, inst.index]
                for inst in insts
                for table in (rm.duty, rm.backup)
                if (d, inst.index) in table
            ]
            terms.append(preferences.broken_avoid(rm.model, lits))
    rm.objectives["requests"] = cp_model.LinearExpr.sum(terms)
    rm.per_display_unit["requests"] = 1


def add_travel(rm: RosterModel) -> None:
    """Duties at a station outside the doctor's own municipality."""
    home = {st.id: st.municipality for st in rm.scenario.stations}
    away = [
        (1, lit)
        for (d, i), lit in rm.duty.items()
        if home[rm.instances[i].station] != rm.doctors[d].municipality
    ]
    rm.objectives["travel"] = preferences.assignment_cost(away)
    rm.per_display_unit["travel"] = 1
