"""Lower bounds on the levels that need no search: what no roster can avoid. A level whose
start already meets its floor is proved without calling CP-SAT, and a level's reported
bound is never below it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the model asks these of itself; a runtime import would loop
    from legevakt_opt.model.roster_model import RosterModel


def floor(rm: RosterModel, level: str, fixed_at: dict[str, int]) -> float:
    """A lower bound on a level (model units) that needs no search, given the values
    the levels above were fixed at: what no roster can avoid. 0 for a level without
    one; every level counts something, so 0 is always one."""
    if level == "unfilled":
        return float(unfilled_floor(rm))
    if level == "changes":
        return float(rm.changes_floor)
    if level == "max_burden" and "unfilled" in fixed_at:
        return max_burden_floor(rm, fixed_at["unfilled"])
    return float("-inf") if negative(rm, level) else 0.0


def unfilled_floor(rm: RosterModel) -> int:
    """Doctor-minutes no roster can cover: instances with fewer eligible doctors than
    they need and no video cover."""
    out = 0
    for inst in rm.instances:
        if inst.index in rm.video_used:
            continue
        short = inst.doctors - len(rm.role_at(inst.index, "duty"))
        out += max(0, short) * inst.minutes
    return out


def max_burden_floor(rm: RosterModel, unfilled_minutes: int) -> float:
    """A lower bound on the max burden (model units) that needs no search: the cheapest
    weighted cost of covering every instance, less the dearest cost the allowed unfilled
    minutes could spare, spread over all non-exempt doctors' shares."""
    total = 0.0
    dearest = 0.0  # the most one missing doctor-minute can save
    for inst in rm.instances:
        cost = inst.doctors * rm.role_units(inst, "duty")
        if inst.index in rm.video_used:
            cost = min(cost, rm.role_units(inst, "video"))
        total += cost
        dearest = max(dearest, cost / max(1, inst.minutes * inst.doctors))
    total -= dearest * unfilled_minutes
    fair = rm.fair_doctors()
    # The highest burden is at least the average, the carried burden included.
    total += sum(rm.carried[d] for d in fair)
    shares = sum(rm.doctors[d].share for d in fair)
    if not shares:
        return 0.0
    return total / shares if negative(rm, "max_burden") else max(0.0, total / shares)


def negative(rm: RosterModel, level: str) -> bool:
    """Whether a level can fall below 0: only the highest burden, when some doctor carries
    a burden below their share from before. Every other level counts something."""
    return level == "max_burden" and any(c < 0 for c in rm.carried)
