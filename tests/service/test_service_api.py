"""The API against a real server process: scenarios, solves, rosters and their exports,
cancelling, the queue bound, limits and errors, validation, and responsiveness. One piece
because the tests share one running server (a start costs about 2 s)."""

from __future__ import annotations

import copy
import csv
import io
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from legevakt_opt.checks import validate_roster
from legevakt_opt.scenario import scenario_from_data
from tests.helpers import nordic_data
from tests.service.svc_harness import (
    Server,
    db_kinds,
    fresh_database,
    running_server,
    scenario_doc,
    wait_for,
    wait_until,
)

SETTINGS = {
    "pool_size": 2,
    "queue_size": 3,
    "max_time_limit": 60,
    "max_body_bytes": 200_000,
    "max_doctors": 30,
    "max_instances": 100,
    "max_solve_workers": 2,
}


@pytest.fixture(scope="module", params=db_kinds())
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp(f"api-{request.param}")
    with running_server(fresh_database(request.param, folder), folder, **SETTINGS) as srv:
        yield srv


@pytest.fixture(scope="module")
def api(server: Server) -> Iterator[httpx.Client]:
    with server.client(server.token("api-district")) as client:
        yield client


@pytest.fixture(scope="module")
def lis1_id(api: httpx.Client) -> str:
    r = api.post("/v1/scenarios", json=scenario_doc("small-lis1"))
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


@pytest.fixture(scope="module")
def done_job(api: httpx.Client, lis1_id: str) -> dict[str, Any]:
    r = api.post("/v1/solves", json={"scenario_id": lis1_id, "time_limit": 2, "workers": 2})
    assert r.status_code == 202, r.text
    job = wait_for(api, r.json()["id"])
    assert job["status"] == "done", job
    return job


def _idle(api: httpx.Client) -> None:
    """Wait until nothing of this district is queued or running (tests share the queue)."""
    deadline = time.monotonic() + 90
    while any(j["status"] in ("queued", "running") for j in api.get("/v1/solves").json()):
        assert time.monotonic() < deadline
        time.sleep(0.2)


# ---------------------------------------------------------------- health, auth, docs


def test_health_needs_no_token(server: Server) -> None:
    r = httpx.get(server.base_url + "/health")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"
    assert r.json()["workers"] == SETTINGS["pool_size"]


def test_openapi_and_docs(server: Server) -> None:
    spec = httpx.get(server.base_url + "/openapi.json").json()
    assert {"/v1/scenarios", "/v1/solves/{job_id}/roster", "/v1/validate"} <= set(spec["paths"])
    assert spec["components"]["securitySchemes"]["token"]["scheme"] == "bearer"
    assert "ScenarioDoctor" in spec["components"]["schemas"]
    assert httpx.get(server.base_url + "/docs").status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/scenarios"),
        ("POST", "/v1/scenarios"),
        ("GET", "/v1/scenarios/0123456789abcdef0123456789abcdef"),
        ("DELETE", "/v1/scenarios/0123456789abcdef0123456789abcdef"),
        ("GET", "/v1/solves"),
        ("POST", "/v1/solves"),
        ("GET", "/v1/solves/0123456789abcdef0123456789abcdef"),
        ("DELETE", "/v1/solves/0123456789abcdef0123456789abcdef"),
        ("GET", "/v1/solves/0123456789abcdef0123456789abcdef/roster"),
        ("POST", "/v1/validate"),
    ],
)
def test_every_v1_route_needs_a_token(server: Server, method: str, path: str) -> None:
    for headers in ({}, {"Authorization": "Bearer lv_not-a-token"}, {"Authorization": "Basic x"}):
        r = httpx.request(method, server.base_url + path, headers=headers, json={})
        assert r.status_code == 401, (headers, r.text)
        assert r.headers["www-authenticate"] == "Bearer"
        assert "bearer token" in r.json()["detail"]


def test_token_cli_prints_a_working_token(server: Server) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "legevakt_opt", "token", "create", "--district", "cli-district"],
        env=server.env(),
        cwd=server.folder,
        capture_output=True,
        text=True,
        check=True,
    )
    lines = run.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith("lv_")
    with server.client(lines[0]) as client:
        assert client.get("/v1/scenarios").status_code == 200


