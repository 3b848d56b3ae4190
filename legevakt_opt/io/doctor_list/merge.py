"""Import a doctor list (``shared/import-format.md``) into a base scenario.

The files' doctors replace the base's; everything else comes from the base, and so does
each doctor's ``history`` (it is made from the previous roster, never typed into a list):
the base doctor with the same id keeps it across an export, edit, import. The merged
document is checked by :func:`legevakt_opt.scenario.scenario_from_data` like any scenario,
and its error lines on ``doctors[k]...`` are put back on the row and column they came
from, so the coordinator is told where in the spreadsheet to look, not where in YAML.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from legevakt_opt.io.doctor_list import records as rec
from legevakt_opt.io.doctor_list.cells import (
    MAX_BYTES,
    MAX_COLUMNS,
    MAX_ROWS,
    SHEET_TITLES,
    SHEETS,
    Column,
    Limits,
    Table,
    norm,
)
from legevakt_opt.io.doctor_list.columns import FIELDS, match_columns, table_kind
from legevakt_opt.io.doctor_list.tables import read_file
from legevakt_opt.scenario import Scenario, ScenarioError, scenario_from_data


class DoctorListError(ValueError):
    """A doctor list that cannot be imported; ``errors`` holds one line per problem, each
    naming file, sheet, row and column."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass(frozen=True)
class ImportResult:
    """The merged scenario, and notes on things that were read but look unintended."""

    scenario: Scenario
    warnings: list[str] = field(default_factory=list)


_WHOLE_BOUND = re.compile(r"(must be (?:greater than|at least|less than|at most) -?\d+)\.0$")
_REPEATED_ID = re.compile(r"^doctors: id .* is used \d+ times$")
_LINE = re.compile(r"^doctors\[(\d+)\](?:\.(\w+)(?:\[(\d+)\](?:\.(\w+))?)?)?: (.*)$", re.S)


def import_doctor_list(
    sources: Sequence[tuple[str, bytes]],
    base: Scenario,
    *,
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
    max_columns: int = MAX_COLUMNS,
) -> ImportResult:
    """Read ``(file name, content)`` pairs (one workbook, or one CSV file per table) and
    merge their doctors, absences, requests and exemptions into ``base``.

    Raises :class:`DoctorListError` with every problem found when anything is wrong; then
    nothing is produced.
    """
    limits = Limits(max_bytes=max_bytes, max_rows=max_rows, max_columns=max_columns)
    p = rec.Problems()
    tables, workbooks = _tables(sources, limits, p)
    structural = bool(p.errors)
    doctors_table = tables.get("doctors")
    if doctors_table is None:
        if not structural:
            p.errors += _no_doctors_table(sources, workbooks)
        raise DoctorListError(p.errors)
    matched: dict[str, dict[str, Column]] = {}
    for kind, table in tables.items():
        columns, errors = match_columns(table, kind)
        structural = structural or bool(errors)
        p.errors += errors
        matched[kind] = columns
    doctors = rec.read_doctors(doctors_table, matched["doctors"], base, p)
    rec.assign_ids(doctors, p)
    if not doctors:
        p.errors.append(
            f"{doctors_table.at()}: has no doctors; a roster needs at least one (one row per "
            f"doctor from row {doctors_table.header_row + 1})"
        )
        structural = True
    index = rec.DoctorIndex(doctors, doctors_table.sheet or doctors_table.file)
    if "absences" in tables:
        rec.read_absences(tables["absences"], matched["absences"], index, p)
    if "requests" in tables:
        rec.read_requests(tables["requests"], matched["requests"], index, base, p)
    if "exemptions" in tables:
        rec.read_exemptions(tables["exemptions"], matched["exemptions"], index, p)
    if structural:
        raise DoctorListError(p.errors)
    data = base.to_document()
    histories = {d["id"]: d["history"] for d in data["doctors"] if d.get("history") is not None}
    data["doctors"] = [
        d.data | ({"history": histories[d.id]} if d.id in histories else {}) for d in doctors
    ]
    try:
        scenario = scenario_from_data(data)
    except ScenarioError as exc:
        p.errors += [m for line in exc.errors if (m := _map(line, doctors, p)) is not None]
        raise DoctorListError(p.errors or list(exc.errors)) from None
    if p.errors:
        raise DoctorListError(p.errors)
    notes = [
        m
        for line in scenario.warnings()
        if line.startswith("doctors")
        if (m := _map(line, doctors, p)) is not None
    ]
    return ImportResult(scenario, p.warnings + notes)


