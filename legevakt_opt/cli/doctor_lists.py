"""``import``, ``template`` and ``export-doctors``: the coordinator's doctor list in Excel
or CSV (``shared/import-format.md``) to a scenario and back, without writing YAML."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
import yaml

from legevakt_opt.cli.app import app, err
from legevakt_opt.cli.output import fail, load_or_exit, warn, write_bytes
from legevakt_opt.scenario import Scenario

BaseOption = Annotated[
    Path,
    typer.Option(
        "--base", help="Scenario with the district's municipalities, stations, shifts, policy."
    ),
]


def scenario_yaml(scenario: Scenario) -> str:
    """A scenario as the YAML a person could read (the format's field order kept)."""
    return yaml.safe_dump(scenario.to_document(), sort_keys=False, allow_unicode=True, width=100)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        fail([f"{path}: no such file"])
    except IsADirectoryError:
        fail([f"{path}: is a folder, not a workbook or CSV file"])
    except OSError as exc:
        fail([f"{path}: cannot read: {exc.strerror or exc}"])


@app.command("import")
def import_(
    files: Annotated[
        list[Path], typer.Argument(help="One workbook (.xlsx) and/or CSV files, one per table.")
    ],
    base: BaseOption,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Scenario file to write (YAML).")
    ] = None,
) -> None:
    """Read a doctor list (Leger, Fravær, Ønsker, Fritak) into the base scenario, keeping
    each base doctor's history; every problem is one line naming file, sheet, row and
    column, and nothing is written then."""
    from legevakt_opt.io.doctor_list import DoctorListError, import_doctor_list  # openpyxl

    scenario = load_or_exit(base, quiet=True)
    sources = [(path.name, _read(path)) for path in files]
    try:
        result = import_doctor_list(sources, scenario)
    except DoctorListError as exc:
        fail(exc.errors)
    warn(result.warnings)
    write_bytes(scenario_yaml(result.scenario).encode("utf-8"), out)
    if out is not None:
        err.print(f"wrote {out} ({len(result.scenario.doctors)} doctors)")


@app.command()
def template(
    base: BaseOption,
    out: Annotated[Path, typer.Option("--out", "-o", help="Workbook to write (.xlsx).")] = Path(
        "leger.xlsx"
    ),
) -> None:
    """An empty doctor-list workbook with the headers, drop-down lists for categories and
    yes/no, and the base's municipalities and stations as choices."""
    from legevakt_opt.io.doctor_list import doctor_list_template  # openpyxl on use only

    write_bytes(doctor_list_template(load_or_exit(base, quiet=True)), out)
    err.print(f"wrote {out}")


@app.command("export-doctors")
def export_doctors(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (YAML or JSON).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Workbook to write (.xlsx).")] = Path(
        "leger.xlsx"
    ),
) -> None:
    """The scenario's doctors, absences, wishes and exemptions as a doctor-list workbook,
    which ``import`` onto this scenario reads back unchanged (history included)."""
    from legevakt_opt.io.doctor_list import doctor_list_workbook  # openpyxl on use only

    write_bytes(doctor_list_workbook(load_or_exit(scenario, quiet=True)), out)
    err.print(f"wrote {out}")
