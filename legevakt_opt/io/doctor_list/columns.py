"""The import format's columns (``shared/import-format.md``) and the parsers of their values.

Headers match without regard to case, surrounding spaces or the listed aliases. Each
parser takes one non-empty cell and returns the value in the scenario's textual form
(``YYYY-MM-DD``, ``YYYY-MM-DDTHH:MM``) or raises ``ValueError`` with the end of an error
line (``'abc' is not a number``); the caller puts the place in front.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from legevakt_opt.io.doctor_list.cells import Column, Table, Value, norm


@dataclass(frozen=True)
class Field:
    """One column: its key in the import's records, its Norwegian header (what the template
    writes) and the other headers it goes by."""

    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    needs: str = ""
    """What an empty required cell should have held, for its error line."""

    @property
    def names(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)


DOCTOR_FIELDS = (
    Field("id", "id"),
    Field("name", "navn", ("name",), True, "a doctor needs a name"),
    Field("municipality", "kommune", ("municipality",), True, "a doctor needs a municipality"),
    Field("category", "kategori", ("category",), True, "a doctor needs a category"),
    Field("independent", "selvstendig", ("independent",)),
    Field("lis1_completed", "LIS1 fullført", ("lis1_completed",)),
    Field("video", "video"),
    Field("share", "andel", ("share", "stillingsandel")),
    Field("exempt", "fritak", ("exempt",)),
    Field("max_hours_per_week", "maks timer per uke", ("max_hours_per_week",)),
    Field("stations", "stasjoner", ("stations",)),
)
_DOCTOR_REF = "the doctor's id or name"
ABSENCE_FIELDS = (
    Field("doctor", "lege", ("doctor",), True, _DOCTOR_REF),
    Field("from", "fra", ("from",), True, "the start: a date, or a date and time"),
    Field("to", "til", ("to",), True, "the end: a date (inclusive), or a date and time"),
    Field("note", "merknad", ("note",)),
)
REQUEST_FIELDS = (
    Field("doctor", "lege", ("doctor",), True, _DOCTOR_REF),
    Field("date", "dato", ("date",), True, "a date"),
    Field("shift", "vakt", ("shift",)),
    Field("type", "type", (), True, "ønsker or unngår"),
)
EXEMPTION_FIELDS = (
    Field("doctor", "lege", ("doctor",), True, _DOCTOR_REF),
    Field("from", "fra", ("from",), True, "the first date the exemption covers"),
    Field("to", "til", ("to",), True, "the last date the exemption covers (inclusive)"),
    Field("from_duties", "gjelder", ("from_duties",)),
    Field("note", "merknad", ("note",)),
)
FIELDS = {
    "doctors": DOCTOR_FIELDS,
    "absences": ABSENCE_FIELDS,
    "requests": REQUEST_FIELDS,
    "exemptions": EXEMPTION_FIELDS,
}
"""Table kind → its columns, in the template's order."""

_BY_NAME = {kind: {norm(n): f for f in fields for n in f.names} for kind, fields in FIELDS.items()}


def table_kind(table: Table) -> str | None:
    """Which table a CSV file holds: the one that knows most of its headers, and of those
    the one lacking fewest of its own columns (``lege, fra, til`` is absences, which lacks
    only ``merknad``; exemptions also lack ``gjelder``); None when no table knows any
    header, or two tie."""
    headers = {norm(c.header) for c in table.columns}

    def score(kind: str) -> tuple[int, int]:
        known = sum(norm(c.header) in _BY_NAME[kind] for c in table.columns)
        lacking = sum(not headers & {norm(n) for n in f.names} for f in FIELDS[kind])
        return known, -lacking

    scores = {kind: score(kind) for kind in FIELDS}
    best = max(scores.values())
    winners = [k for k, n in scores.items() if n == best]
    return winners[0] if best[0] and len(winners) == 1 else None


