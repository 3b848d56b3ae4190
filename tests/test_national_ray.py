"""Ray, for real, and a national run that goes on where it stopped.

A Ray cluster on this machine, started once for the module: a head without CPUs (the
driver's node) and two worker nodes of one CPU each. A worker node killed (its raylet and
its worker processes, SIGKILL) while one of its solves runs: the solve runs again on the
other node, and the report is the one of an undisturbed local run. A run interrupted after
two solves, then resumed with ``--resume`` on the cluster: the two saved results are kept
untouched and only the other two are solved. A folder of another national file is refused.

Vestfold's four districts × three caps (one county × 3 cap values, as the local test runs),
one week, 0.2 s and one CP-SAT worker a solve (deterministic time: every backend gives the
same rosters)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

import legevakt_opt.sweep.run as sweep_run
from legevakt_opt.cli import app
from legevakt_opt.national.run import load_national
from legevakt_opt.national.store import RUN_FILE, open_store
from legevakt_opt.sweep.report import TIMING

ray = pytest.importorskip("ray")
ray_constants = pytest.importorskip("ray._private.ray_constants")

SPEC: dict[str, Any] = {
    "format": "legevakt-national/1",
    "name": "Vestfold",
    "districts": {"counties": ["Vestfold"]},
    "seed": 0,
    "start": "2027-01-04",
    "weeks": 1,
    "vary": {"policy.max_hours_per_week": [None, 21, 14]},
    "labels": {"policy.max_hours_per_week": "cap"},
    "solve": {"time_limit": 0.2, "workers": 1, "seed": 0, "levels": ["unfilled", "max_burden"]},
}
SOLVES = 12  # Vestfold's 4 districts × 3 caps: one county × 3 cap values
#: The head tells a dead node from a slow one after two missed health checks of half a
#: second (Ray's default: five of three seconds), so a solve lost with its node is retried
#: about a second after, not fifteen.
DEATH_NOTICE = {"health_check_period_ms": 500, "health_check_failure_threshold": 2}


def cli(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result.exit_code, result.output


def comparable(out: Path) -> pd.DataFrame:
    return pd.read_csv(out / "results.csv").drop(columns=TIMING)


def logged_solves(log: Path, stop_after: int | None = None) -> Callable[..., dict[str, Any]]:
    """``solve_document`` that writes a line to ``log`` as each attempt starts and ends
    (which solve, on which Ray node), in a Ray task as in the driver; with ``stop_after``
    the attempt after that many ends is a Ctrl-C. A closure, so that Ray ships it by value:
    in a task it calls the task process's own ``solve_document``."""
    path = str(log)

    def logged(document: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
        import ray  # in a task: the node it runs on

        import legevakt_opt.sweep.run as module  # the unpatched one, in a task

        real = getattr(module, "_unlogged_solve_document", module.solve_document)
        node = ray.get_runtime_context().get_node_id() if ray.is_initialized() else "-"
        text = json.dumps(document, sort_keys=True, default=str)
        key = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
        with open(path, "a", encoding="utf-8") as f:
            f.write(f"start {key} {node} {time.time():.3f}\n")
        if stop_after is not None:  # (no helpers of this module: a task cannot import it)
            with open(path, encoding="utf-8") as f:
                if sum(line.startswith("end ") for line in f) >= stop_after:
                    raise KeyboardInterrupt
        payload: dict[str, Any] = real(document, options)
        with open(path, "a", encoding="utf-8") as f:
            f.write(f"end {key} {node} {time.time():.3f}\n")
        return payload

    return logged


def attempts(log: Path, what: str) -> list[tuple[str, str]]:
    """(solve, node) of every attempt's start or end line so far."""
    if not log.exists():
        return []
    lines = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
    return [(line[1], line[2]) for line in lines if len(line) == 4 and line[0] == what]


def log_solves(monkeypatch: pytest.MonkeyPatch, log: Path, stop_after: int | None = None) -> None:
    real = getattr(sweep_run, "_unlogged_solve_document", sweep_run.solve_document)
    monkeypatch.setattr(sweep_run, "_unlogged_solve_document", real, raising=False)
    monkeypatch.setattr(sweep_run, "solve_document", logged_solves(log, stop_after))


def descendants(pid: int) -> list[int]:
    """Every process under ``pid`` (from /proc)."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        children = parents.get(todo.pop(), [])
        found += children
        todo += children
    return found


def kill_node(cluster: Any, node: Any) -> None:
    """A node dies: its raylet and every process under it (the worker running a solve)
    killed at once, then the rest of the node's processes."""
    raylet = node.all_processes[ray_constants.PROCESS_TYPE_RAYLET][0].process.pid
    for pid in [raylet, *descendants(raylet)]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    cluster.remove_node(node, allow_graceful=False)


@pytest.fixture(scope="module")
def national_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("spec") / "two-districts.json"
    path.write_text(json.dumps(SPEC), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def reference(national_file: Path, tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    """The undisturbed run: local backend, one solve after the other."""
    out = tmp_path_factory.mktemp("reference")
    code, output = cli("national", national_file, "--out", out, "--jobs", "1")
    assert code == 0, output
    df = comparable(out)
    assert len(df) == SOLVES and set(df["status"]) <= {"optimal", "feasible"}
    return df


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    from ray.cluster_utils import Cluster

    assert not ray.is_initialized()
    head = {"num_cpus": 0, "include_dashboard": False, "_system_config": DEATH_NOTICE}
    c = Cluster(initialize_head=True, head_node_args=head)
    try:
        for _ in range(2):
            c.add_node(num_cpus=1)
        c.wait_for_nodes()
        ray.init(address=c.address, log_to_driver=False, logging_level=logging.WARNING)
        yield c
    finally:
        ray.shutdown()
        c.shutdown()


def test_a_node_killed_mid_run_its_solve_runs_elsewhere(
    cluster: Any,
    national_file: Path,
    reference: pd.DataFrame,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    while len(cluster.worker_nodes) < 2:  # whatever ran before, two worker nodes
        cluster.add_node(num_cpus=1)
    cluster.wait_for_nodes()
    log, out = tmp_path / "attempts.log", tmp_path / "out"
    log_solves(monkeypatch, log)
    killed: dict[str, str] = {}
    stop = threading.Event()

    def kill_a_busy_node() -> None:
        """Once a result is saved, kill a worker node while a solve runs on it."""
        while not stop.is_set():
            if any((out / "results").glob("*.json")):
                ended = set(attempts(log, "end"))
                running = [a for a in attempts(log, "start") if a not in ended]
                for node in list(cluster.worker_nodes):
                    busy = [key for key, on in running if on == node.node_id]
                    if busy:
                        killed.update(node=node.node_id, solve=busy[0])
                        kill_node(cluster, node)
                        with log.open("a", encoding="utf-8") as f:
                            f.write(f"killed {busy[0]} {node.node_id} {time.time():.3f}\n")
                        return
            time.sleep(0.005)

    killer = threading.Thread(target=kill_a_busy_node, daemon=True)
    killer.start()
    try:
        code, output = cli("national", national_file, "--out", out, "--backend", "ray")
    finally:
        stop.set()
        killer.join(timeout=60)
    assert killed, "no worker node was busy once a result had arrived"
    assert code == 0, output
    assert f"{SOLVES}/{SOLVES}" in output and "0 failed" in output
    # The killed node's solve never ended there; it started again elsewhere and ended.
    starts, ends = attempts(log, "start"), attempts(log, "end")
    assert (killed["solve"], killed["node"]) not in ends
    again = [node for key, node in starts if key == killed["solve"] and node != killed["node"]]
    assert again and (killed["solve"], again[-1]) in ends
    assert len({key for key, _ in ends}) == SOLVES
    pd.testing.assert_frame_equal(comparable(out), reference)


def test_an_interrupted_run_resumed_solves_only_the_rest(
    cluster: Any,
    national_file: Path,
    reference: pd.DataFrame,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    log, out = tmp_path / "attempts.log", tmp_path / "out"
    log_solves(monkeypatch, log, stop_after=2)  # Ctrl-C as the third solve starts
    code, output = cli("national", national_file, "--out", out, "--jobs", "1")
    assert code == 130, output
    assert f"interrupted: 2 of {SOLVES} solves are saved in {out}/results/" in output
    assert not (out / "results.csv").exists()
    saved = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in (out / "results").iterdir()}
    assert len(saved) == 2 and all(name.endswith(".json") for name in saved)

    log.unlink()
    log_solves(monkeypatch, log)
    code, output = cli("national", national_file, "--out", out, "--backend", "ray", "--resume")
    assert code == 0, output
    assert f"resuming: 2 solves kept from {out}/results/, {SOLVES - 2} to solve" in output
    assert f"{SOLVES}/{SOLVES}" in output
    ends = attempts(log, "end")
    assert len(ends) == SOLVES - 2 == len(attempts(log, "start"))  # only the rest was solved
    workers = {node.node_id for node in cluster.worker_nodes}
    assert {node for _, node in ends} <= workers  # in Ray tasks on the worker nodes
    now = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in (out / "results").iterdir()}
    assert len(now) == SOLVES
    assert {name: now[name] for name in saved} == saved  # untouched
    pd.testing.assert_frame_equal(comparable(out), reference)
    # The kept solves' rows are the saved ones (their timings too).
    results = pd.read_csv(out / "results.csv")
    for data in (json.loads(d) for _, d in saved.values()):
        row = results[
            (results["district"] == data["district"]) & (results["variant"] == data["variant"])
        ]
        assert row["seconds"].tolist() == [data["seconds"]]


def test_a_folder_of_another_national_file_is_refused(national_file: Path, tmp_path: Path) -> None:
    """With or without --resume: two runs are never mixed (nothing is solved here)."""
    other = tmp_path / "other.json"
    other.write_text(json.dumps({**SPEC, "seed": 1}), encoding="utf-8")
    out = tmp_path / "out"
    open_store(out, load_national(other), resume=False)
    before = (out / RUN_FILE).read_bytes()
    for flags in ([], ["--resume"]):
        code, output = cli("national", national_file, "--out", out, *flags)
        errors = [line for line in output.splitlines() if line.startswith("error")]
        assert code == 2 and len(errors) == 1, output
        assert errors[0].startswith(f"error {out}: holds a run of another national file")
        assert "use another --out or remove the folder" in errors[0]
    assert (out / RUN_FILE).read_bytes() == before
    assert not (out / "results.csv").exists()
