"""Independent roster validator.

It shares no code with the solver model: from the project it reads only the scenario
models, and it recomputes instances, windows, flags, holidays and hours itself, so a
roster it passes has been checked against the format, not against the model's own view.

    report = validate_roster(scenario, roster)      # roster: the roster JSON as data
    report.ok, report.breaches, report.figures, report.to_dict()
    Checker(scenario).doctor_breaches("d01", [("natt", date, "duty")])
"""

from __future__ import annotations

from .breach import RULES, Breach
from .checker import Assignment, Checker
from .figures import DoctorFigures, Figures, UnfilledShift
from .report import Report, validate_roster
from .timeline import Instance

__all__ = [
    "RULES",
    "Assignment",
    "Breach",
    "Checker",
    "DoctorFigures",
    "Figures",
    "Instance",
    "Report",
    "UnfilledShift",
    "validate_roster",
]