def match_columns(table: Table, kind: str) -> tuple[dict[str, Column], list[str]]:
    """The table's columns by field key, and one error line per unknown, repeated or
    missing required column."""
    fields, known = FIELDS[kind], _BY_NAME[kind]
    found: dict[str, Column] = {}
    errors: list[str] = []
    where = table.at(table.header_row)
    for column in table.columns:
        f = known.get(norm(column.header))
        if f is None:
            names = ", ".join(x.header for x in fields)
            errors.append(f"{where}: unknown column {column.header!r} (known: {names})")
        elif f.key in found:
            first = found[f.key]
            errors.append(
                f"{where}: column {column.letter} {column.header!r} repeats column "
                f"{first.letter} {first.header!r}"
            )
        else:
            found[f.key] = column
    for f in fields:
        if f.required and f.key not in found:
            also = f" (or {' or '.join(repr(a) for a in f.aliases)})" if f.aliases else ""
            errors.append(f"{where}: missing column {f.header!r}{also}")
    return found, errors


# ---------------------------------------------------------------- values

_YES = {"ja", "yes", "x", "1", "true", "sann"}
_NO = {"nei", "no", "0", "false", "usann"}


def parse_yes_no(value: Value) -> bool:
    """ja/nei, yes/no, x, 1/0, true/false and Excel booleans (SANN/USANN when Norwegian
    Excel writes them into a CSV)."""
    raw = value.raw
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float) and raw in (0, 1) and not value.excel_error:
        return raw == 1
    if isinstance(raw, str) and norm(raw) in _YES | _NO:
        return norm(raw) in _YES
    raise ValueError(f"{value.shown()} is not yes or no (ja/nei, x or empty, 1/0, true/false)")


_NUMBER = re.compile(r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)$")


def _number_text(text: str) -> int | float | None:
    text = text.replace(" ", "").replace("\u00a0", "")
    if not _NUMBER.match(text):
        return None
    text = text.replace(",", ".")
    number = float(text)
    return int(number) if "." not in text else number


def parse_number(value: Value) -> int | float:
    """A number cell, or text with a decimal comma or point (``37,5``)."""
    raw = value.raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return raw
    number = _number_text(raw) if isinstance(raw, str) and not value.excel_error else None
    if number is None:
        raise ValueError(f"{value.shown()} is not a number")
    return number


def parse_share(value: Value) -> tuple[int | float, bool]:
    """A number (``0,5``) or a percentage (``50 %``); also whether it was a percentage."""
    raw = value.raw
    if isinstance(raw, str) and raw.endswith("%") and not value.excel_error:
        number = _number_text(raw[:-1])
        if number is not None:
            share = number / 100
            return (int(share) if share.is_integer() else share), True
    try:
        return parse_number(value), False
    except ValueError:
        raise ValueError(f"{value.shown()} is not a number or a percentage") from None


CATEGORIES = {
    "fastlege": "fastlege",
    "lis1": "lis1",
    "alis": "alis",
    "spesialist": "specialist",
    "specialist": "specialist",
    "vikar": "vikar",
    "fast ansatt": "salaried",
    "salaried": "salaried",
}
CATEGORY_LABELS = {
    "fastlege": "fastlege",
    "lis1": "LIS1",
    "alis": "ALIS",
    "specialist": "spesialist",
    "vikar": "vikar",
    "salaried": "fast ansatt",
}
"""Scenario category → how the template and the export write it."""


def parse_category(value: Value) -> str:
    category = CATEGORIES.get(norm(value.text)) if isinstance(value.raw, str) else None
    if category is None:
        labels = ", ".join(CATEGORY_LABELS.values())
        raise ValueError(f"{value.shown()} is not a category ({labels})")
    return category


REQUEST_TYPES = {"ønsker": "wish", "onsker": "wish", "wish": "wish"}
REQUEST_TYPES |= {"unngår": "avoid", "unngar": "avoid", "avoid": "avoid"}
REQUEST_LABELS = {"wish": "ønsker", "avoid": "unngår"}


def parse_request_type(value: Value) -> str:
    kind = REQUEST_TYPES.get(norm(value.text)) if isinstance(value.raw, str) else None
    if kind is None:
        raise ValueError(f"{value.shown()} is not ønsker or unngår (wish or avoid)")
    return kind


