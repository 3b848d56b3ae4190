"""Video: a satellite shift covered by a doctor on duty at a linked main station.

The video doctor must hold a duty whose window contains the satellite's, and covers at
most a few satellites at any moment.
"""

from __future__ import annotations

from collections.abc import Sequence

from ortools.sat.python import cp_model

from legevakt_opt.rules.work_periods import Interval


def add_video_cover(
    model: cp_model.CpModel,
    video: Sequence[tuple[cp_model.IntVar, Sequence[cp_model.IntVar]]],
) -> cp_model.IntVar:
    """One satellite instance: each (video literal, that doctor's host duty literals).

    Returns the literal 'covered by video'; at most one doctor covers it.
    """
    used = model.new_bool_var("video_used")
    model.add(cp_model.LinearExpr.sum([lit for lit, _ in video]) == used)
    for lit, host_duties in video:
        if host_duties:
            model.add(lit <= cp_model.LinearExpr.sum(host_duties))
        else:
            model.add(lit == 0)
    return used


def add_video_concurrency(
    model: cp_model.CpModel, intervals: Sequence[Interval], max_at_once: int
) -> None:
    """For one doctor: at no moment more than ``max_at_once`` video assignments.

    One row per start time over the assignments running then, found in one sweep by start
    (a scan of all of them per start time grew with the square of the horizon)."""
    by_start = sorted(range(len(intervals)), key=lambda k: intervals[k].start)
    active: list[int] = []
    taken = 0
    for t in sorted({iv.start for iv in intervals}):
        while taken < len(by_start) and intervals[by_start[taken]].start <= t:
            active.append(by_start[taken])
            taken += 1
        active = [k for k in active if intervals[k].end > t]
        if len(active) > max_at_once:
            lits = [intervals[k].literal for k in sorted(active)]
            model.add(cp_model.LinearExpr.sum(lits) <= max_at_once)
