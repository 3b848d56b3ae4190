"""The generator's input: municipalities with populations, grouped into legevakt districts
(``scenarios/municipalities.csv``, bundled with the package)."""

from __future__ import annotations

import csv
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from legevakt_opt.examples_data import example_path
from legevakt_opt.scenario import ScenarioError, read_text

#: The bundled municipalities (``scenarios/municipalities.csv``, installed with the package).
DEFAULT_CSV = Path(str(example_path("municipalities.csv")))


class GenerateError(ScenarioError):
    """Unusable generator input; ``errors`` holds one line per problem."""


@dataclass(frozen=True)
class MunicipalityRow:
    """One municipality of the input CSV."""

    id: str
    name: str
    population: int
    county: str = ""
    district: str = ""


def slug(text: str) -> str:
    """An identifier from a Norwegian name: ``Ål`` → ``aal``, ``Øvre Eiker`` → ``ovre-eiker``."""
    low = text.strip().lower()
    for a, b in (("æ", "ae"), ("ø", "o"), ("å", "aa"), ("é", "e"), ("á", "a")):
        low = low.replace(a, b)
    return re.sub(r"[^a-z0-9]+", "-", low).strip("-") or "x"


def read_municipalities(path: str | Path) -> list[MunicipalityRow]:
    """Read a CSV of municipalities: ``name`` and ``population`` required; ``id`` (default:
    from the name), ``county`` and ``district`` (the legevakt district it belongs to)
    optional. Lines starting with ``#`` are comments."""
    p = Path(path)
    text = read_text(p, GenerateError)
    numbered = [(k + 1, line) for k, line in enumerate(text.splitlines())]
    numbered = [(n, line) for n, line in numbered if line.strip() and not line.startswith("#")]
    if not numbered:
        raise GenerateError([f"{p}: no header line"])
    reader = csv.DictReader([line for _, line in numbered])
    fields = reader.fieldnames or []
    errors = [f"{p}: column {c!r} is missing" for c in ("name", "population") if c not in fields]
    if errors:
        raise GenerateError(errors)
    rows: list[MunicipalityRow] = []
    seen: dict[str, int] = {}
    for (lineno, _), rec in zip(numbered[1:], reader, strict=True):
        where = f"{p}:{lineno}"
        name = (rec.get("name") or "").strip()
        mid = (rec.get("id") or "").strip() or slug(name)
        if not name:
            errors.append(f"{where}: name: is empty")
            continue
        if not re.fullmatch(r"[A-Za-z0-9_-]+", mid):
            errors.append(f"{where}: id: {mid!r} is not an identifier")
            continue
        raw = (rec.get("population") or "").replace(" ", "").replace("_", "")
        if not raw.isdigit():
            errors.append(f"{where}: population: {rec.get('population')!r} is not a whole number")
            continue
        if mid in seen:
            errors.append(f"{where}: id: {mid!r} is already used on line {seen[mid]}")
            continue
        seen[mid] = lineno
        rows.append(
            MunicipalityRow(
                mid,
                name,
                int(raw),
                (rec.get("county") or "").strip(),
                (rec.get("district") or "").strip(),
            )
        )
    if errors:
        raise GenerateError(errors)
    if not rows:
        raise GenerateError([f"{p}: no municipalities"])
    return rows


def _row(m: MunicipalityRow | Mapping[str, Any]) -> MunicipalityRow:
    if isinstance(m, MunicipalityRow):
        return m
    name = str(m["name"])
    return MunicipalityRow(
        str(m.get("id") or slug(name)),
        name,
        int(m.get("population") or 0),
        str(m.get("county") or ""),
        str(m.get("district") or ""),
    )


def district_groups(rows: Sequence[MunicipalityRow]) -> dict[str, list[MunicipalityRow]]:
    """The CSV's districts (column ``district``) by id (``slug`` of the name), sorted; rows
    without one are left out."""
    groups: dict[str, list[MunicipalityRow]] = {}
    for row in rows:
        if row.district:
            groups.setdefault(slug(row.district), []).append(row)
    return dict(sorted(groups.items()))


def host_of(members: Sequence[MunicipalityRow]) -> MunicipalityRow:
    """A district's host: its largest member (the generator puts the main station there)."""
    return sorted(members, key=lambda m: (-m.population, m.id))[0]


def counties_of(rows: Sequence[MunicipalityRow]) -> list[str]:
    """The counties the rows name, sorted."""
    return sorted({r.county for r in rows if r.county})


def districts_in(
    rows: Sequence[MunicipalityRow], counties: Sequence[str] = ()
) -> dict[str, list[MunicipalityRow]]:
    """The CSV's districts (as :func:`district_groups`); with ``counties``, only those whose
    host lies in one of them (a district belongs to its host's county, members across a
    county line included)."""
    groups = district_groups(rows)
    if not counties:
        return groups
    return {k: v for k, v in groups.items() if host_of(v).county in counties}


def county_errors(
    rows: Sequence[MunicipalityRow], counties: Sequence[str], field: str
) -> list[str]:
    """One line per county the rows do not name, each naming ``field`` (``field[k]`` when
    ``field`` is a list in a file)."""
    known = counties_of(rows)
    return [
        f"{field.format(k=k)}: {c!r} is not a county of the municipalities file "
        f"({', '.join(known)})"
        for k, c in enumerate(counties)
        if c not in known
    ]


def choose_districts(
    rows: Sequence[MunicipalityRow], seed: int, districts: int | None
) -> dict[str, list[MunicipalityRow]]:
    """The districts to build: the CSV's own (all, or a seeded sample of ``districts``),
    then, when more are asked for, synthetic groups of 2–6 municipalities drawn at random."""
    rng = random.Random(seed)
    groups = district_groups(rows)
    if districts is None:
        districts = len(groups) or max(1, len(rows) // 4)
    if districts <= len(groups):
        keep = sorted(rng.sample(sorted(groups), districts))
        return {k: groups[k] for k in keep}
    chosen = dict(groups)
    for k in range(districts - len(groups)):
        size = min(len(rows), rng.randint(2, 6))
        picked = sorted(rng.sample(list(rows), size), key=lambda m: m.id)
        chosen[f"synthetic-{k + 1:02d}"] = picked
    return chosen
