"""Sweeps over HTTP against a real server: a sweep on a stored scenario (with a merge) runs in
the worker pool and gives the command line's files (summary CSV and Excel with the CLI's
columns, valid rosters, PNG plots); bad sweeps get 422 naming the field; districts are
tenants; cancel (running and queued) and the shared queue's 429; a SIGKILLed server's sweep
goes on after the variants it had finished; and a 0001 database is upgraded with its rows.

The server starts on a database at migration 0001 that already holds a token, a scenario
and a finished solve, so every run of this module also checks the 0001 → 0002 upgrade.
One piece because every test uses that one server and its upgraded database."""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, select, text

from legevakt_opt.checks import validate_roster
from legevakt_opt.scenario import scenario_from_data
from legevakt_opt.sweep.patch import host_municipality
from legevakt_opt.sweep.report import TIMING, summary_frame
from legevakt_opt.sweep.run import evaluate
from legevakt_opt.sweep.variants import SweepPlan, plan_from_data
from service.auth import hash_token
from service.db import MIGRATIONS, Database, upgrade
from service.models import Job
from tests.service.svc_harness import Server, db_kinds, fresh_database, running_server, scenario_doc

SETTINGS = {
    "pool_size": 1,
    "queue_size": 2,
    "max_time_limit": 30,
    "max_solve_workers": 1,
    "max_sweep_variants": 6,
    "max_doctors": 30,
    "progress_interval": 0.2,
    "lease_seconds": 3,  # the SIGKILLed server's sweep waits out its lease
}
FINISHED = ("done", "failed", "cancelled")
PNG = b"\x89PNG\r\n\x1a\n"
NO_ID = "0123456789abcdef0123456789abcdef"
LEGACY_TOKEN = "lv_legacy-token-made-before-the-upgrade"
LEGACY_JOB = "00000000000000000000000000000001"
LEGACY_SCENARIO = "00000000000000000000000000000002"
#: Tiny solves: small-lis1 with one CP-SAT worker and 0.2 s of deterministic time takes
#: about 0.7 s a variant (model, hand-method start, search), merged with itself 1.4 s.
SOLVE = {"time_limit": 0.2, "workers": 1, "seed": 0}


# ---------------------------------------------------------------- a 0001 database, then a server


def _insert(conn: Connection, table: str, **values: Any) -> None:
    """A row by plain column names (the models know 0002's columns, a 0001 table does not)."""
    types: dict[type, Any] = {dict: sa.JSON(), dt.datetime: sa.DateTime(timezone=True)}
    columns: list[sa.ColumnClause[Any]] = [
        sa.column(k, types.get(type(v))) for k, v in values.items()
    ]
    conn.execute(sa.table(table, *columns).insert().values(**values))


def legacy_database(kind: str, folder: Path) -> str:
    """A database at migration 0001 with a token, a scenario and a finished solve in it."""
    url = fresh_database(kind, folder)
    db = Database(url)
    try:
        upgrade(db, "0001")
        doc = scenario_doc("small-lis1")
        now = dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC)
        roster = {"format": "legevakt-roster/1", "assignments": [], "legacy": True}
        with db.engine.begin() as conn:
            _insert(
                conn,
                "tokens",
                district="sweeps",
                token_hash=hash_token(LEGACY_TOKEN),
                created_at=now,
            )
            _insert(
                conn,
                "scenarios",
                id=LEGACY_SCENARIO,
                district="sweeps",
                name="legacy",
                document=doc,
                doctors=7,
                instances=64,
                created_at=now,
            )
            _insert(
                conn,
                "jobs",
                id=LEGACY_JOB,
                district="sweeps",
                scenario_id=LEGACY_SCENARIO,
                scenario_name="legacy",
                scenario_document=doc,
                status="done",
                time_limit=5.0,
                seed=0,
                workers=1,
                created_at=now,
                started_at=now,
                finished_at=now,
                cancel_requested=False,
                attempts=1,
                roster_status="optimal",
            )
            _insert(conn, "rosters", job_id=LEGACY_JOB, document=roster, created_at=now)
    finally:
        db.dispose()
    return url


@pytest.fixture(scope="module", params=db_kinds())
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp(f"sweeps-{request.param}")
    url = legacy_database(request.param, folder)
    with running_server(url, folder, **SETTINGS) as srv:
        yield srv


@pytest.fixture(scope="module")
def api(server: Server) -> Iterator[httpx.Client]:
    with server.client(LEGACY_TOKEN) as client:
        yield client


