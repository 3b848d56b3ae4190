"""A doctor list (``shared/import-format.md``) onto a base scenario, stored as the
district's new scenario: what ``POST /v1/imports`` and the web app's "new period" share.

The base is a stored scenario of the district, a scenario file (YAML or JSON), or one of
the bundled examples. Every problem is a line: the doctor list's name file, sheet, row and
column (the library's own lines); the base's are prefixed ``base:``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from legevakt_opt.examples_data import example_files
from legevakt_opt.io.doctor_list import DoctorListError, import_doctor_list
from legevakt_opt.scenario import Scenario, ScenarioError, parse_document, scenario_from_data
from service.checks import Problem, check_scenario, scenario_row
from service.db import Database
from service.models import ScenarioRow
from service.routes import is_id, not_found
from service.settings import Settings

#: Bundled example scenarios a district may start from (``scenarios/*.yaml``).
EXAMPLE_SUFFIX = ".yaml"


@dataclass(frozen=True)
class Imported:
    id: str
    name: str
    doctors: int
    warnings: list[str]


def example_bases() -> list[str]:
    """The bundled example scenarios' file names (``hallingdal.yaml``, ...)."""
    return [n for n in example_files() if n.endswith(EXAMPLE_SUFFIX) and "/" not in n]


def stored_base(db: Database, district: str, scenario_id: str) -> Scenario:
    """A stored scenario of the district as a base; 404 for any other id."""
    with db.read() as session:
        row = session.get(ScenarioRow, scenario_id) if is_id(scenario_id) else None
        if row is None or row.district != district:
            raise not_found("scenario", scenario_id)
        document = row.document
    try:
        return scenario_from_data(document)
    except ScenarioError as exc:
        raise Problem([f"base: {line}" for line in exc.errors]) from None


def file_base(name: str, content: bytes, settings: Settings) -> Scenario:
    """A scenario file (YAML or JSON) as a base; its problems as ``base: ...`` lines."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Problem([f"base: {name}: is not a UTF-8 text file (YAML or JSON)"]) from None
    try:
        data = parse_document(text, name)
    except ScenarioError as exc:
        raise Problem([f"base: {line}" for line in exc.errors]) from None
    try:
        return check_scenario(data, settings).scenario
    except Problem as exc:
        raise Problem([f"base: {name}: {line}" for line in exc.lines]) from None


def example_base(name: str, settings: Settings) -> Scenario:
    files = example_files()
    if name not in example_bases():
        raise Problem([f"base_example: {name!r} is not one of {', '.join(example_bases())}"])
    return file_base(name, files[name], settings)


def import_into(
    db: Database,
    settings: Settings,
    district: str,
    sources: list[tuple[str, bytes]],
    base: Scenario,
    name: str | None = None,
) -> Imported:
    """Import ``sources`` onto ``base`` and store the result as a new scenario of the
    district; :class:`Problem` with every line when anything is wrong (nothing stored)."""
    try:
        result = import_doctor_list(sources, base, max_bytes=settings.max_upload_bytes)
    except DoctorListError as exc:
        raise Problem(exc.errors) from None
    document: dict[str, Any] = result.scenario.to_document()
    if name is not None and name.strip():
        document["name"] = name.strip()
    row = scenario_row(document, settings, district)
    with db.write() as session:
        session.add(row)
    return Imported(row.id, row.name, row.doctors, result.warnings)
