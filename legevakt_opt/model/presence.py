"""A doctor's presence on the time line: one literal per window they may be at work in,
fed to the work-period rules (no overlap, rest, the longest work period).

By default each instance is a window of its own, so two assignments that share a moment
can never both be held. Where the policy lets one doctor hold several assignments at
once (``backup_scope: district``: bakvakt for shifts of the same window at several
stations; ``backup_while_on_duty``: on duty at one station and bakvakt at another), the
instances of one window (the same start and end) share one presence literal, and what may
be held together in it is said here. The validator decides the same separately
(``checks/work_periods.py``).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from legevakt_opt.calendar import Instance
from legevakt_opt.scenario import BackupScope, Policy

if TYPE_CHECKING:  # the model calls this on itself; a runtime import would loop
    from legevakt_opt.model.roster_model import RosterModel

Held = tuple[Instance, str, cp_model.IntVar]


def shares_windows(policy: Policy) -> bool:
    """Whether any assignment may be held beside another at the same time."""
    return policy.backup_scope is BackupScope.DISTRICT or policy.backup_while_on_duty


def work_literals(rm: RosterModel, d: int) -> list[tuple[Instance, cp_model.IntVar]]:
    """Doctor d's duty-or-backup presence per window (a literal each), in start order."""
    policy = rm.scenario.policy
    together = shares_windows(policy)
    groups: dict[tuple[int, ...], list[Held]] = defaultdict(list)
    for inst, role, lit in rm.by_doctor[d]:
        if role == "video":  # held beside the doctor's own duty by design
            continue
        key: tuple[int, ...] = (inst.start_min, inst.end_min) if together else (inst.index,)
        groups[key].append((inst, role, lit))
    out = []
    for key in sorted(groups, key=lambda k: min(inst.index for inst, _, _ in groups[k])):
        held = groups[key]
        first = min((inst for inst, _, _ in held), key=lambda inst: inst.index)
        if len(held) == 1:
            out.append((first, held[0][2]))
            continue
        present = rm.model.new_bool_var(f"work_d{d}_i{first.index}")
        if len({inst.index for inst, _, _ in held}) == 1:
            rm.model.add(sum(lit for _, _, lit in held) == present)  # one role per instance
        else:
            _held_together(rm.model, held, policy)
            rm.model.add_max_equality(present, [lit for _, _, lit in held])
        out.append((first, present))
    return out


def _held_together(model: cp_model.CpModel, held: list[Held], policy: Policy) -> None:
    """What one doctor may hold at once in one window: one role per instance, one duty,
    bakvakt for at most ``backup_max_shifts`` shifts (one unless the scope is the district),
    and a bakvakt beside a duty only when the policy allows it, at another station."""
    by_instance: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for inst, _, lit in held:
        by_instance[inst.index].append(lit)
    for lits in by_instance.values():
        if len(lits) > 1:
            model.add(cp_model.LinearExpr.sum(lits) <= 1)
    duties = [(inst, lit) for inst, role, lit in held if role == "duty"]
    backups = [(inst, lit) for inst, role, lit in held if role == "backup"]
    if len(duties) > 1:
        model.add_at_most_one(lit for _, lit in duties)
    most = policy.backup_max_shifts if policy.backup_scope is BackupScope.DISTRICT else 1
    if len(backups) > most:
        model.add(cp_model.LinearExpr.sum([lit for _, lit in backups]) <= most)
    for d_inst, duty in duties:
        for b_inst, backup in backups:
            if not policy.backup_while_on_duty or d_inst.station == b_inst.station:
                model.add_bool_or([~duty, ~backup])
