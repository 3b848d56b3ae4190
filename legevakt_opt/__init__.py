"""legevakt-opt: rosters and burden for Norwegian out-of-hours emergency care (legevakt).

from legevakt_opt import load_scenario, solve, validate
scenario = load_scenario("scenarios/hallingdal.yaml")
result = solve(scenario, time_limit=30)
result.roster            # the roster document (legevakt-roster/1)
result.assignments_frame()  # a pandas DataFrame
validate(scenario, result.roster).ok
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from threading import Event
from typing import Any

from legevakt_opt.roster import SolveResult
from legevakt_opt.scenario import Scenario, ScenarioError, load_scenario

__version__ = "0.1.0"
__all__ = ["Scenario", "ScenarioError", "SolveResult", "load_scenario", "solve", "validate"]


def solve(
    scenario: Scenario | str | Path | Mapping[str, Any],
    *,
    time_limit: float = 60.0,
    workers: int = 2,
    seed: int = 0,
    on_progress: Callable[[Any], None] | None = None,
    cancel: Event | None = None,
) -> SolveResult:
    """Solve a scenario (object, file path or mapping) into a validated roster."""
    from legevakt_opt.solve import SolveOptions
    from legevakt_opt.solve import solve as _solve

    options = SolveOptions(time_limit=time_limit, workers=workers, seed=seed)
    return _solve(load_scenario(scenario), options, on_progress=on_progress, cancel=cancel)


def validate(scenario: Scenario | str | Path | Mapping[str, Any], roster: Mapping[str, Any]) -> Any:
    """Check any roster document against a scenario; returns a validation report."""
    from legevakt_opt.checks import validate_roster

    return validate_roster(load_scenario(scenario), roster)
