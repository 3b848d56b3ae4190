"""The scale-curve benchmark on its smallest point, and the growth fit on known data."""

from __future__ import annotations

from pathlib import Path

import pytest

from legevakt_opt.bench.scale import fit_growth, run_curve


def test_growth_fit_recovers_a_known_exponent() -> None:
    rows = [{"pairs": n, "unfilled_s": 0.01 * n**1.5} for n in (100, 1000, 10000)]
    assert fit_growth(rows) == pytest.approx(1.5, abs=1e-6)
    assert fit_growth([{"pairs": 10, "unfilled_s": None}]) is None


def test_smallest_point_runs_and_reports(tmp_path: Path) -> None:
    pytest.importorskip("legevakt_opt.generate")
    rows = run_curve([10], [1], time_limit=3, workers=1, out=tmp_path, checkpoints=[1.0])
    (row,) = rows
    assert row["valid"]
    assert row["unfilled_h"] <= row["baseline_unfilled_h"]
    assert row["peak_mb"] > 0 and row["instances"] > 0
    assert (tmp_path / "scale.md").read_text().count("\n") >= 4
    assert (tmp_path / "scale.csv").exists()
