"""Load caps: weekly weighted hours, and duties (or night duties) in a run of days (the
model's twin is ``rules/load_caps.py``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from legevakt_opt.families import CAP, NIGHT_WINDOW, SHIFT_WINDOW
from legevakt_opt.scenario import Weights, WindowCap

from .breach import Breach, DoctorView, held_breach, hours_text
from .timeline import PREVIOUS, Held

CAP_TOLERANCE = 1e-6


def weighted_hours(h: Held, weights: Weights) -> float:
    """Hours × the weight of the role (a duty weighs its kind: on_site or on_call)."""
    if h.role == "duty":
        weight = h.instance.duty_weight
    elif h.role == "backup":
        weight = weights.backup
    else:
        weight = weights.video
    return h.instance.hours * weight


def weekly_cap_breaches(
    doctor: str, held: Sequence[Held], cap: float | None, weights: Weights
) -> list[Breach]:
    """One breach per Monday–Sunday week over the cap, naming the assignment that crosses it.

    An assignment counts in the week its instance starts.
    """
    if cap is None:
        return []
    weeks: dict[dt.date, list[Held]] = defaultdict(list)
    for h in held:
        weeks[h.instance.week].append(h)
    out: list[Breach] = []
    for monday in sorted(weeks):
        items = sorted(weeks[monday], key=lambda h: (h.start, h.end, h.role))
        total = sum(weighted_hours(h, weights) for h in items)
        if total <= cap + CAP_TOLERANCE:
            continue
        running = 0.0
        for h in items:
            running += weighted_hours(h, weights)
            # Named on this period's assignment that crosses it (the past may alone).
            if running > cap + CAP_TOLERANCE and h.instance.shift != PREVIOUS:
                sunday = monday + dt.timedelta(days=6)
                text = (
                    f"{total:.2f} weighted hours in the week {monday.isoformat()} to "
                    f"{sunday.isoformat()}; the cap is {hours_text(cap)}"
                )
                out.append(held_breach(h, doctor, CAP, text))
                break
    return out


def window_breaches(
    doctor: str,
    held: Sequence[Held],
    window: WindowCap | None,
    horizon_days: int,
    nights_only: bool,
) -> list[Breach]:
    """At most ``window.shifts`` duties (night duties) in any ``window.days`` consecutive dates.

    Counted by start date. A set of duties fits in one run of horizon dates exactly when
    its dates span fewer than ``min(days, horizon_days)`` dates, so a sliding count over
    the sorted duties finds every excess; the breach names the duty that exceeds.
    """
    if window is None:
        return []
    # Runs of dates reach back into the previous period when its duties are given.
    earlier = any(h.instance.index < 0 for h in held)
    span = window.days if earlier else min(window.days, horizon_days)
    duties = sorted(
        (h for h in held if h.role == "duty" and (h.instance.night or not nights_only)),
        key=lambda h: (h.instance.index, h.start, h.instance.shift),
    )
    rule, what = (NIGHT_WINDOW, "night duties") if nights_only else (SHIFT_WINDOW, "duties")
    out: list[Breach] = []
    first = 0
    for j, h in enumerate(duties):
        while duties[first].instance.index <= h.instance.index - span:
            first += 1
        count = j - first + 1
        if count > window.shifts:
            text = (
                f"{count} {what} from {duties[first].instance.date.isoformat()} to "
                f"{h.instance.date.isoformat()}, within {window.days} days; "
                f"at most {window.shifts} allowed"
            )
            out.append(held_breach(h, doctor, rule, text))
    return out


def doctor_breaches(view: DoctorView) -> list[Breach]:
    """The weekly cap that applies to the doctor, and the policy's shift and night windows,
    the previous period's duties counted in the first week and in the runs of dates."""
    policy, days = view.policy, view.horizon_days
    held = [*view.past, *view.held]
    out = weekly_cap_breaches(view.id, held, view.facts.cap, policy.weights)
    out += window_breaches(view.id, held, policy.max_shifts_in_window, days, False)
    out += window_breaches(view.id, held, policy.max_nights_in_window, days, True)
    return view.about_now(out)