@pytest.fixture(scope="module")
def lis1_id(api: httpx.Client) -> str:
    r = api.post("/v1/scenarios", json=scenario_doc("small-lis1"))
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def sweep_body(base: Any, **fields: Any) -> dict[str, Any]:
    return {"format": "legevakt-sweep/1", "base": base, "solve": dict(SOLVE), **fields}


def wait_sweep(
    api: httpx.Client,
    sweep_id: str,
    test: Callable[[dict[str, Any]], bool] = lambda s: s["status"] in FINISHED,
    timeout: float = 90,
) -> dict[str, Any]:
    """Poll a sweep until ``test(sweep)`` holds; its last state."""
    deadline = time.monotonic() + timeout
    while True:
        r = api.get(f"/v1/sweeps/{sweep_id}")
        assert r.status_code == 200, r.text
        sweep: dict[str, Any] = r.json()
        if test(sweep):
            return sweep
        assert time.monotonic() < deadline, f"condition never held: {sweep}"
        time.sleep(0.1)


def _idle(api: httpx.Client) -> None:
    """Wait until nothing of this district is queued or running (the tests share the pool)."""
    deadline = time.monotonic() + 90
    while any(
        j["status"] in ("queued", "running")
        for path in ("/v1/solves", "/v1/sweeps")
        for j in api.get(path).json()
    ):
        assert time.monotonic() < deadline
        time.sleep(0.1)


# ---------------------------------------------------------------- the upgraded database


def test_upgrade_from_0001_keeps_the_rows(server: Server, api: httpx.Client) -> None:
    job = api.get(f"/v1/solves/{LEGACY_JOB}").json()
    assert (job["status"], job["scenario_id"], job["roster_status"]) == (
        "done",
        LEGACY_SCENARIO,
        "optimal",
    )
    assert api.get(f"/v1/solves/{LEGACY_JOB}/roster").json()["legacy"] is True
    assert api.get(f"/v1/scenarios/{LEGACY_SCENARIO}").json()["document"] == scenario_doc(
        "small-lis1"
    )
    assert api.get(f"/v1/sweeps/{LEGACY_JOB}").status_code == 404  # a solve, not a sweep
    db = Database(server.database_url)
    try:
        with db.read() as session:
            version = session.scalar(text("SELECT version_num FROM alembic_version"))
            assert version == ScriptDirectory(str(MIGRATIONS)).get_current_head()
            job = session.get(Job, LEGACY_JOB)
            assert job is not None and job.kind == "solve"
            assert job.replan is None and job.conflicts is None  # 0003 kept the old solve
    finally:
        db.dispose()


def test_migration_0002_down_and_up(tmp_path: Path) -> None:
    """Downgrading drops the sweeps and keeps the solves; upgrading again is clean."""
    from alembic import command
    from alembic.config import Config

    from service.db import MIGRATIONS

    url = legacy_database("sqlite", tmp_path)
    db = Database(url)
    try:
        upgrade(db)
        with db.engine.begin() as conn:
            _insert(
                conn,
                "jobs",
                id=NO_ID,
                district="sweeps",
                kind="sweep",
                scenario_name="s",
                scenario_document={},
                status="queued",
                time_limit=1.0,
                seed=0,
                workers=1,
                created_at=dt.datetime.now(dt.UTC),
                cancel_requested=False,
                attempts=0,
            )
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0001")
        with db.engine.connect() as conn:
            assert "sweeps" not in inspect(conn).get_table_names()
            ids = conn.execute(text("SELECT id FROM jobs")).scalars().all()
            assert ids == [LEGACY_JOB]
            assert conn.execute(text("SELECT count(*) FROM rosters")).scalar() == 1
        upgrade(db)
        with db.read() as session:
            assert session.scalars(select(Job.kind)).all() == ["solve"]
    finally:
        db.dispose()


# ---------------------------------------------------------------- a sweep, end to end


