"""Builders for the doctor list tests: a small base scenario, and real ``.xlsx`` and
``.csv`` files made in the test (openpyxl, bytes), so each test shows its whole input.

Test modules import these as ``from tests.doctor_list_fixtures import ...``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pytest
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from legevakt_opt.io.doctor_list import DoctorListError, ImportResult, import_doctor_list
from legevakt_opt.scenario import Scenario, scenario_from_data

DOCTOR_HEADER = ["id", "navn", "kommune", "kategori"]
ABSENCE_HEADER = ["lege", "fra", "til", "merknad"]
REQUEST_HEADER = ["lege", "dato", "vakt", "type"]


def base_data(**fields: Any) -> dict[str, Any]:
    """A district with Unicode ids (``ål``), a satellite with video, three shifts and one
    doctor of its own (which an import replaces)."""
    data: dict[str, Any] = {
        "format": "legevakt-scenario/1",
        "name": "Testdistrikt",
        "horizon": {"start": "2027-01-04", "days": 28, "holidays": []},
        "municipalities": [
            {"id": "ål", "name": "Ål"},
            {"id": "gol", "name": "Gol"},
            {"id": "baerum", "name": "Bærum"},
        ],
        "stations": [
            {"id": "ål-lv", "name": "Ål legevakt", "municipality": "ål", "kind": "main"},
            {
                "id": "gol-sat",
                "name": "Gol satellitt",
                "municipality": "gol",
                "kind": "satellite",
                "video_from": ["ål-lv"],
            },
        ],
        "shifts": [
            {"id": "kveld", "station": "ål-lv", "start": "16:00", "end": "23:00"},
            {"id": "natt", "station": "ål-lv", "start": "23:00", "end": "08:00"},
            {"id": "gol-kveld", "station": "gol-sat", "start": "16:00", "end": "22:00"},
        ],
        "doctors": [{"id": "gammel", "name": "Gammel Lege", "municipality": "gol"}],
        "policy": {"max_hours_per_week": 40},
    }
    return data | fields


def base(**fields: Any) -> Scenario:
    return scenario_from_data(base_data(**fields))


def xlsx(
    sheets: Mapping[str, Sequence[Sequence[Any]]],
    setup: Callable[[Workbook], None] | None = None,
) -> bytes:
    """A workbook with one sheet per entry, rows from row 1. Date cells get the format
    ``dd.mm.yyyy`` and date-time cells ``dd.mm.yyyy hh:mm``, as Norwegian Excel shows
    them; ``setup`` may change anything before saving."""
    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, dt.datetime):
                    cell.number_format = "dd.mm.yyyy hh:mm"
                elif isinstance(value, dt.date):
                    cell.number_format = "dd.mm.yyyy"
    if setup is not None:
        setup(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def sheet(wb: Workbook, title: str) -> Worksheet:
    ws = wb[title]
    assert isinstance(ws, Worksheet)
    return ws


def csv_bytes(
    rows: Sequence[Sequence[str]],
    *,
    sep: str = ";",
    encoding: str = "utf-8",
    bom: bool = False,
    newline: str = "\r\n",
) -> bytes:
    """A CSV file as Excel writes one: ``;`` and CRLF unless told otherwise."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator=newline).writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def doctors_sheet(*rows: Sequence[Any], header: Sequence[str] = DOCTOR_HEADER) -> list[list[Any]]:
    return [list(header), *(list(r) for r in rows)]


def ok(sources: Sequence[tuple[str, bytes]], scenario: Scenario | None = None) -> ImportResult:
    return import_doctor_list(sources, scenario or base())


def errors(
    sources: Sequence[tuple[str, bytes]], scenario: Scenario | None = None, **kw: Any
) -> list[str]:
    """The import's error lines (it must fail)."""
    with pytest.raises(DoctorListError) as info:
        import_doctor_list(sources, scenario or base(), **kw)
    assert str(info.value) == "\n".join(info.value.errors)
    return info.value.errors
