"""Coverage: no instance has more doctors on duty than it asks for (the model's twin is
``rules/coverage.py``; what is left short is not a breach but ``unfilled``, see
:mod:`.figures`)."""

from __future__ import annotations

from legevakt_opt.families import OVERFILLED

from .breach import Breach, StaffingView, instance_breach


def instance_breaches(view: StaffingView) -> list[Breach]:
    """More doctors on duty than the template asks for."""
    out: list[Breach] = []
    for key, by_role in view.roles.items():
        duty = sorted(by_role.get("duty", ()))
        inst = view.instances[key]
        if len(duty) > inst.doctors:
            text = (
                f"{len(duty)} doctors on duty ({', '.join(duty)}); the shift needs {inst.doctors}"
            )
            out.append(instance_breach(inst, OVERFILLED, text))
    return out
