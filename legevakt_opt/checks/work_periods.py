"""Work periods: one place at a time, rest between work periods and their longest length,
the rules on a doctor's time line (the model's twin is ``rules/work_periods.py``).

Only ``duty`` and ``backup`` windows count; a ``video`` assignment is held alongside
the doctor's own duty by design and would otherwise always overlap it. Two windows that
are the same (one start, one end) may be held together where the policy says so: bakvakt
for several stations' shifts (``backup_scope: district``, at most ``backup_max_shifts``)
and bakvakt beside one's own duty at another station (``backup_while_on_duty``).
"""

from __future__ import annotations

from collections.abc import Sequence

from legevakt_opt.families import OVERLAP, REST, WORK_PERIOD
from legevakt_opt.scenario import Policy

from .breach import Breach, DoctorView, held_breach, hours_text
from .timeline import Held, from_minutes, local_text

_EPS_MIN = 1e-6


def _on_site(held: Sequence[Held]) -> list[Held]:
    """Duty and backup assignments in time order."""
    return sorted((h for h in held if h.role != "video"), key=lambda h: (h.start, h.end))


def _together(first: Held, second: Held, policy: Policy) -> bool:
    """Whether the policy lets one doctor hold both at once."""
    a, b = first.instance, second.instance
    same_window = (first.start, first.end) == (second.start, second.end)
    if not same_window or (a.shift, a.date) == (b.shift, b.date):
        return False
    roles = sorted((first.role, second.role))
    if roles == ["backup", "backup"]:
        return policy.backup_scope == "district"
    if roles == ["backup", "duty"]:
        return policy.backup_while_on_duty and a.station != b.station
    return False


def overlap_breaches(doctor: str, held: Sequence[Held], policy: Policy) -> list[Breach]:
    """One breach per pair of duty/backup windows that share a positive-length moment
    (unless the policy lets them be held together), and one for each bakvakt beyond the
    most one doctor may hold at once."""
    work = _on_site(held)
    out: list[Breach] = []
    for i, first in enumerate(work):
        for second in work[i + 1 :]:
            if second.start >= first.end:
                break
            if _together(first, second, policy):
                continue
            text = (
                f"overlaps {first.instance.label} ({first.role}), "
                f"{local_text(first.instance.begin)} to {local_text(first.instance.finish)}"
            )
            out.append(held_breach(second, doctor, OVERLAP, text))
    if policy.backup_scope == "district":
        out += _too_many_backups(doctor, work, policy.backup_max_shifts)
    return out


def _too_many_backups(doctor: str, work: Sequence[Held], most: int) -> list[Breach]:
    """Bakvakt for more shifts of one window than the policy allows at once."""
    by_window: dict[tuple[float, float], list[Held]] = {}
    for h in work:
        if h.role == "backup":
            by_window.setdefault((h.start, h.end), []).append(h)
    out = []
    for backups in by_window.values():
        for extra in backups[most:]:
            names = ", ".join(h.instance.label for h in backups)
            text = (
                f"bakvakt for {len(backups)} shifts at once ({names}); the policy allows at "
                f"most {most}"
            )
            out.append(held_breach(extra, doctor, OVERLAP, text))
    return out


def rest_breaches(doctor: str, held: Sequence[Held], policy: Policy) -> list[Breach]:
    """Join touching (or overlapping) windows into work periods; check rest and length.

    A ``rest`` breach names the first assignment of the later period; a ``work_period``
    breach names the assignment whose end first carries the period past the limit.
    """
    work = _on_site(held)
    out: list[Breach] = []
    min_rest = policy.min_rest_hours * 60
    max_len = policy.max_work_period_hours * 60
    period_start = period_end = 0
    too_long = False
    for k, h in enumerate(work):
        if k > 0 and h.start <= period_end:
            period_end = max(period_end, h.end)
        else:
            if k > 0:
                gap = h.start - period_end
                if gap < min_rest - _EPS_MIN:
                    text = (
                        f"only {gap / 60:.1f} h rest after the work period ending "
                        f"{local_text(from_minutes(period_end))}; "
                        f"the policy asks for {hours_text(policy.min_rest_hours)} h"
                    )
                    out.append(held_breach(h, doctor, REST, text))
            period_start, period_end, too_long = h.start, h.end, False
        if not too_long and period_end - period_start > max_len + _EPS_MIN:
            too_long = True
            text = (
                f"the work period from {local_text(from_minutes(period_start))} to "
                f"{local_text(from_minutes(period_end))} lasts "
                f"{(period_end - period_start) / 60:.1f} h; the policy allows at most "
                f"{hours_text(policy.max_work_period_hours)} h"
            )
            out.append(held_breach(h, doctor, WORK_PERIOD, text))
    return out


def doctor_breaches(view: DoctorView) -> list[Breach]:
    """Overlap, rest and work-period breaches of one doctor, the previous period's duties
    included (a night that ends on the first morning still needs its rest)."""
    held = [*view.past, *view.held]
    found = overlap_breaches(view.id, held, view.policy)
    found += rest_breaches(view.id, held, view.policy)
    return view.about_now(found)
