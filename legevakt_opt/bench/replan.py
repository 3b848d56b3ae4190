"""Living rosters, measured: re-plan a generated district after one doctor falls ill, and
ask who can take its shifts.

For each district (generated: doctors × weeks): a roster from scratch (the published one),
then a three-day absence for its busiest doctor in the middle of the horizon, then

- the re-plan: time to its first valid roster (the first solution CP-SAT reports, a
  complete start built from the published roster), time until the ``changes`` level is
  proved minimal, the changes it lists, against a roster solved from scratch for the
  changed scenario (how many assignments that one moves);
- recommendations: ``recommend`` for 20 duties of the re-planned roster, timed one by one
  after a first, cold, call (median and worst).
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from legevakt_opt.bench.report import machine_line, write_report
from legevakt_opt.engine import Progress, Published, SolveOptions, solve
from legevakt_opt.generate import DEFAULT_CSV, generate_district, read_municipalities, slug
from legevakt_opt.roster.changes import diff
from legevakt_opt.roster.recommend import recommend
from legevakt_opt.scenario import Scenario, scenario_from_data

COLUMNS = (
    "doctors",
    "weeks",
    "first_valid_s",
    "build_s",
    "changes_proved_s",
    "changes",
    "scratch_changes",
    "changes_vs_scratch",
    "unfilled_h",
    "scratch_unfilled_h",
    "recommend_cold_s",
    "recommend_median_s",
    "recommend_max_s",
    "valid",
)


def _named(roster: dict[str, Any]) -> tuple[tuple[dt.date, str, str, str], ...]:
    return tuple(
        (dt.date.fromisoformat(a["date"]), a["shift"], a["doctor"], a["role"])
        for a in roster["assignments"]
    )


def _ill(scenario: Scenario, roster: dict[str, Any]) -> Scenario:
    """The scenario with its busiest doctor away for three days mid-horizon."""
    ill = max(roster["doctors"], key=lambda d: (roster["doctors"][d]["duties"], d))
    middle = scenario.horizon.start + dt.timedelta(days=scenario.horizon.days // 2)
    doc = scenario.to_document()
    entry = next(d for d in doc["doctors"] if d["id"] == ill)
    entry["unavailable"].append(
        {"from": middle.isoformat(), "to": (middle + dt.timedelta(days=2)).isoformat()}
    )
    return scenario_from_data(doc)


def run_point(
    doctors: int, weeks: int, time_limit: float, workers: int, seed: int
) -> dict[str, Any]:
    rows = [r for r in read_municipalities(DEFAULT_CSV) if slug(r.district) == "molde"]
    scenario = scenario_from_data(
        generate_district(random.Random(seed), rows, weeks=weeks, doctors=doctors)
    )
    options = SolveOptions(time_limit=time_limit, workers=workers, seed=seed)
    published = solve(scenario, options).roster
    changed = _ill(scenario, published)
    marks: list[tuple[str, float]] = []
    started = time.monotonic()

    def seen(p: Progress) -> None:
        marks.append((p.stage, time.monotonic() - started))

    again = solve(changed, options, on_progress=seen, published=Published(_named(published)))
    levels = {lv.name: lv for lv in again.levels}
    # The stages run after the first roster, one after another: unfilled, then changes.
    first_roster = again.solver_info["first_roster_seconds"] or 0.0
    until_changes = sum(lv.seconds for lv in again.levels[:2])
    proved_at = round(first_roster + until_changes, 2) if levels["changes"].proved else None
    scratch = solve(changed, options)
    scratch_changes = len(diff(_named(published), _named(scratch.roster)))
    duties = [a for a in again.roster["assignments"] if a["role"] == "duty"]
    sample = random.Random(seed).sample(duties, min(21, len(duties)))
    timings = []
    for a in sample:
        t = time.monotonic()
        recommend(changed, again.roster, a["date"], a["shift"], relieve=a["doctor"])
        timings.append(time.monotonic() - t)
    return {
        "doctors": doctors,
        "weeks": weeks,
        "time_limit": time_limit,
        "workers": workers,
        "first_valid_s": again.solver_info["first_roster_seconds"],
        "first_cp_sat_s": next((round(t, 2) for stage, t in marks if stage != "start"), None),
        "build_s": again.solver_info["build_seconds"],
        "changes_proved_s": proved_at,
        "changes": len(again.roster["changes"]),
        "scratch_changes": scratch_changes,
        "changes_vs_scratch": round(len(again.roster["changes"]) / scratch_changes, 4)
        if scratch_changes
        else None,
        "unfilled_h": again.figures.unfilled_hours,
        "scratch_unfilled_h": scratch.figures.unfilled_hours,
        "recommend_cold_s": round(timings[0], 3),
        "recommend_median_s": round(statistics.median(timings[1:]), 3),
        "recommend_max_s": round(max(timings[1:]), 3),
        "valid": again.valid and scratch.valid,
        "changes_level": levels["changes"].value,
        "changes_bound": levels["changes"].bound,
    }


def run(
    points: Sequence[tuple[int, int]], time_limit: float, workers: int, out: Path, seed: int = 0
) -> list[dict[str, Any]]:
    rows = []
    for doctors, weeks in points:
        row = run_point(doctors, weeks, time_limit, workers, seed)
        print({k: row[k] for k in COLUMNS}, flush=True)
        rows.append(row)
    head = [
        "# Living rosters: re-plan after one absence, and who can take a shift",
        "",
        machine_line(),
        f"time limit {time_limit:g} s, {workers} CP-SAT workers, seed {seed}; district "
        "generated from the Molde municipalities",
    ]
    write_report(out, "replan", rows, head, COLUMNS)
    return rows