@pytest.fixture(scope="module")
def done_sweep(api: httpx.Client, lis1_id: str) -> dict[str, Any]:
    """Base + a capped grid variant + the scenario merged with itself: 3 variants."""
    body = sweep_body(
        {"scenario_id": lis1_id},
        name="vaga caps",
        vary={"policy.max_hours_per_week": [20]},
        labels={"policy.max_hours_per_week": "cap"},
        variants={"merged": {"description": "twice", "merge": {"scenario_id": lis1_id}}},
    )
    r = api.post("/v1/sweeps", json=body)
    assert r.status_code == 202, r.text
    assert r.headers["location"] == f"/v1/sweeps/{r.json()['id']}"
    seen: set[tuple[int, str | None]] = set()

    def finished(sweep: dict[str, Any]) -> bool:
        if sweep["status"] == "running":
            seen.add((sweep["variants_done"], sweep["current_variant"]))
        return sweep["status"] in FINISHED

    sweep = wait_sweep(api, r.json()["id"], finished)
    assert sweep["status"] == "done", sweep
    assert {(0, "base"), (1, "cap=20"), (2, "merged")} & seen, seen  # progress was shown
    return sweep


def local_plan(lis1: dict[str, Any]) -> SweepPlan:
    """The same sweep planned here by the library (as ``legevakt-opt sweep`` would)."""
    full = scenario_from_data(lis1).to_document()
    data = {
        "name": "vaga caps",
        "vary": {"policy.max_hours_per_week": [20]},
        "labels": {"policy.max_hours_per_week": "cap"},
        "variants": {"merged": {"description": "twice", "merge": ["lis1"]}},
        "solve": SOLVE,
    }
    return plan_from_data(data, lis1, load_merge=lambda _: (host_municipality(full), full))


def test_sweep_status_and_summary(
    api: httpx.Client, done_sweep: dict[str, Any], lis1_id: str
) -> None:
    s = done_sweep
    assert (s["name"], s["scenario_id"], s["time_limit"], s["workers"]) == (
        "vaga caps",
        lis1_id,
        0.2,
        1,
    )
    assert (s["variants_total"], s["variants_done"], s["variants_failed"]) == (3, 3, 0)
    assert s["current_variant"] is None and s["error"] is None and s["elapsed"] > 0
    names = [v["name"] for v in s["variants"]]
    assert names == ["base", "cap=20", "merged"]
    assert [v["kind"] for v in s["variants"]] == ["base", "grid", "variant"]
    assert all(v["status"] == "done" and v["roster"] and v["scenario"] for v in s["variants"])
    assert [row["variant"] for row in s["summary"]] == names
    assert [row["policy.max_hours_per_week"] for row in s["summary"]] == ["null", "20", "null"]
    assert {f["name"] for f in s["files"]} == {"summary.csv", "summary.xlsx", "summary.md"}
    assert {p["name"] for p in s["plots"]} == {"unfilled_vs_cap", "burden_boxplot", "base_heatmap"}
    assert [x["id"] for x in api.get("/v1/sweeps").json()] == [s["id"]]
    assert api.get("/v1/sweeps", params={"status": "failed"}).json() == []
    # A sweep is not a solve: not listed with them, not reachable as one.
    assert s["id"] not in {j["id"] for j in api.get("/v1/solves").json()}
    assert api.get(f"/v1/solves/{s['id']}").status_code == 404


def test_sweep_files_are_the_command_lines(api: httpx.Client, done_sweep: dict[str, Any]) -> None:
    from openpyxl import load_workbook

    sid = done_sweep["id"]
    r = api.get(f"/v1/sweeps/{sid}/summary.csv")
    assert r.status_code == 200 and r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.headers["content-disposition"] == (f'attachment; filename="sweep-{sid}-summary.csv"')
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["variant"] for row in rows] == ["base", "cap=20", "merged"]
    # The CLI's table for the same plan and rosters: the same columns and figures.
    lis1 = scenario_doc("small-lis1")
    plan = local_plan(lis1)
    outcomes = []
    for variant in plan.variants:
        roster = api.get(f"/v1/sweeps/{sid}/rosters/{variant.name}").json()
        scenario = api.get(f"/v1/sweeps/{sid}/scenarios/{variant.name}").json()
        assert scenario == variant.document  # the same variant as the library makes
        outcomes.append(evaluate(variant, {"roster": roster}))
    frame = summary_frame(plan, outcomes)
    assert list(rows[0]) == list(frame.columns)
    expected = list(csv.DictReader(io.StringIO(frame.to_csv(index=False))))
    for got, want in zip(rows, expected, strict=True):
        assert {k: v for k, v in got.items() if k not in TIMING} == {
            k: v for k, v in want.items() if k not in TIMING
        }
    r = api.get(f"/v1/sweeps/{sid}/summary.xlsx")
    assert r.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert r.headers["content-disposition"].endswith('summary.xlsx"')
    book = load_workbook(io.BytesIO(r.content))
    assert book.sheetnames == ["summary", "burden", "sweep"]
    sheet = [list(row) for row in book["summary"].iter_rows(values_only=True)]
    assert sheet[0] == list(frame.columns) and [row[0] for row in sheet[1:]] == [
        "base",
        "cap=20",
        "merged",
    ]
    r = api.get(f"/v1/sweeps/{sid}/summary.md")
    assert r.headers["content-type"].startswith("text/markdown") and "| cap=20 |" in r.text
    for plot in done_sweep["plots"]:
        r = api.get(plot["url"])
        assert r.status_code == 200 and r.headers["content-type"] == "image/png"
        assert r.content.startswith(PNG) and len(r.content) > 1000
        assert r.headers["content-disposition"].endswith(f'plots-{plot["name"]}.png"')