# ---------------------------------------------------------------- scenarios


def test_scenario_round_trip(api: httpx.Client, lis1_id: str) -> None:
    r = api.get(f"/v1/scenarios/{lis1_id}")
    assert r.status_code == 200
    body = r.json()
    assert body["document"] == scenario_doc("small-lis1")
    assert (body["doctors"], body["instances"]) == (7, 64)
    listed = api.get("/v1/scenarios").json()
    assert lis1_id in {s["id"] for s in listed}
    assert all("document" not in s for s in listed)


def test_bad_scenario_gets_422_naming_fields(api: httpx.Client) -> None:
    doc = scenario_doc("small-lis1")
    doc["horizon"]["days"] = 400
    doc["doctors"][0]["municipality"] = "nowhere"
    doc["shifts"][1]["start"] = "25:00"
    r = api.post("/v1/scenarios", json=doc)
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert isinstance(detail, list) and all(isinstance(line, str) for line in detail)
    text = "\n".join(detail)
    assert "horizon.days" in text
    assert "shifts[1].start" in text
    r = api.post("/v1/scenarios", json=[1, 2])
    assert r.status_code == 422 and r.json()["detail"]


@pytest.mark.parametrize("section", ["doctors", "shifts"])
def test_a_scenario_without_a_section_is_422_not_stored(api: httpx.Client, section: str) -> None:
    doc = scenario_doc("small-lis1")
    del doc[section]
    before = len(api.get("/v1/scenarios").json())
    r = api.post("/v1/scenarios", json=doc)
    assert r.status_code == 422
    assert f"{section}: is required" in r.json()["detail"]
    r = api.post("/v1/solves", json={"scenario": doc})
    assert r.status_code == 422
    assert f"scenario.{section}: is required" in r.json()["detail"]
    assert len(api.get("/v1/scenarios").json()) == before


def test_norwegian_ids_all_the_way_to_a_doctors_calendar(api: httpx.Client) -> None:
    from icalendar import Calendar

    doc = nordic_data()
    r = api.post("/v1/solves", json={"scenario": doc, "time_limit": 3, "workers": 1})
    assert r.status_code == 202, r.text
    job = wait_for(api, r.json()["id"])
    assert job["status"] == "done", job
    url = f"/v1/solves/{job['id']}/roster"
    roster = api.get(url).json()
    assert validate_roster(scenario_from_data(doc), roster).ok
    mine = [a for a in roster["assignments"] if a["doctor"] == "ål-lege"]
    r = api.get(url, params={"format": "ics", "doctor": "ål-lege"})
    assert r.status_code == 200
    assert len(Calendar.from_ical(r.content).walk("VEVENT")) == len(mine) > 0
    disposition = r.headers["content-disposition"]
    assert f'filename="roster-{job["id"]}-al-lege.ics"' in disposition
    assert f"filename*=UTF-8''roster-{job['id']}-%C3%A5l-lege.ics" in disposition
    assert (
        api.get(url, params={"format": "json", "doctor": "ål-lege"}).json()["assignments"] == mine
    )


def test_malformed_bodies(api: httpx.Client) -> None:
    as_json = {"content-type": "application/json"}
    r = api.post("/v1/scenarios", content=b"{not json", headers=as_json)
    assert r.status_code == 400 and "JSON" in r.json()["detail"]
    doc = scenario_doc("small-lis1")
    doc["doctors"][0]["share"] = float("nan")
    r = api.post("/v1/scenarios", content=json.dumps(doc).encode(), headers=as_json)
    assert r.status_code == 422
    doc = scenario_doc("small-lis1")
    doc["name"] = "nul \x00 in the name"
    r = api.post("/v1/scenarios", json=doc)
    assert r.status_code == 422 and "NUL" in r.json()["detail"][0]
    raw = json.dumps(scenario_doc("small-lis1")).replace('"name": "V', '"name": "\\ud800V', 1)
    r = api.post("/v1/scenarios", content=raw.encode(), headers=as_json)
    assert r.status_code == 422 and "surrogate" in r.json()["detail"][0]