def _tables(
    sources: Sequence[tuple[str, bytes]], limits: Limits, p: rec.Problems
) -> tuple[dict[str, Table], dict[str, list[str]]]:
    """The tables by kind, and the sheet names of each workbook that was read."""
    found: dict[str, Table] = {}
    workbooks: dict[str, list[str]] = {}
    if not sources:
        p.errors.append("no files given: a workbook with a sheet Leger, or CSV files")
    for name, content in sources:
        read = read_file(name, content, limits)
        p.errors += read.errors
        p.warnings += read.warnings
        if read.sheets is not None:
            workbooks[name] = read.sheets
        for table in read.tables:
            kind = SHEETS[norm(table.sheet)] if table.sheet is not None else table_kind(table)
            if kind is None:
                p.errors.append(
                    f"{table.at(table.header_row)}: the header is not that of a doctors, "
                    f"absences, requests or exemptions table ({_expected()})"
                )
            elif kind in found:
                p.errors.append(
                    f"{table.at()}: a second {SHEET_TITLES[kind]} table; the first is "
                    f"{found[kind].at()}"
                )
            else:
                found[kind] = table
    return found, workbooks


def _expected() -> str:
    return "; ".join(
        f"{SHEET_TITLES[kind]}: {', '.join(f.header for f in fields)}"
        for kind, fields in FIELDS.items()
    )


def _no_doctors_table(
    sources: Sequence[tuple[str, bytes]], workbooks: dict[str, list[str]]
) -> list[str]:
    if workbooks:
        return [
            f"{name}: has no sheet Leger (or Doctors); its sheets are {', '.join(sheets)}"
            for name, sheets in workbooks.items()
        ]
    names = ", ".join(name for name, _ in sources)
    return [
        f"{names}: no doctors table; give a workbook with a sheet Leger or a CSV file "
        f"with the columns {', '.join(f.header for f in FIELDS['doctors'])}"
    ]


def _map(line: str, doctors: list[rec.DoctorRecord], p: rec.Problems) -> str | None:
    """A scenario error or warning line on ``doctors[k]...`` as the row and column it came
    from; None when that cell already has an error of its own."""
    if _REPEATED_ID.match(line):
        return None  # assign_ids has reported it on the row
    m = _LINE.match(line)
    if m is None or int(m.group(1)) >= len(doctors):
        if line.startswith("doctors:") and doctors:
            return f"{doctors[0].source.table.at()}: {line.removeprefix('doctors: ')}"
        return f"{line} (in the merged scenario)"
    doctor = doctors[int(m.group(1))]
    name, index, sub, message = m.group(2), m.group(3), m.group(4), m.group(5)
    source, key = doctor.source, name
    sources = {
        "unavailable": doctor.unavailable,
        "avoid": doctor.avoid,
        "wish": doctor.wish,
        "exemptions": doctor.exemptions,
    }
    if name in sources and index is not None and int(index) < len(sources[name]):
        source = sources[name][int(index)]
        key = sub or ("to" if name in ("unavailable", "exemptions") else "")
    column = source.columns.get(key) if key else None
    if p.has(source.table, source.row.number, column):
        return None
    if column is None and name is not None and source is doctor.source:
        message = f"{name} {message}"
    message = _WHOLE_BOUND.sub(r"\1", message)  # pydantic shows float bounds as 0.0
    return f"{source.table.at(source.row.number, column)}: {message}"
