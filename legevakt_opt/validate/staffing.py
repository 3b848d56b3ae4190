"""Rules on who staffs one instance together: not overfilled, and backup when needed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from .breach import BACKUP, OVERFILLED, Breach
from .people import DoctorFacts
from .timeline import Instance

Key = tuple[str, dt.date]


def overfilled_breaches(
    instances: Mapping[Key, Instance], roles: Mapping[Key, Mapping[str, Sequence[str]]]
) -> list[Breach]:
    """More doctors on duty than the template asks for."""
    out: list[Breach] = []
    for key, by_role in roles.items():
        duty = sorted(by_role.get("duty", ()))
        inst = instances[key]
        if len(duty) > inst.doctors:
            out.append(
                Breach(
                    OVERFILLED,
                    f"{inst.label}: {len(duty)} doctors on duty ({', '.join(duty)}); "
                    f"the shift needs {inst.doctors}",
                    None,
                    inst.shift,
                    inst.date,
                )
            )
    return out


def needs_backup(duty: Sequence[str], doctors: Mapping[str, DoctorFacts]) -> bool:
    """A duty doctor needs backup and no independent doctor is on duty beside them."""
    facts = [doctors[d] for d in duty]
    return any(f.needs_backup for f in facts) and not any(f.independent for f in facts)


def backup_breaches(
    instances: Mapping[Key, Instance],
    roles: Mapping[Key, Mapping[str, Sequence[str]]],
    doctors: Mapping[str, DoctorFacts],
) -> list[Breach]:
    """Exactly one bakvakt where one is needed; none where none is.

    Whether each backup holder is independent is checked per doctor (eligibility).
    """
    out: list[Breach] = []
    for key, by_role in roles.items():
        inst = instances[key]
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
            out.append(
                Breach(
                    BACKUP,
                    f"{inst.label}: {who} a bakvakt and no independent doctor is on "
                    f"duty, but {held}; exactly one bakvakt is required",
                    None,
                    inst.shift,
                    inst.date,
                )
            )
        else:
            why = (
                "an independent doctor is on duty"
                if duty and any(doctors[d].needs_backup for d in duty)
                else "no doctor on duty needs one"
            )
            for b in backup:
                out.append(
                    Breach(
                        BACKUP,
                        f"{b} on {inst.label} (backup): the shift needs no bakvakt ({why})",
                        b,
                        inst.shift,
                        inst.date,
                    )
                )
    return out