def test_body_size_limit(api: httpx.Client) -> None:
    doc = scenario_doc("small-lis1")
    doc["name"] = "x" * 250_000
    r = api.post("/v1/scenarios", json=doc)
    assert r.status_code == 413
    assert "LEGEVAKT_MAX_BODY_BYTES" in r.json()["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams
        yield b'{"name": "'
        for _ in range(30):
            yield b"y" * 10_000
        yield b'"}'

    r = api.post("/v1/scenarios", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_too_many_doctors_and_instances(api: httpx.Client) -> None:
    doc = scenario_doc("small-lis1")
    extra = copy.deepcopy(doc["doctors"][1])
    for k in range(SETTINGS["max_doctors"] + 1 - len(doc["doctors"])):
        doctor = copy.deepcopy(extra)
        doctor["id"] = f"extra{k}"
        doctor["unavailable"], doctor["wish"], doctor["avoid"] = [], [], []
        doc["doctors"].append(doctor)
    r = api.post("/v1/scenarios", json=doc)
    assert r.status_code == 422
    assert "LEGEVAKT_MAX_DOCTORS" in r.json()["detail"][0]
    assert "at most 30" in r.json()["detail"][0]
    r = api.post("/v1/scenarios", json=scenario_doc("satellites-video"))  # 140 > 100
    assert r.status_code == 422
    assert "LEGEVAKT_MAX_INSTANCES" in r.json()["detail"][0]
    r = api.post("/v1/solves", json={"scenario": scenario_doc("satellites-video")})
    assert r.status_code == 422
    assert r.json()["detail"][0].startswith("scenario.shifts:")


def test_delete_scenario(api: httpx.Client) -> None:
    sid = api.post("/v1/scenarios", json=scenario_doc("small-lis1")).json()["id"]
    assert api.delete(f"/v1/scenarios/{sid}").status_code == 204
    assert api.get(f"/v1/scenarios/{sid}").status_code == 404
    assert api.delete(f"/v1/scenarios/{sid}").status_code == 404
    assert api.get("/v1/scenarios/not-an-id").status_code == 404


# ---------------------------------------------------------------- solves


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "scenario_id, scenario"),
        ({"scenario_id": "x", "scenario": {}}, "scenario_id, scenario"),
        ({"scenario_id": "x", "time_limit": 61}, "LEGEVAKT_MAX_TIME_LIMIT"),
        ({"scenario_id": "x", "time_limit": 0}, "time_limit"),
        ({"scenario_id": "x", "seed": -1}, "seed"),
        ({"scenario_id": "x", "seed": 2**40}, "seed"),
        ({"scenario_id": "x", "workers": 3}, "LEGEVAKT_MAX_SOLVE_WORKERS"),
        ({"scenario_id": "x", "colour": "red"}, "colour"),
        ({"scenario": {"format": "legevakt-scenario/1"}}, "scenario.name"),
    ],
)
def test_bad_solve_requests(api: httpx.Client, body: dict[str, Any], field: str) -> None:
    r = api.post("/v1/solves", json=body)
    assert r.status_code == 422, r.text
    assert any(field in line for line in r.json()["detail"]), r.json()


def test_unknown_scenario_id(api: httpx.Client) -> None:
    r = api.post("/v1/solves", json={"scenario_id": "0123456789abcdef0123456789abcdef"})
    assert r.status_code == 404
    assert api.get("/v1/solves/0123456789abcdef0123456789abcdef").status_code == 404


def test_solve_by_id(api: httpx.Client, lis1_id: str, done_job: dict[str, Any]) -> None:
    job = done_job
    assert job["scenario_id"] == lis1_id
    assert job["roster_status"] in ("optimal", "feasible")
    assert job["elapsed"] > 0 and job["finished_at"] and job["stage"] == "travel"
    assert job["summary"]["unfilled_hours"] == 0
    roster = api.get(f"/v1/solves/{job['id']}/roster").json()
    assert roster["format"] == "legevakt-roster/1"
    assert validate_roster(scenario_from_data(scenario_doc("small-lis1")), roster).ok
    progress = api.get(f"/v1/solves/{job['id']}/progress").json()
    assert progress and all(p["stage"] for p in progress)
    assert [p["elapsed"] for p in progress] == sorted(p["elapsed"] for p in progress)


