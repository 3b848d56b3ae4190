"""Reading files into tables: what kind of file it is, encodings and separators, rows that
do not count, merged headers, limits, and one clear line for a file that cannot be read."""

from __future__ import annotations

import datetime as dt
import io
import random
import time
import zipfile
from pathlib import Path

import msoffcrypto.format.ooxml
import pytest
from openpyxl import Workbook
from openpyxl.styles import PatternFill

from legevakt_opt.io.doctor_list.cells import Limits
from legevakt_opt.io.doctor_list.tables import read_file, shows_time
from tests.doctor_list_fixtures import (
    DOCTOR_HEADER,
    csv_bytes,
    doctors_sheet,
    errors,
    ok,
    sheet,
    xlsx,
)

LIMITS = Limits()
LEGER = xlsx({"Leger": doctors_sheet(["d1", "Kari", "gol", "vikar"])})


def test_a_workbook_sheet_keeps_file_sheet_row_and_header() -> None:
    content = xlsx({"Leger": [[" navn ", "kommune"], ["Kari", "gol"], [None], ["Ola", "ål"]]})
    (table,) = read_file("l.xlsx", content, LIMITS).tables
    assert (table.file, table.sheet, table.header_row) == ("l.xlsx", "Leger", 1)
    assert [(c.letter, c.header) for c in table.columns] == [("A", "navn"), ("B", "kommune")]
    assert [(r.number, [v.raw for v in r.cells.values()]) for r in table.rows] == [
        (2, ["Kari", "gol"]),
        (4, ["Ola", "ål"]),  # the empty row 3 is skipped, the numbering is Excel's
    ]


def test_trailing_empty_rows_and_columns_are_ignored() -> None:
    def pad(wb: Workbook) -> None:
        ws = sheet(wb, "Leger")
        ws.cell(row=40, column=30).number_format = "0.00"  # styled but empty
        ws.cell(row=41, column=2, value="   ")  # blank
        ws.cell(row=1, column=12, value=" ")  # a blank header cell
        ws.cell(row=60, column=1).fill = PatternFill("solid", fgColor="FF0000")

    content = xlsx({"Leger": doctors_sheet(["d1", "Kari", "gol", "vikar"])}, pad)
    (table,) = read_file("l.xlsx", content, LIMITS).tables
    assert len(table.columns) == 4
    assert [r.number for r in table.rows] == [2]
    assert [d.id for d in ok([("l.xlsx", content)]).scenario.doctors] == ["d1"]


def test_comment_rows_are_skipped_before_and_after_the_header() -> None:
    content = xlsx(
        {
            "Leger": [
                ["# Legeliste for Hallingdal, vår 2027"],
                DOCTOR_HEADER,
                ["#d0", "Slettet Lege", "gol", "vikar"],
                [None, "# notat: Ola begynner i mars"],
                ["d1", "Kari", "gol", "vikar"],
            ]
        }
    )
    (table,) = read_file("l.xlsx", content, LIMITS).tables
    assert table.header_row == 2
    assert [r.number for r in table.rows] == [5]
    rows = [
        ["# eksportert 2027-01-01"],
        DOCTOR_HEADER,
        [" # kommentar"],
        ["d1", "Kari", "gol", "x"],
    ]
    (table,) = read_file("l.csv", csv_bytes(rows), LIMITS).tables
    assert (table.header_row, [r.number for r in table.rows]) == (2, [4])


def test_csv_encodings() -> None:
    rows = [["navn", "kommune"], ["Ørjan Bærum", "Bærum"]]
    for content in (
        csv_bytes(rows, encoding="cp1252"),
        csv_bytes(rows, encoding="utf-8"),
        csv_bytes(rows, encoding="utf-8", bom=True),
    ):
        (table,) = read_file("l.csv", content, LIMITS).tables
        assert table.columns[0].header == "navn"  # no BOM left on the first header
        assert [v.raw for v in table.rows[0].cells.values()] == ["Ørjan Bærum", "Bærum"]


