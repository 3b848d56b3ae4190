"""What every benchmark report shares: the machine line, CSV and Markdown tables, and the
engine's figures beside the hand method's."""

from __future__ import annotations

import csv
import os
import platform
import time
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any


def machine_line() -> str:
    """When and where a benchmark ran, for the head of its report."""
    return (
        f"run {time.strftime('%Y-%m-%d %H:%M')} on {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, ortools {version('ortools')}"
    )


def write_report(
    out: Path,
    stem: str,
    rows: Sequence[dict[str, Any]],
    head: Sequence[str],
    columns: Sequence[str] | None = None,
) -> None:
    """``out/stem.csv`` with every field, and ``out/stem.md``: the head lines, then a table of
    ``columns`` (default: all)."""
    out.mkdir(parents=True, exist_ok=True)
    keys = list(dict.fromkeys(k for row in rows for k in row))
    with (out / f"{stem}.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=keys)
        writer.writeheader()
        writer.writerows(rows)
    cols = list(columns or keys)
    lines = [
        *head,
        "",
        "| " + " | ".join(cols) + " |",
        "|" + "---|" * len(cols),
        *("| " + " | ".join(str(row.get(c)) for c in cols) + " |" for row in rows),
    ]
    (out / f"{stem}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def against_baseline(result: Any, base: Any) -> dict[str, Any]:
    """The engine's unfilled hours and max burden beside the hand method's, with the ratio."""
    ratio = result.figures.max_burden / base.figures.max_burden if base.figures.max_burden else None
    return {
        "valid": result.valid and base.valid,
        "unfilled_h": result.figures.unfilled_hours,
        "baseline_unfilled_h": base.figures.unfilled_hours,
        "max_burden": result.figures.max_burden,
        "baseline_max_burden": base.figures.max_burden,
        "max_burden_vs_baseline": None if ratio is None else round(ratio, 4),
    }
