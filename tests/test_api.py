"""The Python API as the README shows it: ``import legevakt_opt as lo`` and its names.

Each public function is called twice through the package attribute: a submodule of the
same name once replaced ``lo.solve`` by a module on the first call."""

from __future__ import annotations

import legevakt_opt as lo
from tests.helpers import doctor, scenario_data, shift


def _document() -> dict[str, object]:
    return scenario_data([shift("dag", "08:00", "16:00")], [doctor("d1"), doctor("d2")], days=2)


def test_every_public_function_works_twice_through_the_package() -> None:
    data = _document()
    for _ in range(2):
        scenario = lo.load_scenario(data)
        result = lo.solve(scenario, time_limit=5, workers=1)
        assert result.valid and result.status == "optimal"
        report = lo.validate(scenario, result.roster)
        assert report.ok
        assert isinstance(report, lo.Report)
    assert callable(lo.solve) and callable(lo.validate) and callable(lo.load_scenario)


def test_the_public_names_are_what_the_readme_says() -> None:
    assert set(lo.__all__) == {
        "Report",
        "Scenario",
        "ScenarioError",
        "load_scenario",
        "solve",
        "validate",
    }
    for name in lo.__all__:
        assert not isinstance(getattr(lo, name), type(lo)), f"lo.{name} is a module"


def test_solve_takes_a_mapping_or_a_scenario() -> None:
    data = _document()
    from_mapping = lo.solve(data, time_limit=5, workers=1)
    from_object = lo.solve(lo.load_scenario(data), time_limit=5, workers=1)
    assert from_mapping.roster["assignments"] == from_object.roster["assignments"]