@pytest.mark.parametrize("sep", [";", ",", "\t"], ids=["semicolon", "comma", "tab"])
def test_csv_separator_is_detected_from_the_header_row(sep: str) -> None:
    rows = [["navn", "andel", "merknad"], ["Kari", "0,5", "a; b, c"]]
    (table,) = read_file("l.csv", csv_bytes(rows, sep=sep), LIMITS).tables
    assert [c.header for c in table.columns] == ["navn", "andel", "merknad"]
    assert [v.raw for v in table.rows[0].cells.values()] == ["Kari", "0,5", "a; b, c"]


def test_csv_quoted_line_breaks_keep_excel_row_numbers() -> None:
    content = b'navn;merknad\r\nKari;"to\r\nlinjer"\r\n\r\nOla;x\r\n'
    (table,) = read_file("l.csv", content, LIMITS).tables
    assert [(r.number, r.cells[1].raw) for r in table.rows] == [(2, "to\r\nlinjer"), (4, "x")]


def test_a_csv_field_too_long_for_the_reader_is_one_line() -> None:
    content = b"navn;kommune;kategori\r\n" + b'"' + b"x" * 200_000 + b'";gol;vikar\r\n'
    assert errors([("l.csv", content)]) == [
        "l.csv, row 2: cannot be read as CSV (field larger than field limit (131072))"
    ]


def test_excel_cells_keep_their_kind() -> None:
    def formats(wb: Workbook) -> None:
        ws = sheet(wb, "Leger")
        ws["C2"].number_format = "[$-414]d. mmmm yyyy;@"  # a long Norwegian date
        ws["D2"].number_format = 'dd.mm.yyyy "kl." hh:mm'

    moment = dt.datetime(2027, 1, 18, 7, 59, 59, 999000)  # how Excel may keep 08:00
    content = xlsx(
        {"Leger": [["a", "b", "c", "d", "e"], [True, 0.5, dt.date(2027, 1, 18), moment, 3]]},
        formats,
    )
    (table,) = read_file("l.xlsx", content, LIMITS).tables
    values = table.rows[0].cells
    assert [values[k].raw for k in range(5)] == [
        True,
        0.5,
        dt.date(2027, 1, 18),
        dt.datetime(2027, 1, 18, 8, 0),
        3,
    ]
    assert [values[k].text for k in range(5)] == [
        "TRUE",
        "0.5",
        "18.01.2027",
        "18.01.2027 08:00",
        "3",
    ]


@pytest.mark.parametrize(
    ("number_format", "expected"),
    [
        ("dd.mm.yyyy", False),
        ("d/m/yy", False),
        ("mmm yyyy", False),
        ("[$-414]d. mmmm yyyy;@", False),
        ('dd.mm.yyyy "hele dagen"', False),
        ("dd.mm.yyyy hh:mm", True),
        ("yyyy-mm-dd h:mm AM/PM", True),
        ("[h]:mm", True),
        ("dd.mm.yyyy\\ hh:mm:ss", True),
        ("[Red]dd.mm.yyyy", False),
    ],
)
def test_shows_time(number_format: str, expected: bool) -> None:
    assert shows_time(number_format) is expected


def test_a_merged_header_cell_over_an_empty_column_is_fine() -> None:
    def merge(wb: Workbook) -> None:
        sheet(wb, "Leger").merge_cells("E1:F1")

    header = [*DOCTOR_HEADER, "LIS1 fullført"]
    content = xlsx({"Leger": [header, ["d1", "Kari", "gol", "LIS1", "ja"]]}, merge)
    (d,) = ok([("l.xlsx", content)]).scenario.doctors
    assert d.lis1_completed is True


