"""Exports without the service: CSV (one row per assignment), XLSX (Roster grid, Doctors,
Unfilled; frozen headers, sized columns) and ICS (one VEVENT per assignment, Europe/Oslo
with a VTIMEZONE, stable UIDs, one doctor's calendar)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from legevakt_opt.baseline import greedy_roster
from legevakt_opt.calendar import expand
from legevakt_opt.io import ExportError, event_uid, roster_csv, roster_ics, roster_xlsx
from legevakt_opt.roster import build_result
from legevakt_opt.scenario import Scenario, load_scenario, scenario_from_data
from tests.helpers import nordic_data, solve_ok

ROOT = Path(__file__).resolve().parents[1]


def _roster(name: str) -> tuple[Scenario, dict[str, Any]]:
    """The hand method's roster (valid, instant) of a shared example."""
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    cal = expand(scenario)
    result = build_result(
        scenario,
        cal,
        greedy_roster(scenario, cal),
        status="feasible",
        levels=[],
        runtime=0.0,
        solver_info={},
    )
    assert result.valid
    return scenario, result.roster


@pytest.fixture(scope="module")
def video() -> tuple[Scenario, dict[str, Any]]:
    """Satellites by video, bakvakt, across Easter and the 2027-03-28 DST change."""
    return _roster("satellites-video")


@pytest.fixture(scope="module")
def lis1() -> tuple[Scenario, dict[str, Any]]:
    return _roster("small-lis1")


def _without_stamps(ics: bytes) -> list[bytes]:
    return [line for line in ics.split(b"\r\n") if not line.startswith(b"DTSTAMP")]


def _roles(roster: dict[str, Any]) -> set[str]:
    return {a["role"] for a in roster["assignments"]}


def test_examples_hold_every_role(video: tuple[Scenario, dict[str, Any]]) -> None:
    assert _roles(video[1]) == {"duty", "backup", "video"}


# ---------------------------------------------------------------- CSV


def test_csv_one_row_per_assignment(video: tuple[Scenario, dict[str, Any]]) -> None:
    scenario, roster = video
    rows = list(csv.DictReader(io.StringIO(roster_csv(scenario, roster))))
    assert len(rows) == len(roster["assignments"])
    assert list(rows[0]) == ["date", "start", "end", "station", "shift", "role", "doctor", "name"]
    names = {d.id: d.name for d in scenario.doctors}
    for row, a in zip(rows, roster["assignments"], strict=True):
        assert (row["date"], row["shift"], row["doctor"], row["role"]) == (
            a["date"],
            a["shift"],
            a["doctor"],
            a["role"],
        )
        assert row["name"] == names[a["doctor"]]
        start, end = dt.datetime.fromisoformat(row["start"]), dt.datetime.fromisoformat(row["end"])
        assert start.utcoffset() is not None and end > start
    # Across the spring DST change the offset moves from +01:00 to +02:00.
    offsets = {r["start"][-6:] for r in rows}
    assert offsets == {"+01:00", "+02:00"}
    night = next(r for r in rows if r["date"] == "2027-03-27" and r["end"].startswith("2027-03-28"))
    assert night["start"].endswith("+01:00") and night["end"].endswith("+02:00")


def test_csv_one_doctor(lis1: tuple[Scenario, dict[str, Any]]) -> None:
    scenario, roster = lis1
    doctor = roster["assignments"][0]["doctor"]
    rows = list(csv.DictReader(io.StringIO(roster_csv(scenario, roster, doctor))))
    assert rows and {r["doctor"] for r in rows} == {doctor}
    assert len(rows) == sum(a["doctor"] == doctor for a in roster["assignments"])


# ---------------------------------------------------------------- XLSX


