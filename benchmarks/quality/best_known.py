"""``best_known.json``: per district, the best roster and the best bounds any run has seen.

- ``unfilled_h``: the fewest unfilled hours of a valid roster, and ``unfilled_bound`` the
  highest bound on them (equal: proved minimal);
- ``max_burden``: the lowest max burden of a valid roster *at those unfilled hours* (a run
  with fewer unfilled hours replaces it, even with a higher burden), with the run and date
  it came from;
- ``max_burden_bound``: the highest valid bound on the max burden at minimal unfilled
  hours: a bound the engine reported, or the plain model's stage-2 bound when its stage 1
  proved the unfilled hours minimal.

Max-burden bounds are on the burden rounded up to the models' unit (one weighted minute ÷
the weight scale), so a bound may lie above the exact best value by less than that unit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PATH = Path(__file__).resolve().parent / "best_known.json"
EPS = 1e-6
#: How far a bound may lie above the best value before the two are said to disagree.
UNIT_TOLERANCE = 1 / 60 + 1e-6


@dataclass(frozen=True)
class Observation:
    """What one run gives the record (hours; weighted hours per share)."""

    source: str  # "engine 30 s × 2 workers, seed 0"
    date: str
    valid: bool
    unfilled_h: float
    unfilled_bound: float | None
    max_burden: float
    max_burden_bound: float | None
    #: Whether ``max_burden_bound`` may enter the record (see the module's docstring).
    bound_counts: bool


def update(entry: dict[str, Any] | None, obs: Observation) -> dict[str, Any]:
    """The record after ``obs``: lower values and higher bounds win; an invalid roster
    changes nothing."""
    out = dict(entry or {})
    if not obs.valid:
        return out
    best = out.get("unfilled_h")
    if best is None or obs.unfilled_h < best - EPS:
        out.update(unfilled_h=obs.unfilled_h, unfilled_from=obs.source, unfilled_date=obs.date)
        out.update(max_burden=obs.max_burden, max_burden_from=obs.source, max_burden_date=obs.date)
    elif abs(obs.unfilled_h - best) <= EPS and obs.max_burden < out["max_burden"] - EPS:
        out.update(max_burden=obs.max_burden, max_burden_from=obs.source, max_burden_date=obs.date)
    for key, value, counts in (
        ("unfilled_bound", obs.unfilled_bound, True),
        ("max_burden_bound", obs.max_burden_bound, obs.bound_counts),
    ):
        if counts and value is not None and value > out.get(key, float("-inf")) + EPS:
            out.update({key: value, f"{key}_from": obs.source, f"{key}_date": obs.date})
    return out


def disagreements(entry: dict[str, Any]) -> list[str]:
    """Bounds above the best values: a model or a bound is wrong."""
    out = []
    for value, bound, slack in (
        ("unfilled_h", "unfilled_bound", EPS),
        ("max_burden", "max_burden_bound", UNIT_TOLERANCE),
    ):
        if value in entry and bound in entry and entry[bound] > entry[value] + slack:
            out.append(
                f"{bound} {entry[bound]} ({entry[f'{bound}_from']}) > {value} {entry[value]}"
            )
    return out


def load(path: Path = PATH) -> dict[str, dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def save(record: dict[str, dict[str, Any]], path: Path = PATH) -> None:
    text = json.dumps(dict(sorted(record.items())), indent=2, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")
