"""Excel workbook (openpyxl): the roster as a grid, the doctors' load, and what is unfilled.

Sheets:
- ``Roster``: one row per date, one column per shift template; each cell names the doctors
  on it, bakvakt marked ``(B)`` and video ``(V)``, e.g. ``Kari Nordmann, Ola Hansen (B)``;
  an unfilled shift says how many doctors are missing (red); a shift that does not run on
  that date is grey.
- ``Doctors``: weighted hours, duties, nights, weekends, burden, backups and videos.
- ``Unfilled``: date, shift, station, window, missing doctors and what blocked them.
- ``Changes`` (a re-planned roster only): each change against the published roster, with
  the doctors before and after and the reason; its cells in ``Roster`` are yellow.

Header rows are frozen and columns sized to their content.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Mapping
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from legevakt_opt.calendar import expand
from legevakt_opt.checks import validate_roster
from legevakt_opt.io.common import ROLE_MARKS, ExportRow, blocked_text, clock, export_rows
from legevakt_opt.io.escape import neutralise_formulas
from legevakt_opt.scenario import Scenario

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
_WEEKEND_FILL = PatternFill("solid", fgColor="F3F0E6")
_NOT_RUN_FILL = PatternFill("solid", fgColor="E6E6E6")
_UNFILLED_FILL = PatternFill("solid", fgColor="F8CBAD")
_CHANGED_FILL = PatternFill("solid", fgColor="FFE699")
_WRAP = Alignment(wrap_text=True, vertical="top")
_MAX_WIDTH = 60

DOCTOR_COLUMNS = (
    ("Doctor", "id"),
    ("Name", "name"),
    ("Category", "category"),
    ("Municipality", "municipality"),
    ("Share", "share"),
    ("Weighted hours", "weighted_hours"),
    ("Duties", "duties"),
    ("Nights", "nights"),
    ("Weekends", "weekends"),
    ("Burden", "burden"),
    ("Backups", "backups"),
    ("Videos", "videos"),
)


def roster_xlsx(scenario: Scenario, roster: Mapping[str, Any], doctor: str | None = None) -> bytes:
    """The workbook as bytes (``.xlsx``); ``doctor`` narrows Roster and Doctors to one."""
    cal = expand(scenario)
    rows = export_rows(scenario, roster, doctor, calendar=cal)
    wb = Workbook()
    _roster_sheet(wb.active, scenario, cal.holidays, {i.key for i in cal.instances}, rows, roster)
    _doctors_sheet(wb.create_sheet("Doctors"), scenario, roster, rows, doctor)
    _unfilled_sheet(wb.create_sheet("Unfilled"), scenario, roster)
    if isinstance(roster.get("changes"), list):
        _changes_sheet(wb.create_sheet("Changes"), scenario, roster["changes"], doctor)
    neutralise_formulas(wb)  # names, ids and reasons are user text: never a live formula
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _header(ws: Any, row: int, values: Iterable[Any]) -> None:
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col, value=value)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.alignment = _WRAP


def _size_columns(ws: Any, minimum: int = 6) -> None:
    widths: dict[int, int] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            text = cell.value.isoformat() if isinstance(cell.value, dt.date) else str(cell.value)
            longest = max(len(line) for line in text.splitlines() or [""])
            widths[cell.column] = max(widths.get(cell.column, minimum), longest + 2)
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = min(width, _MAX_WIDTH)


def _roster_sheet(
    ws: Any,
    scenario: Scenario,
    holidays: set[dt.date],
    running: set[tuple[str, dt.date]],
    rows: list[ExportRow],
    roster: Mapping[str, Any],
) -> None:
    ws.title = "Roster"
    shifts = list(scenario.shifts)
    stations = {s.id: s.name for s in scenario.stations}
    _header(ws, 1, ["Date", "Day", *[t.id for t in shifts]])
    _header(
        ws,
        2,
        [
            "",
            "",
            *[f"{stations[t.station]}\n{clock_of(t.start)}–{clock_of(t.end)}" for t in shifts],
        ],
    )
    cells: dict[tuple[str, dt.date], list[str]] = {}
    for r in rows:
        cells.setdefault((r.shift, r.date), []).append(r.name + ROLE_MARKS[r.role])
    missing = _unfilled_by_key(roster)
    changed = _changed_keys(roster)
    for k, day in enumerate(scenario.horizon.dates):
        row = 3 + k
        off = day.weekday() >= 5 or day in holidays
        ws.cell(row=row, column=1, value=day).number_format = "yyyy-mm-dd"
        label = _DAYS[day.weekday()] + (" (holiday)" if day in holidays else "")
        ws.cell(row=row, column=2, value=label)
        for col, template in enumerate(shifts, start=3):
            key = (template.id, day)
            cell = ws.cell(row=row, column=col)
            cell.alignment = _WRAP
            if key not in running:
                cell.fill = _NOT_RUN_FILL
                continue
            parts = list(cells.get(key, []))
            if key in missing:
                parts.append(f"{missing[key]} missing")
                cell.fill = _UNFILLED_FILL
            elif key in changed:
                cell.fill = _CHANGED_FILL
            elif off:
                cell.fill = _WEEKEND_FILL
            cell.value = "\n".join(parts) if parts else None
        if off:
            for col in (1, 2):
                ws.cell(row=row, column=col).fill = _WEEKEND_FILL
    ws.freeze_panes = "C3"
    _size_columns(ws)
    ws.column_dimensions["A"].width = 12


def clock_of(value: dt.time) -> str:
    return value.strftime("%H:%M")


def _unfilled_by_key(roster: Mapping[str, Any]) -> dict[tuple[str, dt.date], int]:
    out: dict[tuple[str, dt.date], int] = {}
    items = roster.get("unfilled") or []
    for u in items if isinstance(items, list) else []:
        try:
            out[str(u["shift"]), dt.date.fromisoformat(str(u["date"]))] = int(u["missing"])
        except (KeyError, TypeError, ValueError):
            continue
    return out


def _changed_keys(roster: Mapping[str, Any]) -> set[tuple[str, dt.date]]:
    out: set[tuple[str, dt.date]] = set()
    items = roster.get("changes") or []
    for c in items if isinstance(items, list) else []:
        try:
            out.add((str(c["shift"]), dt.date.fromisoformat(str(c["date"]))))
        except (KeyError, TypeError, ValueError):
            continue
    return out


def _changes_sheet(ws: Any, scenario: Scenario, changes: list[Any], doctor: str | None) -> None:
    names = {d.id: d.name for d in scenario.doctors}
    _header(ws, 1, ["Date", "Shift", "Role", "Before", "After", "Reason"])
    row = 2
    for c in changes:
        if not isinstance(c, Mapping):
            continue
        if doctor is not None and doctor not in (c.get("before"), c.get("after")):
            continue
        try:
            day: Any = dt.date.fromisoformat(str(c.get("date")))
        except ValueError:
            day = c.get("date")
        before, after = c.get("before"), c.get("after")
        values = [
            day,
            c.get("shift"),
            c.get("role"),
            names.get(str(before), before) if before else "",
            names.get(str(after), after) if after else "",
            c.get("reason"),
        ]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=col, value=value)
            if col == 1:
                cell.number_format = "yyyy-mm-dd"
        row += 1
    ws.freeze_panes = "A2"
    _size_columns(ws)
    ws.column_dimensions["A"].width = 12


def _doctor_figures(scenario: Scenario, roster: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The roster's own per-doctor figures, or the validator's when it carries none."""
    claimed = roster.get("doctors")
    if isinstance(claimed, Mapping) and claimed:
        return {str(k): dict(v) for k, v in claimed.items() if isinstance(v, Mapping)}
    figures = validate_roster(scenario, roster).figures.to_dict()
    doctors = figures.get("doctors", {})
    return {str(k): dict(v) for k, v in doctors.items()} if isinstance(doctors, dict) else {}


