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
            "exemptions": [
                {"from": "2027-01-04", "to": "2027-01-31", "from_duties": ["night", "weekend"]},
                {"from": "2027-01-12", "to": "2027-01-12", "from_duties": ["all"], "note": "syk"},
                {"from": "2026-12-01", "to": "2027-12-31", "from_duties": ["on_site"]},
            ],
            "history": {
                "carried_burden": -3.5,
                "duties": [{"start": "2027-01-03T23:00", "end": "2027-01-04T08:00"}],
            },
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
    fritak = wb["Fritak"]
    assert [[c.value for c in row] for row in fritak.iter_rows(min_row=2)] == [
        ["ørjan-ødegård", dt.datetime(2027, 1, 4), dt.datetime(2027, 1, 31), "natt, helg", None],
        ["ørjan-ødegård", dt.datetime(2027, 1, 12), dt.datetime(2027, 1, 12), "alle", "syk"],
        [
            "ørjan-ødegård",
            dt.datetime(2026, 12, 1),
            dt.datetime(2027, 12, 31),
            "tilstedevakt",
            None,
        ],
    ]
    assert {fritak["B2"].number_format, fritak["C4"].number_format} == {"dd.mm.yyyy"}
    # history is the previous roster's, not the list's: no sheet, no column holds it
    assert all("-3.5" not in str(c.value) for ws in wb.worksheets for row in ws for c in row)


def test_the_import_keeps_history_from_the_base_and_exemptions_from_the_list() -> None:
    scenario = every_field()
    orjan = scenario.doctors[0]
    assert orjan.history is not None and orjan.exemptions
    again = round_trip(scenario).doctors[0]
    assert (again.history, again.exemptions) == (orjan.history, orjan.exemptions)
    # onto a base that has not this doctor's history, there is none to keep
    data = scenario.to_document()
    data["doctors"] = [d for d in data["doctors"] if d["id"] != orjan.id]
    content = doctor_list_workbook(scenario)
    moved = import_doctor_list([("x.xlsx", content)], scenario_from_data(data)).scenario
    assert moved.doctors[0].history is None
    assert moved.doctors[0].exemptions == orjan.exemptions


YAML_WITH_EXEMPTIONS_AND_HISTORY = """\
format: legevakt-scenario/1
name: Fritak og historikk
horizon: {start: 2027-03-01, days: 14}
municipalities: [{id: vaga, name: Vågå}]
stations: [{id: vaga-lv, name: Vågå legevakt, municipality: vaga}]
shifts:
  - {id: kveld, station: vaga-lv, start: "16:00", end: "23:00"}
  - {id: natt, station: vaga-lv, start: "23:00", end: "08:00", kind: on_call}
doctors:
  - id: d01
    name: Ingrid Bakken
    municipality: vaga
    independent: true
    exemptions:
      - {from: 2027-03-01, to: 2027-03-31, from_duties: [night]}      # gravid
      - {from: 2027-03-05, to: 2027-03-05, from_duties: [all]}        # syk
    history:
      carried_burden: 6.5
      duties:
        - {start: "2027-02-28T23:00", end: "2027-03-01T08:00", role: duty, kind: on_call}
  - id: d02
    name: Ola Sæter
    municipality: vaga
    independent: true
    exemptions:
      - {from: 2027-03-08, to: 2027-12-31, from_duties: [weekend, on_site], note: over 60}
  - {id: d03, name: Kari Lie, municipality: vaga, independent: true,
     history: {carried_burden: -2}}
"""


def test_round_trip_of_a_scenario_file_with_exemptions_and_history(tmp_path: Path) -> None:
    """As test_round_trip_of_every_example_scenario does for each of scenarios/*.yaml."""
    path = tmp_path / "vaga.yaml"
    path.write_text(YAML_WITH_EXEMPTIONS_AND_HISTORY, encoding="utf-8")
    scenario = load_scenario(path)
    assert [len(d.exemptions) for d in scenario.doctors] == [2, 1, 0]
    assert [d.history is not None for d in scenario.doctors] == [True, False, True]
    assert round_trip(scenario).doctors == scenario.doctors


DANGEROUS = ['=HYPERLINK("http://x","y")', "+47 99", "-1+2", "@SUM(A1)", "\t=1", "\r=1"]


def test_text_that_looks_like_a_formula_is_stored_as_text() -> None:
    data = base_data()
    data["doctors"] = [
        {
            "id": f"d{k}",
            "name": name,
            "municipality": "gol",
            "unavailable": [{"from": "2027-01-05", "to": "2027-01-05", "note": name}],
            "exemptions": [
                {"from": "2027-01-06", "to": "2027-01-06", "from_duties": ["all"], "note": name}
            ],
        }
        for k, name in enumerate(DANGEROUS)
    ]
    content = doctor_list_workbook(scenario_from_data(data))
    wb = load_workbook(io.BytesIO(content))
    names = [row[1] for row in wb["Leger"].iter_rows(min_row=2)]
    notes = [row[3] for row in wb["Fravær"].iter_rows(min_row=2)]
    notes += [row[4] for row in wb["Fritak"].iter_rows(min_row=2)]
    for cell in names + notes:
        assert cell.data_type == "s", cell.coordinate
        assert cell.quotePrefix, cell.coordinate
    # XML turns a carriage return into a line feed; everything else comes back as written
    expected = [name.replace("\r", "\n") for name in DANGEROUS]
    assert [c.value for c in names] == expected
    assert [c.value for c in notes] == expected * 2
    # and they import back as the text they were (cells are read stripped)
    again = import_doctor_list([("x.xlsx", content)], scenario_from_data(data)).scenario
    assert [d.exemptions[0].note for d in again.doctors] == [n.strip() for n in expected]
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