def test_sweep_rosters_are_valid(api: httpx.Client, done_sweep: dict[str, Any]) -> None:
    sid = done_sweep["id"]
    for variant in done_sweep["variants"]:
        r = api.get(variant["roster"])
        assert r.status_code == 200 and r.headers["content-type"] == "application/json"
        assert r.headers["content-disposition"].endswith(
            f'sweep-{sid}-roster-{variant["name"]}.json"'
        )
        roster = r.json()
        assert roster["format"] == "legevakt-roster/1" and roster["assignments"]
        scenario = scenario_from_data(api.get(variant["scenario"]).json())
        assert validate_roster(scenario, roster).ok, variant["name"]
    base = api.get(f"/v1/sweeps/{sid}/rosters/base").json()
    assert validate_roster(scenario_from_data(scenario_doc("small-lis1")), base).ok
    merged = api.get(f"/v1/sweeps/{sid}/scenarios/merged").json()
    assert len(merged["doctors"]) == 14 and "vaga-erlend" in {d["id"] for d in merged["doctors"]}


def test_sweep_unknown_names_are_404(api: httpx.Client, done_sweep: dict[str, Any]) -> None:
    sid = done_sweep["id"]
    for path, words in (
        ("rosters/nope", "no variant 'nope'"),
        ("scenarios/cap=21", "no variant 'cap=21'"),
        ("plots/nope.png", "no plot 'nope'"),
    ):
        r = api.get(f"/v1/sweeps/{sid}/{path}")
        assert r.status_code == 404, r.text
        assert r.json()["detail"].startswith(words), r.json()
    for path in ("", "/summary.csv", "/rosters/base", "/plots/base_heatmap.png"):
        assert api.get(f"/v1/sweeps/{NO_ID}{path}").status_code == 404
    assert api.get("/v1/sweeps/not-an-id").status_code == 404
    r = api.delete(f"/v1/sweeps/{sid}")
    assert r.status_code == 409 and "already finished" in r.json()["detail"]


# ---------------------------------------------------------------- bad sweeps


def _bad_cases(lis1_id: str) -> list[tuple[dict[str, Any], str]]:
    ref = {"scenario_id": lis1_id}
    cap = "policy.max_hours_per_week"
    many = {"count": 30, "category": "fastlege", "independent": True}
    return [
        (
            sweep_body(ref, vary={"policy.max_hours_per_wek": [10]}),
            "vary.policy.max_hours_per_wek: 'max_hours_per_wek' is not a field of policy",
        ),
        (sweep_body(ref, vary={"policy..cap": [10]}), "vary.policy..cap: is not a dotted path"),
        (
            sweep_body(ref, vary={cap: ["lots"]}),
            "variant max_hours_per_week=lots: policy.max_hours_per_week:",
        ),
        (sweep_body(ref, vary={cap: [10, 10]}), f"vary.{cap}[1]: 10 is already in the list"),
        (sweep_body("../small-lis1.yaml"), "base: '../small-lis1.yaml' is a file path"),
        (
            sweep_body(ref, variants={"m": {"merge": ["vaga.yaml"]}}),
            "variants.m.merge[0]: 'vaga.yaml' is a file path",
        ),
        (
            sweep_body(ref, variants={"m": {"merge": {"name": "x"}}}),
            "variants.m.merge.horizon: is required",
        ),
        (sweep_body(ref, variants={"m": {}}), "variants.m: changes nothing"),
        (
            sweep_body(ref, variants={"big": {"add_doctors": many}}),
            "variant big: doctors: 37 doctors; this service takes at most 30",
        ),
        (sweep_body({"scenario_id": 7}), "base.scenario_id: is not a scenario id"),
        (sweep_body({"scenario_id": lis1_id, "name": "x"}), "base: give scenario_id alone"),
        (sweep_body({"format": "legevakt-scenario/1"}), "base.name"),
        ({"vary": {cap: [1]}}, "base: is required"),
        (sweep_body(ref, colour="red"), "colour"),
        (sweep_body(ref, format="legevakt-sweep/2"), "format: 'legevakt-sweep/2'"),
        (sweep_body(ref, solve={"time_limit": 31}), "LEGEVAKT_MAX_TIME_LIMIT"),
        (sweep_body(ref, solve={"workers": 2}), "LEGEVAKT_MAX_SOLVE_WORKERS"),
        (sweep_body(ref, solve={"seed": -1}), "solve.seed: -1 is not between 0 and"),
        (
            sweep_body(ref, vary={cap: [1, 2, 3, 4, 5, 6]}),
            "vary: 7 variants (grid 6, named 0, base 1); this service runs at most 6 per sweep "
            "(limit LEGEVAKT_MAX_SWEEP_VARIANTS)",
        ),
    ]


