"""Read one spreadsheet file, ``.xlsx`` or ``.csv``, into :class:`~.cells.Table` objects.

What kind of file it is is decided by its bytes, not its name: a renamed, encrypted,
truncated or foreign file must still get one clear line, never a traceback.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
import warnings
import zipfile
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

from openpyxl import load_workbook
from openpyxl.worksheet.cell_range import CellRange

from legevakt_opt.io.doctor_list.cells import (
    CHOICES_SHEET,
    SHEET_TITLES,
    SHEETS,
    UNPACK_FACTOR,
    Limits,
    Read,
    Value,
    build_table,
    megabytes,
    norm,
)

_OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")  # a zip's first entry, or an empty zip
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def read_file(name: str, content: bytes, limits: Limits) -> Read:
    """Read one file by what its bytes are; a file that cannot be read is one error line."""
    if len(content) > limits.max_bytes:
        return Read(
            errors=[
                f"{name}: {megabytes(len(content))} is over the limit of "
                f"{megabytes(limits.max_bytes)}"
            ]
        )
    if not content.strip():
        return Read(errors=[f"{name}: is empty"])
    if content.startswith(_OLE2):
        return Read(
            errors=[
                f"{name}: is password-protected or an old .xls workbook; save it as .xlsx "
                "(without a password)"
            ]
        )
    if content.startswith(_ZIP):
        return _read_workbook(name, content, limits)
    if content.startswith(b"%PDF"):
        return Read(errors=[f"{name}: is a PDF document, not an .xlsx workbook or a CSV file"])
    return _read_csv(name, content, limits)


# ---------------------------------------------------------------- workbooks


def _read_workbook(name: str, content: bytes, limits: Limits) -> Read:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as zf:
            members = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return Read(
            errors=[
                f"{name}: is a damaged or truncated .xlsx workbook (it cannot be "
                "unzipped); save it again from Excel"
            ]
        )
    unpacked = sum(m.file_size for m in members)
    if unpacked > limits.max_bytes * UNPACK_FACTOR:
        return Read(
            errors=[
                f"{name}: unpacks to {megabytes(unpacked)}, over the limit of "
                f"{megabytes(limits.max_bytes * UNPACK_FACTOR)}"
            ]
        )
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        what = "an OpenDocument spreadsheet (.ods)" if "content.xml" in names else "a zip file"
        return Read(errors=[f"{name}: is {what}, not an .xlsx workbook; save it as .xlsx"])
    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it drops (extensions, styles); none matter here.
            warnings.simplefilter("ignore")
            return _read_sheets(name, content, limits)
    except Exception as exc:  # openpyxl raises many kinds on a malformed workbook
        return Read(
            errors=[
                f"{name}: is a damaged .xlsx workbook ({type(exc).__name__}: "
                f"{str(exc)[:80]}); save it again from Excel"
            ]
        )


def _read_sheets(name: str, content: bytes, limits: Limits) -> Read:
    wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    out = Read(sheets=list(wb.sheetnames))
    try:
        for ws in wb.worksheets:
            title = ws.title
            if norm(title) == norm(CHOICES_SHEET):
                continue
            if norm(title) not in SHEETS:
                out.warnings.append(
                    f"{name}, {title}: sheet is not read (only "
                    f"{', '.join(SHEET_TITLES.values())} are)"
                )
                continue
            ws.reset_dimensions()  # some writers store a wrong size; read what is there
            rows = (
                (number, [_value(c) for c in row])
                for number, row in enumerate(ws.iter_rows(), start=1)
            )
            merged = functools.partial(_merged_ranges, content, title)
            table = build_table(name, title, rows, limits, out.errors, merged)
            if table is not None:
                out.tables.append(table)
    finally:
        wb.close()
    return out


def _value(cell: Any) -> Value | None:
    """A read-only cell as a :class:`Value`; empty and blank cells are None."""
    raw = cell.value
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if getattr(cell, "data_type", "n") == "e":
        return Value(str(raw), excel_error=True)
    if isinstance(raw, str):
        return Value(raw.strip())
    if isinstance(raw, dt.datetime):
        raw = _to_minute(raw)
        if not shows_time(cell.number_format or ""):
            hidden = raw.time() if raw.time() != dt.time() else None
            return Value(raw.date(), hidden_time=hidden)
        return Value(raw)
    return Value(raw)


def _to_minute(moment: dt.datetime) -> dt.datetime:
    """Excel keeps times as fractions of a day; 08:00 may come back as 07:59:59.999."""
    rounded = moment.replace(second=0, microsecond=0)
    if moment.second * 1_000_000 + moment.microsecond >= 30_000_000:
        rounded += dt.timedelta(minutes=1)
    return rounded.replace(tzinfo=None)


_LITERALS = re.compile(r'"[^"]*"|\\.|\[(?![hms]+\])[^\]]*\]', re.IGNORECASE)


def shows_time(number_format: str) -> bool:
    """Whether an Excel number format shows a time of day (``h``, ``s``, AM/PM), not
    counting quoted text, escaped characters and colour or locale codes."""
    code = _LITERALS.sub("", number_format).lower()
    return any(c in code for c in "hs") or "am/pm" in code or "a/p" in code


def _merged_ranges(content: bytes, title: str) -> list[CellRange]:
    """The merged cell ranges of one sheet. openpyxl's read-only mode does not report
    them, so the sheet's XML is scanned for them, only when an error needs them."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as zf:
            book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
            targets = {
                r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG_REL_NS}Relationship")
            }
            rid = next(
                s.get(f"{_REL_NS}id")
                for s in book.iter(f"{_MAIN_NS}sheet")
                if s.get("name") == title
            )
            target = targets[rid]
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            with zf.open(path) as src:
                return [
                    CellRange(el.get("ref", ""))
                    for _, el in ElementTree.iterparse(src)
                    if el.tag == f"{_MAIN_NS}mergeCell"
                ]
    except Exception:  # only an explanation is lost; the error line stands without it
        return []


# ---------------------------------------------------------------- CSV


def _read_csv(name: str, content: bytes, limits: Limits) -> Read:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Read(
            errors=[
                f"{name}: is UTF-16 text (Excel's 'Unicode text'); save it as "
                "'CSV UTF-8' or 'CSV (semikolondelt)'"
            ]
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError:
            text = ""
    if not text or _CONTROL.search(text):
        return Read(
            errors=[
                f"{name}: is neither an .xlsx workbook nor a CSV text file (UTF-8 or Windows-1252)"
            ]
        )
    header = next(
        (ln for ln in text.splitlines() if ln.strip() and not ln.strip().startswith("#")), ""
    )
    separator = _separator(header)
    out = Read()
    records = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    broken: list[str] = []
    rows = _csv_rows(name, records, broken)
    table = build_table(name, None, rows, limits, out.errors, list)
    if broken:  # the rest of the file is unread: its table would mislead
        return Read(errors=out.errors + broken)
    if table is not None:
        out.tables.append(table)
    return out


def _separator(header: str) -> str:
    """``;``, tab or ``,``: whichever the header row holds most of outside quotes."""
    unquoted = re.sub(r'"[^"]*"', "", header)
    counts = {sep: unquoted.count(sep) for sep in (";", "\t", ",")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ";"


def _csv_rows(
    name: str, records: Iterator[list[str]], errors: list[str]
) -> Iterator[tuple[int, list[Value | None]]]:
    number = 0
    try:
        for number, record in enumerate(records, start=1):
            yield number, [Value(f.strip()) if f.strip() else None for f in record]
    except csv.Error as exc:
        errors.append(f"{name}, row {number + 1}: cannot be read as CSV ({exc})")
