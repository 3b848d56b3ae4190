"""The next period's ``history``, made from the previous period's roster: each doctor's
duties of its last days (so rest, work periods and rolling windows hold across the
boundary) and the burden they carry forward (``doctors[].carry_forward`` of that roster).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from legevakt_opt.calendar import expand
from legevakt_opt.scenario import Scenario, parse_date, scenario_from_data

#: How many days before the new horizon a previous duty still matters at least (the rest
#: after a night, a week's cap); longer when a rolling window or the longest run of duty
#: dates (``policy.sequences.max_consecutive_days``) of the policy is.
LOOKBACK_DAYS = 7


class HistoryError(ValueError):
    """The previous roster does not fit the previous scenario."""


def with_history(
    scenario: Scenario, previous: Scenario, roster: Mapping[str, Any]
) -> tuple[Scenario, list[str]]:
    """``scenario`` with each doctor's ``history`` from ``roster`` (of ``previous``),
    matched by doctor id; and notes on what was left out (doctors new this period)."""
    policy = scenario.policy
    windows = [w.days for w in (policy.max_shifts_in_window, policy.max_nights_in_window) if w]
    run = policy.sequences.max_consecutive_days
    lookback = max([LOOKBACK_DAYS, *windows, run or 0])
    first = scenario.horizon.start
    earliest = dt.datetime.combine(first - dt.timedelta(days=lookback), dt.time())
    start_of_new = dt.datetime.combine(first, dt.time())
    by_key = expand(previous).by_key
    duties: dict[str, list[dict[str, Any]]] = {d.id: [] for d in scenario.doctors}
    for k, a in enumerate(roster.get("assignments", [])):
        if a.get("role") not in ("duty", "backup"):
            continue
        try:
            inst = by_key[str(a["shift"]), parse_date(a["date"])]
        except (KeyError, ValueError):
            raise HistoryError(
                f"assignments[{k}]: no shift {a.get('shift')!r} on {a.get('date')!r} in the "
                "previous scenario"
            ) from None
        begin, end = inst.start.replace(tzinfo=None), inst.end.replace(tzinfo=None)
        if a["doctor"] in duties and earliest <= begin < start_of_new:
            duties[a["doctor"]].append(
                {
                    "start": begin.strftime("%Y-%m-%dT%H:%M"),
                    "end": end.strftime("%Y-%m-%dT%H:%M"),
                    "role": a["role"],
                    "kind": inst.kind,
                }
            )
    carried = {k: v.get("carry_forward", 0.0) for k, v in (roster.get("doctors") or {}).items()}
    doc = scenario.to_document()
    notes = []
    for d in doc["doctors"]:
        if d["id"] not in carried and not duties.get(d["id"]):
            notes.append(f"{d['id']}: not in the previous roster; starts with no history")
            continue
        d["history"] = {
            "carried_burden": round(float(carried.get(d["id"], 0.0)), 4),
            "duties": duties.get(d["id"], []),
        }
    return scenario_from_data(doc), notes
