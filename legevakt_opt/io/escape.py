"""User text in files another person opens: never a live formula in a spreadsheet (OWASP's
CSV-injection guidance), never broken table markup in Markdown.

Scenarios come from any district user over the HTTP service, and the files go to
coordinators' desktops, so every export passes its text through here.
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.workbook import Workbook

#: What makes Excel, or a spreadsheet reading a CSV, take text for a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A CSV field: text that would start a formula gets a leading ``'`` (which the
    spreadsheet shows and does not evaluate); anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def text_cell(cell: Cell, value: str) -> None:
    """Put text in an xlsx cell as text: openpyxl would take ``=…`` for a formula; with
    ``quotePrefix`` Excel keeps it text when the cell is edited, too."""
    cell.value = value
    cell.data_type = "s"
    if value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True


def neutralise_formulas(workbook: Workbook) -> int:
    """Make every formula cell of a workbook text (the project writes no formulas, so any
    formula came from user text), and mark text that would start one so that it stays text
    when a user edits the cell; returns how many cells were changed."""
    count = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and (
                    cell.data_type == "f" or value.startswith(FORMULA_STARTS)
                ):
                    text_cell(cell, value)
                    count += 1
    return count


def markdown_cell(value: Any) -> str:
    """Text for a Markdown table cell: ``|`` escaped, line breaks as spaces."""
    text = "" if value is None else str(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")
