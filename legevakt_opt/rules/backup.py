"""Bakvakt: a doctor who may not work alone works only with a qualified backup.

Per instance: a duty doctor who needs backup has an independent colleague on duty, or
exactly one independent doctor in the backup role. A backup is held only where one is
needed: some duty doctor needs it and no independent doctor is on duty.
"""

from __future__ import annotations

from collections.abc import Sequence

from ortools.sat.python import cp_model


def add_backup_rule(
    model: cp_model.CpModel,
    needy_duty: Sequence[cp_model.IntVar],
    independent_duty: Sequence[cp_model.IntVar],
    backups: Sequence[cp_model.IntVar],
) -> None:
    """The bakvakt rule for one instance."""
    if not needy_duty:
        for b in backups:
            model.add(b == 0)
        return
    # Each sum built once (LinearExpr.sum, not Python's sum: a large district has
    # hundreds of candidates per shift).
    independent = cp_model.LinearExpr.sum(list(independent_duty))
    held = cp_model.LinearExpr.sum(list(backups))
    # A needy doctor on duty implies one literal ``backed`` that implies some independent
    # doctor on duty or a backup: one long clause per shift, not one per needy doctor.
    backed = model.new_bool_var("backed")
    model.add_bool_or([*independent_duty, *backups]).only_enforce_if(backed)
    for n in needy_duty:
        model.add_implication(n, backed)
    if not backups:
        return
    model.add(held <= 1)
    # Only where needed: some needy doctor on duty, and no independent doctor on duty
    # (one aggregated row instead of one implication per backup × colleague).
    model.add(held <= cp_model.LinearExpr.sum(list(needy_duty)))
    if independent_duty:
        model.add(independent + len(independent_duty) * held <= len(independent_duty))
