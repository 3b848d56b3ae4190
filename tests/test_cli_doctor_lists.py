"""``legevakt-opt import``, ``template`` and ``export-doctors`` as a coordinator's helper
runs them: real processes, the shipped example workbook, files with mistakes in them."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import openpyxl

from legevakt_opt.io.doctor_list import doctor_list_workbook
from legevakt_opt.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "scenarios" / "hallingdal.yaml"
WORKBOOK = ROOT / "scenarios" / "hallingdal-leger.xlsx"


def cli(*args: str | Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "legevakt_opt", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=120,
        input=stdin,
    )


def test_the_shipped_workbook_is_the_example_s_doctors() -> None:
    """scenarios/hallingdal-leger.xlsx is what export-doctors makes of hallingdal.yaml (so
    it stays in step with the example; regenerate it with that command)."""
    made = openpyxl.load_workbook(io.BytesIO(doctor_list_workbook(load_scenario(BASE))))
    shipped = openpyxl.load_workbook(WORKBOOK)
    assert shipped.sheetnames == ["Leger", "Fravær", "Ønsker", "Fritak", "Valg"]
    for title in ("Leger", "Fravær", "Ønsker", "Fritak"):
        rows = [list(r) for r in made[title].iter_rows(values_only=True)]
        assert rows == [list(r) for r in shipped[title].iter_rows(values_only=True)], title


def test_import_export_round_trip(tmp_path: Path) -> None:
    out = tmp_path / "scenario.yaml"
    run = cli("import", WORKBOOK, "--base", BASE, "--out", out)
    assert run.returncode == 0, run.stderr
    assert "20 doctors" in run.stderr
    assert load_scenario(out).to_document() == load_scenario(BASE).to_document()
    again = tmp_path / "leger.xlsx"
    run = cli("export-doctors", out, "--out", again)
    assert run.returncode == 0, run.stderr
    second = tmp_path / "again.yaml"
    assert cli("import", again, "--base", BASE, "--out", second).returncode == 0
    assert second.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")


def test_import_to_stdout_and_csv_files(tmp_path: Path) -> None:
    (tmp_path / "leger.csv").write_text(
        "navn;kommune;kategori;selvstendig;andel\nKari Nordmann;Gol;fastlege;ja;50 %\n"
        "Ola Hansen;aal;LIS1;nei;\n",
        encoding="utf-8",
    )
    (tmp_path / "fravaer.csv").write_text(
        "lege;fra;til;merknad\nKari;18.01.2027;24.01.2027;ferie\n", encoding="cp1252"
    )
    run = cli("import", tmp_path / "leger.csv", tmp_path / "fravaer.csv", "--base", BASE)
    assert run.returncode == 0, run.stderr
    assert "kari-nordmann" in run.stdout and "2027-01-18" in run.stdout
    assert "share: 0.5" in run.stdout


def test_import_errors_name_file_row_and_column(tmp_path: Path) -> None:
    (tmp_path / "leger.csv").write_text(
        "navn;kommune;kategori;andel\nKari;Gol;fastlege;abc\nOla;Oslo;lege;1\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.yaml"
    run = cli("import", tmp_path / "leger.csv", "--base", BASE, "--out", out)
    assert run.returncode == 2
    assert "leger.csv, row 2, andel: 'abc'" in run.stderr
    assert "leger.csv, row 3, kommune: 'Oslo'" in run.stderr
    assert "leger.csv, row 3, kategori: 'lege'" in run.stderr
    assert not out.exists()
    assert "Traceback" not in run.stderr


def test_import_of_a_fritak_csv_and_its_errors(tmp_path: Path) -> None:
    leger = tmp_path / "leger.csv"
    leger.write_text("navn;kommune;kategori\nKari Nordmann;Gol;vikar\n", encoding="utf-8")
    fritak = tmp_path / "fritak.csv"
    fritak.write_text(
        "lege;fra;til;gjelder;merknad\nKari;01.01.2027;31.01.2027;natt, helg;gravid\n",
        encoding="cp1252",
    )
    out = tmp_path / "out.yaml"
    run = cli("import", leger, fritak, "--base", BASE, "--out", out)
    assert run.returncode == 0, run.stderr
    (kari,) = load_scenario(out).doctors
    assert [(e.from_duties, e.note) for e in kari.exemptions] == [(["night", "weekend"], "gravid")]
    out.unlink()
    fritak.write_text(
        "lege;fra;til;gjelder\nKari;01.01.2027;31.01.2027;natt\nKari;05.01.2027;04.01.2027;natta\n",
        encoding="utf-8",
    )
    run = cli("import", leger, fritak, "--base", BASE, "--out", out)
    assert run.returncode == 2
    assert run.stderr.splitlines()[:2] == [
        "error fritak.csv, row 3, gjelder: 'natta' is not one of natt, helg, tilstedevakt, alle",
        "error fritak.csv, row 3, til: '04.01.2027' is before fra '05.01.2027'",
    ]
    assert not out.exists()  # nothing is written when any row is wrong


def test_import_of_files_that_are_not_there_or_not_lists(tmp_path: Path) -> None:
    run = cli("import", tmp_path / "missing.xlsx", "--base", BASE)
    assert run.returncode == 2 and "no such file" in run.stderr
    (tmp_path / "bilde.xlsx").write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    run = cli("import", tmp_path / "bilde.xlsx", "--base", BASE)
    assert run.returncode == 2 and "bilde.xlsx" in run.stderr and "Traceback" not in run.stderr


def test_template_has_the_base_s_choices(tmp_path: Path) -> None:
    out = tmp_path / "mal.xlsx"
    run = cli("template", "--base", BASE, "--out", out)
    assert run.returncode == 0, run.stderr
    wb = openpyxl.load_workbook(out)
    header = [c.value for c in wb["Leger"][1]]
    assert "navn" in [str(h).lower() for h in header]
    assert wb["Leger"].data_validations.dataValidation, "drop-down lists"
    choices = " ".join(str(c.value) for row in wb["Valg"].iter_rows() for c in row if c.value)
    assert "Hallingdal legevakt, Ål" in choices and "Hemsedal" in choices