def test_roster_exports(api: httpx.Client, done_job: dict[str, Any]) -> None:
    from icalendar import Calendar
    from openpyxl import load_workbook

    url = f"/v1/solves/{done_job['id']}/roster"
    roster = api.get(url).json()
    n = len(roster["assignments"])
    r = api.get(url, params={"format": "csv"})
    assert r.headers["content-type"].startswith("text/csv")
    assert len(list(csv.DictReader(io.StringIO(r.text)))) == n
    r = api.get(url, params={"format": "xlsx"})
    assert "attachment" in r.headers["content-disposition"]
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["Roster", "Doctors", "Unfilled"]
    r = api.get(url, params={"format": "ics"})
    assert r.headers["content-type"].startswith("text/calendar")
    assert len(Calendar.from_ical(r.content).walk("VEVENT")) == n
    doctor = roster["assignments"][0]["doctor"]
    mine = [a for a in roster["assignments"] if a["doctor"] == doctor]
    r = api.get(url, params={"format": "ics", "doctor": doctor})
    assert len(Calendar.from_ical(r.content).walk("VEVENT")) == len(mine)
    r = api.get(url, params={"format": "json", "doctor": doctor})
    assert r.json()["assignments"] == mine
    assert api.get(url, params={"doctor": "nobody"}).status_code == 404
    assert api.get(url, params={"format": "pdf"}).status_code == 422


def test_inline_scenario_and_delete_rules(api: httpx.Client, lis1_id: str) -> None:
    _idle(api)
    inline = api.post(
        "/v1/solves",
        json={"scenario": scenario_doc("small-lis1"), "time_limit": 2, "seed": 7, "workers": 2},
    )
    assert inline.status_code == 202
    assert inline.headers["location"] == f"/v1/solves/{inline.json()['id']}"
    sid = api.post("/v1/scenarios", json=scenario_doc("small-lis1")).json()["id"]
    job_id = api.post("/v1/solves", json={"scenario_id": sid, "time_limit": 2}).json()["id"]
    r = api.delete(f"/v1/scenarios/{sid}")  # queued or running: refused
    assert r.status_code == 409 and "queued or running" in r.json()["detail"]
    job = wait_for(api, job_id)
    assert job["status"] == "done" and job["workers"] == 2  # the service's default
    assert api.delete(f"/v1/scenarios/{sid}").status_code == 204
    after = api.get(f"/v1/solves/{job_id}").json()
    assert after["scenario_id"] is None and after["status"] == "done"
    assert api.get(f"/v1/solves/{job_id}/roster").status_code == 200  # the roster stays
    done = wait_for(api, inline.json()["id"])
    assert done["status"] == "done" and done["scenario_id"] is None and done["seed"] == 7


def test_cancel_keeps_the_best_roster(api: httpx.Client) -> None:
    _idle(api)
    hallingdal = scenario_doc("hallingdal")
    job_id = api.post(
        "/v1/solves", json={"scenario": hallingdal, "time_limit": 60, "workers": 2}
    ).json()["id"]
    wait_until(api, job_id, lambda j: j["status"] == "running" and j["objective"] is not None)
    asked = time.monotonic()
    r = api.delete(f"/v1/solves/{job_id}")
    assert r.status_code == 202 and r.json()["cancel_requested"] is True
    job = wait_for(api, job_id, timeout=30)
    assert job["status"] == "cancelled"
    assert time.monotonic() - asked < 15  # far from the 60 s limit
    roster = api.get(f"/v1/solves/{job_id}/roster").json()
    assert roster["status"] == "feasible" and roster["solver"]["cancelled"] is True
    assert roster["assignments"]
    assert validate_roster(scenario_from_data(hallingdal), roster).ok
    assert api.delete(f"/v1/solves/{job_id}").status_code == 200  # already cancelled


