"""Synthetic districts: deterministic for a seed, always valid scenarios, shaped by size,
scalable by doctors and weeks; the CSV reader's errors; the ``generate`` command."""

from __future__ import annotations

import datetime as dt
import random
import subprocess
import sys
from pathlib import Path

import pytest

from legevakt_opt.calendar import expand
from legevakt_opt.checks import validate_roster
from legevakt_opt.engine import SolveOptions, solve
from legevakt_opt.generate import (
    DEFAULT_CSV,
    GenerateError,
    MunicipalityRow,
    district_document,
    generate_district,
    generate_districts,
    read_municipalities,
    slug,
    tier_of,
)
from legevakt_opt.scenario import load_scenario, scenario_from_data

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def rows() -> list[MunicipalityRow]:
    return read_municipalities(DEFAULT_CSV)


def district(rows: list[MunicipalityRow], name: str) -> list[MunicipalityRow]:
    return [r for r in rows if slug(r.district) == name]


def test_the_bundled_csv(rows: list[MunicipalityRow]) -> None:
    assert len(rows) >= 30
    assert {"hallingdal", "molde", "lister", "tromso", "vaeroy"} <= {slug(r.district) for r in rows}
    molde = district(rows, "molde")
    assert sum(r.population for r in molde) == 63_900  # shared/domain.md: about 63,000
    assert next(r for r in rows if r.id == "aal").name == "Ål"


def test_same_seed_same_district_other_seed_other(rows: list[MunicipalityRow]) -> None:
    munis = district(rows, "hallingdal")
    a = generate_district(3, munis)
    assert a == generate_district(random.Random(3), munis)
    assert a != generate_district(4, munis)


@pytest.mark.parametrize("name", ["vaeroy", "hallingdal", "lister", "molde", "tromso"])
def test_every_district_is_a_valid_scenario_shaped_by_size(
    rows: list[MunicipalityRow], name: str
) -> None:
    munis = district(rows, name)
    doc = generate_district(11, munis, weeks=2)
    sc = scenario_from_data(doc)
    assert sc.horizon.days == 14 and sc.horizon.start == dt.date(2027, 1, 4)
    population = sum(m.population for m in munis)
    tier = tier_of(population)
    natt = sc.shift("natt")
    kinds = {s.kind.value for s in sc.stations}
    if tier == "small":
        assert natt.kind.value == "on_call" and sc.shift("kveld").doctors == 1
    else:
        assert natt.kind.value == "on_site" and sc.shift("kveld").doctors >= 2
    assert ("satellite" in kinds) == (tier == "large")
    if tier == "large":
        assert any(s.video for s in sc.shifts)
    assert len(sc.doctors) >= 4
    # Roughly 0.7–1.0 doctors per 1,000 inhabitants (at least 4).
    assert len(sc.doctors) <= max(4, round(population / 1000)) + 1
    assert {d.municipality for d in sc.doctors} <= {m.id for m in munis}
    assert not sc.warnings()


def test_doctors_and_weeks_scale_the_problem(rows: list[MunicipalityRow]) -> None:
    munis = district(rows, "molde")
    small = scenario_from_data(generate_district(1, munis, weeks=4, doctors=10))
    big = scenario_from_data(generate_district(1, munis, weeks=26, doctors=200))
    assert len(small.doctors) == 10 and len(big.doctors) == 200
    assert big.horizon.days == 182
    # More doctors, more staff per shift: demand per week grows with the doctor count.
    per_week = [
        sum(i.hours * i.doctors for i in expand(sc).instances) / (sc.horizon.days / 7)
        for sc in (small, big)
    ]
    assert per_week[1] > 5 * per_week[0]
    assert tier_of(80_000, doctors=10) == "small" and tier_of(500, doctors=200) == "large"


def test_a_generated_district_solves_to_a_valid_roster(rows: list[MunicipalityRow]) -> None:
    doc = generate_district(5, district(rows, "hallingdal"), weeks=1)
    sc = scenario_from_data(doc)
    result = solve(sc, SolveOptions(time_limit=1, workers=1, seed=0))
    assert validate_roster(sc, result.roster).ok


