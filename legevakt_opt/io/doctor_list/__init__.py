"""Doctor lists from coordinators' spreadsheets (``shared/import-format.md``), and back.

from legevakt_opt.io.doctor_list import import_doctor_list, doctor_list_workbook
result = import_doctor_list([("leger.xlsx", Path("leger.xlsx").read_bytes())], base)
Path("leger.xlsx").write_bytes(doctor_list_workbook(result.scenario))
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