def test_cancel_queued_and_finished(
    api: httpx.Client, lis1_id: str, done_job: dict[str, Any]
) -> None:
    _idle(api)
    long = {"scenario_id": lis1_id, "time_limit": 60}
    busy = [api.post("/v1/solves", json=long).json()["id"] for _ in range(2)]
    queued = api.post("/v1/solves", json=long).json()["id"]
    assert api.get(f"/v1/solves/{queued}").json()["status"] == "queued"
    r = api.delete(f"/v1/solves/{queued}")
    assert r.status_code == 202 and r.json()["status"] == "cancelled"
    r = api.get(f"/v1/solves/{queued}/roster")
    assert r.status_code == 409 and "before it started" in r.json()["detail"]
    for job_id in busy:
        api.delete(f"/v1/solves/{job_id}")
    r = api.delete(f"/v1/solves/{done_job['id']}")
    assert r.status_code == 409 and "already finished" in r.json()["detail"]
    for job_id in busy:
        assert wait_for(api, job_id)["status"] == "cancelled"


def test_queue_full_gives_429(api: httpx.Client, lis1_id: str) -> None:
    _idle(api)
    long = {"scenario_id": lis1_id, "time_limit": 60}
    running = [api.post("/v1/solves", json=long).json()["id"] for _ in range(2)]
    for job_id in running:
        wait_until(api, job_id, lambda j: j["status"] == "running")
    queued = []
    for _ in range(SETTINGS["queue_size"]):
        r = api.post("/v1/solves", json=long)
        assert r.status_code == 202
        queued.append(r.json()["id"])
    positions = [api.get(f"/v1/solves/{j}").json()["queue_position"] for j in queued]
    assert positions == [1, 2, 3]
    r = api.post("/v1/solves", json=long)
    assert r.status_code == 429
    assert int(r.headers["retry-after"]) >= 1
    assert "queue is full" in r.json()["detail"]
    for job_id in queued + running:
        api.delete(f"/v1/solves/{job_id}")
    for job_id in running:
        wait_for(api, job_id)
    r = api.post("/v1/solves", json=long)  # room again
    assert r.status_code == 202
    api.delete(f"/v1/solves/{r.json()['id']}")


def test_api_responsive_during_solves(api: httpx.Client, lis1_id: str) -> None:
    _idle(api)
    jobs = [
        api.post("/v1/solves", json={"scenario_id": lis1_id, "time_limit": 2, "workers": 2}).json()[
            "id"
        ]
        for _ in range(2)
    ]
    for job_id in jobs:
        wait_until(api, job_id, lambda j: j["status"] == "running")
    latencies = []
    for _ in range(40):
        started = time.monotonic()
        assert api.get(f"/v1/solves/{jobs[0]}").status_code == 200
        latencies.append(time.monotonic() - started)
    latencies.sort()
    assert latencies[int(0.95 * len(latencies)) - 1] < 0.5, latencies
    for job_id in jobs:
        assert wait_for(api, job_id)["status"] == "done"


# ---------------------------------------------------------------- validate


def test_validate(api: httpx.Client, done_job: dict[str, Any]) -> None:
    scenario = scenario_doc("small-lis1")
    roster = api.get(f"/v1/solves/{done_job['id']}/roster").json()
    r = api.post("/v1/validate", json={"scenario": scenario, "roster": roster})
    assert r.status_code == 200 and r.json()["valid"] is True
    exempt = next(d["id"] for d in scenario["doctors"] if d.get("exempt"))
    broken = {
        "assignments": [
            *roster["assignments"],
            {"date": "2027-02-01", "shift": "kveld", "doctor": exempt, "role": "duty"},
        ]
    }
    report = api.post("/v1/validate", json={"scenario": scenario, "roster": broken}).json()
    assert report["valid"] is False
    assert {"exempt"} <= {b["rule"] for b in report["breaches"]}
    weird = {"assignments": [1, {"date": "x"}, {"date": "2027-02-01", "shift": 3}]}
    r = api.post("/v1/validate", json={"scenario": scenario, "roster": weird})
    assert r.status_code == 200 and r.json()["valid"] is False
    r = api.post("/v1/validate", json={"scenario": {"name": 1}, "roster": roster})
    assert r.status_code == 422 and all(x.startswith("scenario.") for x in r.json()["detail"])
    r = api.post("/v1/validate", json={"scenario": scenario, "roster": [1]})
    assert r.status_code == 422