def test_xlsx_sheets_grid_and_marks(video: tuple[Scenario, dict[str, Any]]) -> None:
    scenario, roster = video
    wb = load_workbook(io.BytesIO(roster_xlsx(scenario, roster)))
    assert wb.sheetnames == ["Roster", "Doctors", "Unfilled"]
    grid = wb["Roster"]
    assert grid.freeze_panes == "C3"
    assert [c.value for c in grid[1]][2:] == [t.id for t in scenario.shifts]
    assert grid.max_row == 2 + scenario.horizon.days
    assert grid.column_dimensions["C"].width > 6
    names = {d.id: d.name for d in scenario.doctors}
    col = {t.id: k + 3 for k, t in enumerate(scenario.shifts)}
    for a in roster["assignments"]:
        row = 3 + (dt.date.fromisoformat(a["date"]) - scenario.horizon.start).days
        text = grid.cell(row=row, column=col[a["shift"]]).value
        mark = {"duty": "", "backup": " (B)", "video": " (V)"}[a["role"]]
        assert names[a["doctor"]] + mark in text.split("\n"), (a, text)
    doctors = wb["Doctors"]
    assert doctors.freeze_panes is not None
    header = [c.value for c in doctors[1]]
    for title in ("Weighted hours", "Duties", "Nights", "Weekends", "Burden"):
        assert title in header
    assert doctors.max_row == 1 + len(scenario.doctors)
    by_id = {
        r[0]: dict(zip(header, r, strict=True))
        for r in doctors.iter_rows(min_row=2, values_only=True)
    }
    for doc_id, figures in roster["doctors"].items():
        assert by_id[doc_id]["Duties"] == figures["duties"]
        assert by_id[doc_id]["Weighted hours"] == pytest.approx(figures["weighted_hours"])


def test_xlsx_unfilled_sheet(lis1: tuple[Scenario, dict[str, Any]]) -> None:
    scenario, roster = lis1
    roster = dict(roster)
    roster["unfilled"] = [
        {
            "date": "2027-02-03",
            "shift": "natt",
            "missing": 1,
            "blocked_by": {"cap": 4, "unavailable": 2},
        }
    ]
    wb = load_workbook(io.BytesIO(roster_xlsx(scenario, roster)))
    sheet = wb["Unfilled"]
    assert sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1
    day, shift, _station, start, end, missing, blocked = rows[0]
    assert (day.date(), shift, start, end, missing) == (
        dt.date(2027, 2, 3),
        "natt",
        "23:00",
        "08:00",
        1,
    )
    assert blocked == "cap 4, unavailable 2"
    grid = wb["Roster"]
    col = 3 + [t.id for t in scenario.shifts].index("natt")
    assert "1 missing" in grid.cell(row=3 + 2, column=col).value


# ---------------------------------------------------------------- ICS


def test_ics_one_event_per_assignment(video: tuple[Scenario, dict[str, Any]]) -> None:
    scenario, roster = video
    cal = Calendar.from_ical(roster_ics(scenario, roster))
    events = cal.walk("VEVENT")
    assert len(events) == len(roster["assignments"])
    (tz,) = cal.walk("VTIMEZONE")
    assert str(tz["TZID"]) == "Europe/Oslo"
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    by_uid = {
        event_uid(scenario.name, a["date"], a["shift"], a["doctor"], a["role"]): a
        for a in roster["assignments"]
    }
    inst = expand(scenario).by_key
    for e in events:
        a = by_uid[str(e["UID"])]
        start = e.decoded("DTSTART")
        assert start.tzinfo is not None and e["DTSTART"].params["TZID"] == "Europe/Oslo"
        window = inst[a["shift"], dt.date.fromisoformat(a["date"])]
        assert start == window.start and e.decoded("DTEND") == window.end


def test_ics_uids_are_stable(lis1: tuple[Scenario, dict[str, Any]]) -> None:
    scenario, roster = lis1
    first = Calendar.from_ical(roster_ics(scenario, roster, stamp=dt.datetime(2027, 1, 1)))
    again = Calendar.from_ical(roster_ics(scenario, roster))
    assert [str(e["UID"]) for e in first.walk("VEVENT")] == [
        str(e["UID"]) for e in again.walk("VEVENT")
    ]
    # A re-roster that moves one shift keeps every other event's UID.
    moved = dict(roster)
    moved["assignments"] = roster["assignments"][1:]
    later = {str(e["UID"]) for e in Calendar.from_ical(roster_ics(scenario, moved)).walk("VEVENT")}
    assert later < {str(e["UID"]) for e in first.walk("VEVENT")}


