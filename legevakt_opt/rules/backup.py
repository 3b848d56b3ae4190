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
    if not backups:
        for n in needy_duty:
            model.add(n <= sum(independent_duty))
        return
    held = sum(backups)
    model.add(held <= 1)
    for n in needy_duty:
        model.add(n <= sum(independent_duty) + held)
    # Only where needed: some needy doctor on duty, and no independent doctor on duty
    # (one aggregated row instead of one implication per backup × colleague).
    model.add(held <= sum(needy_duty))
    if independent_duty:
        model.add(sum(independent_duty) + len(independent_duty) * held <= len(independent_duty))
