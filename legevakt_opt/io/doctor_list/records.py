"""Rows of the four tables as scenario data, each remembering the row it came from.

Every bad cell is one error line and the row is still read as far as it goes, so one
import reports everything at once and a reference to a doctor whose row had a bad
``andel`` still resolves (no error that is only an echo of another).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from legevakt_opt.io.doctor_list import columns as col
from legevakt_opt.io.doctor_list.cells import Column, Row, Table, Value, norm
from legevakt_opt.scenario import Scenario

NO_STATIONS = {"ingen", "none"}
"""A ``stasjoner`` cell saying the doctor works on site nowhere (``stations: []``)."""
NO_STATIONS_LABEL = "ingen"


class Problems:
    """Error lines and notes; remembers which cells already have an error, so that the
    scenario check does not report them a second time."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.flagged: set[tuple[int, int, int | None]] = set()

    def error(self, table: Table, row: int, column: Column | None, message: str) -> None:
        self.errors.append(f"{table.at(row, column)}: {message}")
        self.flagged.add((id(table), row, column.index if column else None))

    def warn(self, table: Table, row: int, column: Column | None, message: str) -> None:
        self.warnings.append(f"{table.at(row, column)}: {message}")

    def has(self, table: Table, row: int, column: Column | None) -> bool:
        if column is None:
            return any(t == id(table) and r == row for t, r, _ in self.flagged)
        return (id(table), row, column.index) in self.flagged


@dataclass
class Source:
    """Where a record came from: its table, row and columns by field key."""

    table: Table
    row: Row
    columns: dict[str, Column]


@dataclass
class DoctorRecord:
    source: Source
    data: dict[str, Any]
    unavailable: list[Source] = field(default_factory=list)
    avoid: list[Source] = field(default_factory=list)
    wish: list[Source] = field(default_factory=list)
    exemptions: list[Source] = field(default_factory=list)

    @property
    def id(self) -> str:
        return str(self.data["id"])

    @property
    def name(self) -> str:
        return str(self.data.get("name", ""))


