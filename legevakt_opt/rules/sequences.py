"""Day-by-day sequences of one worker: forbidden successions, a kind of task that ends a
day before another may start, and shortest and longest runs of working days or of days
off.

A worker's days are given as a list (one entry per day) of ``{task kind: literal}``;
a day is *on* when any of its literals is true.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Mapping, Sequence

from ortools.sat.python import cp_model


def any_of(
    model: cp_model.CpModel, literals: Sequence[cp_model.IntVar], name: str
) -> cp_model.IntVar:
    """A literal equal to the OR of ``literals``."""
    on = model.new_bool_var(name)
    model.add_max_equality(on, literals)
    return on


def day_on(
    model: cp_model.CpModel,
    days: Sequence[Mapping[str, cp_model.IntVar]],
    name: str,
    *,
    one_a_day: bool = False,
) -> list[cp_model.IntVar | None]:
    """Per day, a literal 'works that day' (None where the worker cannot work at all).

    With ``one_a_day`` (at most one kind a day, enforced elsewhere) the literal is the sum
    of the day's literals, a linear equality the LP relaxation sees whole."""
    out: list[cp_model.IntVar | None] = []
    for k, day in enumerate(days):
        if not day:
            out.append(None)
        elif one_a_day:
            on = model.new_bool_var(f"{name}_on{k}")
            model.add(on == cp_model.LinearExpr.sum(list(day.values())))
            out.append(on)
        else:
            out.append(any_of(model, list(day.values()), f"{name}_on{k}"))
    return out


def add_forbidden_successions(
    model: cp_model.CpModel,
    days: Sequence[Mapping[str, cp_model.IntVar]],
    forbidden: Collection[tuple[str, str]],
    *,
    one_a_day: bool = False,
) -> None:
    """Kind ``a`` on one day is never followed by kind ``b`` on the next.

    With ``one_a_day`` (at most one kind a day, enforced elsewhere) each day's ``a`` and
    every kind forbidden after it the next day form one at-most-one: the same solutions
    with one constraint per (day, kind) instead of one per pair, and a clique the LP uses
    (Curtois Instance 24: 1.2 million constraints in all, where the pairwise clauses alone
    were 9.8 million)."""
    if one_a_day:
        after: dict[str, list[str]] = {}
        for a, b in sorted(forbidden):
            after.setdefault(a, []).append(b)
        for today, tomorrow in itertools.pairwise(days):
            for a, kinds in after.items():
                if a in today:
                    next_day = [tomorrow[b] for b in kinds if b in tomorrow]
                    if next_day:
                        model.add_at_most_one([today[a], *next_day])
        return
    for today, tomorrow in itertools.pairwise(days):
        for a, b in forbidden:
            if a in today and b in tomorrow:
                model.add_bool_or([~today[a], ~tomorrow[b]])


def add_forbidden_on_end_day(
    model: cp_model.CpModel,
    ending: Sequence[Mapping[str, cp_model.IntVar]],
    starting: Sequence[Mapping[str, cp_model.IntVar]],
    forbidden: Collection[tuple[str, str]],
) -> None:
    """Kind ``a`` ending on a day is never followed by kind ``b`` starting on that day: two
    views of the same days, ``ending[k]`` the tasks by the day they end, ``starting[k]`` by
    the day they start (e.g. a night shift ending in the morning, then a day off)."""
    for ends, starts in zip(ending, starting, strict=True):
        for a, b in forbidden:
            if a in ends and b in starts:
                model.add_bool_or([~ends[a], ~starts[b]])


def add_max_run(
    model: cp_model.CpModel, on: Sequence[cp_model.IntVar | None], longest: int
) -> None:
    """No run of on-days lasts more than ``longest`` days: of every ``longest + 1``
    consecutive days one is off (a day that cannot be worked, None, is off)."""
    for first in range(len(on) - longest):
        window = on[first : first + longest + 1]
        if all(lit is not None for lit in window):
            model.add_bool_or([~lit for lit in window if lit is not None])


def add_min_run(
    model: cp_model.CpModel,
    on: Sequence[cp_model.IntVar | None],
    shortest: int,
    *,
    off: bool = False,
    exempt_edges: bool = True,
) -> None:
    """Every run of on-days (or of off-days, with ``off``) lasts at least ``shortest`` days;
    with ``exempt_edges`` a run that touches the first or last day may be shorter."""
    if shortest <= 1:
        return
    n = len(on)

    def is_on(k: int) -> cp_model.LiteralT | int:
        lit = on[k]
        if lit is None:
            return 0 if not off else 1  # a day that cannot be worked is off
        return lit if not off else ~lit

    for length in range(1, shortest):
        for first in range(n - length + 1):
            last = first + length - 1
            if exempt_edges and (first == 0 or last == n - 1):
                continue
            clause: list[cp_model.LiteralT] = []
            fixed_true = False  # the pattern cannot occur
            for k, want in [
                (first - 1, False),
                *((k, True) for k in range(first, last + 1)),
                (last + 1, False),
            ]:
                if k < 0 or k >= n:
                    continue
                lit = is_on(k)
                if isinstance(lit, int):
                    if bool(lit) != want:
                        fixed_true = True
                        break
                    continue
                clause.append(~lit if want else lit)
            if not fixed_true:
                model.add_bool_or(clause)
