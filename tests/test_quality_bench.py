"""The engine-quality benchmark (benchmarks/quality): the plain model's rosters pass the
validator and its figures are the validator's, the runner writes its reports, the record of
best known values keeps the lower value and the higher bound, and the committed district
files are what the generator makes."""

from __future__ import annotations

import ast
import csv
import json
from pathlib import Path

from benchmarks.quality import best_known, plain
from benchmarks.quality.districts import district, districts, stale
from benchmarks.quality.plain import solve_plain
from benchmarks.quality.runner import RECORD_LEVELS, engine_le_plain, main, run_one


def test_the_plain_model_gives_a_valid_roster_with_the_validators_figures() -> None:
    plain = solve_plain(district("small-lis1").load(), time_limit=2, workers=1)
    result = plain.result
    assert result.valid, [b.message for b in result.validation.breaches]
    unfilled, burden = plain.stages
    figures = result.validation.figures
    assert unfilled.proved and unfilled.value == figures.unfilled_hours == 0
    assert burden.value is not None and burden.bound is not None
    # The model's max burden is rounded up to its unit: one weighted minute (scale 1 here).
    assert figures.max_burden - 1e-6 <= burden.value <= figures.max_burden + 1 / 60 + 1e-6
    assert burden.bound <= burden.value
    assert [lv.name for lv in result.levels] == ["unfilled", "max_burden"]


def test_the_runner_writes_its_reports_and_the_record(tmp_path: Path) -> None:
    record = tmp_path / "best_known.json"
    limits = ["--time-limit", "1", "--workers", "1", "--only", "g08-thin"]
    main([*limits, "--out", str(tmp_path), "--best-known", str(record)])
    rows = list(csv.DictReader((tmp_path / "quality.csv").open(encoding="utf-8")))
    assert [r["model"] for r in rows] == ["engine", "plain"]
    assert all(r["valid"] == "True" for r in rows)
    assert {r["engine_le_plain"] for r in rows} <= {"yes", "no"}
    assert "| g08-thin | 1.0 | plain |" in (tmp_path / "quality.md").read_text(encoding="utf-8")
    entry = json.loads(record.read_text(encoding="utf-8"))["g08-thin"]
    assert entry["unfilled_h"] > 0  # too thin to cover, as it says
    assert not best_known.disagreements(entry)


def test_a_long_run_spends_its_time_on_the_levels_the_record_holds() -> None:
    short = run_one(district("small-lis1"), "engine", 1, 1)
    long = run_one(district("small-lis1"), "engine-long", 1, 1)
    assert "fairness" in [lv["level"] for lv in short["levels"]]
    assert [lv["level"] for lv in long["levels"]] == list(RECORD_LEVELS)
    assert long["valid"] and long["max_burden"] <= short["max_burden"] + 1e-9


def _seen(unfilled: float, burden: float, bound: float | None, *, valid: bool = True,
          counts: bool = True, source: str = "run") -> best_known.Observation:  # fmt: skip
    return best_known.Observation(source, "2026-12-02", valid, unfilled, 0.0, burden, bound, counts)


def test_the_record_keeps_the_lower_value_and_the_higher_bound() -> None:
    entry = best_known.update(None, _seen(2.0, 40.0, 30.0, source="a"))
    assert (entry["max_burden"], entry["max_burden_bound"]) == (40.0, 30.0)
    entry = best_known.update(entry, _seen(2.0, 41.0, 29.0, source="b"))
    assert (entry["max_burden"], entry["max_burden_from"]) == (40.0, "a")
    assert (entry["max_burden_bound"], entry["max_burden_bound_from"]) == (30.0, "a")
    entry = best_known.update(entry, _seen(2.0, 39.0, 31.0, source="c"))
    assert (entry["max_burden"], entry["max_burden_bound"], entry["max_burden_from"]) == (
        39.0,
        31.0,
        "c",
    )
    # Fewer unfilled hours win, even with a higher burden; the bound stays.
    entry = best_known.update(entry, _seen(1.0, 45.0, 20.0, source="d"))
    assert (entry["unfilled_h"], entry["max_burden"], entry["max_burden_bound"]) == (
        1.0,
        45.0,
        31.0,
    )
    # More unfilled hours, an invalid roster, a bound that does not count: nothing changes.
    assert best_known.update(entry, _seen(2.0, 10.0, None)) == entry
    assert best_known.update(entry, _seen(1.0, 10.0, 50.0, valid=False)) == entry
    assert best_known.update(entry, _seen(1.0, 46.0, 50.0, counts=False)) == entry
    assert best_known.disagreements(
        {**entry, "max_burden_bound": 46.0, "max_burden_bound_from": "x"}
    )


def test_the_engine_is_compared_on_unfilled_hours_then_max_burden() -> None:
    row = {"valid": True, "unfilled_h": 0.0, "max_burden": 40.0}
    assert engine_le_plain(row, {**row, "max_burden": 40.0})
    assert not engine_le_plain(row, {**row, "max_burden": 39.0})
    assert engine_le_plain({**row, "max_burden": 99.0}, {**row, "unfilled_h": 1.0})
    assert not engine_le_plain({**row, "valid": False}, row)


def test_the_set_and_its_committed_files() -> None:
    ids = [d.id for d in districts()]
    assert len(ids) == len(set(ids))
    assert {"hallingdal", "molde", "small-lis1", "satellites-video", "vaga-march"} <= set(ids)
    assert sum(i.startswith("g") for i in ids) >= 12
    assert stale() == []


def test_the_plain_model_imports_nothing_of_the_engine() -> None:
    tree = ast.parse(Path(plain.__file__).read_text(encoding="utf-8"))
    names = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    names |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    banned = tuple(f"legevakt_opt.{m}" for m in ("model", "rules", "engine", "baseline"))
    assert not [n for n in names if n.startswith(banned)], names
