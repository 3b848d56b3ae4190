"""Column tables and value parsers: every accepted spelling, and the line a bad one gets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from legevakt_opt.io.doctor_list.cells import Column, Table, Value
from legevakt_opt.io.doctor_list.columns import (
    FIELDS,
    match_columns,
    parse_category,
    parse_date,
    parse_duties,
    parse_moment,
    parse_number,
    parse_request_type,
    parse_share,
    parse_text,
    parse_yes_no,
    split_list,
    table_kind,
)


def table(*headers: str) -> Table:
    return Table("f.csv", None, 1, [Column(k, h) for k, h in enumerate(headers)])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ja", True),
        ("Nei", False),
        ("YES", True),
        ("no", False),
        ("x", True),
        ("X", True),
        ("1", True),
        ("0", False),
        ("true", True),
        ("FALSE", False),
        ("SANN", True),  # Norwegian Excel's TRUE, in a CSV
        ("usann", False),
        (True, True),
        (False, False),
        (1, True),
        (0.0, False),
    ],
)
def test_yes_no(raw: Any, expected: bool) -> None:
    assert parse_yes_no(Value(raw)) is expected


@pytest.mark.parametrize("raw", ["kanskje", "2", 2, "jaa", dt.date(2027, 1, 1)])
def test_not_yes_or_no(raw: Any) -> None:
    with pytest.raises(ValueError, match=r"is not yes or no \(ja/nei, x or empty"):
        parse_yes_no(Value(raw))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0,5", (0.5, False)),
        ("0.5", (0.5, False)),
        ("50 %", (0.5, True)),
        ("50%", (0.5, True)),
        ("12,5 %", (0.125, True)),
        ("100%", (1, True)),
        ("1", (1, False)),
        (",75", (0.75, False)),
        (0.6, (0.6, False)),
        (2, (2, False)),
    ],
)
def test_share(raw: Any, expected: tuple[float, bool]) -> None:
    assert parse_share(Value(raw)) == expected


@pytest.mark.parametrize("raw", ["abc", "50 prosent", "%", "1,2,3", True, "inf", "nan"])
def test_not_a_share(raw: Any) -> None:
    with pytest.raises(ValueError, match="is not a number or a percentage"):
        parse_share(Value(raw))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("37,5", 37.5), ("37.5", 37.5), ("-5", -5), ("+4", 4), ("1 000", 1000), (12, 12)],
)
def test_number(raw: Any, expected: float) -> None:
    number = parse_number(Value(raw))
    assert number == expected
    assert isinstance(number, int) == isinstance(expected, int)  # -5 stays -5, not -5.0


@pytest.mark.parametrize("raw", ["mange", "1e3", "", "12 t", False])
def test_not_a_number(raw: Any) -> None:
    with pytest.raises(ValueError, match=r"is not a number$"):
        parse_number(Value(raw))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("fastlege", "fastlege"),
        ("LIS1", "lis1"),
        ("lis1", "lis1"),
        ("ALIS", "alis"),
        ("Spesialist", "specialist"),
        ("specialist", "specialist"),
        ("vikar", "vikar"),
        ("Fast  ansatt", "salaried"),
        ("salaried", "salaried"),
    ],
)
def test_category(raw: str, expected: str) -> None:
    assert parse_category(Value(raw)) == expected


def test_not_a_category() -> None:
    with pytest.raises(ValueError) as info:
        parse_category(Value("turnuslege"))
    assert str(info.value) == (
        "'turnuslege' is not a category (fastlege, LIS1, ALIS, spesialist, vikar, fast ansatt)"
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ønsker", "wish"),
        ("Ønsker", "wish"),
        ("onsker", "wish"),
        ("wish", "wish"),
        ("unngår", "avoid"),
        ("UNNGÅR", "avoid"),
        ("unngar", "avoid"),
        ("avoid", "avoid"),
    ],
)
def test_request_type(raw: str, expected: str) -> None:
    assert parse_request_type(Value(raw)) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("18.01.2027", "2027-01-18"),
        ("1.2.2027", "2027-02-01"),
        ("18.01.27", "2027-01-18"),
        ("2027-01-18", "2027-01-18"),
        (dt.date(2027, 1, 18), "2027-01-18"),
        (dt.datetime(2027, 1, 18), "2027-01-18"),  # a date-time cell at midnight
    ],
)
def test_date(raw: Any, expected: str) -> None:
    assert parse_date(Value(raw)) == expected


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("32.01.2027", "'32.01.2027' is not a date (dd.mm.yyyy or yyyy-mm-dd)"),
        ("29.02.2027", "'29.02.2027' is not a date (dd.mm.yyyy or yyyy-mm-dd)"),
        ("2027-1-18", "'2027-1-18' is not a date (dd.mm.yyyy or yyyy-mm-dd)"),
        ("18/01/2027", "'18/01/2027' is not a date (dd.mm.yyyy or yyyy-mm-dd)"),
        ("18.01.2027 12:00", "'18.01.2027 12:00' is a date and time; only a date goes here"),
        (
            dt.datetime(2027, 1, 18, 12),
            "'18.01.2027 12:00' is a date and time; only a date goes here",
        ),
        (46405, "'46405' is a number, not a date (format the cell as a date)"),
        (dt.time(12, 0), "'12:00' is a time of day without a date"),
    ],
)
def test_not_a_date(raw: Any, problem: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_date(Value(raw))
    assert str(info.value) == problem


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("18.01.2027", "2027-01-18"),
        ("18.01.2027 12:00", "2027-01-18T12:00"),
        ("18.01.2027  8:05", "2027-01-18T08:05"),
        ("2027-01-18T12:00", "2027-01-18T12:00"),
        ("2027-01-18 12:00:00", "2027-01-18T12:00"),
        ("18.01.2027 24:00", "2027-01-19T00:00"),
        ("31.12.2027 24:00", "2028-01-01T00:00"),
        ("18.01.2027 00:00", "2027-01-18T00:00"),
        (dt.datetime(2027, 1, 18, 12, 0), "2027-01-18T12:00"),
        (dt.date(2027, 1, 18), "2027-01-18"),
    ],
)
def test_moment(raw: Any, expected: str) -> None:
    assert parse_moment(Value(raw)) == expected


@pytest.mark.parametrize("raw", ["18.01.2027 25:00", "18.01.2027 24:30", "18.01.2027 12:60"])
def test_not_a_moment(raw: str) -> None:
    with pytest.raises(ValueError, match=r"is not a date or a date and time \(dd.mm.yyyy"):
        parse_moment(Value(raw))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("natt", ["night"]),
        ("Helg", ["weekend"]),
        ("TILSTEDEVAKT", ["on_site"]),
        ("alle", ["all"]),
        ("night, weekend;on_site ; all", ["night", "weekend", "on_site", "all"]),
        ("on-site", ["on_site"]),
        ("helg, natt", ["weekend", "night"]),  # in the order written
    ],
)
def test_duties(raw: str, expected: list[str]) -> None:
    assert parse_duties(Value(raw)) == expected


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("natta", "'natta' is not one of natt, helg, tilstedevakt, alle"),
        (
            "natt, vakt; x",
            "'vakt' is not one of natt, helg, tilstedevakt, alle; "
            "'x' is not one of natt, helg, tilstedevakt, alle",
        ),
        (",;", "',;' names none of natt, helg, tilstedevakt, alle"),
        (True, "'TRUE' is not one of natt, helg, tilstedevakt, alle"),
        (dt.date(2027, 1, 2), "'02.01.2027' is not one of natt, helg, tilstedevakt, alle"),
    ],
)
def test_not_duties(raw: Any, problem: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_duties(Value(raw))
    assert str(info.value) == problem


def test_text_and_lists() -> None:
    assert parse_text(Value("  as typed ")) == "  as typed "  # cells arrive stripped
    assert parse_text(Value(12)) == "12"
    assert parse_text(Value(dt.date(2027, 1, 2))) == "02.01.2027"
    assert split_list("ål-lv, Gol satellitt;x ;; ") == ["ål-lv", "Gol satellitt", "x"]


def test_the_column_tables_are_the_contracts() -> None:
    names = {kind: [f.names for f in fields] for kind, fields in FIELDS.items()}
    assert names == {
        "doctors": [
            ("id",),
            ("navn", "name"),
            ("kommune", "municipality"),
            ("kategori", "category"),
            ("selvstendig", "independent"),
            ("LIS1 fullført", "lis1_completed"),
            ("video",),
            ("andel", "share", "stillingsandel"),
            ("fritak", "exempt"),
            ("maks timer per uke", "max_hours_per_week"),
            ("stasjoner", "stations"),
        ],
        "absences": [("lege", "doctor"), ("fra", "from"), ("til", "to"), ("merknad", "note")],
        "requests": [("lege", "doctor"), ("dato", "date"), ("vakt", "shift"), ("type",)],
        "exemptions": [
            ("lege", "doctor"),
            ("fra", "from"),
            ("til", "to"),
            ("gjelder", "from_duties"),
            ("merknad", "note"),
        ],
    }
    required = {kind: [f.header for f in fields if f.required] for kind, fields in FIELDS.items()}
    assert required == {
        "doctors": ["navn", "kommune", "kategori"],
        "absences": ["lege", "fra", "til"],
        "requests": ["lege", "dato", "type"],
        "exemptions": ["lege", "fra", "til"],
    }


def test_match_columns() -> None:
    found, problems = match_columns(table(" Navn", "MUNICIPALITY", "kategori ", "Andel"), "doctors")
    assert {k: c.index for k, c in found.items()} == {
        "name": 0,
        "municipality": 1,
        "category": 2,
        "share": 3,
    }
    assert problems == []


@pytest.mark.parametrize(
    ("headers", "kind"),
    [
        (("navn", "kommune", "kategori"), "doctors"),
        (("id", "name", "stations", "bogus"), "doctors"),
        (("lege", "fra", "til"), "absences"),
        (("doctor", "from", "to", "note"), "absences"),
        (("lege", "dato", "type"), "requests"),
        (("lege", "fra", "til", "gjelder"), "exemptions"),
        (("doctor", "from", "to", "from_duties", "note"), "exemptions"),
        (("gjelder",), "exemptions"),
        (("lege", "fra", "til", "merknad"), "absences"),  # exemptions also lack gjelder
        (("lege",), None),  # both absences and requests have it
        (("a", "b"), None),
    ],
)
def test_table_kind(headers: tuple[str, ...], kind: str | None) -> None:
    assert table_kind(table(*headers)) == kind


Parser = Callable[[Value], object]


@pytest.mark.parametrize(
    "parse",
    [
        parse_yes_no,
        parse_number,
        parse_share,
        parse_category,
        parse_date,
        parse_moment,
        parse_duties,
    ],
)
def test_excel_error_values_are_never_read_as_values(parse: Parser) -> None:
    with pytest.raises(ValueError, match=r"^'#N/A' is"):
        parse(Value("#N/A", excel_error=True))
