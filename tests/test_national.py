"""The country as data and the national what-if: the municipalities file covers Norway's
357 municipalities of 2024; a national sweep file is checked one line per problem; a run
over one county (Vestfold, the fewest districts after Oslo's one big one) writes every file,
its totals are the sums of its rows and its words are its totals' figures.

One county × 3 caps × 1 week, 0.2 s and one CP-SAT worker a solve: about 20 s on two
loaded cores (the run is a module fixture shared by the tests that read its files)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from legevakt_opt.cli import app
from legevakt_opt.examples_data import example_path
from legevakt_opt.generate import (
    DEFAULT_CSV,
    district_document,
    district_groups,
    host_of,
    read_municipalities,
)
from legevakt_opt.national import national_from_data, run_national, write_national
from legevakt_opt.national.run import plan_national
from legevakt_opt.scenario import scenario_from_data

ROOT = Path(__file__).resolve().parents[1]
TINY = Path(str(example_path("national/vestfold-caps.yaml")))
COUNTIES = {
    "Oslo", "Rogaland", "Møre og Romsdal", "Nordland", "Østfold", "Akershus", "Buskerud",
    "Innlandet", "Vestfold", "Telemark", "Agder", "Vestland", "Trøndelag", "Troms", "Finnmark",
}  # fmt: skip


def test_the_csv_covers_the_country() -> None:
    rows = read_municipalities(DEFAULT_CSV)
    assert len(rows) == 357  # every kommune of 2024 (Haram out of Ålesund again)
    assert len({r.id for r in rows}) == len(rows)
    assert {r.county for r in rows} == COUNTIES
    assert all(r.district for r in rows)
    assert 5_400_000 < sum(r.population for r in rows) < 5_700_000
    assert next(r for r in rows if r.id == "oslo").population > 650_000
    groups = district_groups(rows)
    assert 150 <= len(groups) <= 190
    # Every county hosts a district; nearly every district lies within one county.
    assert {host_of(g).county for g in groups.values()} == COUNTIES
    across = [d for d, g in groups.items() if len({m.county for m in g}) > 1]
    assert len(across) <= 0.05 * len(groups)
    # The districts the examples and tests were built on keep their rows.
    assert [r.id for r in groups["hallingdal"]] == ["hol", "aal", "gol", "hemsedal", "nesbyen"]
    assert sum(r.population for r in groups["molde"]) == 63_900
    lines = DEFAULT_CSV.read_text(encoding="utf-8").splitlines()
    header = " ".join(line.lstrip("# ") for line in lines if line.startswith("#")).lower()
    assert "not an official register" in header and "approximate" in header and "2024" in header


def test_every_district_of_the_country_is_a_valid_scenario() -> None:
    """All 170, Oslo's 600 doctors included (its evenings would ask for more doctors on one
    shift than the format allows)."""
    rows = read_municipalities(DEFAULT_CSV)
    tiers = []
    for district_id, members in district_groups(rows).items():
        sc = scenario_from_data(district_document(0, district_id, members, weeks=1))
        tiers.append(sc.name.split(" (")[1].split()[0])
        assert {m.id for m in sc.municipalities} == {m.id for m in members}
    assert {"small", "medium", "large"} == set(tiers)
    assert tiers.count("small") >= len(tiers) / 3  # half of them are small (85 of 170)


def cli(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result.exit_code, result.output


def test_a_malformed_national_file_one_line_per_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "format: legevakt-national/1\ndistricts: some\nweeks: 0\nstart: 2027-02-30\n"
        "solve: {time_limit: -1}\nburden_threshold: fifty\ncolour: red\n",
        encoding="utf-8",
    )
    code, output = cli("national", bad, "--out", tmp_path / "out")
    assert code == 2
    errors = [line for line in output.splitlines() if line.startswith("error")]
    assert errors == [
        f"error {bad}: districts: 'some' is not 'all', {{counties: [...]}} or {{ids: [...]}}",
        f"error {bad}: start: '2027-02-30' is not a date (YYYY-MM-DD)",
        f"error {bad}: weeks: 0 must be at least 1",
        f"error {bad}: solve.time_limit: -1 must be greater than 0.0",
        f"error {bad}: burden_threshold: 'fifty' is not a number",
        f"error {bad}: colour: is not a field of this format",
    ]
    # Past the format: a county of before 2024 and a misspelt path, one line each.
    bad.write_text(
        "format: legevakt-national/1\ndistricts: {counties: [Vestfold, Viken]}\n"
        "vary: {policy.max_hour_per_week: [1]}\n",
        encoding="utf-8",
    )
    code, output = cli("national", bad, "--out", tmp_path / "out")
    errors = [line for line in output.splitlines() if line.startswith("error")]
    assert code == 2 and len(errors) == 2, output
    assert errors[0].startswith(f"error {bad}: districts.counties[1]: 'Viken' is not a county")
    assert errors[1].startswith(f"error {bad}: vary.policy.max_hour_per_week: ")
    bad.write_text(
        "format: legevakt-national/1\ndistricts: {ids: [larvik, atlantis]}\n"
        "vary: {policy.max_hours_per_week: [-5]}\n",
        encoding="utf-8",
    )
    code, output = cli("national", bad, "--out", tmp_path / "out")
    errors = [line for line in output.splitlines() if line.startswith("error")]
    assert code == 2 and errors == [
        f"error {bad}: districts.ids[1]: 'atlantis' is not a district of the municipalities file"
    ]
    bad.write_text("format: legevakt-national/1\ndistricts: {ids: [larvik]}\n", encoding="utf-8")
    code, output = cli("national", bad, "--out", tmp_path / "out", "--backend", "slurm")
    assert code == 2 and "--backend: 'slurm' is not one of local, ray" in output
    code, output = cli("national", bad, "--out", tmp_path / "out")
    assert code == 2 and "vary: is empty and include_base is false: nothing to solve" in output
    assert not (tmp_path / "out").exists()


@pytest.fixture(scope="module")
def national_out(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("national")
    code, output = cli("national", TINY, "--out", out, "--jobs", "2")
    assert code == 0, output
    return out, output


def test_a_national_run_writes_every_file(national_out: tuple[Path, str]) -> None:
    out, output = national_out
    assert "4 districts × 3 variants = 12 solves" in output and "12/12" in output
    for name in ("results.csv", "totals.csv", "report.md", "report.xlsx"):
        assert (out / name).stat().st_size > 0, name
    for name in ("national_unfilled_vs_cap.png", "max_burden_spread.png", "county_unfilled.png"):
        assert (out / "plots" / name).read_bytes()[:4] == b"\x89PNG", name
    results = pd.read_csv(out / "results.csv")
    assert len(results) == 12 and set(results["status"]) <= {"optimal", "feasible"}
    assert sorted(set(results["district"])) == ["horten", "larvik", "sandefjord", "tonsberg"]
    assert set(results["county"]) == {"Vestfold"}
    assert list(results.columns[:6]) == [
        "district", "district_name", "county", "population", "municipalities", "variant",
    ]  # fmt: skip
    for col in ("unfilled_hours", "max_burden", "gap_max_burden", "not_told_apart_from"):
        assert col in results.columns, col
    assert results.groupby("district")["population"].first()["tonsberg"] == 110_700
    book = load_workbook(out / "report.xlsx")
    assert book.sheetnames == ["report", "totals", "results", "settings"]


def test_the_totals_are_the_sums_of_the_rows(national_out: tuple[Path, str]) -> None:
    out, _ = national_out
    results = pd.read_csv(out / "results.csv")
    totals = pd.read_csv(out / "totals.csv")
    assert list(totals["variant"].unique()) == ["cap=none", "cap=21", "cap=14"]
    for _, t in totals.iterrows():
        part = results[results["variant"] == t["variant"]]
        if t["scope"] == "county":
            part = part[part["county"] == t["county"]]
        for col in (
            "required_hours",
            "unfilled_hours",
            "doctors",
            "doctors_above_threshold",
            "single_doctor_hours",
            "weighted_hours",
        ):
            assert t[col] == pytest.approx(part[col].sum(), abs=0.01), (t["variant"], col)
        assert t["population"] == part["population"].sum() == 252_100
        assert t["unfilled_share"] == round(t["unfilled_hours"] / t["required_hours"], 4)
        assert t["max_burden"] == part["max_burden"].max()
        blurred = (part["not_told_apart_from"].fillna("") != "").sum()
        assert t["districts_not_told_apart"] == blurred
    # A tighter cap never fills more hours here: 14 h a week needs locums.
    tightest = totals[(totals["scope"] == "national") & (totals["variant"] == "cap=14")]
    assert tightest["unfilled_hours"].sum() > 0


def test_the_report_says_what_the_totals_say(national_out: tuple[Path, str]) -> None:
    out, output = national_out
    totals = pd.read_csv(out / "totals.csv")
    national = totals[totals["scope"] == "national"].set_index("variant")
    report = (out / "report.md").read_text(encoding="utf-8")
    bullets = [line for line in report.splitlines() if line.startswith("- cap=")]
    assert len(bullets) == 3
    pattern = re.compile(
        r"- (?P<v>cap=\w+): (?P<share>[\d.]+) % of required hours have no doctor "
        r"\((?P<unfilled>[\d,]+) h of (?P<required>[\d,]+) h\).*; (?P<districts>\d+) "
        r"(?:district has|districts have) a doctor above 45 h a week "
        r"\((?P<doctors>\d+) of (?P<all>\d+) doctors\)\. "
        r"Weighted hours per 1,000 inhabitants: (?P<per>[\d.]+); hours with one doctor alone "
        r"on duty: (?P<alone>[\d,]+)\. Unfilled hours are proved optimal in (?P<proved>\d+) of 4"
    )
    for line in bullets:
        m = pattern.match(line)
        assert m, line
        t = national.loc[m["v"]]
        number = dict((k, float(x.replace(",", ""))) for k, x in m.groupdict().items() if k != "v")
        assert number["share"] == round(100 * t["unfilled_share"], 1)
        assert number["unfilled"] == round(t["unfilled_hours"])
        assert number["required"] == round(t["required_hours"])
        assert int(m["districts"]) == t["districts_above_threshold"]
        assert int(m["doctors"]) == t["doctors_above_threshold"]
        assert int(m["all"]) == t["doctors"]
        assert number["per"] == round(t["weighted_per_1000"], 1)
        assert number["alone"] == round(t["single_doctor_hours"])
        assert int(m["proved"]) == t["districts_unfilled_proved"]
        blur = t["districts_not_told_apart"]
        assert (f"In {blur} districts this variant cannot be told apart" in line) == (blur > 0)
        assert line[2:] in output  # the command prints the same text
    results = pd.read_csv(out / "results.csv")
    blurred = results[results["not_told_apart_from"].fillna("") != ""]["district"].nunique()
    if blurred:
        assert f"In {blurred} of 4 districts some variants cannot be told apart" in report
    texts = [r[0] for r in load_workbook(out / "report.xlsx")["report"].iter_rows(values_only=True)]
    assert [line[2:] for line in bullets] == texts[2:5]


def test_user_text_stays_text_in_every_file(tmp_path: Path) -> None:
    """The file's name and description are anyone's text: never a formula, never a table
    broken by a ``|``. One tiny district (Røst), one variant."""
    evil = '=HYPERLINK("http://example.invalid","klikk")'
    spec = national_from_data(
        {
            "format": "legevakt-national/1",
            "name": evil,
            "description": "@SUM(1) | pipe\nnew line",
            "districts": {"ids": ["rost"]},
            "vary": {"policy.max_hours_per_week": [None]},
            "solve": {"time_limit": 0.2, "workers": 1, "seed": 0},
        }
    )
    plan = plan_national(spec, read_municipalities(DEFAULT_CSV))
    write_national(tmp_path, plan, run_national(plan, jobs=1))
    book = load_workbook(tmp_path / "report.xlsx")
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    assert book["report"]["A2"].value == evil
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "@SUM(1) \\| pipe new line" in report
    tables = [line for line in report.splitlines() if line.startswith("|")]
    assert {line.replace("\\|", "").count("|") for line in tables} <= {3, 11}
