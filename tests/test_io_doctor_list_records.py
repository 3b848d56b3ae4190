"""Rows as scenario data: ids made from names, and how a ``lege`` cell finds its doctor."""

from __future__ import annotations

import pytest

from legevakt_opt.io.doctor_list.cells import Column, Row, Table
from legevakt_opt.io.doctor_list.records import (
    DoctorIndex,
    DoctorRecord,
    Problems,
    Source,
    make_id,
)
from legevakt_opt.scenario import scenario_from_data
from tests.doctor_list_fixtures import base

TABLE = Table("leger.xlsx", "Leger", 1, [Column(0, "navn")])


def doctor(id: str, name: str) -> DoctorRecord:
    return DoctorRecord(Source(TABLE, Row(2, {}), {}), {"id": id, "name": name})


DOCTORS = [
    doctor("d04", "Kari Nordmann"),
    doctor("d11", "Kari Olsen"),
    doctor("Per", "Per Hansen"),
    doctor("ola", "Per"),
]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Kari Nordmann", "kari-nordmann"),
        ("Anne-Lise  Berg", "anne-lise-berg"),
        ("O'Brien", "obrien"),
        ("Dr. Ola J. Hansen", "dr-ola-j-hansen"),
        ("Ola Hansen 2", "ola-hansen-2"),
        ("Ørjan Ødegård", "ørjan-ødegård"),
        ("A\u030ase", "åse"),  # decomposed å is composed (NFC)
        ("Sophie_Ø", "sophie_ø"),
        ("(vikar)", "vikar"),
        ("…", "lege"),
        ("", "lege"),
    ],
)
def test_make_id(name: str, expected: str) -> None:
    made = make_id(name, set())
    assert made == expected
    # every id made is one the scenario accepts
    data = base().to_document()
    data["doctors"] = [{"id": made, "name": name, "municipality": "gol"}]
    assert scenario_from_data(data).doctors[0].id == made


def test_make_id_makes_unique() -> None:
    taken = {"kari", "kari-2"}
    assert [make_id("Kari", taken) for _ in range(2)] == ["kari-3", "kari-4"]
    assert taken == {"kari", "kari-2", "kari-3", "kari-4"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("d04", "d04"),
        (" D11 ", "d11"),  # id regardless of case
        ("Per", "Per"),  # an id wins over a name
        ("per hansen", "Per"),
        ("Olsen", "d11"),  # a word of one name only
        ("Nordmann  Kari", "d04"),
    ],
)
def test_a_doctor_found(text: str, expected: str) -> None:
    assert DoctorIndex(DOCTORS, "Leger").find(text).id == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Kari", "'Kari' matches 2 doctors (d04 Kari Nordmann, d11 Kari Olsen)"),
        ("Kari Hansen", "'Kari Hansen' is not the id or name of a doctor in Leger"),
        ("d4", "'d4' is not the id or name of a doctor in Leger"),
    ],
)
def test_a_doctor_not_found(text: str, problem: str) -> None:
    with pytest.raises(ValueError) as info:
        DoctorIndex(DOCTORS, "Leger").find(text)
    assert str(info.value) == problem


def test_problems_remember_flagged_cells() -> None:
    p = Problems()
    p.error(TABLE, 4, TABLE.columns[0], "'x' is bad")
    p.warn(TABLE, 5, None, "hm")
    assert p.errors == ["leger.xlsx, Leger, row 4, navn: 'x' is bad"]
    assert p.warnings == ["leger.xlsx, Leger, row 5: hm"]
    assert p.has(TABLE, 4, TABLE.columns[0])
    assert p.has(TABLE, 4, None)
    assert not p.has(TABLE, 5, None)
