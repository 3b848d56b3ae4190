"""Fair shares of a load: the highest load per share, and deviation from proportional."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import gcd

from ortools.sat.python import cp_model

SHARE_RESOLUTION = 1000  # shares are used to 1/1000


@dataclass(frozen=True)
class Load:
    """One worker's load (an integer expression), its bounds, and its share. The lower bound
    is 0 unless the load carries something from before (which may be negative: a worker
    who ended the last period below their share)."""

    expr: cp_model.LinearExprT
    upper: int
    share: float
    lower: int = 0


def share_units(loads: Sequence[Load]) -> tuple[list[int], int]:
    """Integer shares and the integer that stands for a share of 1.0, reduced by their gcd."""
    raw = [max(1, round(load.share * SHARE_RESOLUTION)) for load in loads]
    g = gcd(SHARE_RESOLUTION, *raw)
    return [r // g for r in raw], SHARE_RESOLUTION // g


def shares_summing_to(loads: Sequence[Load], total: int) -> list[int]:
    """Integer shares in proportion to the loads' shares that add up to exactly ``total``
    (largest remainders), so deviations taken over different sets of shares are read on
    one scale."""
    weights = [max(load.share, 0.0) for load in loads]
    whole = sum(weights) or 1.0
    exact = [w * total / whole for w in weights]
    out = [int(x) for x in exact]
    by_remainder = sorted(range(len(exact)), key=lambda k: (out[k] - exact[k], k))
    for k in by_remainder[: total - sum(out)]:
        out[k] += 1
    return out


def deviation_scale(loads: Sequence[Load]) -> int:
    """The sum of the integer shares :func:`add_proportional_deviation` uses by default:
    its value divided by this is the deviation in the loads' own units."""
    return sum(share_units(loads)[0])


def as_variables(model: cp_model.CpModel, loads: Sequence[Load], name: str) -> list[Load]:
    """The same loads, each behind one integer variable, so the rows that use a load (the
    maximum, the deviations) hold one term instead of the whole sum."""
    out = []
    for k, load in enumerate(loads):
        var = model.new_int_var(load.lower, load.upper, f"{name}_load{k}")
        model.add(var == load.expr)
        out.append(Load(var, load.upper, load.share, load.lower))
    return out


def add_max_per_share(model: cp_model.CpModel, loads: Sequence[Load], name: str) -> cp_model.IntVar:
    """An integer ``top`` with ``load / share <= top`` for every worker (rounded up)."""
    shares, one = share_units(loads)
    upper = max(
        (load.upper * one // s + 1 for load, s in zip(loads, shares, strict=True)), default=0
    )
    lower = min((load.lower * one // s for load, s in zip(loads, shares, strict=True)), default=0)
    top = model.new_int_var(min(0, lower), upper, name)
    for load, s in zip(loads, shares, strict=True):
        model.add(one * load.expr <= s * top)
    return top


def tops_per_share(loads: Sequence[Load], values: Sequence[int]) -> list[int]:
    """Each worker's least ``top`` that :func:`add_max_per_share`'s row admits at its load's
    value (``values``: one per load, in order); their maximum is that level's value."""
    shares, one = share_units(loads)
    return [-(-one * v // s) for v, s in zip(values, shares, strict=True)]


def add_proportional_deviation(
    model: cp_model.CpModel, loads: Sequence[Load], name: str, scale: int | None = None
) -> cp_model.LinearExpr:
    """Sum over workers of ``|load * S - share * total|`` (S the sum of shares): zero when
    every worker carries exactly their share of the total, whatever the total is. With
    ``scale`` the shares are rounded to add up to it, so ``S`` is ``scale``; else ``S`` is
    :func:`deviation_scale` and the shares are exact to 1/1000."""
    if len(loads) < 2:
        return cp_model.LinearExpr.constant(0)
    shares = share_units(loads)[0] if scale is None else shares_summing_to(loads, scale)
    total_shares = sum(shares)
    total_upper = sum(load.upper for load in loads)
    total_lower = sum(load.lower for load in loads)
    total = model.new_int_var(min(0, total_lower), total_upper, f"{name}_total")
    model.add(total == cp_model.LinearExpr.sum([load.expr for load in loads]))
    widest = max(abs(total_upper), abs(total_lower))
    devs = []
    for k, (load, s) in enumerate(zip(loads, shares, strict=True)):
        if total_lower >= 0:  # |a - b| <= max(a, b) for a, b >= 0
            bound = max(load.upper * total_shares, s * total_upper)
        else:
            bound = max(abs(load.upper), abs(load.lower)) * total_shares + s * widest
        dev = model.new_int_var(0, bound, f"{name}_dev{k}")
        diff = cp_model.LinearExpr.weighted_sum([load.expr, total], [total_shares, -s])
        model.add(dev >= diff)
        model.add(dev >= -diff)
        devs.append(dev)
    return cp_model.LinearExpr.sum(devs)
