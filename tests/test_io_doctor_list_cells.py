"""Cells, columns and tables: how a value reads, and how an error line names its place."""

from __future__ import annotations

import datetime as dt

import pytest

from legevakt_opt.io.doctor_list.cells import (
    Column,
    Limits,
    Table,
    Value,
    build_table,
    megabytes,
    norm,
)


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("Kari", "Kari"),
        (True, "TRUE"),
        (False, "FALSE"),
        (3, "3"),
        (3.0, "3"),
        (0.25, "0.25"),
        (dt.date(2027, 1, 8), "08.01.2027"),
        (dt.datetime(2027, 1, 8, 7, 5), "08.01.2027 07:05"),
        (dt.time(16, 0), "16:00"),
    ],
)
def test_a_value_reads_as_in_the_sheet(raw: object, text: str) -> None:
    assert Value(raw).text == text  # type: ignore[arg-type]


def test_a_long_value_is_cut_short_in_an_error_line() -> None:
    assert Value("x" * 100).shown() == repr("x" * 57 + "...")
    assert Value("Kari's").shown() == '"Kari\'s"'


def test_places() -> None:
    sheet = Table("leger.xlsx", "Leger", 1, [Column(0, "andel"), Column(1, "")])
    csv = Table("fravaer.csv", None, 1, [])
    assert sheet.at() == "leger.xlsx, Leger"
    assert sheet.at(7) == "leger.xlsx, Leger, row 7"
    assert sheet.at(7, sheet.columns[0]) == "leger.xlsx, Leger, row 7, andel"
    assert sheet.at(7, sheet.columns[1]) == "leger.xlsx, Leger, row 7, column B"
    assert csv.at(3, Column(27, "lege")) == "fravaer.csv, row 3, lege"
    assert Column(27, "").letter == "AB"


def test_norm() -> None:
    decomposed = "A\u030al"  # Å typed as A and a combining ring
    assert norm(f"  {decomposed}  LEGEVAKT ") == "ål legevakt"
    assert norm("maks\ntimer  per uke") == "maks timer per uke"


@pytest.mark.parametrize(
    ("n", "text"),
    [(52_428_800, "52.4 MB"), (20_000_000, "20 MB"), (5_123, "5.1 kB"), (1_000, "1 kB")],
)
def test_megabytes(n: int, text: str) -> None:
    assert megabytes(n) == text


def test_build_table_from_raw_rows() -> None:
    rows: list[tuple[int, list[Value | None]]] = [
        (1, [None, None]),
        (2, [Value("navn"), Value("kommune"), None]),
        (3, [Value("# kommentar")]),
        (4, [Value("Kari"), Value("gol")]),
        (5, []),
        (6, [None, Value("ål")]),
    ]
    problems: list[str] = []
    table = build_table("l.csv", None, rows, Limits(), problems, list)
    assert problems == []
    assert table is not None
    assert table.header_row == 2
    assert [(r.number, {k: v.raw for k, v in r.cells.items()}) for r in table.rows] == [
        (4, {0: "Kari", 1: "gol"}),
        (6, {1: "ål"}),
    ]


def test_build_table_of_nothing() -> None:
    problems: list[str] = []
    assert build_table("l.csv", None, [(1, [None])], Limits(), problems, list) is None
    assert problems == []
