"""Running sweeps: local process pool and Ray give the same validated rosters and summary;
tables, rosters and plots are written; the figures are right; the CLI works end to end.

Tiny scenarios, one CP-SAT worker, one second a solve: the whole file runs in well under a
minute on two cores (Ray's local cluster start-up is most of it)."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from openpyxl import load_workbook

from legevakt_opt.calendar import expand
from legevakt_opt.checks import validate_roster
from legevakt_opt.scenario import scenario_from_data
from legevakt_opt.sweep import plan_from_data
from legevakt_opt.sweep.metrics import gap_of, gini, percentile, single_doctor_hours
from legevakt_opt.sweep.report import TIMING, blur_notes, summary_frame, write_all
from legevakt_opt.sweep.run import Outcome, plan_jobs, run_sweep
from legevakt_opt.sweep.variants import SweepPlan
from tests.helpers import doctor, lis1, scenario_data, shift, station

ROOT = Path(__file__).resolve().parents[1]
SOLVE = {"time_limit": 1, "workers": 1, "seed": 0}


def base_data() -> dict[str, Any]:
    """One week, a main station with a two-doctor weekend shift, five doctors (one LIS1)."""
    data = scenario_data(
        [
            shift("kveld", "16:00", "23:00"),
            shift("natt", "23:00", "08:00", kind="on_call"),
            shift("helg", "08:00", "16:00", when=["weekend"], doctors=2),
        ],
        [
            doctor("d1"),
            doctor("d2"),
            doctor("d3", share=0.5),
            doctor("d4", municipality="b"),
            lis1("l1", lis1_completed=True),
        ],
        days=7,
        stations=[station("A", "a")],
        policy={"max_hours_per_week": 30},
    )
    data["municipalities"] = [
        {"id": "a", "name": "A", "population": 3000},
        {"id": "b", "name": "B", "population": 1500},
    ]
    return data


SWEEP = {
    "name": "tiny",
    "vary": {
        "policy.max_hours_per_week": [None, 8],
        "policy.lis1_without_backup": [False, True],
    },
    "labels": {"policy.max_hours_per_week": "cap"},
    "variants": {
        "one-more": {
            "add_doctors": {
                "count": 1,
                "category": "salaried",
                "independent": True,
                "only_shifts": ["natt"],
            }
        }
    },
    "solve": SOLVE,
}


@pytest.fixture(scope="module")
def plan() -> SweepPlan:
    return plan_from_data(SWEEP, base_data())


@pytest.fixture(scope="module")
def local(plan: SweepPlan) -> list[Outcome]:
    seen: list[str] = []
    outcomes = run_sweep(plan, jobs=2, on_outcome=lambda o: seen.append(o.variant.name))
    assert sorted(seen) == sorted(v.name for v in plan.variants)  # progress for each
    return outcomes


def comparable(df: pd.DataFrame) -> pd.DataFrame:
    return df.drop(columns=TIMING)


def test_every_variant_roster_passes_the_validator(plan: SweepPlan, local: list[Outcome]) -> None:
    assert [o.variant.name for o in local] == [v.name for v in plan.variants]  # plan order
    assert len(local) == 6
    for o in local:
        assert o.ok, o.errors
        assert o.roster is not None
        report = validate_roster(scenario_from_data(o.variant.document), o.roster)
        assert report.ok, [b.message for b in report.breaches]


def test_the_summary_answers_the_policy_questions(plan: SweepPlan, local: list[Outcome]) -> None:
    df = summary_frame(plan, local).set_index("variant")
    tight = df.loc["cap=8__lis1_without_backup=false"]
    free = df.loc["cap=none__lis1_without_backup=false"]
    assert tight["unfilled_hours"] > free["unfilled_hours"] == 0
    share = tight["unfilled_hours"] / tight["required_hours"]
    assert tight["unfilled_share"] == pytest.approx(share, abs=1e-4)
    assert df.loc["base", "policy.max_hours_per_week"] == "30"
    assert free["policy.max_hours_per_week"] == "null"
    for col in (
        "max_burden",
        "mean_burden",
        "p90_burden",
        "gini_burden",
        "max_nights",
        "max_weekends",
        "duty_hours_fastlege",
        "duty_hours_lis1",
        "per_1000_a",
        "per_1000_b",
        "single_doctor_hours_A",
        "status",
        "gap",
        "value_max_burden",
        "bound_max_burden",
        "gap_max_burden",
        "gap_fairness",
        "not_told_apart_from",
    ):
        assert col in df.columns, col
    # later levels may only lower the highest burden their stage reached; the bound is below
    assert (df["max_burden"] <= df["value_max_burden"] + 1e-6).all()
    assert (df["bound_max_burden"] <= df["value_max_burden"] + 1e-6).all()
    assert "duty_hours_salaried" in df.columns  # only the added variant has one
    assert df.loc["one-more", "doctors"] == 6
    # The added night doctor holds nights only, and some of them.
    more = next(o for o in local if o.variant.name == "one-more")
    assert more.roster is not None
    held = {a["shift"] for a in more.roster["assignments"] if a["doctor"] == "salaried01"}
    assert held == {"natt"}
    # Duty hours by category add up to the covered hours.
    covered = df["required_hours"] - df["unfilled_hours"]
    duty = df[[c for c in df.columns if c.startswith("duty_hours_")]].fillna(0).sum(axis=1)
    assert duty.round(2).tolist() == covered.round(2).tolist()


def test_outputs_are_written(tmp_path: Path, plan: SweepPlan, local: list[Outcome]) -> None:
    write_all(tmp_path, plan, local)
    csv = pd.read_csv(tmp_path / "summary.csv")
    assert len(csv) == 6 and csv["variant"].tolist()[0] == "base"
    book = load_workbook(tmp_path / "summary.xlsx", read_only=True)
    assert book.sheetnames == ["summary", "burden", "sweep"]
    assert book["summary"].max_row == 7
    md = (tmp_path / "summary.md").read_text()
    table, _, note = md.partition("\n\n")
    assert table.count("\n") == 7 and table.startswith("| variant | cap |")
    # under the table, one line per pair whose figures lie within each other's gaps
    assert note.splitlines() == [f"- {n}" for n in blur_notes(csv)]
    flagged = csv.set_index("variant")["not_told_apart_from"].fillna("")
    for line in note.splitlines():
        first = line.removeprefix("- ").split(" and ")[0]
        assert first in flagged.index and flagged[first], line
    for v in plan.variants:
        roster = json.loads((tmp_path / "rosters" / f"{v.name}.json").read_text())
        scenario = scenario_from_data(
            json.loads((tmp_path / "scenarios" / f"{v.name}.json").read_text())
        )
        assert validate_roster(scenario, roster).ok
    for name in ("unfilled_vs_cap", "burden_boxplot", "base_heatmap"):
        png = tmp_path / "plots" / f"{name}.png"
        data = png.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000, name


def test_ray_backend_gives_the_same_summary(plan: SweepPlan, local: list[Outcome]) -> None:
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        remote = run_sweep(plan, backend="ray")
    finally:
        ray.shutdown()
    assert all(o.ok for o in remote), [o.errors for o in remote]
    pd.testing.assert_frame_equal(
        comparable(summary_frame(plan, remote)), comparable(summary_frame(plan, local))
    )
    for a, b in zip(local, remote, strict=True):
        assert a.roster is not None and b.roster is not None
        assert a.roster["assignments"] == b.roster["assignments"]


def test_a_sweep_over_the_most_duty_dates_in_a_row() -> None:
    """One doctor, a day shift every date of a week: no limit covers it all, at most three
    dates in a row leaves the fourth to a locum (one solve after the other, in process)."""
    base = scenario_data([shift("dag", "08:00", "14:00")], [doctor("d1")], days=7)
    sweep = {
        "vary": {"policy.sequences.max_consecutive_days": [None, 3]},
        "labels": {"policy.sequences.max_consecutive_days": "in_a_row"},
        "include_base": False,
        "solve": SOLVE,
    }
    sweep_plan = plan_from_data(sweep, base)
    outcomes = run_sweep(sweep_plan, jobs=1)
    assert all(o.ok for o in outcomes), [o.errors for o in outcomes]
    df = summary_frame(sweep_plan, outcomes).set_index("variant")
    assert df.loc["in_a_row=none", "unfilled_hours"] == 0
    assert df.loc["in_a_row=3", "unfilled_hours"] == 6
    assert df.loc["in_a_row=3", "policy.sequences.max_consecutive_days"] == "3"


def test_a_failing_variant_is_an_error_not_a_crash(plan: SweepPlan) -> None:
    broken = SweepPlan(plan.spec, None, [plan.variants[0]])
    outcomes = run_sweep(
        broken, jobs=1, options={"workers": 1, "time_limit": 0.5, "no_such_option": 1}
    )
    assert not outcomes[0].ok and "no_such_option" in outcomes[0].errors[0]
    assert summary_frame(broken, outcomes)["status"].tolist() == ["error"]


def test_jobs_times_workers_never_exceeds_the_cores() -> None:
    assert plan_jobs(None, 1, cores=2) == (2, None)
    assert plan_jobs(None, 4, cores=2) == (1, None)
    jobs, note = plan_jobs(4, 2, cores=4)
    assert jobs == 2 and note and "exceeds 4 cores" in note
    assert plan_jobs(1, 1, cores=8) == (1, None)


# ---------------------------------------------------------------- figures


def test_gini_and_percentile() -> None:
    assert gini([5, 5, 5, 5]) == 0
    assert gini([0, 0, 0, 12]) == pytest.approx(0.75)
    assert gini([]) == 0 and gini([0, 0]) == 0
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90) == pytest.approx(9.1)
    assert percentile([4.0], 90) == 4.0


def test_gap_is_the_first_unproved_level() -> None:
    levels = [
        {"name": "unfilled", "value": 0.0, "bound": 0.0, "optimal": True},
        {"name": "max_burden", "value": 50.0, "bound": 40.0, "optimal": False},
        {"name": "fairness", "value": 10.0, "bound": None, "optimal": False},
    ]
    assert gap_of(levels) == ("max_burden", 0.2)
    assert gap_of(levels[:1]) == ("", 0.0)
    assert gap_of(levels[2:]) == ("fairness", None)


def test_single_doctor_hours_from_duty_windows() -> None:
    data = scenario_data(
        [shift("dag", "08:00", "16:00", doctors=2), shift("kveld", "12:00", "20:00")],
        [doctor("d1"), doctor("d2"), doctor("d3")],
        days=1,
        stations=[station("A"), station("B")],
    )
    data["shifts"][1]["station"] = "B"
    cal = expand(scenario_from_data(data))
    day = "2027-01-04"

    def duty(s: str, d: str) -> dict[str, str]:
        return {"date": day, "shift": s, "doctor": d, "role": "duty"}

    # Two on "dag" at A all day: never alone. One on "kveld" at B: alone 8 hours.
    both = single_doctor_hours(cal, [duty("dag", "d1"), duty("dag", "d2"), duty("kveld", "d3")])
    assert both == {"A": 0.0, "B": 8.0}
    # One on "dag" at A: alone 8 hours; backups and video do not count.
    one = single_doctor_hours(cal, [duty("dag", "d1"), {**duty("dag", "d2"), "role": "backup"}])
    assert one == {"A": 8.0, "B": 0.0}


# ---------------------------------------------------------------- command line


def cli(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "legevakt_opt", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        timeout=300,
    )


def test_cli_sweep_writes_everything(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(yaml.safe_dump(base_data()))
    sweep = {
        **SWEEP,
        "base": "base.yaml",
        "vary": {"policy.max_hours_per_week": [None, 8]},
        "variants": {},
    }
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(sweep))
    out = tmp_path / "out"
    run = cli("sweep", tmp_path / "s.yaml", "--out", out, "--jobs", "2")
    assert run.returncode == 0, run.stderr
    assert "3 variants" in run.stderr and "3/3" in run.stderr
    assert len(pd.read_csv(out / "summary.csv")) == 3
    assert (out / "summary.xlsx").stat().st_size > 0
    assert len(list((out / "rosters").glob("*.json"))) == 3
    assert len(list((out / "plots").glob("*.png"))) == 3
    check = cli("validate", out / "scenarios" / "cap=8.json", out / "rosters" / "cap=8.json")
    assert check.returncode == 0, check.stdout + check.stderr


def test_cli_sweep_bad_file_exit_2(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(yaml.safe_dump(base_data()))
    (tmp_path / "s.yaml").write_text(
        "format: legevakt-sweep/1\nbase: base.yaml\nvary: {policy.max_hour_per_week: [1]}\n"
        "variants: {v: {set: {doctors.d1.share: -1}}}\n"
    )
    run = cli("sweep", tmp_path / "s.yaml", "--out", tmp_path / "out")
    assert run.returncode == 2
    lines = [line for line in run.stderr.splitlines() if line.startswith("error")]
    assert len(lines) == 2, run.stderr
    assert "vary.policy.max_hour_per_week: 'max_hour_per_week' is not a field" in lines[0]
    assert "variant v: doctors[0].share: -1 must be greater than 0" in lines[1]
    assert not (tmp_path / "out").exists()


def test_summary_files_hold_user_text_as_text(
    tmp_path: Path, plan: SweepPlan, local: list[Outcome]
) -> None:
    # The sweep's name and a variant's description are anyone's text (the service takes
    # sweeps from every district user); no file may turn them into a formula or a column.
    evil = '=HYPERLINK("http://example.invalid","klikk")'
    renamed = dataclasses.replace(plan, spec=plan.spec.model_copy(update={"name": evil}))
    outcomes = [dataclasses.replace(o, variant=dataclasses.replace(o.variant)) for o in local]
    outcomes[-1].variant.description = "@SUM(1) | pipe"
    write_all(tmp_path, renamed, outcomes)
    text = (tmp_path / "summary.csv").read_text(encoding="utf-8")
    assert "'@SUM(1) | pipe" in text and "\n@SUM" not in text and ",@SUM" not in text
    book = load_workbook(tmp_path / "summary.xlsx")
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    settings = {r[0]: r[1] for r in book["sweep"].iter_rows(values_only=True)}
    assert settings["sweep"] == evil
    table, _, note = (tmp_path / "summary.md").read_text(encoding="utf-8").partition("\n\n")
    md = table.splitlines()
    pipes = [line.replace("\\|", "").count("|") for line in md]
    assert pipes == [pipes[0]] * len(md)
    assert all(line.replace("\\|", "").count("|") == 0 for line in note.splitlines())
