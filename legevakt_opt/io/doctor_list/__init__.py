"""Doctor lists from coordinators' spreadsheets (``shared/import-format.md``), and back.

    from legevakt_opt.io.doctor_list import import_doctor_list, doctor_list_workbook
    result = import_doctor_list([("leger.xlsx", Path("leger.xlsx").read_bytes())], base)
    Path("leger.xlsx").write_bytes(doctor_list_workbook(result.scenario))

Where the contract is silent, this package decides:

- A file's kind comes from its bytes, not its name. Workbook sheets other than the three
  tables are not read (a warning says so), except the template's hidden ``Valg``.
  A workbook and CSV files may be given together; each table may come only once.
- The header is the first row that is neither empty nor a comment (normally row 1); row
  numbers are always Excel's. A comment row is one whose first non-empty cell starts
  with ``#``. A column with values but no header is an error (naming the merged header
  cell that hid it, if any); one without values is ignored.
- Norwegian Excel's ``SANN``/``USANN`` count as yes/no; ``onsker``/``unngar`` as the
  request types. ``stasjoner`` ``ingen`` (or ``none``) is an empty list, unless a station
  has that id or name.
- Municipalities, stations, shifts and doctors match by exact id first, then id or name
  regardless of case; a doctor also by words of the name (``Kari``) when only one fits.
- An id made from a name keeps letters and digits (``ola-hansen-2``), drops apostrophes
  (``obrien``), turns any other run of spaces and punctuation into one ``-``, is ``lege``
  when nothing is left, and gets ``-2``, ``-3`` ... when taken (given ids come first).
- ``til`` is required. A ``dato`` takes a date; a date-time cell at midnight counts as
  its date. Date-times are rounded to the minute (Excel's fractions of a day).
- Warnings, not errors: a date cell whose format hides a time it holds (read as the
  date, as the contract says); an ``andel`` above 1 written without ``%``; the merged
  scenario's own warnings on doctors (a request outside the horizon, all exempt).
- A ``Leger`` table without doctors is an error: a roster without doctors is useless.
- Limits: 20 MB per file (checked first), 5,000 rows and 100 columns per table, a
  workbook unpacking to at most 10 times the size limit, and no scanning past row 50,000.
"""

from __future__ import annotations

from legevakt_opt.io.doctor_list.export import doctor_list_workbook
from legevakt_opt.io.doctor_list.merge import DoctorListError, ImportResult, import_doctor_list
from legevakt_opt.io.doctor_list.template import doctor_list_template

__all__ = [
    "DoctorListError",
    "ImportResult",
    "doctor_list_template",
    "doctor_list_workbook",
    "import_doctor_list",
]
