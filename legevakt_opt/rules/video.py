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
    """For one doctor: at no moment more than ``max_at_once`` video assignments."""
    for t in sorted({iv.start for iv in intervals}):
        active = [iv.literal for iv in intervals if iv.start <= t < iv.end]
        if len(active) > max_at_once:
            model.add(cp_model.LinearExpr.sum(active) <= max_at_once)
