"""The sequence family's model: a doctor's duty literals per date and kind, fed to the
generic :mod:`legevakt_opt.rules.sequences` (``policy.sequences``).

How the rules see a roster (the validator, ``checks/sequences.py``, decides the same
separately):

- Only ``duty`` counts. A bakvakt is telephone standby and a video cover is held beside
  the doctor's own duty, which already counts.
- A duty is on its instance's start date (its *duty date*, as the format's windows count).
- An instance is ``night`` when its window touches 00:00–06:00 (the format's night), else
  ``evening`` when it starts at or after 15:00, else ``day``.
- A night *ends* on the date of its window's last moment (one ending at 00:00 ends on the
  date before).
- The previous period's duties (``doctors[].history``) count the same way: a night on the
  eve of the horizon forbids what may not follow it on the first date, a night ending on
  the first morning gives that day off, and a run of duty dates up to the eve continues.

Nothing is added when the policy asks for none of the rules, so a scenario without them
gives the same model as before they existed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from legevakt_opt.calendar import Instance, PastDuty
from legevakt_opt.rules import sequences

if TYPE_CHECKING:  # the model calls this on itself; a runtime import would loop
    from legevakt_opt.model.roster_model import RosterModel

EVENING_FROM = dt.time(15, 0)
#: What a free day after a night forbids on the date the night ends.
AFTER_NIGHT = (("night", "day"), ("night", "evening"))

Days = list[dict[str, list[cp_model.IntVar]]]


def kind_of(inst: Instance | PastDuty) -> str:
    """``night``, ``evening`` or ``day``."""
    if inst.night:
        return "night"
    begin = inst.begin if isinstance(inst, PastDuty) else inst.start.time()
    return "evening" if begin >= EVENING_FROM else "day"


def end_date(inst: Instance | PastDuty) -> dt.date:
    """The date of the window's last moment (a window ending at 00:00 ends the date before)."""
    end = inst.finish if isinstance(inst, PastDuty) else inst.end
    return end.date() - dt.timedelta(days=1) if end.time() == dt.time() else end.date()


def add_sequences(rm: RosterModel) -> None:
    """Every doctor's forbidden successions, longest run of duty dates and free day after a
    night, as the policy asks."""
    rules = rm.scenario.policy.sequences
    if not rules.asks_anything:
        return
    n_days = rm.scenario.horizon.days
    forbidden = sorted(set(rules.forbidden))  # sorted: the same model in every process
    for d in range(len(rm.doctors)):
        by_start: Days = [defaultdict(list) for _ in range(n_days)]
        by_end: Days = [defaultdict(list) for _ in range(n_days)]
        for inst, role, lit in rm.by_doctor[d]:
            if role != "duty":
                continue
            kind = kind_of(inst)
            by_start[rm.calendar.day_index(inst.date)][kind].append(lit)
            last = rm.calendar.day_index(end_date(inst))
            if kind == "night" and last < n_days:
                by_end[last][kind].append(lit)
        name = f"seq_d{d}"
        kinds: set[str] = {k for pair in forbidden for k in pair}
        if rules.day_off_after_night:
            kinds |= {b for _, b in AFTER_NIGHT}
        starting = _kinds(rm.model, by_start, kinds, name)
        past = [p for p in rm.past[d] if p.role == "duty"]
        eve = rm.scenario.horizon.start - dt.timedelta(days=1)
        if forbidden:
            sequences.add_forbidden_successions(rm.model, starting, forbidden)
            before = {kind_of(p) for p in past if p.date == eve}
            _forbid(
                rm.model, by_start[0] if n_days else {}, {b for a, b in forbidden if a in before}
            )
        if rules.day_off_after_night:
            ending = _kinds(rm.model, by_end, {"night"}, f"{name}_end")
            sequences.add_forbidden_on_end_day(rm.model, ending, starting, AFTER_NIGHT)
            for p in past:
                last = rm.calendar.day_index(end_date(p))
                if p.night and 0 <= last < n_days:
                    _forbid(rm.model, by_start[last], {b for _, b in AFTER_NIGHT})
        if rules.max_consecutive_days is not None:
            on = [
                _one_of(rm.model, [lit for lits in day.values() for lit in lits], f"{name}_on", k)
                for k, day in enumerate(by_start)
            ]
            carried = min(_run_up_to(eve, {p.date for p in past}), rules.max_consecutive_days)
            # The run up to the eve as days that are on; no more of it than the longest run,
            # so every window checked holds at least one date of the horizon.
            sequences.add_max_run(
                rm.model, [rm.present()] * carried + on, rules.max_consecutive_days
            )


def _forbid(
    model: cp_model.CpModel, day: dict[str, list[cp_model.IntVar]], kinds: set[str]
) -> None:
    """No duty of these kinds starts on this date (the previous period forbids it)."""
    for kind in sorted(kinds):
        for lit in day.get(kind, []):
            model.add(lit == 0)


def _run_up_to(eve: dt.date, dates: set[dt.date]) -> int:
    """How many duty dates in a row end on ``eve``."""
    run = 0
    while eve - dt.timedelta(days=run) in dates:
        run += 1
    return run


def _kinds(
    model: cp_model.CpModel, days: Days, kinds: set[str], name: str
) -> list[dict[str, cp_model.IntVar]]:
    """Per day, ``{kind: literal}`` for the kinds asked: the one duty literal, or their OR."""
    out: list[dict[str, cp_model.IntVar]] = []
    for k, day in enumerate(days):
        out.append(
            {
                kind: lit
                for kind in sorted(kinds)
                if (lit := _one_of(model, day.get(kind, []), f"{name}_{kind}", k)) is not None
            }
        )
    return out


def _one_of(
    model: cp_model.CpModel, lits: Sequence[cp_model.IntVar], name: str, k: int
) -> cp_model.IntVar | None:
    """``lits[0]`` alone, the OR of several, None for none."""
    if not lits:
        return None
    return lits[0] if len(lits) == 1 else sequences.any_of(model, lits, f"{name}{k}")