DUTIES = {
    "natt": "night",
    "night": "night",
    "helg": "weekend",
    "weekend": "weekend",
    "tilstedevakt": "on_site",
    "on_site": "on_site",
    "on-site": "on_site",
    "alle": "all",
    "all": "all",
}
DUTY_LABELS = {"night": "natt", "weekend": "helg", "on_site": "tilstedevakt", "all": "alle"}
"""Scenario ``from_duties`` value → how the template and the export write it."""


def parse_duties(value: Value) -> list[str]:
    """``gjelder``: one or more of natt, helg, tilstedevakt, alle (or their English names),
    separated by ``,`` or ``;``, in the order written."""
    raw = value.raw
    parts = split_list(raw) if isinstance(raw, str) and not value.excel_error else [value.text]
    labels = ", ".join(DUTY_LABELS.values())
    if not parts:
        raise ValueError(f"{value.shown()} names none of {labels}")
    bad = [Value(part).shown() for part in parts if norm(part) not in DUTIES]
    if bad:
        raise ValueError("; ".join(f"{shown} is not one of {labels}" for shown in bad))
    return [DUTIES[norm(part)] for part in parts]


_DMY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})$")
_YMD = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MOMENT = re.compile(r"^(\S+)(?:\s+|T)(\d{1,2}):(\d{2})(?::00)?$")
_DATE_PROBLEM = "is not a date (dd.mm.yyyy or yyyy-mm-dd)"
_MOMENT_PROBLEM = "is not a date or a date and time (dd.mm.yyyy [hh:mm] or yyyy-mm-dd[Thh:mm])"


def _date_text(text: str) -> dt.date | None:
    if m := _DMY.match(text):
        day, month, year = int(m.group(1)), int(m.group(2)), m.group(3)
        full = int(year) if len(year) == 4 else 2000 + int(year)
        parts = (full, month, day)
    elif m := _YMD.match(text):
        parts = (int(m.group(1)), int(m.group(2)), int(m.group(3)))
    else:
        return None
    try:
        return dt.date(*parts)
    except ValueError:
        return None


def _moment_text(text: str) -> dt.date | dt.datetime | None:
    if m := _MOMENT.match(text):
        day = _date_text(m.group(1))
        hour, minute = int(m.group(2)), int(m.group(3))
        if day is None or minute > 59 or hour > 24 or (hour == 24 and minute):
            return None
        if hour == 24:  # midnight at the end of that date
            return dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
        return dt.datetime.combine(day, dt.time(hour, minute))
    return _date_text(text)


def _not_a_date(value: Value, problem: str) -> ValueError:
    raw = value.raw
    if isinstance(raw, dt.time):
        return ValueError(f"{value.shown()} is a time of day without a date")
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return ValueError(f"{value.shown()} is a number, not a date (format the cell as a date)")
    return ValueError(f"{value.shown()} {problem}")


def parse_moment(value: Value) -> str:
    """A date (``YYYY-MM-DD``) or a date and time (``YYYY-MM-DDTHH:MM``)."""
    raw = value.raw
    moment = _moment_text(raw) if isinstance(raw, str) and not value.excel_error else raw
    if isinstance(moment, dt.datetime):
        return moment.strftime("%Y-%m-%dT%H:%M")
    if isinstance(moment, dt.date):
        return moment.isoformat()
    raise _not_a_date(value, _MOMENT_PROBLEM)


def parse_date(value: Value) -> str:
    """A date (``YYYY-MM-DD``); a date-time cell at midnight counts as its date."""
    raw = value.raw
    day = _moment_text(raw) if isinstance(raw, str) and not value.excel_error else raw
    if isinstance(day, dt.datetime):
        if isinstance(raw, str) or day.time() != dt.time():
            raise ValueError(f"{value.shown()} is a date and time; only a date goes here")
        day = day.date()
    if isinstance(day, dt.date):
        return day.isoformat()
    raise _not_a_date(value, _DATE_PROBLEM)


def parse_text(value: Value) -> str:
    """Free text, or any other cell as it reads."""
    return value.raw if isinstance(value.raw, str) else value.text


def split_list(text: str) -> list[str]:
    """``a, b; c`` as ``["a", "b", "c"]``."""
    return [part.strip() for part in re.split(r"[,;]", text) if part.strip()]
