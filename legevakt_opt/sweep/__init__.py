"""Policy what-if sweeps: one base scenario, a grid of policy values and named variants,
each solved and summarised side by side.

    from legevakt_opt.sweep import load_sweep, run_sweep, write_all
    plan = load_sweep("scenarios/sweeps/hallingdal-caps.yaml")   # checked; SweepError if not
    outcomes = run_sweep(plan, backend="local", jobs=2)          # or backend="ray"
    write_all(Path("out"), plan, outcomes)                        # tables, rosters, plots

Submodules: ``spec`` (the sweep file), ``patch`` (dotted paths, add/remove doctors, merge),
``variants`` (expansion and checks), ``run`` (local and Ray backends), ``metrics`` (one
summary row per roster), ``report`` (CSV, Excel, Markdown, PNG).
"""

from __future__ import annotations

from legevakt_opt.sweep.report import summary_frame, write_all
from legevakt_opt.sweep.run import Outcome, run_sweep
from legevakt_opt.sweep.spec import SWEEP_FORMAT, SweepError, SweepSpec, read_sweep, sweep_from_data
from legevakt_opt.sweep.variants import SweepPlan, Variant, expand, load_sweep, plan_from_data

__all__ = [
    "SWEEP_FORMAT",
    "Outcome",
    "SweepError",
    "SweepPlan",
    "SweepSpec",
    "Variant",
    "expand",
    "load_sweep",
    "plan_from_data",
    "read_sweep",
    "run_sweep",
    "summary_frame",
    "sweep_from_data",
    "write_all",
]