class _Named(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...


class _Reader:
    """One row's cells by field key; a bad value is an error and reads as None."""

    def __init__(self, source: Source, problems: Problems) -> None:
        self.source, self.problems = source, problems

    def get(self, key: str, parse: Callable[[Value], Any] = col.parse_text) -> Any:
        column = self.source.columns.get(key)
        value = self.source.row.cells.get(column.index) if column else None
        if column is None or value is None:
            return None
        try:
            return parse(value)
        except ValueError as exc:
            self.error(key, str(exc))
            return None

    def value(self, key: str) -> Value | None:
        column = self.source.columns.get(key)
        return self.source.row.cells.get(column.index) if column else None

    def required(self, key: str, needs: str) -> None:
        column = self.source.columns.get(key)
        if column is not None and self.value(key) is None:
            self.error(key, f"is empty; {needs}")

    def error(self, key: str, message: str) -> None:
        s = self.source
        self.problems.error(s.table, s.row.number, s.columns.get(key), message)

    def warn(self, key: str, message: str) -> None:
        s = self.source
        self.problems.warn(s.table, s.row.number, s.columns.get(key), message)


def _required(reader: _Reader, fields: Sequence[col.Field]) -> None:
    for f in fields:
        if f.required:
            reader.required(f.key, f.needs)


def _lookup(text: str, items: Sequence[_Named], what: str) -> str:
    """The id of the one item whose id or name is ``text``: exact id first, then id or
    name regardless of case; ``ValueError`` naming the known ones otherwise."""
    key = unicodedata.normalize("NFC", text.strip())
    for match in (
        lambda i: i.id == key,
        lambda i: norm(i.id) == norm(key) or norm(i.name) == norm(key),
    ):
        hits = list(dict.fromkeys(i.id for i in items if match(i)))
        if len(hits) == 1:
            return hits[0]
        if hits:
            raise ValueError(f"{text!r} matches {len(hits)} {what}s ({', '.join(hits)})")
    labels = [i.id if norm(i.name) == norm(i.id) else f"{i.id} ({i.name})" for i in items[:12]]
    known = ", ".join(labels) + (", ..." if len(items) > 12 else "")
    raise ValueError(f"{text!r} is not a {what} of the base scenario (known: {known})")


def read_doctors(
    table: Table, columns: dict[str, Column], base: Scenario, p: Problems
) -> list[DoctorRecord]:
    """One record per row; ids are filled in afterwards by :func:`assign_ids`."""
    out: list[DoctorRecord] = []
    for row in table.rows:
        source = Source(table, row, columns)
        r = _Reader(source, p)
        _required(r, col.DOCTOR_FIELDS)
        data: dict[str, Any] = {"id": r.get("id"), "name": r.get("name")}
        data["municipality"] = r.get(
            "municipality",
            lambda v: _lookup(col.parse_text(v), base.municipalities, "municipality"),
        )
        data["category"] = r.get("category", col.parse_category)
        for key in ("independent", "lis1_completed", "video", "exempt"):
            data[key] = r.get(key, col.parse_yes_no)
        share = r.get("share", col.parse_share)
        if share is not None:
            data["share"], percent = share
            if not percent and data["share"] > 1:
                shown = r.value("share")
                r.warn(
                    "share",
                    f"{shown.shown() if shown else ''} is read as {data['share']} "
                    "full shares; for a part-time share write a percentage ('50 %') or a "
                    "fraction ('0,5')",
                )
        data["max_hours_per_week"] = r.get("max_hours_per_week", col.parse_number)
        data["stations"] = r.get("stations", lambda v: _stations(v, base))
        out.append(DoctorRecord(source, {k: v for k, v in data.items() if v is not None}))
    return out


def _stations(value: Value, base: Scenario) -> list[str]:
    parts = col.split_list(col.parse_text(value))
    if len(parts) == 1 and norm(parts[0]) in NO_STATIONS:
        try:
            return [_lookup(parts[0], base.stations, "station")]
        except ValueError:
            return []
    bad: list[str] = []
    ids: list[str] = []
    for part in parts:
        try:
            ids.append(_lookup(part, base.stations, "station"))
        except ValueError as exc:
            bad.append(str(exc))
    if bad:
        raise ValueError("; ".join(bad))
    return list(dict.fromkeys(ids))


def make_id(name: str, taken: set[str]) -> str:
    """An id from a name: NFC and lower case; letters and digits kept; spaces, hyphens and
    other punctuation become single ``-``, except apostrophes, which vanish (``O'Brien``
    is ``obrien``); ``-2``, ``-3`` ... when taken; ``lege`` when nothing is left."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", name).lower():
        if ch.isalnum() or ch == "_":
            out.append(ch)
        elif ch not in "'’`´":
            out.append("-")
    base = "-".join(part for part in "".join(out).split("-") if part) or "lege"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate


def assign_ids(doctors: list[DoctorRecord], p: Problems) -> None:
    """Given ids stay (a repeated one is an error); the others are made from names."""
    first: dict[str, DoctorRecord] = {}
    for d in doctors:
        given = d.data.get("id")
        if given is None:
            continue
        d.data["id"] = key = unicodedata.normalize("NFC", str(given))
        if key in first:
            other = first[key].source.row.number
            r = _Reader(d.source, p)
            r.error("id", f"{key!r} is also the id in row {other}")
        else:
            first[key] = d
    taken = set(first)
    for d in doctors:
        if "id" not in d.data:
            d.data["id"] = make_id(d.name, taken)


class DoctorIndex:
    """The doctors a ``lege`` cell may name, indexed by id and name so that thousands of
    absences do not each scan thousands of doctors."""

    def __init__(self, doctors: Sequence[DoctorRecord], where: str) -> None:
        self.where = where
        self._doctors = list(doctors)
        self._keys: tuple[dict[str, list[DoctorRecord]], ...] = ({}, {}, {})
        self._words: dict[str, set[int]] = {}
        for k, d in enumerate(self._doctors):
            for index, key in zip(self._keys, (d.id, norm(d.id), norm(d.name)), strict=True):
                index.setdefault(key, []).append(d)
            for word in norm(d.name).split():
                self._words.setdefault(word, set()).add(k)

    def find(self, text: str) -> DoctorRecord:
        """The doctor ``text`` names: an id (exact, then regardless of case), else a name
        (whole, or words of it, as ``Kari`` for Kari Nordmann) that fits one doctor only."""
        key = unicodedata.normalize("NFC", text.strip())
        tries = [
            index.get(k, [])
            for index, k in zip(self._keys, (key, norm(key), norm(key)), strict=True)
        ]
        if words := norm(key).split():
            rows = set.intersection(*(self._words.get(w, set()) for w in words))
            tries.append([self._doctors[k] for k in sorted(rows)])
        for hits in tries:
            if len(hits) == 1:
                return hits[0]
            if hits:
                names = ", ".join(f"{d.id} {d.name}" for d in hits[:6])
                more = ", ..." if len(hits) > 6 else ""
                raise ValueError(f"{text!r} matches {len(hits)} doctors ({names}{more})")
        raise ValueError(f"{text!r} is not the id or name of a doctor in {self.where}")


def _doctor(r: _Reader, doctors: DoctorIndex) -> DoctorRecord | None:
    found: DoctorRecord | None = r.get("doctor", lambda v: doctors.find(v.text))
    return found


_USE_TIME = "format the cell as dd.mm.yyyy hh:mm to use the time"


def _hidden_time(r: _Reader, key: str, hint: str = _USE_TIME) -> None:
    value = r.value(key)
    if value is not None and value.hidden_time is not None:
        r.warn(
            key,
            f"{value.shown()} has a time of day ({value.hidden_time:%H:%M}) that the "
            f"cell's format does not show; it is read as the whole date ({hint})",
        )


def _bounds(moment: str, end: bool) -> dt.datetime:
    if "T" in moment:
        return dt.datetime.fromisoformat(moment)
    day = dt.date.fromisoformat(moment) + dt.timedelta(days=1 if end else 0)
    return dt.datetime.combine(day, dt.time())


def read_absences(
    table: Table, columns: dict[str, Column], doctors: DoctorIndex, p: Problems
) -> None:
    """Attach each row to its doctor's ``unavailable``."""
    for row in table.rows:
        source = Source(table, row, columns)
        r = _Reader(source, p)
        _required(r, col.ABSENCE_FIELDS)
        doctor = _doctor(r, doctors)
        start, end = r.get("from", col.parse_moment), r.get("to", col.parse_moment)
        note = r.get("note")
        for key in ("from", "to"):
            _hidden_time(r, key)
        if start is not None and end is not None and _bounds(end, True) <= _bounds(start, False):
            til, fra = r.value("to"), r.value("from")
            assert til is not None and fra is not None
            r.error("to", f"{til.shown()} is not after {columns['from'].label} {fra.shown()}")
            continue
        if doctor is not None and start is not None and end is not None:
            absence = {"from": start, "to": end} | ({"note": note} if note is not None else {})
            doctor.data.setdefault("unavailable", []).append(absence)
            doctor.unavailable.append(source)


def read_requests(
    table: Table, columns: dict[str, Column], doctors: DoctorIndex, base: Scenario, p: Problems
) -> None:
    """Attach each row to its doctor's ``wish`` or ``avoid``."""
    shifts = [_Shift(s.id) for s in base.shifts]
    for row in table.rows:
        source = Source(table, row, columns)
        r = _Reader(source, p)
        _required(r, col.REQUEST_FIELDS)
        doctor = _doctor(r, doctors)
        date = r.get("date", col.parse_date)
        _hidden_time(r, "date")
        shift = r.get("shift", lambda v: _lookup(v.text, shifts, "shift"))
        kind = r.get("type", col.parse_request_type)
        if r.value("shift") is not None and shift is None:
            continue
        if doctor is not None and date is not None and kind is not None:
            request = {"date": date} | ({"shift": shift} if shift is not None else {})
            doctor.data.setdefault(kind, []).append(request)
            (doctor.wish if kind == "wish" else doctor.avoid).append(source)


def read_exemptions(
    table: Table, columns: dict[str, Column], doctors: DoctorIndex, p: Problems
) -> None:
    """Attach each row to its doctor's ``exemptions``; an empty ``gjelder`` is all duty."""
    for row in table.rows:
        source = Source(table, row, columns)
        r = _Reader(source, p)
        _required(r, col.EXEMPTION_FIELDS)
        doctor = _doctor(r, doctors)
        start, end = r.get("from", col.parse_date), r.get("to", col.parse_date)
        duties = r.get("from_duties", col.parse_duties)
        note = r.get("note")
        for key in ("from", "to"):
            _hidden_time(r, key, "an exemption covers whole dates")
        if start is not None and end is not None and end < start:  # ISO dates sort as text
            til, fra = r.value("to"), r.value("from")
            assert til is not None and fra is not None
            r.error("to", f"{til.shown()} is before {columns['from'].label} {fra.shown()}")
            continue
        if r.value("from_duties") is not None and duties is None:
            continue
        if doctor is not None and start is not None and end is not None:
            exemption = {"from": start, "to": end, "from_duties": duties or ["all"]}
            doctor.data.setdefault("exemptions", []).append(
                exemption | ({"note": note} if note is not None else {})
            )
            doctor.exemptions.append(source)


@dataclass(frozen=True)
class _Shift:
    """A shift template as :func:`_lookup` sees it: by id only (it has no name)."""

    id: str

    @property
    def name(self) -> str:
        return self.id
