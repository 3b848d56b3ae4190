"""A scenario's doctors, absences and requests as a doctor list workbook, in exactly the
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
from legevakt_opt.io.doctor_list.columns import CATEGORY_LABELS, FIELDS, REQUEST_LABELS
from legevakt_opt.io.doctor_list.records import NO_STATIONS_LABEL
from legevakt_opt.io.doctor_list.template import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    YES_NO,
    build_workbook,
    save,
)
from legevakt_opt.scenario import Doctor, Scenario

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes Excel (or a CSV reader after it) take text for a formula."""


def doctor_list_workbook(scenario: Scenario) -> bytes:
    """The workbook (``.xlsx``): one row per doctor, absence and request, with the
    template's headers and drop-down lists for ``scenario``."""
    wb = build_workbook(scenario)
    doctors, absences, requests = (wb[SHEET_TITLES[k]] for k in FIELDS)
    for d in scenario.doctors:
        _row(doctors, "doctors", _doctor_cells(d))
        for a in d.unavailable:
            _row(
                absences, "absences", {"doctor": d.id, "from": a.start, "to": a.end, "note": a.note}
            )
        for kind, requests_of in (("avoid", d.avoid), ("wish", d.wish)):
            for r in requests_of:
                cells = {"doctor": d.id, "date": r.date, "shift": r.shift}
                _row(requests, "requests", cells | {"type": REQUEST_LABELS[kind]})
    return save(wb)


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


def _row(ws: Worksheet, kind: str, values: dict[str, Any]) -> None:
    """Append one row in the columns of table ``kind``."""
    row = ws.max_row + 1
    for k, f in enumerate(FIELDS[kind], start=1):
        put(ws, row, k, values.get(f.key))


def put(ws: Worksheet, row: int, column: int, value: Any) -> None:
    """Write one cell: dates as date cells, date-times as date-time cells, text as text."""
    if value is None:
        return
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters XML cannot hold
        cell.value = text
        cell.data_type = "s"  # openpyxl takes "=..." for a formula; this is text
        if text.startswith(FORMULA_STARTS):
            cell.quotePrefix = True  # and stays text when edited in Excel
        return
    cell.value = value
    if isinstance(value, dt.datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
