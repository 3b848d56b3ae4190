"""The empty doctor list workbook: sheets, headers, drop-down lists and formats, and what
importing it untouched says."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from legevakt_opt.io.doctor_list import doctor_list_template, import_doctor_list
from legevakt_opt.scenario import Scenario, scenario_from_data
from tests.doctor_list_fixtures import base, base_data, errors


def opened(scenario: Scenario) -> dict[str, Worksheet]:
    wb = load_workbook(io.BytesIO(doctor_list_template(scenario)))
    sheets = {ws.title: ws for ws in wb.worksheets}
    assert all(isinstance(ws, Worksheet) for ws in sheets.values())
    return sheets


def validations(ws: Worksheet) -> dict[str, DataValidation]:
    """The sheet's validations by the first cell they cover (``E2``)."""
    out: dict[str, DataValidation] = {}
    for dv in ws.data_validations.dataValidation:
        (rng,) = dv.sqref.ranges
        assert rng.min_row == 2 and rng.max_row == 5001, rng.coord
        out[rng.coord.split(":")[0]] = dv
    return out


def test_sheets_and_headers() -> None:
    sheets = opened(base())
    assert list(sheets) == ["Leger", "Fravær", "Ønsker", "Fritak", "Valg"]
    assert sheets["Valg"].sheet_state == "hidden"
    assert [ws.sheet_state for ws in list(sheets.values())[:4]] == ["visible"] * 4
    headers = {t: [c.value for c in ws[1]] for t, ws in sheets.items() if t != "Valg"}
    assert headers == {
        "Leger": [
            "id",
            "navn",
            "kommune",
            "kategori",
            "selvstendig",
            "LIS1 fullført",
            "video",
            "andel",
            "fritak",
            "maks timer per uke",
            "stasjoner",
        ],
        "Fravær": ["lege", "fra", "til", "merknad"],
        "Ønsker": ["lege", "dato", "vakt", "type"],
        "Fritak": ["lege", "fra", "til", "gjelder", "merknad"],
    }
    for title in ("Leger", "Fravær", "Ønsker", "Fritak"):
        ws = sheets[title]
        assert ws.max_row == 1  # no note row: data starts at row 2
        assert all(c.font.bold for c in ws[1])
        assert ws.freeze_panes == "A2"
        for cell in ws[1]:
            width = ws.column_dimensions[cell.column_letter].width
            assert width >= len(str(cell.value)) + 2, (title, cell.value)


def test_date_columns_are_formatted_as_dates() -> None:
    sheets = opened(base())
    formats = {
        (t, c): sheets[t].column_dimensions[c].number_format
        for t, c in (
            ("Fravær", "B"),
            ("Fravær", "C"),
            ("Ønsker", "B"),
            ("Fravær", "D"),
            ("Fritak", "B"),
            ("Fritak", "C"),
            ("Fritak", "D"),
        )
    }
    assert formats == {
        ("Fravær", "B"): "dd.mm.yyyy",
        ("Fravær", "C"): "dd.mm.yyyy",
        ("Ønsker", "B"): "dd.mm.yyyy",
        ("Fravær", "D"): "General",
        ("Fritak", "B"): "dd.mm.yyyy",
        ("Fritak", "C"): "dd.mm.yyyy",
        ("Fritak", "D"): "General",
    }


def test_choice_lists_live_on_the_hidden_sheet() -> None:
    sheets = opened(base())
    valg = sheets["Valg"]
    columns = {
        str(col[0].value): [c.value for c in col[1:] if c.value is not None]
        for col in valg.iter_cols()
    }
    assert columns == {
        "kategori": ["fastlege", "LIS1", "ALIS", "spesialist", "vikar", "fast ansatt"],
        "ja/nei": ["ja", "nei"],
        "kommune": ["Ål", "Gol", "Bærum"],
        "vakt": ["kveld", "natt", "gol-kveld"],
        "type": ["ønsker", "unngår"],
        "stasjoner": ["Ål legevakt", "Gol satellitt"],
        "gjelder": ["natt", "helg", "tilstedevakt", "alle"],
    }