def test_ics_one_doctors_calendar(lis1: tuple[Scenario, dict[str, Any]]) -> None:
    scenario, roster = lis1
    backup = next(a for a in roster["assignments"] if a["role"] == "backup")["doctor"]
    mine = [a for a in roster["assignments"] if a["doctor"] == backup]
    cal = Calendar.from_ical(roster_ics(scenario, roster, doctor=backup))
    events = cal.walk("VEVENT")
    assert len(events) == len(mine)
    assert scenario.doctor(backup).name in str(cal["X-WR-CALNAME"])
    assert any(str(e["SUMMARY"]).startswith("Bakvakt") for e in events)


def test_unknown_things_are_refused(lis1: tuple[Scenario, dict[str, Any]]) -> None:
    scenario, roster = lis1
    with pytest.raises(ExportError, match="nobody"):
        roster_ics(scenario, roster, doctor="nobody")
    bad = {"assignments": [{"date": "2027-02-01", "shift": "nope", "doctor": "x", "role": "duty"}]}
    with pytest.raises(ExportError, match="no shift 'nope'"):
        roster_csv(scenario, bad)


def test_export_roster_picks_the_exporter_and_names_an_unknown_format(
    lis1: tuple[Scenario, dict[str, Any]],
) -> None:
    from legevakt_opt.io import export_roster, roster_csv, roster_ics, roster_xlsx

    sc, doc = lis1
    assert export_roster("csv", sc, doc) == roster_csv(sc, doc).encode("utf-8")
    assert export_roster("xlsx", sc, doc)[:2] == roster_xlsx(sc, doc)[:2] == b"PK"
    # DTSTAMP is the moment of export: the two calls may fall in different seconds.
    assert _without_stamps(export_roster("ics", sc, doc)) == _without_stamps(roster_ics(sc, doc))
    with pytest.raises(ValueError, match="format 'pdf' is not one of csv, xlsx, ics"):
        export_roster("pdf", sc, doc)


# ---------------------------------------------------------------- user text and Unicode ids

INJECTION = '=HYPERLINK("http://example.invalid/x","klikk")'


@pytest.fixture(scope="module")
def nordic() -> tuple[Scenario, dict[str, Any]]:
    """Norwegian ids, a doctor whose name is a formula and a scenario name that is one."""
    data = nordic_data()
    data["name"] = "+SUM(1;2) Sørvik"
    data["doctors"][1]["name"] = INJECTION
    data["stations"][0]["name"] = "@Sørvik legevakt"
    scenario = scenario_from_data(data)
    result = solve_ok(scenario)
    return scenario, result.roster


def test_xlsx_holds_user_text_as_text_never_a_formula(
    nordic: tuple[Scenario, dict[str, Any]],
) -> None:
    scenario, roster = nordic
    data = roster_xlsx(scenario, roster)
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/")]
        assert sheets
        for name in sheets:
            assert b"<f>" not in book.read(name) and b"<f " not in book.read(name), name
    wb = load_workbook(io.BytesIO(data))
    texts = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert INJECTION in texts
    assert any(isinstance(t, str) and t.startswith("@Sørvik") for t in texts)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                    assert cell.quotePrefix, (ws.title, cell.coordinate)


def test_csv_neutralises_text_that_would_start_a_formula(
    nordic: tuple[Scenario, dict[str, Any]],
) -> None:
    scenario, roster = nordic
    rows = list(csv.DictReader(io.StringIO(roster_csv(scenario, roster))))
    names = {r["name"] for r in rows}
    assert "'" + INJECTION in names and INJECTION not in names
    assert "Åse Ødegård" in names
    assert {r["station"] for r in rows} <= {"sørvik", "bærum-sat"}