def test_a_merged_header_cell_that_leaves_a_column_without_a_name() -> None:
    def merge(wb: Workbook) -> None:
        sheet(wb, "Leger").merge_cells("E1:F1")

    header = [*DOCTOR_HEADER, "LIS1 fullført"]
    rows = [["d1", "Kari", "gol", "LIS1", "ja", "nei"], ["d2", "Ola", "gol", "LIS1", "", "ja"]]
    content = xlsx({"Leger": [header, *rows]}, merge)
    assert errors([("l.xlsx", content)]) == [
        "l.xlsx, Leger, row 1: column F has no header but holds values (rows 2, 3): it is part "
        "of the merged header cell E1:F1 'LIS1 fullført'; unmerge it and give each column its "
        "own header"
    ]


def test_a_column_without_a_header_that_is_not_merged() -> None:
    rows = [DOCTOR_HEADER, ["d1", "Kari", "gol", "vikar", "", "?"]]
    assert errors([("l.csv", csv_bytes(rows))]) == [
        "l.csv, row 1: column F has no header but holds values (row 2); give it a header or "
        "remove the values"
    ]


def test_limits_on_rows_and_columns() -> None:
    rows = doctors_sheet(*[[f"d{k}", f"Lege {k}", "gol", "vikar"] for k in range(4)])
    content = xlsx({"Leger": rows})
    assert len(ok([("l.xlsx", content)]).scenario.doctors) == 4
    assert errors([("l.xlsx", content)], max_rows=3) == [
        "l.xlsx, Leger: more than 3 rows; the limit is 3"
    ]
    wide = xlsx({"Leger": [[*DOCTOR_HEADER, "andel"], ["d1", "Kari", "gol", "vikar", "1"]]})
    assert errors([("l.xlsx", wide)], max_columns=4) == [
        "l.xlsx, Leger, row 1: has values beyond column D; the limit is 4 columns"
    ]


def test_the_default_limits() -> None:
    rows = [DOCTOR_HEADER] + [[f"d{k}", f"Lege {k}", "gol", "vikar"] for k in range(5000)]
    assert len(ok([("l.csv", csv_bytes(rows))]).scenario.doctors) == 5000
    rows.append(["d5000", "Lege 5000", "gol", "vikar"])
    assert errors([("l.csv", csv_bytes(rows))]) == ["l.csv: more than 5000 rows; the limit is 5000"]
    wide = [[*DOCTOR_HEADER, *(f"x{k}" for k in range(97))], ["d1", "Kari", "gol", "vikar"]]
    assert errors([("l.csv", csv_bytes(wide))]) == [
        "l.csv, row 1: has values beyond column CV; the limit is 100 columns"
    ]


def test_rows_far_beyond_the_limit_are_not_scanned() -> None:
    def far(wb: Workbook) -> None:
        sheet(wb, "Leger").cell(row=100, column=1, value="d9")

    content = xlsx({"Leger": doctors_sheet(["d1", "Kari", "gol", "vikar"])}, far)
    assert errors([("l.xlsx", content)], max_rows=5) == [
        "l.xlsx, Leger: more than 50 rows (empty ones included); the limit is 5 rows"
    ]


def test_a_50_mb_file_is_refused_by_its_size_before_it_is_parsed(tmp_path: Path) -> None:
    path = tmp_path / "big.xlsx"
    with path.open("wb") as f:  # sparse: 50 MiB of nothing, starting like a zip
        f.write(b"PK\x03\x04")
        f.truncate(50 * 2**20)
    content = path.read_bytes()
    started = time.perf_counter()
    lines = errors([("big.xlsx", content)])
    assert time.perf_counter() - started < 0.5
    assert lines == ["big.xlsx: 52.4 MB is over the limit of 20 MB"]


def test_the_size_limit_is_a_keyword() -> None:
    assert errors([("l.xlsx", LEGER)], max_bytes=1000) == [
        f"l.xlsx: {len(LEGER) / 1e3:.1f} kB is over the limit of 1 kB"
    ]
    assert ok([("l.xlsx", LEGER)]).scenario.doctors


