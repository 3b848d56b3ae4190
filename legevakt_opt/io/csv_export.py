"""CSV: one row per assignment, with the shift's real window (ISO 8601 with UTC offset)."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from legevakt_opt.io.common import export_rows
from legevakt_opt.io.escape import csv_cell
from legevakt_opt.scenario import Scenario

COLUMNS = ("date", "start", "end", "station", "shift", "role", "doctor", "name")


def roster_csv(scenario: Scenario, roster: Mapping[str, Any], doctor: str | None = None) -> str:
    """The roster as CSV text (header row, then one row per assignment).

    ``start``/``end`` are local Europe/Oslo times with their offset, e.g.
    ``2027-03-27T23:00:00+01:00`` to ``2027-03-28T08:00:00+02:00`` across the DST change.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for r in export_rows(scenario, roster, doctor):
        row = [
            r.date.isoformat(),
            r.start.isoformat(),
            r.end.isoformat(),
            r.station,
            r.shift,
            r.role,
            r.doctor,
            r.name,
        ]
        writer.writerow([csv_cell(x) for x in row])
    return out.getvalue()
