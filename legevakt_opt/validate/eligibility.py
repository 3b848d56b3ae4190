"""Rules one assignment breaks on its own: exempt, unavailable, station, role eligibility.

They need nothing but the doctor and the instance, which is why the greedy baseline
and the "why unfilled" explainer can ask them cheaply for a single candidate.
"""

from __future__ import annotations

from collections.abc import Sequence

from legevakt_opt.scenario import Policy

from .breach import BACKUP, EXEMPT, STATION, UNAVAILABLE, VIDEO, Breach
from .people import DoctorFacts
from .timeline import Held, overlaps


def eligibility_breaches(doctor: DoctorFacts, held: Sequence[Held], policy: Policy) -> list[Breach]:
    """Exempt, unavailable, station and role-eligibility breaches of each assignment."""
    out: list[Breach] = []
    me = doctor.id
    for h in held:
        inst = h.instance
        if doctor.exempt:
            out.append(h.breach(me, EXEMPT, "the doctor is exempt (fritak) and gets no duty"))
        for away in doctor.away:
            if overlaps(inst.start, inst.end, away.start, away.end):
                text = f"the doctor is unavailable {away.text}, which overlaps the shift"
                out.append(h.breach(me, UNAVAILABLE, text))
                break
        if h.role == "duty" and doctor.stations is not None and inst.station not in doctor.stations:
            allowed = ", ".join(sorted(doctor.stations)) or "none"
            text = (
                f"the shift is at station {inst.station}, "
                f"but the doctor works on site only at: {allowed}"
            )
            out.append(h.breach(me, STATION, text))
        if h.role == "backup" and not doctor.independent:
            text = "the doctor is not independent and may not be bakvakt"
            out.append(h.breach(me, BACKUP, text))
        if h.role == "video":
            if not inst.video_enabled:
                text = f"{inst.shift} is not a video shift at a satellite station"
                out.append(h.breach(me, VIDEO, text))
            elif not policy.video_allowed:
                out.append(h.breach(me, VIDEO, "the policy does not allow video cover"))
            if not doctor.video:
                text = "the doctor does not cover satellites by video"
                out.append(h.breach(me, VIDEO, text))
    return out
