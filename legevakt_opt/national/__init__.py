"""National what-if sweeps: one policy grid over every legevakt district of the country.

Each district's scenario comes from the generator (``scenarios/municipalities.csv``: every
municipality of 2024, approximate populations, plausible districts), its variants from the
sweep's expansion, and all district × variant solves run through the sweep's runner
(``local`` or ``ray``) as one batch.

    from legevakt_opt.national import load_national, run_national, write_national
    plan = load_national("scenarios/national/caps.yaml")   # checked; NationalError if not
    outcomes = run_national(plan, backend="local", jobs=2)  # {district id: [Outcome, ...]}
    report = write_national(Path("out"), plan, outcomes)   # results, totals, report, plots

Submodules: ``spec`` (the file format), ``run`` (districts, plans, the batch), ``store``
(``run.json`` and one saved result per finished solve, for ``--resume``), ``totals``
(results rows, national and county totals, the text per variant), ``report`` (CSV, Excel,
Markdown, PNG).
"""

from __future__ import annotations

from legevakt_opt.national.report import NationalReport, write_national
from legevakt_opt.national.run import DistrictPlan, NationalPlan, load_national, run_national
from legevakt_opt.national.spec import (
    NATIONAL_FORMAT,
    NationalError,
    NationalSpec,
    national_from_data,
    read_national,
)

__all__ = [
    "NATIONAL_FORMAT",
    "DistrictPlan",
    "NationalError",
    "NationalPlan",
    "NationalReport",
    "NationalSpec",
    "load_national",
    "national_from_data",
    "read_national",
    "run_national",
    "write_national",
]
