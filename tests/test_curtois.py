"""The Curtois & Qu benchmark: reader, mapping onto the rule modules, independent checker."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from legevakt_opt.bench.curtois import (
    CurtoisFormatError,
    portfolio,
    read_instance,
    solve_instance,
)
from legevakt_opt.bench.curtois_check import check_solution
from legevakt_opt.bench.curtois_model import CurtoisModel, moves
from legevakt_opt.bench.curtois_run import BEST_KNOWN, default_folder
from legevakt_opt.cli import app
from legevakt_opt.engine.lns import Worst

FOLDER = default_folder()
pytestmark = pytest.mark.skipif(not FOLDER.is_dir(), reason="shared/benchmarks/curtois not found")


@pytest.fixture(scope="module")
def instance1_solution() -> tuple[object, dict]:
    inst = read_instance(FOLDER / "Instance1.txt")
    return inst, solve_instance(inst, time_limit=30, workers=2, seed=0)


def test_reader_reads_every_section() -> None:
    inst = read_instance(FOLDER / "Instance1.txt")
    assert inst.days == 14
    assert inst.lengths == {"D": 480}
    assert len(inst.staff) == 8
    a = inst.staff[0]
    assert (a.id, a.max_shifts, a.max_minutes, a.min_minutes) == ("A", {"D": 14}, 4320, 3360)
    assert (a.max_consecutive, a.min_consecutive, a.min_days_off, a.max_weekends) == (5, 2, 2, 1)
    assert inst.days_off["A"] == {0}
    assert ("A", 2, "D", 2) in inst.on_requests
    assert inst.cover and inst.weekends == [(5, 6), (12, 13)]


def test_instance1_reaches_the_published_optimum(instance1_solution: tuple) -> None:
    inst, result = instance1_solution
    assert result["objective"] == BEST_KNOWN[1][1] == 607
    assert result["status"] == "optimal"
    report = check_solution(inst, result["assignments"])
    assert report.ok, report.breaches
    assert report.objective == 607


def test_checker_catches_breaches(instance1_solution: tuple) -> None:
    inst, result = instance1_solution
    plan = result["assignments"]
    worked = {(a["employee"], a["day"]) for a in plan}
    # A day off that is worked.
    emp, off_day = "A", next(iter(inst.days_off["A"]))
    assert not check_solution(inst, [*plan, {"employee": emp, "day": off_day, "shift": "D"}]).ok
    # Two shifts on one day.
    assert not check_solution(inst, [*plan, plan[0]]).ok
    # Too many weekends: give someone every weekend day they do not already work.
    extra = [
        {"employee": "B", "day": d, "shift": "D"}
        for sat, sun in inst.weekends
        for d in (sat, sun)
        if ("B", d) not in worked and d not in inst.days_off.get("B", set())
    ]
    report = check_solution(inst, plan + extra)
    assert any("weekends" in b or "in a row" in b or "min" in b for b in report.breaches)
    # Dropping every assignment costs the full cover and on-request penalties.
    empty = check_solution(inst, [])
    assert empty.objective > 607


def test_bad_instance_file_gets_a_precise_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("SECTION_HORIZON\nfourteen\n")
    with pytest.raises(CurtoisFormatError, match="horizon 'fourteen' is not a whole number"):
        read_instance(bad)
    staff = tmp_path / "staff.txt"
    staff.write_text("SECTION_HORIZON\n14\nSECTION_SHIFTS\nD,480,\nSECTION_STAFF\nA,D=14,4320\n")
    with pytest.raises(CurtoisFormatError, match="8 fields"):
        read_instance(staff)


def test_a_time_cut_solution_scores_exactly_what_the_checker_scores() -> None:
    """Penalty variables are exact, so even an unproven solution reports its true cost
    (they were once one-sided, and Instance12 reported 28,292 for a 21,323 roster)."""
    inst = read_instance(FOLDER / "Instance2.txt")  # solutions come fast; proofs do not
    result = solve_instance(inst, time_limit=3, workers=2, method="lns")
    assert result["objective"] is not None
    assert result["start"] is not None  # the greedy first roster
    report = check_solution(inst, result["assignments"])
    assert report.ok, report.breaches[:3]
    assert report.objective == result["objective"]


def test_large_neighbourhood_search_improves_the_full_solve_and_checks_valid() -> None:
    """The full model for a moment (its first solution and bound), then LNS over employees,
    windows of days and blocks of both from its best: the roster the LNS returns passes
    the independent checker at the objective it reports."""
    inst = read_instance(FOLDER / "Instance2.txt")
    result = solve_instance(
        inst, time_limit=1, workers=1, full_share=0.1, deterministic=True, method="lns"
    )
    assert result["lns"] is not None and result["lns"]["iterations"] > 0
    assert result["objective"] <= result["lns"]["start"]
    report = check_solution(inst, result["assignments"])
    assert report.ok, report.breaches[:3]
    assert report.objective == result["objective"]


def test_a_small_instance_gets_the_full_model_alone() -> None:
    """Up to 28 days and under 50 staff the full model has the whole time: no greedy start,
    no LNS (it did best on Instances 4-7, 9 and 10)."""
    inst = read_instance(FOLDER / "Instance1.txt")
    result = solve_instance(inst, time_limit=5, workers=1)
    assert result["start"] is None and result["lns"] is None
    assert result["status"] == "optimal" and result["objective"] == 607


def test_the_portfolio_gives_few_workers_the_max_lp_subsolver() -> None:
    """With 1-3 workers the full-problem slot goes to max_lp (the default one's LP bound
    stayed near 0 on Instances 5-12); from 4 workers CP-SAT picks its own portfolio."""
    assert portfolio(1) == portfolio(2) == ["max_lp"]
    assert portfolio(3) == ["max_lp", "reduced_costs"]
    assert portfolio(8) == []


def test_extra_parameters_replace_the_portfolio_and_bad_ones_are_refused() -> None:
    inst = read_instance(FOLDER / "Instance1.txt")
    result = solve_instance(inst, time_limit=10, workers=2, parameters='subsolvers: "default_lp"')
    assert result["objective"] == 607
    with pytest.raises(ValueError, match="not valid CP-SAT parameters"):
        solve_instance(inst, time_limit=1, workers=1, parameters="no_such_parameter: 1")


def test_cli_refuses_bad_parameters_with_exit_2() -> None:
    runner = CliRunner()
    result = runner.invoke(
        app, ["bench", "curtois", str(FOLDER / "Instance1.txt"), "--params", "nonsense: 1"]
    )
    assert result.exit_code == 2
    assert "not valid CP-SAT parameters" in result.output


def test_the_dearest_days_move_ranks_days_by_their_cover_penalty(
    instance1_solution: tuple,
) -> None:
    """The LNS move that frees the days dearest in cover penalty ranks them by what the
    roster's cover costs on each day, counted here from the assignments alone."""
    inst, result = instance1_solution
    cm = CurtoisModel(inst)
    values = [0] * len(cm.model.proto.variables)
    have: dict[tuple[int, str], int] = {}
    # A roster with its cover short or over on some days: every second day's shifts dropped.
    kept = [a for a in result["assignments"] if a["day"] % 2 == 0 or a["employee"] == "A"]
    for a in kept:
        values[cm.x[a["employee"], a["day"], a["shift"]].index] = 1
        have[a["day"], a["shift"]] = have.get((a["day"], a["shift"]), 0) + 1
    cost = [0] * inst.days
    for d, s, required, under, over in inst.cover:
        n = have.get((d, s), 0)
        cost[d] += under * max(0, required - n) + over * max(0, n - required)
    (dearest,) = [mv for mv in moves(cm) if mv.name == "dearest days"]
    assert isinstance(dearest.policy, Worst) and dearest.policy.first
    ranked = list(dearest.policy.rank(values))
    assert sorted(ranked) == list(range(inst.days))
    assert [cost[d] for d in ranked] == sorted(cost, reverse=True) and max(cost) > 0
