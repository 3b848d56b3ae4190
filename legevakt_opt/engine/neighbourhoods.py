"""The roster's neighbourhoods for the large-neighbourhood search (:mod:`.lns`): which
assignments to free together so that a short sub-solve can move duties where they do some
good.

- *busiest*: the doctors highest in burden per share, every one at the max burden always
  among them with as many others again (or the furthest from their share, for the fairness
  level), and others at random, over the whole horizon: duties move from the busy to the
  rest;
- *doctors*: doctors at random, over the whole horizon;
- *weeks*: every doctor's assignments in a few consecutive weeks: duties swap in time;
- *blocks*: a few random doctors in a window of weeks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

from ortools.sat.python import cp_model

from legevakt_opt.engine.lns import Block, Move, RandomGroups, Window, Worst
from legevakt_opt.model import RosterModel
from legevakt_opt.rules import fairness


def roster_moves(rm: RosterModel, level: str) -> list[Move]:
    """The moves for a stage of ``level`` (``max_burden`` or ``fairness``)."""
    weeks = sorted({inst.week for inst in rm.instances})
    week_of = {w: k for k, w in enumerate(weeks)}
    by_doctor: list[list[cp_model.IntVar]] = [[] for _ in rm.doctors]
    by_week: list[list[cp_model.IntVar]] = [[] for _ in weeks]
    cells: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    for _, table in rm.tables():
        for (d, i), lit in table.items():
            w = week_of[rm.instances[i].week]
            by_doctor[d].append(lit)
            by_week[w].append(lit)
            cells[d, w].append(lit)
    grid = [cells[d, w] for d in range(len(rm.doctors)) for w in range(len(weeks))]
    # Every doctor at the max burden (only all their duties together lower it); not the
    # furthest from their share always, for the sum that fairness is (less fair in 10 of
    # 17 runs).
    if level == "max_burden":
        worst = Worst(_busiest(rm), share=0.4, pool=1.5, tied=_at_top(rm))
    else:
        worst = Worst(_furthest(rm), share=0.4, pool=1.5)
    return [
        Move("busiest", by_doctor, worst, size=4.0),
        Move("doctors", by_doctor, RandomGroups(), size=4.0),
        Move("weeks", by_week, Window(), size=1.0),
        Move("blocks", grid, Block(columns=len(weeks), width=min(2, len(weeks))), size=12.0),
    ]


def _loads(rm: RosterModel) -> list[tuple[int, int, float]]:
    """(doctor index, proto index of their burden variable, share) per non-exempt doctor."""
    out = []
    for d, load in zip(rm.fair_doctors(), rm.burden_loads, strict=True):
        assert isinstance(load.expr, cp_model.IntVar)
        out.append((d, load.expr.index, rm.doctors[d].share))
    return out


def _busiest(rm: RosterModel) -> Callable[[Sequence[int]], list[int]]:
    loads = _loads(rm)

    def rank(values: Sequence[int]) -> list[int]:
        order = sorted(loads, key=lambda t: -values[t[1]] / max(t[2], 1e-9))
        return [d for d, _, _ in order]

    return rank


def _at_top(rm: RosterModel) -> Callable[[Sequence[int]], int]:
    """How many doctors reach the max burden, read as its rows read it (load × one ≤
    share × top, in whole units): the busiest ones, tied."""
    loads = _loads(rm)

    def count(values: Sequence[int]) -> int:
        tops = fairness.tops_per_share(rm.burden_loads, [values[v] for _, v, _ in loads])
        highest = max(tops, default=0)
        return sum(t == highest for t in tops)

    return count


def _furthest(rm: RosterModel) -> Callable[[Sequence[int]], list[int]]:
    loads = _loads(rm)
    shares = sum(s for _, _, s in loads) or 1.0

    def rank(values: Sequence[int]) -> list[int]:
        total = sum(values[v] for _, v, _ in loads)
        order = sorted(loads, key=lambda t: -abs(values[t[1]] - t[2] * total / shares))
        return [d for d, _, _ in order]

    return rank
