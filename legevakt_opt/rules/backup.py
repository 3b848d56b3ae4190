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
    model.add_at_most_one(backups)
    cover = sum(independent_duty) + sum(backups)
    for n in needy_duty:
        model.add(n <= cover)
    for b in backups:
        model.add(b <= sum(needy_duty))
        for f in independent_duty:
            model.add_implication(b, ~f)
