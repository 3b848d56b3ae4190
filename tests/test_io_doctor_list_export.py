"""The export: a scenario's doctors as a doctor list workbook that imports back to the same
doctors, with nothing a user typed ever stored as a formula."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from legevakt_opt.io.doctor_list import doctor_list_workbook, import_doctor_list
from legevakt_opt.scenario import Scenario, load_scenario, scenario_from_data
from tests.doctor_list_fixtures import base_data

SCENARIOS = sorted((Path(__file__).resolve().parents[1] / "scenarios").glob("*.yaml"))


def round_trip(scenario: Scenario) -> Scenario:
    content = doctor_list_workbook(scenario)
    return import_doctor_list([("x.xlsx", content)], scenario).scenario


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_round_trip_of_every_example_scenario(path: Path) -> None:
    scenario = load_scenario(path)
    assert scenario.doctors
    assert round_trip(scenario).doctors == scenario.doctors


def every_field() -> Scenario:
    data = base_data()
    data["municipalities"].append({"id": "østmark", "name": "Østmark"})
    data["doctors"] = [
        {
            "id": "ørjan-ødegård",
            "name": "Ørjan Ødegård",
            "municipality": "østmark",
            "category": "specialist",
            "independent": False,
            "lis1_completed": True,
            "video": False,
            "share": 0.35,
            "exempt": True,
            "max_hours_per_week": 12.5,
            "stations": ["gol-sat", "ål-lv"],
            "unavailable": [
                {"from": "2027-01-05T12:00", "to": "2027-01-06T08:00", "note": "kurs på Ål"},
                {"from": "2027-01-18", "to": "2027-01-24", "note": "=vinterferie+1"},
                {"from": "2027-01-10", "to": "2027-01-11T00:00"},
                {"from": "2027-01-26T00:00", "to": "2027-01-26T23:59"},
            ],
            "avoid": [{"date": "2027-01-16"}, {"date": "2027-01-20", "shift": "natt"}],
            "wish": [{"date": "2027-01-23", "shift": "gol-kveld"}, {"date": "2027-01-09"}],
        },
        {"id": "ål", "name": "=Åse Ål", "municipality": "ål", "category": "alis"},
        {"id": "-b", "name": "-Bjørn", "municipality": "gol", "category": "salaried"},
        {"id": "c_1", "name": "@Cecilie", "municipality": "gol", "stations": []},
        {
            "id": "d",
            "name": "+47 Dag",
            "municipality": "baerum",
            "category": "vikar",
            "share": 1.5,
            "max_hours_per_week": 0,
        },
        {
            "id": "lis1",
            "name": "Line",
            "municipality": "gol",
            "category": "lis1",
            "independent": True,
            "lis1_completed": False,
        },
    ]
    return scenario_from_data(data)


def test_round_trip_of_every_field_with_unicode_names_and_ids() -> None:
    scenario = every_field()
    assert round_trip(scenario).doctors == scenario.doctors


def test_cells_are_written_in_the_import_form() -> None:
    wb = load_workbook(io.BytesIO(doctor_list_workbook(every_field())))
    leger, fravaer, onsker = wb["Leger"], wb["Fravær"], wb["Ønsker"]
    assert [c.value for c in leger[2]] == [
        "ørjan-ødegård",
        "Ørjan Ødegård",
        "østmark",
        "spesialist",
        "nei",
        "ja",
        "nei",
        0.35,
        "ja",
        12.5,
        "gol-sat, ål-lv",
    ]
    assert leger["K5"].value == "ingen"  # stations: [] (none); an empty cell is all
    assert leger["K3"].value is None
    start, end = fravaer["B2"], fravaer["C3"]
    assert (start.value, start.number_format) == (dt.datetime(2027, 1, 5, 12), "dd.mm.yyyy hh:mm")
    assert (end.value, end.number_format) == (dt.datetime(2027, 1, 24), "dd.mm.yyyy")
    assert [c.value for c in onsker[2]] == [
        "ørjan-ødegård",
        dt.datetime(2027, 1, 16),
        None,
        "unngår",
    ]
    assert onsker["B2"].number_format == "dd.mm.yyyy"
    assert [c.value for c in onsker[4]][2:] == ["gol-kveld", "ønsker"]


DANGEROUS = ['=HYPERLINK("http://x","y")', "+47 99", "-1+2", "@SUM(A1)", "\t=1", "\r=1"]


def test_text_that_looks_like_a_formula_is_stored_as_text() -> None:
    data = base_data()
    data["doctors"] = [
        {
            "id": f"d{k}",
            "name": name,
            "municipality": "gol",
            "unavailable": [{"from": "2027-01-05", "to": "2027-01-05", "note": name}],
        }
        for k, name in enumerate(DANGEROUS)
    ]
    content = doctor_list_workbook(scenario_from_data(data))
    wb = load_workbook(io.BytesIO(content))
    names = [row[1] for row in wb["Leger"].iter_rows(min_row=2)]
    notes = [row[3] for row in wb["Fravær"].iter_rows(min_row=2)]
    for cell in names + notes:
        assert cell.data_type == "s", cell.coordinate
        assert cell.quotePrefix, cell.coordinate
    # XML turns a carriage return into a line feed; everything else comes back as written
    expected = [name.replace("\r", "\n") for name in DANGEROUS]
    assert [c.value for c in names] == expected
    assert [c.value for c in notes] == expected
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        sheets = [n for n in zf.namelist() if n.startswith("xl/worksheets/")]
        assert sheets
        for name in sheets:
            assert not re.search(rb"<f[ >/]", zf.read(name)), name


def test_ordinary_text_has_no_quote_prefix() -> None:
    wb = load_workbook(io.BytesIO(doctor_list_workbook(every_field())))
    assert wb["Leger"]["B2"].data_type == "s"
    assert not wb["Leger"]["B2"].quotePrefix


def test_control_characters_xml_cannot_hold_are_dropped() -> None:
    data = base_data()
    data["doctors"][0]["name"] = "Kari\x01 Nordmann\x0b"
    content = doctor_list_workbook(scenario_from_data(data))
    wb = load_workbook(io.BytesIO(content))
    assert wb["Leger"]["B2"].value == "Kari Nordmann"
