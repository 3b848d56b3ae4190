"""What each level of the engine's ranking got and bought in a run: its share of the run's
time, the value of the roster its stage started from, the value it ended at, and its bound
(issue #15, item 5: the lower levels must earn their time)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from legevakt_opt.roster import SolveResult

COLUMNS = [
    "district",
    "time_limit",
    "level",
    "seconds",
    "share_pct",
    "start",
    "value",
    "bound",
    "bought",
    "bought_pct",
    "proved",
]


def level_rows(district: str, time_limit: float, result: SolveResult) -> list[dict[str, Any]]:
    """One row per level of one engine run."""
    total = sum(lv.seconds for lv in result.levels) or 1.0
    rows = []
    for lv in result.levels:
        bought = None if lv.start is None or lv.value is None else round(lv.start - lv.value, 4)
        rows.append(
            {
                "district": district,
                "time_limit": time_limit,
                "level": lv.name,
                "seconds": round(lv.seconds, 2),
                "share_pct": round(100 * lv.seconds / total, 1),
                "start": lv.start,
                "value": lv.value,
                "bound": lv.bound,
                "bought": bought,
                "bought_pct": None
                if bought is None or not lv.start
                else round(100 * bought / lv.start, 1),
                "proved": lv.proved,
            }
        )
    return rows


def summary_lines(rows: Sequence[dict[str, Any]]) -> list[str]:
    """Per level over all runs: the mean share of the time and how often the stage
    improved on its start."""
    lines = []
    for name in dict.fromkeys(row["level"] for row in rows):
        mine = [row for row in rows if row["level"] == name]
        share = sum(row["share_pct"] for row in mine) / len(mine)
        improved = sum(1 for row in mine if (row["bought"] or 0) > 0)
        mean_pct = [row["bought_pct"] for row in mine if row["bought_pct"] is not None]
        bought = sum(mean_pct) / len(mean_pct) if mean_pct else 0.0
        lines.append(
            f"- {name}: {share:.0f} % of the time on average; improved on its start in "
            f"{improved} of {len(mine)} runs, by {bought:.1f} % of the start on average."
        )
    return lines