def test_ics_and_one_doctors_export_with_norwegian_ids(
    nordic: tuple[Scenario, dict[str, Any]],
) -> None:
    scenario, roster = nordic
    mine = [a for a in roster["assignments"] if a["doctor"] == "ål-lege"]
    assert mine
    cal = Calendar.from_ical(roster_ics(scenario, roster, doctor="ål-lege"))
    events = [c for c in cal.walk("VEVENT")]
    assert len(events) == len(mine)
    uids = {str(e["UID"]) for e in events}
    expected = {event_uid(scenario.name, a["date"], a["shift"], "ål-lege", a["role"]) for a in mine}
    assert uids == expected and all(u.isascii() for u in uids)
    assert {str(e["LOCATION"]) for e in events} <= {"@Sørvik legevakt", "Station bærum-sat"}
    rows = list(csv.DictReader(io.StringIO(roster_csv(scenario, roster, doctor="ål-lege"))))
    assert {r["doctor"] for r in rows} == {"ål-lege"}


# ---------------------------------------------------------------- a re-planned roster


@pytest.fixture(scope="module")
def replanned() -> tuple[Scenario, dict[str, Any], dict[str, Any], str]:
    """small-lis1 re-planned after its busiest doctor falls ill for two days."""
    from legevakt_opt.engine import Published, SolveOptions, solve

    scenario = load_scenario(ROOT / "scenarios" / "small-lis1.yaml")
    options = SolveOptions(time_limit=3, workers=1, levels=("unfilled", "changes", "max_burden"))
    first = solve(scenario, options).roster
    ill = max(first["doctors"], key=lambda d: (first["doctors"][d]["duties"], d))
    day = sorted(a["date"] for a in first["assignments"] if a["doctor"] == ill)[0]
    doc = scenario.to_document()
    next(d for d in doc["doctors"] if d["id"] == ill)["unavailable"].append(
        {"from": day, "to": day}
    )
    changed = scenario_from_data(doc)
    published = tuple(
        (dt.date.fromisoformat(a["date"]), a["shift"], a["doctor"], a["role"])
        for a in first["assignments"]
    )
    again = solve(changed, options, published=Published(published)).roster
    assert again["changes"]
    return changed, first, again, ill


def test_xlsx_of_a_replan_marks_changed_cells_and_lists_the_changes(
    replanned: tuple[Scenario, dict[str, Any], dict[str, Any], str],
) -> None:
    scenario, _, roster, ill = replanned
    wb = load_workbook(io.BytesIO(roster_xlsx(scenario, roster)))
    assert wb.sheetnames == ["Roster", "Doctors", "Unfilled", "Changes"]
    rows = list(wb["Changes"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(roster["changes"])
    assert any(r[3] == scenario.doctor(ill).name for r in rows)
    grid = wb["Roster"]
    shifts = [c.value for c in grid[1]]
    for change in roster["changes"]:
        row = 3 + (dt.date.fromisoformat(change["date"]) - scenario.horizon.start).days
        cell = grid.cell(row=row, column=shifts.index(change["shift"]) + 1)
        assert cell.fill.fgColor.rgb.endswith("FFE699"), (change, cell.fill.fgColor.rgb)
    plain = load_workbook(io.BytesIO(roster_xlsx(scenario, {**roster, "changes": None})))
    assert "Changes" not in plain.sheetnames


def test_ics_of_a_replan_keeps_the_uids_of_unchanged_duties_and_cancels_the_lost(
    replanned: tuple[Scenario, dict[str, Any], dict[str, Any], str],
) -> None:
    scenario, first, again, ill = replanned
    before = Calendar.from_ical(roster_ics(scenario, first, doctor=ill)).walk("VEVENT")
    after = Calendar.from_ical(roster_ics(scenario, again, doctor=ill)).walk("VEVENT")
    kept = {str(e["UID"]) for e in after if str(e.get("STATUS", "")) != "CANCELLED"}
    cancelled = {str(e["UID"]) for e in after if str(e.get("STATUS", "")) == "CANCELLED"}
    lost = [c for c in again["changes"] if c["before"] == ill]
    assert len(cancelled) == len(lost) > 0
    published = {str(e["UID"]) for e in before}
    assert cancelled <= published  # the same events, now cancelled
    assert kept <= published  # nothing of the ill doctor's is new
    assert kept | cancelled == published
