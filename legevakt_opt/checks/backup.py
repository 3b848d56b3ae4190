"""Bakvakt: a doctor who may not work alone has an independent colleague on duty or
exactly one independent bakvakt; only independent doctors are bakvakt, and only where one
is needed (the model's twin is ``rules/backup.py``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from legevakt_opt.families import BACKUP

from .breach import Breach, DoctorView, StaffingView, held_breach, instance_breach
from .facts import DoctorFacts


def needs_backup(duty: Sequence[str], doctors: Mapping[str, DoctorFacts]) -> bool:
    """A duty doctor needs backup and no independent doctor is on duty beside them."""
    facts = [doctors[d] for d in duty]
    return any(f.needs_backup for f in facts) and not any(f.independent for f in facts)


def doctor_breaches(view: DoctorView) -> list[Breach]:
    """A bakvakt who is not independent."""
    if view.facts.independent:
        return []
    text = "the doctor is not independent and may not be bakvakt"
    return [held_breach(h, view.id, BACKUP, text) for h in view.held if h.role == "backup"]


def instance_breaches(view: StaffingView) -> list[Breach]:
    """Exactly one bakvakt where one is needed; none where none is."""
    out: list[Breach] = []
    doctors = view.doctors
    for key, by_role in view.roles.items():
        inst = view.instances[key]
        duty = sorted(by_role.get("duty", ()))
        backup = sorted(by_role.get("backup", ()))
        if needs_backup(duty, doctors):
            if len(backup) == 1:
                continue
            needing = [d for d in duty if doctors[d].needs_backup]
            who = f"{', '.join(needing)} {'needs' if len(needing) == 1 else 'need'}"
            held = (
                f"{len(backup)} doctors hold backup ({', '.join(backup)})"
                if backup
                else "nobody holds backup"
            )
            text = (
                f"{who} a bakvakt and no independent doctor is on duty, but {held}; "
                "exactly one bakvakt is required"
            )
            out.append(instance_breach(inst, BACKUP, text))
        else:
            why = (
                "an independent doctor is on duty"
                if duty and any(doctors[d].needs_backup for d in duty)
                else "no doctor on duty needs one"
            )
            for b in backup:
                text = f"the shift needs no bakvakt ({why})"
                out.append(
                    Breach(
                        BACKUP, f"{b} on {inst.label} (backup): {text}", b, inst.shift, inst.date
                    )
                )
    return out
