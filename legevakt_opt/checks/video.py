"""Video cover of satellites: a video shift, allowed, by a video doctor who holds a host
duty; few satellites at once; one video doctor and no duty doctor on the satellite (the
model's twin is ``rules/video.py``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from legevakt_opt.families import VIDEO
from legevakt_opt.scenario import Policy

from .breach import Breach, DoctorView, StaffingView, held_breach
from .facts import DoctorFacts
from .timeline import Held, Instance, local_text


def doctor_breaches(view: DoctorView) -> list[Breach]:
    """Every per-doctor video rule of one doctor."""
    out = eligibility_breaches(view.facts, view.held, view.policy)
    out += host_breaches(view.id, view.held)
    out += concurrency_breaches(view.id, view.held, view.policy)
    return out


def instance_breaches(view: StaffingView) -> list[Breach]:
    """At most one video doctor per satellite instance, and no duty doctor beside one."""
    return instance_video_breaches(view.instances, view.roles)


def eligibility_breaches(doctor: DoctorFacts, held: Sequence[Held], policy: Policy) -> list[Breach]:
    """A video assignment only on a video shift at a satellite, where the policy allows
    video, by a doctor who covers satellites by video."""
    out: list[Breach] = []
    for h in held:
        if h.role != "video":
            continue
        if not h.instance.video_enabled:
            text = f"{h.instance.shift} is not a video shift at a satellite station"
            out.append(held_breach(h, doctor.id, VIDEO, text))
        elif not policy.video_allowed:
            out.append(held_breach(h, doctor.id, VIDEO, "the policy does not allow video cover"))
        if not doctor.video:
            text = "the doctor does not cover satellites by video"
            out.append(held_breach(h, doctor.id, VIDEO, text))
    return out


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
        out.append(held_breach(h, doctor, VIDEO, text))
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
            out.append(held_breach(v, doctor, VIDEO, text))
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
