"""The independent roster validator: every hard rule checked again, every figure recomputed.

It shares no code with the solver model: from the project it reads only the scenario
models and the registry of rule families (plain data), and it recomputes instances,
windows, flags, holidays and hours itself, so a roster it passes has been checked against
the format, not against the model's own view. A test enforces this.

Each hard family of :mod:`legevakt_opt.families` has its module here, named as its twin in
``rules/``: :mod:`.availability`, :mod:`.work_periods`, :mod:`.load_caps`, :mod:`.backup`,
:mod:`.video`, :mod:`.coverage`, :mod:`.fixed`, :mod:`.sequences`. Around them:
:mod:`.timeline` (instances in real time), :mod:`.facts` (what the rules need of a doctor),
:mod:`.reading` (a roster document of any shape), :mod:`.checker` (one doctor's rules),
:mod:`.figures` and :mod:`.report`.

    report = validate_roster(scenario, roster)      # roster: the roster JSON as data
    report.ok, report.breaches, report.figures, report.to_dict()
    Checker(scenario).doctor_breaches("d01", [("natt", date, "duty")])
"""

from __future__ import annotations

from .backup import needs_backup as team_needs_backup
from .breach import RULES, Breach
from .checker import Assignment, Checker
from .facts import needs_backup
from .figures import DoctorFigures, Figures, UnfilledShift
from .report import Report, fixed_conflicts, validate_roster
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
    "fixed_conflicts",
    "needs_backup",
    "team_needs_backup",
    "validate_roster",
]
