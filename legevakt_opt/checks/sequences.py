"""Sequences of duties (``policy.sequences``): forbidden successions, a free day after a
night, and the most duty dates in a row (the model's twin is ``rules/sequences.py``, fed by
``model/sequencing.py``).

Read from the format and the policy alone:

- only ``duty`` assignments count (a bakvakt is standby, a video cover rides on a duty);
- a duty is on its instance's start date, its *duty date*;
- an instance is a night when its window touches 00:00–06:00 (the timeline's ``night``),
  else an evening when it starts at or after 15:00 (Oslo time), else a day;
- a night ends on the date of its window's last moment (a window ending at 00:00 ends on
  the date before);
- the previous period's duties (``doctors[].history``) count like this period's, and no
  breach is reported on one of them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Sequence

from legevakt_opt.families import AFTER_NIGHT, CONSECUTIVE_DAYS, SUCCESSION

from .breach import Breach, DoctorView, held_breach
from .timeline import Held, Instance, local_text

_EVENING_FROM = dt.time(15, 0)
_ONE_DAY = dt.timedelta(days=1)
_WORDS = {"night": "a night duty", "evening": "an evening duty", "day": "a day duty"}


def kind(inst: Instance) -> str:
    """``night``, ``evening`` or ``day``."""
    if inst.night:
        return "night"
    return "evening" if inst.begin.time() >= _EVENING_FROM else "day"


def ends_on(inst: Instance) -> dt.date:
    """The date of the window's last moment."""
    finish = inst.finish
    return finish.date() - _ONE_DAY if finish.time() == dt.time() else finish.date()


def _duties(held: Sequence[Held]) -> list[Held]:
    return sorted(
        (h for h in held if h.role == "duty"),
        key=lambda h: (h.instance.date, h.start, h.instance.shift),
    )


def succession_breaches(
    doctor: str, duties: Sequence[Held], forbidden: Collection[tuple[str, str]]
) -> list[Breach]:
    """A duty of a kind forbidden after a duty the doctor holds on the date before."""
    if not forbidden:
        return []
    by_date: dict[dt.date, list[Held]] = defaultdict(list)
    for h in duties:
        by_date[h.instance.date].append(h)
    out: list[Breach] = []
    for h in duties:
        second = kind(h.instance)
        for before in by_date.get(h.instance.date - _ONE_DAY, []):
            first = kind(before.instance)
            if (first, second) in forbidden:
                text = (
                    f"{_WORDS[second]} on the day after {_WORDS[first]} "
                    f"({before.instance.label}) is not allowed"
                )
                out.append(held_breach(h, doctor, SUCCESSION, text))
                break
    return out


def after_night_breaches(doctor: str, duties: Sequence[Held]) -> list[Breach]:
    """A day or evening duty starting on the date a night duty of the doctor ends."""
    nights: dict[dt.date, list[Held]] = defaultdict(list)
    for h in duties:
        if h.instance.night:
            nights[ends_on(h.instance)].append(h)
    out: list[Breach] = []
    for h in duties:
        what = kind(h.instance)
        if what == "night" or not nights.get(h.instance.date):
            continue
        night = nights[h.instance.date][0].instance
        text = (
            f"{_WORDS[what]} on the date the night duty {night.label} ends "
            f"({local_text(night.finish)}); the policy gives the day after a night off"
        )
        out.append(held_breach(h, doctor, AFTER_NIGHT, text))
    return out


def run_breaches(doctor: str, duties: Sequence[Held], longest: int | None) -> list[Breach]:
    """One breach per run of more than ``longest`` duty dates in a row, on the first duty of
    the first date too many."""
    if longest is None:
        return []
    first_of: dict[int, Held] = {}
    for h in duties:
        first_of.setdefault(h.instance.index, h)
    out: list[Breach] = []
    days = sorted(first_of)
    k = 0
    while k < len(days):
        end = k
        while end + 1 < len(days) and days[end + 1] == days[end] + 1:
            end += 1
        length = end - k + 1
        # The first date too many that lies in the horizon (dates before it are history).
        over = next((j for j in range(k + longest, end + 1) if days[j] >= 0), None)
        if length > longest and over is not None:
            start, last = first_of[days[k]].instance.date, first_of[days[end]].instance.date
            text = (
                f"{length} duty dates in a row, {start.isoformat()} to {last.isoformat()}; "
                f"at most {longest} allowed"
            )
            out.append(held_breach(first_of[days[over]], doctor, CONSECUTIVE_DAYS, text))
        k = end + 1
    return out


def doctor_breaches(view: DoctorView) -> list[Breach]:
    """The policy's forbidden successions, free day after a night and longest run."""
    rules = view.policy.sequences
    duties = _duties([*view.past, *view.held])
    out = succession_breaches(view.id, duties, set(rules.forbidden))
    if rules.day_off_after_night:
        out += after_night_breaches(view.id, duties)
    out += run_breaches(view.id, duties, rules.max_consecutive_days)
    return view.about_now(out)
