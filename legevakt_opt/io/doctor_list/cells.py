"""Tables of cells that remember where they came from.

Whatever the file (an ``.xlsx`` sheet or a CSV file), its rows become a :class:`Table`
whose rows keep the row number Excel shows (header = row 1 in a normal sheet) and whose
columns keep the header as written, so that every later error line can name file,
sheet, row and column.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

MAX_BYTES = 20_000_000
"""A file larger than this is refused before it is opened (20 MB)."""
MAX_ROWS = 5_000
"""At most this many data rows per table."""
MAX_COLUMNS = 100
"""At most this many columns per table."""
UNPACK_FACTOR = 10
"""A workbook may unpack to at most this many times ``max_bytes`` (a zip bomb would not)."""
SCAN_FACTOR = 10
"""Rows past ``max_rows * SCAN_FACTOR`` (empty ones included) are not scanned for data."""

SHEETS = {
    "leger": "doctors",
    "doctors": "doctors",
    "fravær": "absences",
    "fravaer": "absences",
    "absences": "absences",
    "ønsker": "requests",
    "onsker": "requests",
    "requests": "requests",
    "fritak": "exemptions",
    "exemptions": "exemptions",
}
"""Sheet names (normalised by :func:`norm`) and the table each holds."""
SHEET_TITLES = {
    "doctors": "Leger",
    "absences": "Fravær",
    "requests": "Ønsker",
    "exemptions": "Fritak",
}
"""Each table's sheet title, in the template's order."""
CHOICES_SHEET = "Valg"
"""The template's hidden sheet of choice lists; read by nobody."""


def norm(text: str) -> str:
    """A name for matching: NFC, case folded, white space collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


@dataclass(frozen=True)
class Limits:
    """How much a file may hold; the defaults are the module constants."""

    max_bytes: int = MAX_BYTES
    max_rows: int = MAX_ROWS
    max_columns: int = MAX_COLUMNS


Raw = str | int | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta


@dataclass(frozen=True)
class Value:
    """One non-empty cell. An Excel number shown as a date arrives as ``dt.date`` when its
    format shows no time of day (``hidden_time`` keeps a time it does not show) and as
    ``dt.datetime`` when it does; CSV cells are always text."""

    raw: Raw
    hidden_time: dt.time | None = None
    excel_error: bool = False

    @property
    def text(self) -> str:
        """The value as a person would read it in the sheet."""
        raw = self.raw
        if isinstance(raw, bool):
            return "TRUE" if raw else "FALSE"
        if isinstance(raw, float) and raw.is_integer():
            return str(int(raw))
        if isinstance(raw, dt.datetime):
            return raw.strftime("%d.%m.%Y %H:%M")
        if isinstance(raw, dt.date):
            return raw.strftime("%d.%m.%Y")
        if isinstance(raw, dt.time):
            return raw.strftime("%H:%M")
        return str(raw)

    def shown(self) -> str:
        """The value quoted for an error line."""
        text = self.text
        return repr(text if len(text) <= 60 else text[:57] + "...")


@dataclass(frozen=True)
class Column:
    index: int
    header: str

    @property
    def letter(self) -> str:
        return get_column_letter(self.index + 1)

    @property
    def label(self) -> str:
        """How an error line names the column: its header, else its letter."""
        return self.header or f"column {self.letter}"


@dataclass(frozen=True)
class Row:
    number: int
    cells: dict[int, Value]


@dataclass
class Table:
    """One sheet, or one CSV file: ``sheet`` is None for a CSV."""

    file: str
    sheet: str | None
    header_row: int
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)

    def at(self, row: int | None = None, column: Column | None = None) -> str:
        """The place an error line starts with, e.g. ``leger.xlsx, Leger, row 7, andel``."""
        out = self.file if self.sheet is None else f"{self.file}, {self.sheet}"
        if row is not None:
            out += f", row {row}"
            if column is not None:
                out += f", {column.label}"
        return out


@dataclass
class Read:
    """What one file gave: tables, problems (one line each), and notes for the user."""

    tables: list[Table] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sheets: list[str] | None = None
    """A workbook's sheet names; None for a CSV file or a file that could not be opened."""


def megabytes(n: int) -> str:
    """A size as a person reads it: ``52.4 MB``, ``20 MB``, ``5.1 kB``."""
    unit, scale = ("MB", 1_000_000) if n >= 1_000_000 else ("kB", 1_000)
    return f"{n // scale} {unit}" if n % scale == 0 else f"{n / scale:.1f} {unit}"


# ---------------------------------------------------------------- rows to a table


def build_table(
    file: str,
    sheet: str | None,
    rows: Iterable[tuple[int, Sequence[Value | None]]],
    limits: Limits,
    errors: list[str],
    merged: Callable[[], list[CellRange]],
) -> Table | None:
    """Header and data rows from raw rows: empty and comment rows skipped, limits kept,
    and a column with values but no header reported (with the merge that hid it)."""
    table: Table | None = None
    unnamed: dict[int, list[int]] = {}
    where = file if sheet is None else f"{file}, {sheet}"
    for number, values in rows:
        if number > limits.max_rows * SCAN_FACTOR:
            errors.append(
                f"{where}: more than {limits.max_rows * SCAN_FACTOR} rows (empty ones "
                f"included); the limit is {limits.max_rows} rows"
            )
            return None
        cells = {k: v for k, v in enumerate(values) if v is not None}
        if not cells or _is_comment(cells):
            continue
        if max(cells) >= limits.max_columns:
            errors.append(
                f"{where}, row {number}: has values beyond column "
                f"{get_column_letter(limits.max_columns)}; the limit is "
                f"{limits.max_columns} columns"
            )
            return None
        if table is None:
            columns = [Column(k, v.text) for k, v in sorted(cells.items())]
            table = Table(file, sheet, number, columns)
            continue
        if len(table.rows) >= limits.max_rows:
            errors.append(
                f"{where}: more than {limits.max_rows} rows; the limit is {limits.max_rows}"
            )
            return None
        named = {c.index for c in table.columns}
        for k in cells.keys() - named:
            unnamed.setdefault(k, []).append(number)
        table.rows.append(Row(number, {k: v for k, v in cells.items() if k in named}))
    if table is not None and unnamed:
        ranges = merged()
        for k, numbers in sorted(unnamed.items()):
            errors.append(_unnamed(table, k, numbers, ranges))
    return table


def _is_comment(cells: dict[int, Value]) -> bool:
    first = cells[min(cells)]
    return isinstance(first.raw, str) and first.raw.startswith("#")


def _unnamed(table: Table, index: int, numbers: list[int], ranges: list[CellRange]) -> str:
    letter = get_column_letter(index + 1)
    rows = ", ".join(str(n) for n in numbers[:3]) + (", ..." if len(numbers) > 3 else "")
    line = f"{table.at(table.header_row)}: column {letter} has no header but holds values (row"
    line += f"{'s' if len(numbers) > 1 else ''} {rows})"
    for rng in ranges:
        if (
            rng.min_row <= table.header_row <= rng.max_row
            and rng.min_col <= index + 1 <= rng.max_col
        ):
            anchor = next((c for c in table.columns if c.index == rng.min_col - 1), None)
            named = f" {anchor.header!r}" if anchor else ""
            return (
                f"{line}: it is part of the merged header cell {rng.coord}{named}; unmerge "
                "it and give each column its own header"
            )
    return f"{line}; give it a header or remove the values"
