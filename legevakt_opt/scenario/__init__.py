"""Scenario documents (format ``legevakt-scenario/1``): the models, their field types,
loading from YAML or JSON, and errors that name the field.

- :mod:`.fields`: identifiers, dates, times, selectors, kinds and categories;
- :mod:`.models`: the document as pydantic models, with the format's defaults;
- :mod:`.references`: ids that must exist or be unique, and warnings;
- :mod:`.errors`: :class:`ScenarioError` and the wording of each problem;
- :mod:`.loading`: files and plain data to a :class:`Scenario`.
"""

from __future__ import annotations

from legevakt_opt.scenario.errors import ScenarioError
from legevakt_opt.scenario.fields import (
    DATE_PROBLEM,
    SCENARIO_FORMAT,
    SELECTORS,
    SEQUENCE_KINDS,
    BackupScope,
    Category,
    DutyKind,
    StationKind,
    parse_date,
)
from legevakt_opt.scenario.loading import (
    load_scenario,
    parse_document,
    read_document,
    read_text,
    scenario_from_data,
    scenario_json_schema,
)
from legevakt_opt.scenario.models import (
    Absence,
    ChangeCosts,
    Doctor,
    Exemption,
    FixedAssignment,
    History,
    HistoryDuty,
    Horizon,
    Municipality,
    Policy,
    Request,
    Scenario,
    Sequences,
    ShiftTemplate,
    Station,
    Weights,
    WindowCap,
)

__all__ = [
    "DATE_PROBLEM",
    "SCENARIO_FORMAT",
    "SELECTORS",
    "SEQUENCE_KINDS",
    "Absence",
    "BackupScope",
    "Category",
    "ChangeCosts",
    "Doctor",
    "DutyKind",
    "Exemption",
    "FixedAssignment",
    "History",
    "HistoryDuty",
    "Horizon",
    "Municipality",
    "Policy",
    "Request",
    "Scenario",
    "ScenarioError",
    "Sequences",
    "ShiftTemplate",
    "Station",
    "StationKind",
    "Weights",
    "WindowCap",
    "load_scenario",
    "parse_date",
    "parse_document",
    "read_document",
    "read_text",
    "scenario_from_data",
    "scenario_json_schema",
]