def test_validations() -> None:
    sheets = opened(base())
    leger = validations(sheets["Leger"])
    lists = {cell: (dv.formula1, dv.errorStyle) for cell, dv in leger.items() if dv.type == "list"}
    assert lists == {
        "C2": ("'Valg'!$C$2:$C$4", "warning"),  # kommune: an id is fine too
        "D2": ("'Valg'!$A$2:$A$7", "stop"),
        "E2": ("'Valg'!$B$2:$B$3", "stop"),
        "F2": ("'Valg'!$B$2:$B$3", "stop"),
        "G2": ("'Valg'!$B$2:$B$3", "stop"),
        "I2": ("'Valg'!$B$2:$B$3", "stop"),
    }
    stations = leger["K2"]
    assert stations.type is None and stations.showInputMessage
    assert "Ål legevakt, Gol satellitt" in str(stations.prompt)
    for title in ("Fravær", "Ønsker", "Fritak"):
        dv = validations(sheets[title])["A2"]
        assert (dv.type, dv.formula1, dv.errorStyle) == ("list", "'Leger'!$B$2:$B$5001", "warning")
    onsker = validations(sheets["Ønsker"])
    assert (onsker["C2"].type, onsker["C2"].formula1) == ("list", "'Valg'!$D$2:$D$4")
    assert (onsker["D2"].type, onsker["D2"].formula1) == ("list", "'Valg'!$E$2:$E$3")


def test_the_fritak_sheet_guides_in_norwegian() -> None:
    fritak = validations(opened(base())["Fritak"])
    assert sorted(fritak) == ["A2", "B2", "C2", "D2", "E2"]
    # gjelder: a drop-down of the four, but "natt, helg" typed in is let through
    gjelder = fritak["D2"]
    assert (gjelder.type, gjelder.formula1, gjelder.errorStyle) == (
        "list",
        "'Valg'!$G$2:$G$5",
        "information",
    )
    assert gjelder.error == "Flere verdier skilles med komma, f.eks. «natt, helg»."
    prompts = {cell: str(dv.prompt) for cell, dv in fritak.items()}
    assert "fritak på Leger" in prompts["A2"]  # the whole period, all duty: the Leger column
    assert "Bare dato, uten klokkeslett" in prompts["B2"]
    assert "hele dagen med" in prompts["C2"]
    assert "natt, helg, tilstedevakt eller alle" in prompts["D2"] and "Tom: alle" in prompts["D2"]
    assert "gravid" in prompts["E2"]
    assert all(len(p) <= 255 for p in prompts.values())
    # Fravær's dates still take a time of day
    assert "klokkeslett (18.01.2027 12:00)" in str(
        validations(opened(base())["Fravær"])["B2"].prompt
    )


def test_long_lists_fit() -> None:
    data = base_data()
    data["municipalities"] += [{"id": f"k{k}", "name": f"Kommune {k}"} for k in range(60)]
    data["stations"] += [
        {"id": f"s{k}", "name": f"Legevaktstasjon nummer {k}", "municipality": f"k{k}"}
        for k in range(60)
    ]
    sheets = opened(scenario_from_data(data))
    leger = validations(sheets["Leger"])
    assert leger["C2"].formula1 == "'Valg'!$C$2:$C$64"
    prompt = str(leger["K2"].prompt)
    assert len(prompt) <= 255  # Excel refuses a longer input message
    assert prompt.endswith(" til")
    assert "Ål legevakt, Gol satellitt, Legevaktstasjon nummer 0" in prompt


def test_a_district_without_shifts_has_no_shift_list() -> None:
    sheets = opened(base(shifts=[]))
    assert "C2" in validations(sheets["Ønsker"])  # an input message only
    assert validations(sheets["Ønsker"])["C2"].type is None


def test_importing_the_empty_template_says_there_are_no_doctors() -> None:
    scenario = base()
    assert errors([("mal.xlsx", doctor_list_template(scenario))], scenario) == [
        "mal.xlsx, Leger: has no doctors; a roster needs at least one (one row per doctor from "
        "row 2)"
    ]


def test_a_filled_in_template_imports() -> None:
    scenario = base()
    wb = load_workbook(io.BytesIO(doctor_list_template(scenario)))
    wb["Leger"].append(["", "Kari Nordmann", "Gol", "LIS1", "nei", "ja", "", "80 %"])
    wb["Fravær"].append(["Kari Nordmann", "18.01.2027", "19.01.2027 12:00", "kurs"])
    wb["Ønsker"].append(["Kari", "23.01.2027", "natt", "unngår"])
    wb["Fritak"].append(["Kari Nordmann", "01.01.2027", "31.01.2027", "natt, helg", "gravid"])
    buffer = io.BytesIO()
    wb.save(buffer)
    result = import_doctor_list([("leger.xlsx", buffer.getvalue())], scenario)
    (d,) = result.scenario.doctors
    assert (d.id, d.municipality, d.category, d.lis1_completed, d.share) == (
        "kari-nordmann",
        "gol",
        "lis1",
        True,
        0.8,
    )
    assert [a.bounds()[1].isoformat() for a in d.unavailable] == ["2027-01-19T12:00:00"]
    assert [(r.date.isoformat(), r.shift) for r in d.avoid] == [("2027-01-23", "natt")]
    assert [(e.from_duties, e.note) for e in d.exemptions] == [(["night", "weekend"], "gravid")]
    assert result.warnings == []
