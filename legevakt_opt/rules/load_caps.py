"""Load caps: a budget per period, and counts in rolling windows of days."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ortools.sat.python import cp_model


def weighted(terms: Sequence[tuple[int, cp_model.IntVar]]) -> cp_model.LinearExpr:
    """``sum(coef * literal)`` as one CP-SAT expression (Python's ``sum`` builds it term by
    term, which showed in the build time of large models)."""
    return cp_model.LinearExpr.weighted_sum([lit for _, lit in terms], [c for c, _ in terms])


def add_budget(
    model: cp_model.CpModel, terms: Sequence[tuple[int, cp_model.IntVar]], cap: int
) -> None:
    """``sum(coef * literal) <= cap``, skipped when it cannot bind."""
    if sum(coef for coef, _ in terms) <= cap:
        return
    model.add(weighted(terms) <= cap)


def add_range(
    model: cp_model.CpModel,
    terms: Sequence[tuple[int, cp_model.IntVar]],
    low: int | None,
    high: int | None,
) -> None:
    """``low <= sum(coef * literal) <= high`` (either side may be open), e.g. a worker's
    total minutes in a period."""
    if high is not None:
        add_budget(model, terms, high)
    if low is not None and low > 0:
        model.add(weighted(terms) >= low)


def add_rolling_count(
    model: cp_model.CpModel,
    per_day: Mapping[int, Sequence[cp_model.IntVar]],
    n_days: int,
    window: int,
    max_count: int,
    earlier: Mapping[int, int] | None = None,
) -> None:
    """In every run of ``window`` consecutive days (of ``n_days``), at most ``max_count``.

    ``earlier``: how many there were on days before the first (negative day numbers), so
    runs that begin before the horizon count them too."""
    before = {day: n for day, n in (earlier or {}).items() if day < 0 and n}
    start = max(1 - window, min(before)) if before else 0
    last_first = max(0, n_days - window)
    for first in range(start, last_first + 1):
        span = range(first, min(n_days, first + window))
        lits = [lit for day in span if day >= 0 for lit in per_day.get(day, [])]
        fixed = sum(before.get(day, 0) for day in span)
        if len(lits) + fixed > max_count:
            # The past may already exceed the cap: then nothing more, never an impossible model.
            model.add(cp_model.LinearExpr.sum(lits) <= max(0, max_count - fixed))