def test_a_password_protected_workbook() -> None:
    # a real encrypted workbook, made with msoffcrypto-tool
    encrypted = io.BytesIO()
    msoffcrypto.format.ooxml.OOXMLFile(io.BytesIO(LEGER)).encrypt("hemmelig", encrypted)
    assert encrypted.getvalue().startswith(bytes.fromhex("D0CF11E0A1B11AE1"))
    assert errors([("leger.xlsx", encrypted.getvalue())]) == [
        "leger.xlsx: is password-protected or an old .xls workbook; save it as .xlsx (without a "
        "password)"
    ]


def test_an_old_xls_workbook() -> None:
    # the OLE2 container's signature, as an Excel 97-2003 file starts
    content = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(4088)
    assert errors([("leger.xls", content)]) == [
        "leger.xls: is password-protected or an old .xls workbook; save it as .xlsx (without a "
        "password)"
    ]


def test_a_truncated_workbook() -> None:
    assert errors([("leger.xlsx", LEGER[: len(LEGER) // 2])]) == [
        "leger.xlsx: is a damaged or truncated .xlsx workbook (it cannot be unzipped); save it "
        "again from Excel"
    ]


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def test_a_damaged_workbook_inside_a_sound_zip() -> None:
    with zipfile.ZipFile(io.BytesIO(LEGER)) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    members["xl/workbook.xml"] = b"<workbook><sheets><sheet"
    (line,) = errors([("leger.xlsx", _zip(members))])
    assert line.startswith("leger.xlsx: is a damaged .xlsx workbook (")
    assert line.endswith("); save it again from Excel")


def test_zip_files_that_are_not_workbooks() -> None:
    ods = _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b""})
    assert errors([("leger.ods", ods), ("leger.zip", _zip({"a.txt": b"hei"}))]) == [
        "leger.ods: is an OpenDocument spreadsheet (.ods), not an .xlsx workbook; save it as .xlsx",
        "leger.zip: is a zip file, not an .xlsx workbook; save it as .xlsx",
    ]


def test_a_workbook_that_unpacks_far_beyond_its_size() -> None:
    bomb = _zip({"xl/workbook.xml": bytes(300_000)})
    assert len(bomb) < 10_000
    assert errors([("bomb.xlsx", bomb)], max_bytes=10_000) == [
        "bomb.xlsx: unpacks to 300 kB, over the limit of 100 kB"
    ]


def test_files_that_are_neither_workbook_nor_csv() -> None:
    pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
    noise = random.Random(0).randbytes(4096)
    utf16 = "navn\tkommune\r\nKari\tGol\r\n".encode("utf-16")
    assert errors([("a.pdf", pdf), ("b.xlsx", noise), ("c.txt", utf16), ("d.csv", b"")]) == [
        "a.pdf: is a PDF document, not an .xlsx workbook or a CSV file",
        "b.xlsx: is neither an .xlsx workbook nor a CSV text file (UTF-8 or Windows-1252)",
        "c.txt: is UTF-16 text (Excel's 'Unicode text'); save it as 'CSV UTF-8' or "
        "'CSV (semikolondelt)'",
        "d.csv: is empty",
    ]


def test_extra_sheets_are_noted_and_the_choices_sheet_is_not() -> None:
    content = xlsx(
        {"Leger": doctors_sheet(["d1", "Kari", "gol", "vikar"]), "Notater": [["hei"]], "Valg": []}
    )
    assert ok([("l.xlsx", content)]).warnings == [
        "l.xlsx, Notater: sheet is not read (only Leger, Fravær, Ønsker, Fritak are)"
    ]


def test_two_sheets_for_one_table() -> None:
    rows = doctors_sheet(["d1", "Kari", "gol", "vikar"])
    content = xlsx({"Leger": rows, "Doctors": rows})
    assert errors([("l.xlsx", content)]) == [
        "l.xlsx, Doctors: a second Leger table; the first is l.xlsx, Leger"
    ]
