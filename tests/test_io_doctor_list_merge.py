"""import_doctor_list: real workbooks and CSV files merged into a base scenario, and every
problem reported at once on the file, sheet, row and column it came from. One piece because
each test is one clause of the contract's merge and error sections, on one base district."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook

from legevakt_opt.io.doctor_list import DoctorListError, import_doctor_list
from legevakt_opt.scenario import Absence, Category, Doctor, Request
from tests.doctor_list_fixtures import (
    ABSENCE_HEADER,
    DOCTOR_HEADER,
    REQUEST_HEADER,
    base,
    csv_bytes,
    doctors_sheet,
    errors,
    ok,
    sheet,
    xlsx,
)

FULL_HEADER = [
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
]


def test_workbook_with_date_datetime_and_boolean_cells() -> None:
    def percent(wb: Workbook) -> None:
        sheet(wb, "Leger")["H3"].number_format = "0%"

    content = xlsx(
        {
            "Leger": [
                FULL_HEADER,
                ["d01", "Kari Nordmann", "gol", "fastlege", True, None, False, 1, False, 37.5],
                ["d02", "Ola Hansen", "Ål", "LIS1", False, True, None, 0.5, None, None, "ål-lv"],
            ],
            "Fravær": [
                ABSENCE_HEADER,
                ["d01", dt.date(2027, 1, 18), dt.date(2027, 1, 24), "vinterferie"],
                ["Ola Hansen", dt.datetime(2027, 1, 5, 12, 0), dt.datetime(2027, 1, 6, 8, 0)],
            ],
            "Ønsker": [
                REQUEST_HEADER,
                ["d01", dt.date(2027, 1, 16), None, "unngår"],
                ["d02", dt.date(2027, 1, 23), "natt", "ønsker"],
            ],
        },
        percent,
    )
    result = ok([("leger.xlsx", content)])
    assert result.warnings == []
    assert list(result.scenario.doctors) == [
        Doctor(
            id="d01",
            name="Kari Nordmann",
            municipality="gol",
            category=Category.FASTLEGE,
            independent=True,
            video=False,
            share=1,
            exempt=False,
            max_hours_per_week=37.5,
            unavailable=[
                Absence.model_validate(
                    {"from": "2027-01-18", "to": "2027-01-24", "note": "vinterferie"}
                )
            ],
            avoid=[Request(date=dt.date(2027, 1, 16))],
        ),
        Doctor(
            id="d02",
            name="Ola Hansen",
            municipality="ål",
            category=Category.LIS1,
            lis1_completed=True,
            share=0.5,
            stations=["ål-lv"],
            unavailable=[
                Absence.model_validate({"from": "2027-01-05T12:00", "to": "2027-01-06T08:00"})
            ],
            wish=[Request(date=dt.date(2027, 1, 23), shift="natt")],
        ),
    ]
    # A date cell as `til` covers that whole date; a date-time cell ends at its time.
    assert result.scenario.doctors[0].unavailable[0].bounds()[1] == dt.datetime(2027, 1, 25)
    assert result.scenario.doctors[1].unavailable[0].bounds()[1] == dt.datetime(2027, 1, 6, 8)


def test_everything_but_the_doctors_comes_from_the_base() -> None:
    scenario = base()
    result = ok([("leger.xlsx", xlsx({"Leger": doctors_sheet(["", "Kari", "gol", "vikar"])}))])
    merged = result.scenario
    assert [d.id for d in merged.doctors] == ["kari"]
    for name in ("name", "horizon", "municipalities", "stations", "shifts", "policy"):
        assert getattr(merged, name) == getattr(scenario, name), name


def test_a_doctor_s_history_is_kept_from_the_base_doctor_with_the_same_id() -> None:
    history = {
        "carried_burden": 4.5,
        "duties": [{"start": "2027-01-03T23:00", "end": "2027-01-04T08:00", "role": "duty"}],
    }
    doctors = [
        {"id": "gammel", "name": "Gammel Lege", "municipality": "gol", "history": history},
        {"id": "d2", "name": "Per", "municipality": "gol", "history": {"carried_burden": -1}},
    ]
    rows = doctors_sheet(
        ["gammel", "Nytt Navn", "ål", "vikar"],  # the same id: their history is kept
        ["", "Per", "gol", "vikar"],  # id made from the name (per), not d2: none
    )
    merged = ok([("l.xlsx", xlsx({"Leger": rows}))], base(doctors=doctors)).scenario
    gammel, per = merged.doctors
    assert (gammel.name, gammel.municipality) == ("Nytt Navn", "ål")  # the rest from the list
    assert gammel.history is not None and gammel.history.carried_burden == 4.5
    assert [h.start.isoformat() for h in gammel.history.duties] == ["2027-01-03T23:00:00"]
    assert (per.id, per.history) == ("per", None)
    # A list cannot give a history: it is not a column.
    rows = [[*DOCTOR_HEADER, "historikk"], ["d1", "Kari", "gol", "vikar", "4,5"]]
    assert errors([("l.xlsx", xlsx({"Leger": rows}))])[0].startswith(
        "l.xlsx, Leger, row 1: unknown column 'historikk'"
    )


def test_text_dates_and_times_in_every_accepted_form() -> None:
    rows = [
        ["d01", "18.01.2027", "24.01.2027"],
        ["d01", "1.2.2027", "2.2.27"],
        ["d01", "2027-03-01", "2027-03-01"],
        ["d01", "18.01.2027 12:00", "2027-01-19T08:30"],
        ["d01", "20.01.2027 8:00", "20.01.2027 24:00"],
    ]
    content = xlsx(
        {
            "Leger": doctors_sheet(["d01", "Kari", "gol", "fastlege"]),
            "Fravær": [["lege", "fra", "til"], *rows],
        }
    )
    (doctor,) = ok([("leger.xlsx", content)]).scenario.doctors
    assert [a.model_dump(mode="json", by_alias=True) for a in doctor.unavailable] == [
        {"from": "2027-01-18", "to": "2027-01-24", "note": None},
        {"from": "2027-02-01", "to": "2027-02-02", "note": None},
        {"from": "2027-03-01", "to": "2027-03-01", "note": None},
        {"from": "2027-01-18T12:00", "to": "2027-01-19T08:30", "note": None},
        # 24:00 is midnight at the end of the date
        {"from": "2027-01-20T08:00", "to": "2027-01-21T00:00", "note": None},
    ]


def test_csv_in_windows_1252_with_semicolons_and_norwegian_letters() -> None:
    leger = csv_bytes(
        [
            ["navn", "kommune", "kategori", "andel", "stasjoner"],
            ["Ørjan Ødegård", "Bærum", "spesialist", "0,6", "Ål legevakt; gol-sat"],
            ["Åse Bø", "ål", "fast ansatt", "50 %", ""],
        ],
        encoding="cp1252",
    )
    fravaer = csv_bytes(
        [["lege", "fra", "til", "merknad"], ["Ørjan", "01.02.2027", "03.02.2027", "kurs på Ål"]],
        encoding="cp1252",
    )
    assert "Ø".encode("cp1252") in leger  # really Windows-1252, not UTF-8
    result = ok([("leger.csv", leger), ("fravaer.csv", fravaer)])
    orjan, ase = result.scenario.doctors
    assert (orjan.id, orjan.name, orjan.municipality, orjan.category) == (
        "ørjan-ødegård",
        "Ørjan Ødegård",
        "baerum",
        "specialist",
    )
    assert (orjan.share, orjan.stations) == (0.6, ["ål-lv", "gol-sat"])
    assert orjan.unavailable[0].note == "kurs på Ål"
    assert (ase.id, ase.municipality, ase.category, ase.share, ase.stations) == (
        "åse-bø",
        "ål",
        "salaried",
        0.5,
        None,
    )


@pytest.mark.parametrize(
    ("sep", "bom"), [(";", True), (",", True), ("\t", False), (",", False)], ids=repr
)
def test_csv_utf8_with_or_without_bom_and_any_separator(sep: str, bom: bool) -> None:
    rows = [
        ["navn", "kommune", "kategori", "maks timer per uke"],
        ["Ørjan Ødegård", "Bærum", "ALIS", "37,5"],
        ["Kari, junior", "gol", "vikar", ""],
    ]
    result = ok([("leger.csv", csv_bytes(rows, sep=sep, bom=bom))])
    first, second = result.scenario.doctors
    assert (first.name, first.municipality, first.max_hours_per_week) == (
        "Ørjan Ødegård",
        "baerum",
        37.5,
    )
    assert (second.id, second.name) == ("kari-junior", "Kari, junior")


def test_a_name_used_twice_is_two_doctors_and_an_ambiguous_reference() -> None:
    content = xlsx(
        {
            "Leger": doctors_sheet(
                ["", "Kari Nordmann", "gol", "fastlege"],
                ["", "Kari Nordmann", "ål", "vikar"],
                ["kari-nordmann-3", "Per Olsen", "gol", "fastlege"],
            ),
            "Fravær": [ABSENCE_HEADER, ["Kari Nordmann", "18.01.2027", "19.01.2027"]],
        }
    )
    assert errors([("leger.xlsx", content)]) == [
        "leger.xlsx, Fravær, row 2, lege: 'Kari Nordmann' matches 2 doctors "
        "(kari-nordmann Kari Nordmann, kari-nordmann-2 Kari Nordmann)"
    ]
    # Without the reference the same list imports: ids made unique, a given id kept.
    content = xlsx(
        {
            "Leger": doctors_sheet(
                ["", "Kari Nordmann", "gol", "fastlege"],
                ["", "Kari Nordmann", "ål", "vikar"],
                ["kari-nordmann-3", "Per Olsen", "gol", "fastlege"],
                ["", "Kari  nordmann", "gol", "vikar"],
            )
        }
    )
    ids = [d.id for d in ok([("leger.xlsx", content)]).scenario.doctors]
    assert ids == ["kari-nordmann", "kari-nordmann-2", "kari-nordmann-3", "kari-nordmann-4"]


def test_a_reference_by_part_of_a_name_must_fit_one_doctor() -> None:
    leger = csv_bytes(
        [
            ["id", "navn", "kommune", "kategori"],
            ["d04", "Kari Nordmann", "gol", "fastlege"],
            ["d11", "Kari Olsen", "gol", "fastlege"],
            ["d12", "Per Hansen", "gol", "LIS1"],
        ]
    )
    fravaer = csv_bytes(
        [
            ["lege", "fra", "til"],
            ["Olsen", "18.01.2027", "19.01.2027"],
            ["Kari", "18.01.2027", "19.01.2027"],
            ["D12", "20.01.2027", "21.01.2027"],
            ["Kari Hansen", "20.01.2027", "21.01.2027"],
        ]
    )
    assert errors([("leger.csv", leger), ("fravaer.csv", fravaer)]) == [
        "fravaer.csv, row 3, lege: 'Kari' matches 2 doctors (d04 Kari Nordmann, d11 Kari Olsen)",
        "fravaer.csv, row 5, lege: 'Kari Hansen' is not the id or name of a doctor in leger.csv",
    ]


def test_an_unknown_column_is_named_with_the_known_ones() -> None:
    content = xlsx({"Leger": [[*DOCTOR_HEADER, "stilling"], ["d1", "Kari", "gol", "vikar", "x"]]})
    assert errors([("leger.xlsx", content)]) == [
        "leger.xlsx, Leger, row 1: unknown column 'stilling' (known: id, navn, kommune, "
        "kategori, selvstendig, LIS1 fullført, video, andel, fritak, maks timer per uke, "
        "stasjoner)"
    ]


def test_headers_match_aliases_case_and_spaces() -> None:
    header = ["  ID ", "Name", "MUNICIPALITY", "Category", "Independent", "lis1_completed"]
    header += ["Video", "Stillingsandel", "exempt", "Maks  timer per uke", "Stations"]
    row = ["x1", "Kari", "Gol", "Specialist", "yes", "no", "0", "75%", "x", "10", "gol-sat"]
    (d,) = ok([("doctors.xlsx", xlsx({" doctors ": [header, row]}))]).scenario.doctors
    assert (d.id, d.municipality, d.category, d.independent, d.lis1_completed) == (
        "x1",
        "gol",
        "specialist",
        True,
        False,
    )
    assert (d.video, d.share, d.exempt, d.max_hours_per_week, d.stations) == (
        False,
        0.75,
        True,
        10,
        ["gol-sat"],
    )


def test_missing_and_repeated_columns() -> None:
    content = xlsx({"Leger": [["navn", "kategori", "name"], ["Kari", "vikar", "Kari"]]})
    fravaer = csv_bytes([["lege", "fra"], ["Kari", "18.01.2027"]])
    assert errors([("leger.xlsx", content), ("fravaer.csv", fravaer)]) == [
        "leger.xlsx, Leger, row 1: column C 'name' repeats column A 'navn'",
        "leger.xlsx, Leger, row 1: missing column 'kommune' (or 'municipality')",
        "fravaer.csv, row 1: missing column 'til' (or 'to')",
    ]


def test_defaults_of_empty_cells() -> None:
    rows = [
        FULL_HEADER,
        ["a", "A", "gol", "fastlege", "ja"],
        ["b", "B", "gol", "fastlege", "nei", "", "", "", "", "", "ingen"],
    ]
    a, b = ok([("l.xlsx", xlsx({"Leger": rows}))]).scenario.doctors
    assert (a.independent, a.lis1_completed, a.video, a.share, a.exempt) == (
        True,
        True,  # LIS1 fullført empty: as selvstendig
        True,  # video empty: yes
        1.0,
        False,
    )
    assert (a.max_hours_per_week, a.stations) == (None, None)  # the policy's cap; all
    assert (b.independent, b.lis1_completed, b.stations) == (False, False, [])


def test_every_bad_value_is_reported_together() -> None:
    content = xlsx(
        {
            "Leger": [
                FULL_HEADER,
                ["d1", "Kari", "Oslo", "lege", "kanskje", "", "", "abc", "", "mange", "Nord"],
                ["d2", "", "", "", "", "", "", "", "", "", "ål-lv, Sør"],
                ["d3", "Per", "gol", "vikar", 2, "", "", True, "", dt.date(2027, 1, 1)],
            ],
            "Fravær": [
                ABSENCE_HEADER,
                ["Per", "32.01.2027", "", "note"],
                ["Ukjent", 46405, "12:00", ""],
                ["d3", "19.01.2027", "18.01.2027"],
            ],
            "Ønsker": [
                REQUEST_HEADER,
                ["d3", "i morgen", "dag", "kanskje"],
                ["", "18.01.2027 12:00", "", ""],
            ],
        }
    )
    assert errors([("leger.xlsx", content)]) == [
        "leger.xlsx, Leger, row 2, kommune: 'Oslo' is not a municipality of the base scenario "
        "(known: ål, gol, baerum (Bærum))",
        "leger.xlsx, Leger, row 2, kategori: 'lege' is not a category (fastlege, LIS1, ALIS, "
        "spesialist, vikar, fast ansatt)",
        "leger.xlsx, Leger, row 2, selvstendig: 'kanskje' is not yes or no (ja/nei, x or empty, "
        "1/0, true/false)",
        "leger.xlsx, Leger, row 2, andel: 'abc' is not a number or a percentage",
        "leger.xlsx, Leger, row 2, maks timer per uke: 'mange' is not a number",
        "leger.xlsx, Leger, row 2, stasjoner: 'Nord' is not a station of the base scenario "
        "(known: ål-lv (Ål legevakt), gol-sat (Gol satellitt))",
        "leger.xlsx, Leger, row 3, navn: is empty; a doctor needs a name",
        "leger.xlsx, Leger, row 3, kommune: is empty; a doctor needs a municipality",
        "leger.xlsx, Leger, row 3, kategori: is empty; a doctor needs a category",
        "leger.xlsx, Leger, row 3, stasjoner: 'Sør' is not a station of the base scenario "
        "(known: ål-lv (Ål legevakt), gol-sat (Gol satellitt))",
        "leger.xlsx, Leger, row 4, selvstendig: '2' is not yes or no (ja/nei, x or empty, "
        "1/0, true/false)",
        "leger.xlsx, Leger, row 4, andel: 'TRUE' is not a number or a percentage",
        "leger.xlsx, Leger, row 4, maks timer per uke: '01.01.2027' is not a number",
        "leger.xlsx, Fravær, row 2, til: is empty; the end: a date (inclusive), or a date and time",
        "leger.xlsx, Fravær, row 2, fra: '32.01.2027' is not a date or a date and time "
        "(dd.mm.yyyy [hh:mm] or yyyy-mm-dd[Thh:mm])",
        "leger.xlsx, Fravær, row 3, lege: 'Ukjent' is not the id or name of a doctor in Leger",
        "leger.xlsx, Fravær, row 3, fra: '46405' is a number, not a date (format the cell as "
        "a date)",
        "leger.xlsx, Fravær, row 3, til: '12:00' is not a date or a date and time "
        "(dd.mm.yyyy [hh:mm] or yyyy-mm-dd[Thh:mm])",
        "leger.xlsx, Fravær, row 4, til: '18.01.2027' is not after fra '19.01.2027'",
        "leger.xlsx, Ønsker, row 2, dato: 'i morgen' is not a date (dd.mm.yyyy or yyyy-mm-dd)",
        "leger.xlsx, Ønsker, row 2, vakt: 'dag' is not a shift of the base scenario "
        "(known: kveld, natt, gol-kveld)",
        "leger.xlsx, Ønsker, row 2, type: 'kanskje' is not ønsker or unngår (wish or avoid)",
        "leger.xlsx, Ønsker, row 3, lege: is empty; the doctor's id or name",
        "leger.xlsx, Ønsker, row 3, type: is empty; ønsker or unngår",
        "leger.xlsx, Ønsker, row 3, dato: '18.01.2027 12:00' is a date and time; only a date "
        "goes here",
    ]


def test_an_empty_til_is_an_error_saying_it_is_required() -> None:
    content = xlsx(
        {
            "Leger": doctors_sheet(["d1", "Kari", "gol", "vikar"]),
            "Fravær": [ABSENCE_HEADER, ["d1", dt.date(2027, 1, 18), None, "ferie"]],
        }
    )
    assert errors([("leger.xlsx", content)]) == [
        "leger.xlsx, Fravær, row 2, til: is empty; the end: a date (inclusive), or a date and time"
    ]


def test_scenario_errors_are_mapped_back_to_row_and_column() -> None:
    content = xlsx(
        {
            "Leger": [
                FULL_HEADER,
                ["d1", "Kari", "gol", "vikar"],
                ["d 2", "Ola", "gol", "vikar"],
                ["d3", "Per", "gol", "vikar", "", "", "", 0],
                ["d4", "Åse", "gol", "vikar", "", "", "", "", "", -5],
                ["d5", "Kai", "gol", "vikar", "", "", "", 101, "", "-2,5"],
            ],
        }
    )
    assert errors([("leger.xlsx", content)]) == [
        "leger.xlsx, Leger, row 3, id: 'd 2' is not an identifier (letters, digits, '-' and '_' "
        "only)",
        "leger.xlsx, Leger, row 4, andel: 0 must be greater than 0",
        "leger.xlsx, Leger, row 5, maks timer per uke: -5 must be at least 0",
        "leger.xlsx, Leger, row 6, andel: 101 must be at most 100",
        "leger.xlsx, Leger, row 6, maks timer per uke: -2.5 must be at least 0",
    ]


def test_scenario_warnings_are_mapped_back_too() -> None:
    content = xlsx(
        {
            "Leger": doctors_sheet(["d1", "Kari", "gol", "vikar"]),
            "Ønsker": [REQUEST_HEADER, ["d1", "01.06.2027", "", "ønsker"]],
        }
    )
    assert ok([("leger.xlsx", content)]).warnings == [
        "leger.xlsx, Ønsker, row 2, dato: 2027-06-01 is outside the horizon"
    ]


def test_a_list_where_everyone_is_exempt_is_read_with_the_scenarios_warning() -> None:
    rows = [["navn", "kommune", "kategori", "fritak"], ["Kari", "gol", "vikar", "ja"]]
    result = ok([("leger.csv", csv_bytes(rows))])
    assert result.scenario.doctors[0].exempt
    assert result.warnings == ["leger.csv: every doctor is exempt; nothing can be covered"]


def test_a_date_cell_that_hides_a_time_is_a_date_with_a_warning() -> None:
    def hide_time(wb: Workbook) -> None:
        # A time typed into a cell already formatted as a date stays hidden.
        sheet(wb, "Fravær")["C2"].number_format = "dd.mm.yyyy"

    content = xlsx(
        {
            "Leger": doctors_sheet(["d1", "Kari", "gol", "vikar"]),
            "Fravær": [ABSENCE_HEADER, ["d1", dt.date(2027, 1, 18), dt.datetime(2027, 1, 19, 12)]],
        },
        hide_time,
    )
    result = ok([("leger.xlsx", content)])
    assert result.scenario.doctors[0].unavailable[0].end == dt.date(2027, 1, 19)
    assert result.warnings == [
        "leger.xlsx, Fravær, row 2, til: '19.01.2027' has a time of day (12:00) that the cell's "
        "format does not show; it is read as the whole date (format the cell as dd.mm.yyyy "
        "hh:mm to use the time)"
    ]


def test_a_share_above_one_is_read_but_warned_about() -> None:
    content = xlsx(
        {"Leger": [["navn", "kommune", "kategori", "andel"], ["Kari", "gol", "vikar", 50]]}
    )
    result = ok([("leger.xlsx", content)])
    assert result.scenario.doctors[0].share == 50
    assert result.warnings == [
        "leger.xlsx, Leger, row 2, andel: '50' is read as 50 full shares; for a part-time share "
        "write a percentage ('50 %') or a fraction ('0,5')"
    ]


def test_given_ids_are_kept_and_a_repeated_one_is_an_error() -> None:
    content = xlsx(
        {"Leger": doctors_sheet(["d1", "Kari", "gol", "vikar"], ["d1", "Ola", "gol", "vikar"])}
    )
    assert errors([("leger.xlsx", content)]) == [
        "leger.xlsx, Leger, row 3, id: 'd1' is also the id in row 2"
    ]


def test_ids_made_from_names() -> None:
    names = ["Anne-Lise O'Brien", "Dr. Ola Hansen 2", "Ål  Åsen", "  ", "Kari (vikar)", "…"]
    rows = [["", name, "gol", "vikar"] for name in names if name.strip()]
    result = ok([("l.xlsx", xlsx({"Leger": doctors_sheet(*rows)}))])
    assert [d.id for d in result.scenario.doctors] == [
        "anne-lise-obrien",
        "dr-ola-hansen-2",
        "ål-åsen",
        "kari-vikar",
        "lege",
    ]


def test_requests_by_id_name_and_english_words() -> None:
    content = xlsx(
        {
            "Leger": doctors_sheet(["d1", "Kari Nordmann", "gol", "vikar"]),
            "Requests": [
                ["doctor", "date", "shift", "type"],
                ["kari nordmann", "2027-01-10", "NATT", "wish"],
                ["D1", dt.date(2027, 1, 11), None, "Avoid"],
                ["d1", dt.datetime(2027, 1, 12, 0, 0), "kveld", "Unngår"],
            ],
        }
    )
    (d,) = ok([("l.xlsx", content)]).scenario.doctors
    assert d.wish == [Request(date=dt.date(2027, 1, 10), shift="natt")]
    assert d.avoid == [
        Request(date=dt.date(2027, 1, 11)),
        Request(date=dt.date(2027, 1, 12), shift="kveld"),
    ]


def test_excel_error_cells_are_bad_values() -> None:
    content = xlsx(
        {"Leger": [["navn", "kommune", "kategori", "andel"], ["Kari", "gol", "vikar", "#N/A"]]}
    )
    assert errors([("l.xlsx", content)]) == [
        "l.xlsx, Leger, row 2, andel: '#N/A' is not a number or a percentage"
    ]


def test_an_empty_doctor_list_is_an_error() -> None:
    content = xlsx({"Leger": [DOCTOR_HEADER]})
    assert errors([("l.xlsx", content)]) == [
        "l.xlsx, Leger: has no doctors; a roster needs at least one (one row per doctor from row 2)"
    ]


def test_a_workbook_without_a_leger_sheet() -> None:
    content = xlsx({"Ark1": [DOCTOR_HEADER], "Fravær": [ABSENCE_HEADER]})
    assert errors([("leger.xlsx", content)]) == [
        "leger.xlsx: has no sheet Leger (or Doctors); its sheets are Ark1, Fravær"
    ]


def test_csv_files_are_told_apart_by_their_header() -> None:
    leger = csv_bytes([DOCTOR_HEADER, ["d1", "Kari", "gol", "vikar"]])
    onsker = csv_bytes([REQUEST_HEADER, ["d1", "10.01.2027", "", "ønsker"]])
    fravaer = csv_bytes([["fra", "til", "lege"], ["10.01.2027", "11.01.2027", "d1"]])
    # neither the file names nor their order says which table is which
    result = ok([("a.csv", onsker), ("b.csv", fravaer), ("c.csv", leger)])
    (d,) = result.scenario.doctors
    assert d.wish == [Request(date=dt.date(2027, 1, 10))]
    assert [a.bounds() for a in d.unavailable] == [
        (dt.datetime(2027, 1, 10), dt.datetime(2027, 1, 12))
    ]


def test_csv_tables_that_cannot_be_told_apart_or_come_twice() -> None:
    leger = csv_bytes([DOCTOR_HEADER, ["d1", "Kari", "gol", "vikar"]])
    odd = csv_bytes([["a", "b"], ["1", "2"]])
    assert errors([("leger.csv", leger), ("leger2.csv", leger), ("odd.csv", odd)]) == [
        "leger2.csv: a second Leger table; the first is leger.csv",
        "odd.csv, row 1: the header is not that of a doctors, absences, requests or exemptions "
        "table (Leger: id, navn, kommune, kategori, selvstendig, LIS1 fullført, video, andel, "
        "fritak, maks timer per uke, stasjoner; Fravær: lege, fra, til, merknad; Ønsker: lege, "
        "dato, vakt, type; Fritak: lege, fra, til, gjelder, merknad)",
    ]


def test_a_workbook_and_a_csv_file_together() -> None:
    leger = xlsx({"Leger": doctors_sheet(["d1", "Kari", "gol", "vikar"])})
    fravaer = csv_bytes([ABSENCE_HEADER, ["d1", "10.01.2027", "11.01.2027", ""]])
    (d,) = ok([("leger.xlsx", leger), ("fravaer.csv", fravaer)]).scenario.doctors
    assert len(d.unavailable) == 1


def test_no_files() -> None:
    assert errors([]) == ["no files given: a workbook with a sheet Leger, or CSV files"]


def test_the_error_is_a_value_error_with_lines() -> None:
    with pytest.raises(ValueError, match="has no doctors") as info:
        import_doctor_list([("l.xlsx", xlsx({"Leger": [DOCTOR_HEADER]}))], base())
    assert isinstance(info.value, DoctorListError)
    assert len(info.value.errors) == 1
