"""A scenario's doctors, absences, requests and exemptions as a doctor list workbook, in exactly the
form the import reads, so that export, edit in Excel, import gives the doctors back.

Text a person typed (names, notes) is written as a string cell, never a formula: a
scenario from an upload must not make a coordinator's Excel run ``=HYPERLINK(...)``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.worksheet import Worksheet

from legevakt_opt.io.doctor_list.cells import SHEET_TITLES
from legevakt_opt.io.doctor_list.columns import (
    CATEGORY_LABELS,
    DUTY_LABELS,
    FIELDS,
    REQUEST_LABELS,
)
from legevakt_opt.io.doctor_list.records import NO_STATIONS_LABEL
from legevakt_opt.io.doctor_list.template import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    YES_NO,
    build_workbook,
    save,
)
from legevakt_opt.io.escape import text_cell
from legevakt_opt.scenario import Doctor, Scenario


def doctor_list_workbook(scenario: Scenario) -> bytes:
    """The workbook (``.xlsx``): one row per doctor, absence, request and exemption, with
    the template's headers and drop-down lists for ``scenario``. A doctor's ``history``
    is not written: the import keeps it from its base."""
    wb = build_workbook(scenario)
    rows = {kind: _Rows(wb[title], kind) for kind, title in SHEET_TITLES.items()}
    for d in scenario.doctors:
        rows["doctors"].add(_doctor_cells(d))
        for a in d.unavailable:
            rows["absences"].add({"doctor": d.id, "from": a.start, "to": a.end, "note": a.note})
        for kind, requests in (("avoid", d.avoid), ("wish", d.wish)):
            for r in requests:
                cells = {"doctor": d.id, "date": r.date, "shift": r.shift}
                rows["requests"].add(cells | {"type": REQUEST_LABELS[kind]})
        for e in d.exemptions:
            duties = ", ".join(DUTY_LABELS[k] for k in e.from_duties)
            cells = {"doctor": d.id, "from": e.start, "to": e.end, "from_duties": duties}
            rows["exemptions"].add(cells | {"note": e.note})
    return save(wb)


class _Rows:
    """Appends rows to one sheet in its table's column order (counting them itself:
    ``ws.max_row`` looks at every cell, each time)."""

    def __init__(self, ws: Worksheet, kind: str) -> None:
        self.ws, self.fields, self.next = ws, FIELDS[kind], 2

    def add(self, values: dict[str, Any]) -> None:
        for k, f in enumerate(self.fields, start=1):
            put(self.ws, self.next, k, values.get(f.key))
        self.next += 1


def _yes_no(flag: bool | None) -> str:
    return YES_NO[0] if flag else YES_NO[1]


def _doctor_cells(d: Doctor) -> dict[str, Any]:
    if d.stations is None:
        stations = None
    else:
        stations = ", ".join(d.stations) if d.stations else NO_STATIONS_LABEL
    return {
        "id": d.id,
        "name": d.name,
        "municipality": d.municipality,
        "category": CATEGORY_LABELS[d.category.value],
        "independent": _yes_no(d.independent),
        "lis1_completed": _yes_no(d.lis1_completed),
        "video": _yes_no(d.video),
        "share": d.share,
        "exempt": _yes_no(d.exempt),
        "max_hours_per_week": d.max_hours_per_week,
        "stations": stations,
    }


def put(ws: Worksheet, row: int, column: int, value: Any) -> None:
    """Write one cell: dates as date cells, date-times as date-time cells, text as text."""
    if value is None:
        return
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        # Control characters XML cannot hold are dropped; "=..." stays text (escape.py).
        text_cell(cell, ILLEGAL_CHARACTERS_RE.sub("", value))
        return
    cell.value = value
    if isinstance(value, dt.datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
