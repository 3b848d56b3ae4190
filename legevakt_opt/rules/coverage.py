"""Coverage: each task wants a number of workers; shortfall is soft and costed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model


@dataclass(frozen=True)
class Demand:
    """A task needing ``required`` of ``literals`` (one per candidate worker) to be true.

    ``alternative`` (optional) is a literal that covers the task completely by other means;
    when it is true no worker literal may be true. ``weight`` prices each missing worker.
    ``max_extra`` workers above ``required`` are allowed, each priced ``extra_weight``.
    """

    literals: Sequence[cp_model.IntVar]
    required: int
    weight: int
    alternative: cp_model.IntVar | None = None
    max_extra: int = 0
    extra_weight: int = 0


def add_coverage(model: cp_model.CpModel, demands: Sequence[Demand]) -> cp_model.LinearExpr:
    """Add the coverage limits and return the weighted shortfall (plus surplus) to minimise."""
    terms: list[cp_model.LinearExprT] = []
    for demand in demands:
        assigned = cp_model.LinearExpr.sum(list(demand.literals))
        short: cp_model.LinearExprT
        if demand.alternative is not None:
            cap = demand.required + demand.max_extra
            model.add(assigned <= cap * (1 - demand.alternative))
            short = demand.required * (1 - demand.alternative) - assigned
        else:
            model.add(assigned <= demand.required + demand.max_extra)
            short = demand.required - assigned
        if demand.max_extra:
            shortfall = model.new_int_var(0, demand.required, "short")
            surplus = model.new_int_var(0, demand.max_extra, "surplus")
            model.add(short == shortfall - surplus)
            # Never both, so the penalty is the true one in any solution, not only the best.
            over = model.new_bool_var("over")
            model.add(shortfall == 0).only_enforce_if(over)
            model.add(surplus == 0).only_enforce_if(~over)
            terms.append(demand.weight * shortfall + demand.extra_weight * surplus)
        else:
            terms.append(demand.weight * short)
    return cp_model.LinearExpr.sum(terms)