def test_bad_sweeps_get_422_naming_the_field(api: httpx.Client, lis1_id: str) -> None:
    for body, words in _bad_cases(lis1_id):
        r = api.post("/v1/sweeps", json=body)
        assert r.status_code == 422, (body, r.text)
        detail = r.json()["detail"]
        assert isinstance(detail, list) and all(isinstance(x, str) for x in detail)
        assert any(words in line for line in detail), (words, detail)
    r = api.post("/v1/sweeps", json=[1, 2])
    assert r.status_code == 422
    # Problems in the references and in the sweep come together.
    body = sweep_body("base.yaml", vary={"policy.cap": [1]}, colour="red")
    detail = api.post("/v1/sweeps", json=body).json()["detail"]
    assert any(line.startswith("base:") for line in detail)
    assert any(line.startswith("colour:") for line in detail)
    assert api.get("/v1/sweeps", params={"status": "queued"}).json() == []  # nothing queued


def test_unknown_scenario_id_is_404(api: httpx.Client, lis1_id: str) -> None:
    for body in (
        sweep_body({"scenario_id": NO_ID}),
        sweep_body({"scenario_id": lis1_id}, variants={"m": {"merge": [{"scenario_id": NO_ID}]}}),
    ):
        r = api.post("/v1/sweeps", json=body)
        assert r.status_code == 404, r.text
        assert r.json()["detail"] == f"no scenario {NO_ID!r}"


# ---------------------------------------------------------------- cancel and the queue


def test_cancel_running_and_queued_and_the_queue_limit(api: httpx.Client, lis1_id: str) -> None:
    _idle(api)
    cap = "policy.max_hours_per_week"
    body = sweep_body({"scenario_id": lis1_id}, vary={cap: [None, 20, 16]})
    running = api.post("/v1/sweeps", json=body).json()["id"]
    sweep = wait_sweep(api, running, lambda s: s["variants_done"] >= 1)
    assert sweep["status"] == "running" and sweep["variants_total"] == 4
    # The queue holds solves and sweeps alike (queue_size 2).
    queued = [api.post("/v1/sweeps", json=body).json()["id"]]
    solve = api.post("/v1/solves", json={"scenario_id": lis1_id, "time_limit": 1})
    assert solve.status_code == 202
    r = api.post("/v1/sweeps", json=body)
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
    assert "queue is full" in r.json()["detail"]
    assert api.get(f"/v1/sweeps/{queued[0]}").json()["queue_position"] == 1
    r = api.delete(f"/v1/sweeps/{queued[0]}")
    assert r.status_code == 202 and r.json()["status"] == "cancelled"
    assert {v["status"] for v in r.json()["variants"]} == {"skipped"}
    assert api.delete(f"/v1/solves/{solve.json()['id']}").status_code == 202
    r = api.get(f"/v1/sweeps/{queued[0]}/summary.csv")
    assert r.status_code == 409 and "cancelled before a variant finished" in r.json()["detail"]

    asked = time.monotonic()
    r = api.delete(f"/v1/sweeps/{running}")
    assert r.status_code == 202 and r.json()["cancel_requested"] is True
    sweep = wait_sweep(api, running, timeout=30)
    assert sweep["status"] == "cancelled" and time.monotonic() - asked < 10
    done = [v["name"] for v in sweep["variants"] if v["status"] == "done"]
    assert 1 <= len(done) < 4 and sweep["variants_done"] == len(done)
    assert {v["status"] for v in sweep["variants"] if v["name"] not in done} == {"skipped"}
    # The files are made from the variants finished before the cancel.
    assert [row["variant"] for row in sweep["summary"]] == done
    rows = list(csv.DictReader(io.StringIO(api.get(f"/v1/sweeps/{running}/summary.csv").text)))
    assert [row["variant"] for row in rows] == done
    skipped = next(v["name"] for v in sweep["variants"] if v["name"] not in done)
    r = api.get(f"/v1/sweeps/{running}/rosters/{skipped}")
    assert r.status_code == 409 and "has not been solved" in r.json()["detail"]
    assert api.delete(f"/v1/sweeps/{running}").status_code == 200  # already cancelled


