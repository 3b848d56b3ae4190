"""Availability: no duty for an exempt or unavailable doctor, nor at a station outside the
doctor's list (the model applies the same rules when it makes its variables).

They need nothing but the doctor and the instance, which is why the greedy baseline
and the "why unfilled" explainer can ask them cheaply for a single candidate.
"""

from __future__ import annotations

from legevakt_opt.families import EXEMPT, STATION, UNAVAILABLE

from .breach import Breach, DoctorView, held_breach
from .timeline import overlaps


def doctor_breaches(view: DoctorView) -> list[Breach]:
    """Exempt, unavailable and station breaches of each assignment."""
    out: list[Breach] = []
    doctor, me = view.facts, view.id
    for h in view.held:
        inst = h.instance
        if doctor.exempt:
            out.append(held_breach(h, me, EXEMPT, "the doctor is exempt (fritak) and gets no duty"))
        elif h.role in ("duty", "backup"):
            for first, last, kinds, text in doctor.exemptions:
                if not first <= inst.date <= last:
                    continue
                kind = (
                    "all" in kinds
                    or ("night" in kinds and inst.night)
                    or ("weekend" in kinds and inst.weekend)
                    or ("on_site" in kinds and inst.kind == "on_site")
                )
                if kind:
                    words = f"the doctor is exempt (fritak) from {text}"
                    out.append(held_breach(h, me, EXEMPT, words))
                    break
        for away in doctor.away:
            if overlaps(inst.start, inst.end, away.start, away.end):
                text = f"the doctor is unavailable {away.text}, which overlaps the shift"
                out.append(held_breach(h, me, UNAVAILABLE, text))
                break
        if h.role == "duty" and doctor.stations is not None and inst.station not in doctor.stations:
            allowed = ", ".join(sorted(doctor.stations)) or "none"
            text = (
                f"the shift is at station {inst.station}, "
                f"but the doctor works on site only at: {allowed}"
            )
            out.append(held_breach(h, me, STATION, text))
    return out
