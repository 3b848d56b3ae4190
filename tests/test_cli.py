"""The command line as a user runs it: a real process, real files, exit codes."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from legevakt_opt.scenario import load_scenario
from tests.helpers import MONDAY, day, doctor, scenario_data, shift

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "scenarios" / "small-lis1.yaml"


def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "legevakt_opt", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=300,
    )


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cli") / "roster.json"
    run = cli("solve", SMALL, "--out", out, "--time-limit", "8", "--workers", "1", "--details")
    assert run.returncode == 0, run.stderr
    assert "coverage" in run.stderr and "max burden" in run.stderr
    assert "Doctors" in run.stderr  # --details table
    return out


def test_solve_writes_a_roster_that_validates(solved: Path) -> None:
    roster = json.loads(solved.read_text())
    assert roster["format"] == "legevakt-roster/1"
    assert roster["status"] in ("optimal", "feasible")
    assert roster["assignments"]
    run = cli("validate", SMALL, solved)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.strip().splitlines()[-1].startswith("valid")


def test_solve_to_stdout_is_pure_json(tmp_path: Path) -> None:
    run = cli("solve", SMALL, "--time-limit", "2", "--workers", "1", "--quiet")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["format"] == "legevakt-roster/1"


def test_validate_reports_breaches_with_exit_1(solved: Path, tmp_path: Path) -> None:
    roster = json.loads(solved.read_text())
    first = roster["assignments"][0]
    exempt = "arne"  # the exempt doctor over 60 in small-lis1.yaml
    roster["assignments"].append({**first, "doctor": exempt, "role": "duty"})
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(roster))
    run = cli("validate", SMALL, broken)
    assert run.returncode == 1
    assert "exempt" in run.stdout and exempt in run.stdout
    as_json = cli("validate", SMALL, broken, "--json")
    assert as_json.returncode == 1
    assert not json.loads(as_json.stdout)["valid"]


def test_validate_unreadable_roster_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    run = cli("validate", SMALL, bad)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    missing = cli("validate", SMALL, tmp_path / "nope.json")
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_bad_scenario_gets_its_error_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    text = SMALL.read_text().replace("days: 28", "days: 400", 1)
    assert text != SMALL.read_text()
    bad.write_text(text)
    for command in ("solve", "baseline"):
        run = cli(command, bad)
        assert run.returncode == 2
        assert "horizon.days: 400 must be at most 366" in run.stderr
        assert "Traceback" not in run.stderr
    run = cli("solve", tmp_path / "missing.yaml")
    assert run.returncode == 2 and "no such file" in run.stderr


def test_schema_is_json_schema() -> None:
    run = cli("schema")
    assert run.returncode == 0
    schema = json.loads(run.stdout)
    assert {"horizon", "doctors", "shifts", "policy"} <= set(schema["properties"])


def test_baseline_writes_a_valid_roster(tmp_path: Path) -> None:
    out = tmp_path / "base.json"
    run = cli("baseline", SMALL, "--out", out)
    assert run.returncode == 0, run.stderr
    assert cli("validate", SMALL, out).returncode == 0


# ---------------------------------------------------------------- exit codes


def test_a_scenario_without_doctors_exits_2_naming_the_field(tmp_path: Path) -> None:
    text = SMALL.read_text()
    bad = tmp_path / "no-doctors.yaml"
    bad.write_text(text[: text.index("\ndoctors:")] + "\n")
    run = cli("solve", bad, "--time-limit", "1")
    assert run.returncode == 2
    assert f"{bad}: doctors: is required" in run.stderr
    assert "Traceback" not in run.stderr


def test_solve_exits_2_for_an_out_it_cannot_write_and_for_a_wrong_option(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    run = cli("solve", SMALL, "--time-limit", "1", "--quiet", "--out", blocker / "roster.json")
    assert run.returncode == 2, run.stderr
    assert "cannot write" in run.stderr and "Traceback" not in run.stderr
    wrong = cli("solve", SMALL, "--time-limt", "1")
    assert wrong.returncode == 2 and "No such option" in wrong.stderr


def test_an_unexpected_error_is_one_line_and_exit_3(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from legevakt_opt.cli import main, rostering

    def broken() -> dict[str, object]:
        raise RuntimeError("the schema is broken")

    monkeypatch.setattr(rostering, "scenario_json_schema", broken)
    with pytest.raises(SystemExit) as info:
        main(["schema"])
    assert info.value.code == 3
    err = capsys.readouterr().err
    assert "internal error RuntimeError: the schema is broken" in err
    assert "Traceback" not in err


def test_ctrl_c_during_solve_writes_the_best_roster_so_far(tmp_path: Path) -> None:
    out = tmp_path / "roster.json"
    molde = ROOT / "scenarios" / "molde.yaml"
    proc = subprocess.Popen(
        [sys.executable, "-m", "legevakt_opt", "solve", str(molde), "--time-limit", "120",
         "--workers", "1", "--out", str(out)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert proc.stderr is not None
    for line in proc.stderr:  # wait until the search is under way
        if "level 2" in line:
            break
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    roster = json.loads(out.read_text())
    assert roster["solver"]["cancelled"] is True
    assert cli("validate", molde, out).returncode == 0


# ---------------------------------------------------------------- living rosters


def test_replan_prints_the_changes_and_writes_a_valid_roster(solved: Path, tmp_path: Path) -> None:
    roster = json.loads(solved.read_text())
    ill = max(roster["doctors"], key=lambda d: (roster["doctors"][d]["duties"], d))
    day = sorted(a["date"] for a in roster["assignments"] if a["doctor"] == ill)[0]
    changed = tmp_path / "changed.json"
    data = load_scenario(SMALL).to_document()
    entry = next(d for d in data["doctors"] if d["id"] == ill)
    entry["unavailable"].append({"from": day, "to": day})
    changed.write_text(json.dumps(data, ensure_ascii=False))
    out = tmp_path / "replanned.json"
    run = cli("replan", changed, "--published", solved, "--time-limit", "4", "--out", out)
    assert run.returncode == 0, run.stderr
    assert "Changes (" in run.stderr and "unavailable" in run.stderr
    again = json.loads(out.read_text())
    assert again["changes"] and all(c["reason"] for c in again["changes"])
    assert cli("validate", changed, out).returncode == 0
    frozen = cli(
        "replan", changed, "--published", solved, "--freeze-until", "2027-13-01", "--quiet"
    )
    assert frozen.returncode == 2 and "--freeze-until: '2027-13-01' is not a date" in frozen.stderr


def test_recommend_as_json(solved: Path) -> None:
    roster = json.loads(solved.read_text())
    a = next(x for x in roster["assignments"] if x["role"] == "duty")
    run = cli("recommend", SMALL, solved, "--date", a["date"], "--shift", a["shift"], "--json")
    assert run.returncode == 0, run.stderr
    answer = json.loads(run.stdout)
    assert (answer["date"], answer["shift"], answer["relieves"]) == (
        a["date"],
        a["shift"],
        a["doctor"],
    )
    first = answer["candidates"][0]
    assert set(first) >= {"doctor", "feasible", "blocked_by", "burden_after", "max_burden_after"}
    assert isinstance(answer["swaps"], list)
    bad = cli("recommend", SMALL, solved, "--date", a["date"], "--shift", "nope")
    assert bad.returncode == 2 and "there is no shift 'nope'" in bad.stderr


def test_fixed_duties_that_cannot_hold_exit_4_naming_them(tmp_path: Path) -> None:
    shifts = [shift("natt", "23:00", "08:00"), shift("tidlig", "10:00", "14:00")]
    data = scenario_data(shifts, [doctor("d07"), doctor("d08")], days=3)
    data["fixed"] = [
        {"date": MONDAY, "shift": "natt", "doctor": "d07"},
        {"date": day(1), "shift": "tidlig", "doctor": "d07"},
    ]
    bad = tmp_path / "fixed.json"
    bad.write_text(json.dumps(data))
    run = cli("solve", bad, "--time-limit", "3", "--quiet")
    assert run.returncode == 4, run.stderr
    lines = run.stderr.splitlines()
    assert lines[:3] == [
        "error no roster can satisfy these:",
        f"error fixed[0]: d07 on natt {MONDAY} (duty)",
        f"error fixed[1]: d07 on tidlig {day(1)} (duty)",
    ]
    assert "only 2.0 h rest" in lines[3] and "Traceback" not in run.stderr


def test_solve_with_the_previous_periods_roster_as_history(tmp_path: Path) -> None:
    # Period 1: two days of nights; period 2 starts the morning the last night ends, with a
    # morning shift 2 h later: whoever had that night may not take it.
    shifts = [shift("natt", "23:00", "08:00"), shift("morgen", "10:00", "14:00")]
    first = scenario_data(shifts[:1], [doctor("d1"), doctor("d2")], days=2)
    (tmp_path / "p1.json").write_text(json.dumps(first))
    run = cli(
        "solve", tmp_path / "p1.json", "--quiet", "--time-limit", "3", "--out", tmp_path / "r1.json"
    )
    assert run.returncode == 0, run.stderr
    roster = json.loads((tmp_path / "r1.json").read_text())
    night_doctor = next(a["doctor"] for a in roster["assignments"] if a["date"] == day(1))
    second = scenario_data(shifts, [doctor("d1"), doctor("d2")], days=1, start=day(2))
    second["shifts"] = [shifts[1]]
    (tmp_path / "p2.json").write_text(json.dumps(second))
    run = cli(
        "solve", tmp_path / "p2.json", "--quiet", "--time-limit", "3",
        "--out", tmp_path / "r2.json", "--history", tmp_path / "r1.json",
        "--history-scenario", tmp_path / "p1.json",
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    roster2 = json.loads((tmp_path / "r2.json").read_text())
    [taken] = roster2["assignments"]
    assert taken["doctor"] != night_doctor
    assert set(roster2["doctors"]) == {"d1", "d2"}
    assert all("carry_forward" in f for f in roster2["doctors"].values())
    half = cli("solve", tmp_path / "p2.json", "--history", tmp_path / "r1.json")
    assert half.returncode == 2 and "--history and --history-scenario go together" in half.stderr
