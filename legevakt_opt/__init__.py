"""legevakt-opt: rosters and burden for Norwegian out-of-hours emergency care (legevakt).

    from legevakt_opt import load_scenario, solve, validate
    scenario = load_scenario("scenarios/hallingdal.yaml")
    result = solve(scenario, time_limit=30)
    result.roster            # the roster document (legevakt-roster/1)
    result.assignments_frame()  # a pandas DataFrame
    validate(scenario, result.roster).ok

The data flows one way: scenario → calendar → rules and model → engine → roster → checks
→ io (see docs/architecture.md). No submodule shares a name with a function here, so
``legevakt_opt.solve`` and ``legevakt_opt.validate`` stay functions however often they are
called (a test calls each twice).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from threading import Event
from typing import TYPE_CHECKING, Any

from legevakt_opt.checks import Report, validate_roster
from legevakt_opt.scenario import Scenario, ScenarioError, load_scenario

if TYPE_CHECKING:  # the engine loads OR-Tools and pandas (1.5 s); a solve imports it
    from legevakt_opt.engine import OnProgress
    from legevakt_opt.roster import SolveResult

__version__ = "0.1.0"
__all__ = ["Report", "Scenario", "ScenarioError", "load_scenario", "solve", "validate"]

ScenarioLike = Scenario | str | Path | Mapping[str, Any]


def solve(
    scenario: ScenarioLike,
    *,
    time_limit: float = 60.0,
    workers: int = 2,
    seed: int = 0,
    on_progress: OnProgress | None = None,
    cancel: Event | None = None,
) -> SolveResult:
    """Solve a scenario (object, file path or mapping) into a validated roster."""
    from legevakt_opt.engine import SolveOptions  # OR-Tools on first use: import stays light
    from legevakt_opt.engine import solve as _solve

    options = SolveOptions(time_limit=time_limit, workers=workers, seed=seed)
    return _solve(load_scenario(scenario), options, on_progress=on_progress, cancel=cancel)


def validate(scenario: ScenarioLike, roster: Mapping[str, Any]) -> Report:
    """Check any roster document against a scenario; returns the validation report."""
    return validate_roster(load_scenario(scenario), roster)