# ---------------------------------------------------------------- tenants and tokens


def test_other_districts_see_nothing(
    server: Server, api: httpx.Client, done_sweep: dict[str, Any], lis1_id: str
) -> None:
    sid = done_sweep["id"]
    with server.client(server.token("another-district")) as other:
        assert other.get("/v1/sweeps").json() == []
        for path in (
            "",
            "/summary.csv",
            "/summary.xlsx",
            "/summary.md",
            "/rosters/base",
            "/scenarios/base",
            "/plots/base_heatmap.png",
        ):
            r = other.get(f"/v1/sweeps/{sid}{path}")
            assert r.status_code == 404 and r.json()["detail"].startswith("no sweep"), path
        assert other.delete(f"/v1/sweeps/{sid}").status_code == 404
        r = other.post("/v1/sweeps", json=sweep_body({"scenario_id": lis1_id}))
        assert r.status_code == 404
        merge = {"m": {"merge": [{"scenario_id": lis1_id}]}}
        r = other.post("/v1/sweeps", json=sweep_body(scenario_doc("small-lis1"), variants=merge))
        assert r.status_code == 404
    assert api.get(f"/v1/sweeps/{sid}").json()["status"] == "done"  # untouched


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/sweeps"),
        ("POST", "/v1/sweeps"),
        ("GET", f"/v1/sweeps/{NO_ID}"),
        ("DELETE", f"/v1/sweeps/{NO_ID}"),
        ("GET", f"/v1/sweeps/{NO_ID}/summary.csv"),
        ("GET", f"/v1/sweeps/{NO_ID}/rosters/base"),
        ("GET", f"/v1/sweeps/{NO_ID}/plots/base_heatmap.png"),
    ],
)
def test_sweep_routes_need_a_token(server: Server, method: str, path: str) -> None:
    r = httpx.request(method, server.base_url + path, json={})
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"


def test_openapi_shows_the_sweep_routes(server: Server) -> None:
    spec = httpx.get(server.base_url + "/openapi.json").json()
    assert {
        "/v1/sweeps",
        "/v1/sweeps/{sweep_id}/summary.csv",
        "/v1/sweeps/{sweep_id}/rosters/{variant}",
        "/v1/sweeps/{sweep_id}/plots/{plot}.png",
    } <= set(spec["paths"])
    body = spec["paths"]["/v1/sweeps"]["post"]["requestBody"]["content"]["application/json"]
    base = body["schema"]["properties"]["base"]["oneOf"]
    assert {"$ref": "#/components/schemas/ScenarioDocument"} in base


# ---------------------------------------------------------------- restart


def test_sigkill_restart_goes_on_after_the_finished_variants(
    server: Server, api: httpx.Client, lis1_id: str
) -> None:
    """A sweep interrupted by a SIGKILL of the server is queued again once its lease has run
    out and solves only the variants it had not finished.

    This restarts the module's server (on a new port: the ``api`` client is left behind), so
    it is the module's last test."""
    _idle(api)
    body = sweep_body({"scenario_id": lis1_id}, vary={"policy.max_hours_per_week": [None, 20]})
    job = api.post("/v1/sweeps", json=body).json()["id"]
    before = wait_sweep(api, job, lambda s: s["variants_done"] >= 1)
    assert before["status"] == "running"
    server.sigkill()
    server.start()
    with server.client(LEGACY_TOKEN) as again:
        after = wait_sweep(again, job)
    assert after["status"] == "done" and after["attempts"] == 2, after
    assert after["variants_done"] == 3 and len(after["summary"]) == 3
    kept = [v for v in before["variants"] if v["status"] == "done"]
    for variant in kept:  # not solved again: the same run time as before the kill
        rerun = next(v for v in after["variants"] if v["name"] == variant["name"])
        assert rerun["seconds"] == variant["seconds"]
