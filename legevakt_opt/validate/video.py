"""Video cover of satellites: the host duty, simultaneous satellites, one video doctor.

Eligibility of a single video assignment (video shift, policy, the doctor's ``video``
flag) lives in :mod:`eligibility`; here are the rules that look at several assignments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from legevakt_opt.scenario import Policy

from .breach import VIDEO, Breach
from .timeline import Held, Instance, local_text


def host_breaches(doctor: str, held: Sequence[Held]) -> list[Breach]:
    """Each video assignment needs the doctor's own duty at a linked main station
    whose window contains the satellite instance's whole window."""
    duties = [h.instance for h in held if h.role == "duty"]
    out: list[Breach] = []
    for h in held:
        sat = h.instance
        if h.role != "video" or not sat.video_enabled:
            continue  # a video on a non-video shift is reported by eligibility
        if any(
            d.station in sat.video_from and d.start <= sat.start and d.end >= sat.end
            for d in duties
        ):
            continue
        linked = ", ".join(sorted(sat.video_from)) or "no station"
        text = (
            f"the doctor holds no duty at {linked} covering "
            f"{local_text(sat.begin)} to {local_text(sat.finish)}"
        )
        out.append(h.breach(doctor, VIDEO, text))
    return out


def concurrency_breaches(doctor: str, held: Sequence[Held], policy: Policy) -> list[Breach]:
    """At no moment more than ``video_max_satellites`` video assignments.

    The count only rises at a video start, so checking each start time suffices;
    one breach per start time, naming an assignment that starts then.
    """
    videos = sorted((h for h in held if h.role == "video"), key=lambda h: (h.start, h.end))
    out: list[Breach] = []
    seen: set[int] = set()
    for v in videos:
        if v.start in seen:
            continue
        seen.add(v.start)
        count = sum(1 for w in videos if w.start <= v.start < w.end)
        if count > policy.video_max_satellites:
            text = (
                f"covers {count} satellites by video at once at "
                f"{local_text(v.instance.begin)}; the policy allows at most "
                f"{policy.video_max_satellites}"
            )
            out.append(v.breach(doctor, VIDEO, text))
    return out


def instance_video_breaches(
    instances: Mapping[tuple[str, dt.date], Instance],
    roles: Mapping[tuple[str, dt.date], Mapping[str, Sequence[str]]],
) -> list[Breach]:
    """Per instance: at most one video doctor, and no duty doctor beside a video doctor."""
    out: list[Breach] = []
    for key, by_role in roles.items():
        video = sorted(by_role.get("video", ()))
        if not video:
            continue
        inst = instances[key]
        if len(video) > 1:
            out.append(
                Breach(
                    VIDEO,
                    f"{inst.label}: {len(video)} video doctors ({', '.join(video)}); "
                    "at most one covers a satellite",
                    None,
                    inst.shift,
                    inst.date,
                )
            )
        duty = sorted(by_role.get("duty", ()))
        if duty:
            out.append(
                Breach(
                    VIDEO,
                    f"{inst.label}: covered by video ({', '.join(video)}) and also has "
                    f"doctors on duty ({', '.join(duty)})",
                    None,
                    inst.shift,
                    inst.date,
                )
            )
    return out