def test_generate_districts_writes_loadable_deterministic_files(
    rows: list[MunicipalityRow], tmp_path: Path
) -> None:
    # Vestfold's 4 districts and 8 synthetic ones drawn from its municipalities.
    rows = [r for r in rows if r.county == "Vestfold"]
    one = generate_districts(rows, tmp_path / "one", seed=2, districts=12)
    two = generate_districts(rows, tmp_path / "two", seed=2, districts=12)
    assert [p.name for p, _ in one] == [p.name for p, _ in two]
    assert len(one) == 12 and any(p.name.startswith("synthetic-") for p, _ in one)
    for (p, _), (q, _) in zip(one, two, strict=True):
        assert p.read_bytes() == q.read_bytes()
        load_scenario(p)  # the written YAML reads back as a valid scenario
    # A district comes out the same whichever others are built with it.
    few = generate_districts(rows, tmp_path / "few", seed=2, districts=3)
    for p, _ in few:
        assert p.read_bytes() == (tmp_path / "one" / p.name).read_bytes()


def test_cli_generate_all_for_one_county(tmp_path: Path) -> None:
    """``--all --county`` writes one scenario per district hosted in the county, named by
    the district's id, each the one ``district_document`` makes (what ``national`` solves)."""
    run = subprocess.run(
        [sys.executable, "-m", "legevakt_opt", "generate", "--all", "--county", "Vestfold",
         "--weeks", "1", "--seed", "3", "--out", tmp_path],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    files = sorted(p.name for p in tmp_path.glob("*.yaml"))
    assert files == ["horten.yaml", "larvik.yaml", "sandefjord.yaml", "tonsberg.yaml"]
    rows = read_municipalities(DEFAULT_CSV)
    for name in files:
        sc = load_scenario(tmp_path / name)
        members = [r for r in rows if slug(r.district) == name.removesuffix(".yaml")]
        assert {m.id for m in sc.municipalities} == {m.id for m in members}
        assert sc.horizon.days == 7
        expected = district_document(3, name.removesuffix(".yaml"), members, weeks=1)
        assert scenario_from_data(expected).to_document() == sc.to_document()
    # Tønsberg's district reaches over Færder and Holmestrand; a county of 2024 only.
    assert len(load_scenario(tmp_path / "tonsberg.yaml").municipalities) == 3
    bad = subprocess.run(
        [sys.executable, "-m", "legevakt_opt", "generate", "--all", "--county", "Viken",
         "--districts", "2", "--out", tmp_path / "x"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert bad.returncode == 2
    errors = [line for line in bad.stderr.splitlines() if line.startswith("error")]
    assert errors == ["error --districts: give either --all or --districts N, not both"]
    bad = subprocess.run(
        [sys.executable, "-m", "legevakt_opt", "generate", "--all", "--county", "Viken",
         "--out", tmp_path / "x"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    errors = [line for line in bad.stderr.splitlines() if line.startswith("error")]
    assert bad.returncode == 2 and len(errors) == 1, bad.stderr
    assert errors[0].startswith("error --county: 'Viken' is not a county of the municipalities")
    assert not (tmp_path / "x").exists()


def test_csv_errors_one_line_each(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("# comment\nid,name,population\nx,X,12\n,Ål,300\nx,Y,5\nz,Z,1 2a\n")
    with pytest.raises(GenerateError) as info:
        read_municipalities(bad)
    assert info.value.errors == [
        f"{bad}:5: id: 'x' is already used on line 3",
        f"{bad}:6: population: '1 2a' is not a whole number",
    ]
    nocol = tmp_path / "nocol.csv"
    nocol.write_text("id,name\nx,X\n")
    with pytest.raises(GenerateError, match="column 'population' is missing"):
        read_municipalities(nocol)


def test_cli_generate(tmp_path: Path) -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "legevakt_opt",
            "generate",
            "--municipalities",
            DEFAULT_CSV,
            "--out",
            tmp_path,
            "--seed",
            "1",
            "--districts",
            "3",
            "--weeks",
            "2",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    files = sorted(tmp_path.glob("*.yaml"))
    assert len(files) == 3
    assert all(load_scenario(f).horizon.days == 14 for f in files)
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "legevakt_opt",
            "generate",
            "--municipalities",
            tmp_path / "none.csv",
            "--out",
            tmp_path / "x",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert bad.returncode == 2 and "no such file" in bad.stderr
