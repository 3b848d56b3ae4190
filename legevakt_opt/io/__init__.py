"""Exports of a roster for people and their tools: CSV, Excel and iCalendar.

Each takes the scenario and the roster document (``legevakt-roster/1`` as data) and
returns the file's content; ``doctor=`` narrows the export to one doctor's assignments.

    from legevakt_opt.io import roster_csv, roster_xlsx, roster_ics
    Path("roster.xlsx").write_bytes(roster_xlsx(scenario, result.roster))
    Path("kari.ics").write_bytes(roster_ics(scenario, result.roster, doctor="d01"))
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from legevakt_opt.io.common import ExportError, ExportRow, export_rows
from legevakt_opt.io.csv_export import roster_csv
from legevakt_opt.io.excel import roster_xlsx
from legevakt_opt.io.ics import event_uid, roster_ics
from legevakt_opt.scenario import Scenario

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "ics": ("text/calendar; charset=utf-8", "ics"),
}
"""Export format → (media type, file extension)."""


def export_roster(
    fmt: str, scenario: Scenario, roster: Mapping[str, Any], doctor: str | None = None
) -> bytes:
    """The roster as the content of a ``fmt`` file (a key of :data:`FORMATS`): one place
    that picks the exporter, for the command line and the service alike."""
    if fmt == "csv":
        return roster_csv(scenario, roster, doctor).encode("utf-8")
    if fmt == "xlsx":
        return roster_xlsx(scenario, roster, doctor)
    if fmt == "ics":
        return roster_ics(scenario, roster, doctor)
    raise ValueError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")


__all__ = [
    "FORMATS",
    "ExportError",
    "ExportRow",
    "event_uid",
    "export_roster",
    "export_rows",
    "roster_csv",
    "roster_ics",
    "roster_xlsx",
]
