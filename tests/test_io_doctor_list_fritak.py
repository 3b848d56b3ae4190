"""The optional Fritak table (dated and partial exemptions) through import_doctor_list:
real workbooks and CSV files, Norwegian and English headers and values, and the exact line
every mistake gets. (The parser of ``gjelder`` alone is in the columns tests; the export
and the template's sheet in theirs.)"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from openpyxl import Workbook

from legevakt_opt.io.doctor_list import DoctorListError, import_doctor_list
from legevakt_opt.scenario import Exemption
from tests.doctor_list_fixtures import base, csv_bytes, doctors_sheet, errors, ok, sheet, xlsx

FRITAK_HEADER = ["lege", "fra", "til", "gjelder", "merknad"]
LEGER = doctors_sheet(
    ["d04", "Kari Nordmann", "gol", "vikar"],
    ["d11", "Kari Olsen", "gol", "vikar"],
    ["d12", "Per Hansen", "ål", "LIS1"],
)


def exemption(start: str, end: str, *duties: str, note: str | None = None) -> Exemption:
    return Exemption.model_validate(
        {"from": start, "to": end, "from_duties": list(duties), "note": note}
    )


def book(*rows: list[Any], title: str = "Fritak", header: list[str] = FRITAK_HEADER) -> bytes:
    return xlsx({"Leger": LEGER, title: [header, *rows]})


def test_a_fritak_sheet_with_date_cells_and_every_value() -> None:
    content = book(
        ["d04", dt.date(2027, 2, 1), dt.date(2027, 4, 30), "natt", "gravid"],
        ["Olsen", dt.date(2027, 3, 10), dt.date(2027, 3, 10), None, "syk"],
        ["per hansen", "01.03.2027", "2027-12-31", "Helg; TILSTEDEVAKT", None],
        ["d12", "1.1.2027", "31.1.27", "natt, helg, tilstedevakt, alle"],
    )
    result = ok([("leger.xlsx", content)])
    assert result.warnings == []
    kari, olsen, per = result.scenario.doctors
    assert kari.exemptions == [exemption("2027-02-01", "2027-04-30", "night", note="gravid")]
    # gjelder empty: all duty
    assert olsen.exemptions == [exemption("2027-03-10", "2027-03-10", "all", note="syk")]
    assert per.exemptions == [
        exemption("2027-03-01", "2027-12-31", "weekend", "on_site"),
        exemption("2027-01-01", "2027-01-31", "night", "weekend", "on_site", "all"),
    ]
    assert (kari.exempt, kari.unavailable) == (False, [])  # nothing else is touched


def test_english_sheet_name_headers_and_values() -> None:
    header = ["Doctor", " FROM", "to", "From_Duties", "note"]
    content = book(
        ["d04", "2027-02-01", "2027-02-28", "night; weekend", "pregnant"],
        ["d11", "2027-02-01", "2027-02-28", "on_site, ALL"],
        title=" exemptions ",
        header=header,
    )
    kari, olsen, _ = ok([("doctors.xlsx", content)]).scenario.doctors
    assert kari.exemptions == [
        exemption("2027-02-01", "2027-02-28", "night", "weekend", note="pregnant")
    ]
    assert olsen.exemptions == [exemption("2027-02-01", "2027-02-28", "on_site", "all")]


def test_without_a_gjelder_column_an_exemption_is_from_all_duty() -> None:
    content = book(["d04", "01.02.2027", "02.02.2027"], header=["lege", "fra", "til"])
    kari = ok([("l.xlsx", content)]).scenario.doctors[0]
    assert kari.exemptions == [exemption("2027-02-01", "2027-02-02", "all")]


def test_csv_files_norwegian_in_windows_1252_and_english_with_commas() -> None:
    leger = csv_bytes(LEGER, encoding="cp1252")
    fritak = csv_bytes(
        [FRITAK_HEADER, ["Per Hansen", "01.02.2027", "28.02.2027", "natt;helg", "over 60 år"]],
        encoding="cp1252",
    )
    assert "å".encode("cp1252") in fritak  # really Windows-1252
    exemptions = csv_bytes(
        [["doctor", "from", "to", "from_duties"], ["d04", "2027-03-01", "2027-03-02", ""]],
        sep=",",
        bom=True,
    )
    per = ok([("fritak.csv", fritak), ("leger.csv", leger)]).scenario.doctors[2]
    assert per.exemptions == [
        exemption("2027-02-01", "2027-02-28", "night", "weekend", note="over 60 år")
    ]
    kari = ok([("exemptions.csv", exemptions), ("leger.csv", leger)]).scenario.doctors[0]
    assert kari.exemptions == [exemption("2027-03-01", "2027-03-02", "all")]


def test_a_csv_file_is_fritak_by_its_gjelder_column_else_fravaer() -> None:
    leger = csv_bytes(LEGER)
    fravaer = csv_bytes(
        [["lege", "fra", "til", "merknad"], ["d04", "01.02.2027", "02.02.2027", ""]]
    )
    fritak = csv_bytes([["lege", "fra", "til", "gjelder"], ["d04", "01.02.2027", "02.02.2027", ""]])
    kari = ok([("a.csv", fravaer), ("b.csv", fritak), ("c.csv", leger)]).scenario.doctors[0]
    assert [a.bounds()[0].date().isoformat() for a in kari.unavailable] == ["2027-02-01"]
    assert kari.exemptions == [exemption("2027-02-01", "2027-02-02", "all")]


def test_comment_and_empty_rows_are_skipped() -> None:
    content = book(
        ["# lege", "fra", "til"],
        [],
        ["d04", "01.02.2027", "02.02.2027", "natt"],
    )
    assert len(ok([("l.xlsx", content)]).scenario.doctors[0].exemptions) == 1


# ---------------------------------------------------------------- errors


def test_a_gjelder_that_is_not_a_kind_of_duty() -> None:
    content = book(
        ["d04", "01.02.2027", "28.02.2027", "natt"],
        ["d04", "01.03.2027", "31.03.2027", "helg"],
        ["d04", "01.04.2027", "30.04.2027", "natta"],
        ["d11", "01.04.2027", "30.04.2027", "natt, hjemmevakt; Helgg"],
        ["d12", "01.04.2027", "30.04.2027", " ; "],
        ["d12", "01.04.2027", "30.04.2027", 1],
    )
    assert errors([("leger.xlsx", content)]) == [
        "leger.xlsx, Fritak, row 4, gjelder: 'natta' is not one of natt, helg, tilstedevakt, alle",
        "leger.xlsx, Fritak, row 5, gjelder: 'hjemmevakt' is not one of natt, helg, "
        "tilstedevakt, alle; 'Helgg' is not one of natt, helg, tilstedevakt, alle",
        "leger.xlsx, Fritak, row 6, gjelder: ';' names none of natt, helg, tilstedevakt, alle",
        "leger.xlsx, Fritak, row 7, gjelder: '1' is not one of natt, helg, tilstedevakt, alle",
    ]


def test_til_before_fra() -> None:
    content = book(
        ["d04", dt.date(2027, 2, 10), dt.date(2027, 2, 9), "natt"],
        ["d04", "10.02.2027", "10.02.2027", "natt"],  # one day: fine
    )
    assert errors([("leger.xlsx", content)]) == [
        "leger.xlsx, Fritak, row 2, til: '09.02.2027' is before fra '10.02.2027'"
    ]
    fritak = csv_bytes(
        [["doctor", "from", "to", "from_duties"], ["d04", "2027-02-10", "2027-02-01", ""]]
    )
    assert errors([("l.xlsx", xlsx({"Leger": LEGER})), ("fritak.csv", fritak)]) == [
        "fritak.csv, row 2, to: '2027-02-01' is before from '2027-02-10'"
    ]


def test_unknown_and_ambiguous_doctors() -> None:
    content = book(
        ["Kari", "01.02.2027", "02.02.2027", "natt"],
        ["Ola", "01.02.2027", "02.02.2027", "natt"],
        ["D12", "01.02.2027", "02.02.2027", "natt"],  # an id regardless of case is fine
    )
    assert errors([("leger.xlsx", content)]) == [
        "leger.xlsx, Fritak, row 2, lege: 'Kari' matches 2 doctors (d04 Kari Nordmann, d11 "
        "Kari Olsen)",
        "leger.xlsx, Fritak, row 3, lege: 'Ola' is not the id or name of a doctor in Leger",
    ]


def test_a_date_and_time_where_only_a_date_goes() -> None:
    content = book(
        ["d04", "01.02.2027 12:00", "2027-02-02T08:00", "natt"],
        ["d04", dt.datetime(2027, 2, 1, 16, 0), dt.datetime(2027, 2, 2, 0, 0), "natt"],
        ["d04", "01.02.2027", "02.02.2027 24:00", "natt"],
    )
    assert errors([("leger.xlsx", content)]) == [
        "leger.xlsx, Fritak, row 2, fra: '01.02.2027 12:00' is a date and time; only a date "
        "goes here",
        "leger.xlsx, Fritak, row 2, til: '2027-02-02T08:00' is a date and time; only a date "
        "goes here",
        # a date-time cell at midnight is its date (as for dato); 16:00 is not
        "leger.xlsx, Fritak, row 3, fra: '01.02.2027 16:00' is a date and time; only a date "
        "goes here",
        "leger.xlsx, Fritak, row 4, til: '02.02.2027 24:00' is a date and time; only a date "
        "goes here",
    ]


def test_a_date_cell_hiding_a_time_is_its_date_with_a_warning() -> None:
    def hide(wb: Workbook) -> None:
        sheet(wb, "Fritak")["B2"].number_format = "dd.mm.yyyy"

    rows: list[list[Any]] = [
        FRITAK_HEADER,
        ["d04", dt.datetime(2027, 2, 1, 12, 0), dt.date(2027, 2, 2), "natt"],
    ]
    result = ok([("leger.xlsx", xlsx({"Leger": LEGER, "Fritak": rows}, hide))])
    kari = result.scenario.doctors[0]
    assert kari.exemptions == [exemption("2027-02-01", "2027-02-02", "night")]
    assert result.warnings == [
        "leger.xlsx, Fritak, row 2, fra: '01.02.2027' has a time of day (12:00) that the cell's "
        "format does not show; it is read as the whole date (an exemption covers whole dates)"
    ]


def test_empty_required_cells_bad_dates_and_notes_that_are_never_wrong() -> None:
    content = book(
        ["", "01.02.2027", "02.02.2027", "natt", "x"],
        ["d04", "", "02.02.2027", "", 42],
        ["d04", "32.01.2027", 46405, "natt", dt.date(2027, 1, 1)],
        ["d04", "01.02.2027", "", "natt", "?"],
    )
    assert errors([("leger.xlsx", content)]) == [
        "leger.xlsx, Fritak, row 2, lege: is empty; the doctor's id or name",
        "leger.xlsx, Fritak, row 3, fra: is empty; the first date the exemption covers",
        "leger.xlsx, Fritak, row 4, fra: '32.01.2027' is not a date (dd.mm.yyyy or yyyy-mm-dd)",
        "leger.xlsx, Fritak, row 4, til: '46405' is a number, not a date (format the cell as a "
        "date)",
        "leger.xlsx, Fritak, row 5, til: is empty; the last date the exemption covers (inclusive)",
    ]


def test_unknown_missing_and_repeated_columns() -> None:
    content = book(
        ["d04", "01.02.2027", "natt", "x", "natt"],
        header=["lege", "fra", "gjelder", "grunn", "from_duties"],
    )
    assert errors([("leger.xlsx", content)]) == [
        "leger.xlsx, Fritak, row 1: unknown column 'grunn' (known: lege, fra, til, gjelder, "
        "merknad)",
        "leger.xlsx, Fritak, row 1: column E 'from_duties' repeats column C 'gjelder'",
        "leger.xlsx, Fritak, row 1: missing column 'til' (or 'to')",
    ]


def test_two_fritak_tables() -> None:
    rows = [FRITAK_HEADER, ["d04", "01.02.2027", "02.02.2027", "natt"]]
    content = xlsx({"Leger": LEGER, "Fritak": rows, "Exemptions": rows})
    assert errors([("l.xlsx", content)]) == [
        "l.xlsx, Exemptions: a second Fritak table; the first is l.xlsx, Fritak"
    ]


def test_nothing_is_produced_when_one_row_is_wrong() -> None:
    good = [["d04", f"0{k}.02.2027", f"0{k}.02.2027", "natt"] for k in range(1, 8)]
    content = book(*good, ["d04", "09.02.2027", "08.02.2027", "natt"])
    with pytest.raises(DoctorListError) as info:
        import_doctor_list([("leger.xlsx", content)], base())
    assert info.value.errors == [
        "leger.xlsx, Fritak, row 9, til: '08.02.2027' is before fra '09.02.2027'"
    ]
