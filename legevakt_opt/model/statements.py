"""The user's own statements as model constraints, each behind its own literal: the
scenario's fixed assignments and, in a re-plan, what a freeze keeps.

Coverage is soft, so a scenario alone always has a roster; these statements can make none
exist. Each is enforced only through its literal, so the engine can first ask CP-SAT
whether they can all hold (as assumptions), and if not, which few of them cannot; then it
makes them hard. The re-plan's cost of change is here too: it is the statement "change as
little as you can", priced per assignment.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ortools.sat.python import cp_model

from legevakt_opt.rules import fixed

if TYPE_CHECKING:  # the model builds its statements with these; a runtime import would loop
    from legevakt_opt.model.roster_model import RosterModel

#: ``(date, shift, doctor, role)``: one assignment as a roster names it.
Named = tuple[dt.date, str, str, str]


@dataclass(frozen=True)
class Published:
    """The roster a re-plan starts from, and what may not change."""

    assignments: tuple[Named, ...]
    #: Nothing on a date before this one may change (None: everything may).
    freeze_until: dt.date | None = None

    def frozen(self, day: dt.date) -> bool:
        return self.freeze_until is not None and day < self.freeze_until


@dataclass(frozen=True)
class Statement:
    """One thing the user said must hold, behind the literal that enforces it."""

    literal: cp_model.IntVar
    kind: Literal["fixed", "frozen", "freeze"]
    #: In the user's words: ``fixed[0]: d07 on natt 2027-02-03 (duty)``.
    text: str
    #: The assignment it keeps (None for the freeze's "nothing new before").
    assignment: Named | None
    #: False when no variable stands for the assignment: the rules alone rule it out.
    possible: bool = True


def add_statements(rm: RosterModel, published: Published | None) -> list[Statement]:
    """Fixed assignments, then (re-plan) each published assignment before the freeze and
    "nothing new before the freeze"; returns them in that order."""
    out: list[Statement] = []
    for k, f in enumerate(rm.scenario.fixed):
        held: Named = (f.date, f.shift, f.doctor, f.role)
        out.append(_keep(rm, "fixed", f"fixed[{k}]: {f.label}", held))
    if published is None or published.freeze_until is None:
        return out
    day = published.freeze_until.isoformat()
    kept: set[tuple[int, int, str]] = set()
    for named in sorted(published.assignments):
        if not published.frozen(named[0]):
            continue
        date, shift, doctor, role = named
        text = f"freeze_until {day}: keeps {doctor} on {shift} {date.isoformat()} ({role})"
        statement = _keep(rm, "frozen", text, named)
        out.append(statement)
        triple = rm.triple_of(named)
        if triple is not None:
            kept.add(triple)
    new = [
        lit
        for kind, table in rm.tables()
        for (d, i), lit in table.items()
        if published.frozen(rm.instances[i].date) and (d, i, kind) not in kept
    ]
    nothing_new = fixed.add_none_of(rm.model, new, "freeze_nothing_new")
    text = f"freeze_until {day}: nothing before {day} changes, nothing is added"
    out.append(Statement(nothing_new, "freeze", text, None))
    return out


def _keep(rm: RosterModel, kind: Literal["fixed", "frozen"], text: str, named: Named) -> Statement:
    """A statement that the roster holds ``named``."""
    # No variable: availability (or where a bakvakt may be) rules it out on its own.
    variable = rm.literal_of(named)
    lit = fixed.add_held(rm.model, variable, f"{kind}_{text}")
    return Statement(lit, kind, text, named, possible=variable is not None)


def change_costs(rm: RosterModel, published: Published) -> tuple[cp_model.LinearExprT, int]:
    """The weighted number of changed assignments (the ``changes`` level) and its floor: a
    published assignment the new scenario cannot hold at all (its doctor is away or gone,
    its shift no longer runs) is a change no roster avoids.

    Per instance and role, the changes are the larger of the published doctors taken off
    and the doctors put on: a replacement is one change, a doctor removed or added is one.
    A change costs ``change_costs`` of the policy, in hundredths."""
    on: dict[tuple[int, str], list[int]] = defaultdict(list)  # published (d) per slot
    gone: dict[tuple[int, str], int] = defaultdict(int)  # published with no variable
    for named in published.assignments:
        triple = rm.triple_of(named)
        if triple is not None:
            on[triple[1], triple[2]].append(triple[0])
            continue
        i = rm.instance_index(named[0], named[1])
        if i is not None:
            gone[i, named[3]] += 1
    terms: list[cp_model.LinearExprT] = []
    floor = 0
    slots = {(i, role) for role, table in rm.tables() for _, i in table} | set(gone)
    for i, role in sorted(slots):
        weight = cost_of(rm, i, published)
        table = rm.table(role)
        removed = [1 - table[d, i] for d in on.get((i, role), [])]
        published_here = set(on.get((i, role), []))
        added = [lit for (d, j), lit in table.items() if j == i and d not in published_here]
        lost = gone.get((i, role), 0)
        if not removed and not lost:
            terms += [weight * lit for lit in added]
            continue
        floor += weight * lost
        most = len(removed) + lost + len(added)
        count = rm.model.new_int_var(lost, most, f"changes_i{i}_{role}")
        rm.model.add(count >= cp_model.LinearExpr.sum(removed) + lost)
        rm.model.add(count >= cp_model.LinearExpr.sum(added))
        terms.append(weight * count)
    return cp_model.LinearExpr.sum(terms), floor


def cost_of(rm: RosterModel, i: int, published: Published) -> int:
    """One change on instance ``i``, in hundredths of the policy's units."""
    costs = rm.scenario.policy.change_costs
    inst = rm.instances[i]
    first = published.freeze_until or rm.scenario.horizon.start
    days = max(0, (inst.date - first).days)
    nearness = max(0.0, 1 - days / costs.near_days)
    cost = costs.change + costs.near * nearness
    cost += costs.night * inst.night + costs.weekend * inst.weekend
    return max(1, round(100 * cost))