def _doctors_sheet(
    ws: Any,
    scenario: Scenario,
    roster: Mapping[str, Any],
    rows: list[ExportRow],
    doctor: str | None,
) -> None:
    figures = _doctor_figures(scenario, roster)
    counts: dict[tuple[str, str], int] = {}
    for r in rows:
        counts[r.doctor, r.role] = counts.get((r.doctor, r.role), 0) + 1
    _header(ws, 1, [title for title, _ in DOCTOR_COLUMNS])
    row = 2
    for d in scenario.doctors:
        if doctor is not None and d.id != doctor:
            continue
        f = figures.get(d.id, {})
        values: dict[str, Any] = {
            "id": d.id,
            "name": d.name,
            "category": d.category.value if hasattr(d.category, "value") else d.category,
            "municipality": d.municipality,
            "share": d.share,
            "weighted_hours": f.get("weighted_hours", 0.0),
            "duties": f.get("duties", counts.get((d.id, "duty"), 0)),
            "nights": f.get("nights", 0),
            "weekends": f.get("weekends", 0),
            "burden": f.get("burden", 0.0),
            "backups": f.get("backups", counts.get((d.id, "backup"), 0)),
            "videos": f.get("videos", counts.get((d.id, "video"), 0)),
        }
        if d.exempt:
            values["burden"] = None
        for col, (_, key) in enumerate(DOCTOR_COLUMNS, start=1):
            cell = ws.cell(row=row, column=col, value=values[key])
            if key in ("weighted_hours", "burden", "share"):
                cell.number_format = "0.00"
        row += 1
    ws.freeze_panes = "C2"
    _size_columns(ws)


def _unfilled_sheet(ws: Any, scenario: Scenario, roster: Mapping[str, Any]) -> None:
    cal = expand(scenario)
    stations = {s.id: s.name for s in scenario.stations}
    _header(ws, 1, ["Date", "Shift", "Station", "Start", "End", "Missing", "Blocked by"])
    items = roster.get("unfilled") or []
    row = 2
    for u in items if isinstance(items, list) else []:
        if not isinstance(u, Mapping):
            continue
        try:
            day = dt.date.fromisoformat(str(u.get("date")))
        except ValueError:
            continue
        inst = cal.by_key.get((str(u.get("shift")), day))
        values = [
            day,
            u.get("shift"),
            stations.get(inst.station, inst.station) if inst else None,
            clock(inst.start) if inst else None,
            clock(inst.end) if inst else None,
            u.get("missing"),
            blocked_text(u.get("blocked_by")),
        ]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=col, value=value)
            if col == 1:
                cell.number_format = "yyyy-mm-dd"
        row += 1
    ws.freeze_panes = "A2"
    _size_columns(ws)
    ws.column_dimensions["A"].width = 12
