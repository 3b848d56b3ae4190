"""Progress as server-sent events, ``/metrics`` and the worker's log lines, against a real
server: a solve's events in order and its end, a finished solve's stream at once,
``Last-Event-ID``, tenancy, a sweep's events; the metrics parse, show the job gauges and
the requests by route template, and hold nothing of a scenario; a worker's lines name the
job and its district."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.service.svc_harness import (
    Server,
    db_kinds,
    fresh_database,
    running_server,
    scenario_doc,
)

SETTINGS = {"pool_size": 1, "progress_interval": 0.1, "max_solve_workers": 2}
DISTRICT = "events-district"
NO_ID = "0123456789abcdef0123456789abcdef"
#: small-lis1 for 1 s on 2 CP-SAT threads: a few progress reports, then done.
SOLVE = {"time_limit": 1, "workers": 2, "seed": 0}


@pytest.fixture(scope="module", params=db_kinds())
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp(f"events-{request.param}")
    with running_server(fresh_database(request.param, folder), folder, **SETTINGS) as srv:
        yield srv


@pytest.fixture(scope="module")
def api(server: Server) -> Iterator[httpx.Client]:
    with server.client(server.token(DISTRICT)) as client:
        yield client


@pytest.fixture(scope="module")
def lis1_id(api: httpx.Client) -> str:
    r = api.post("/v1/scenarios", json=scenario_doc("small-lis1"))
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def read_events(
    client: httpx.Client, path: str, headers: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """Every event of the stream until the server ends it: ``event``, ``id``, ``data``
    (parsed), and ``at`` (seconds since the request); comments are left out."""
    events: list[dict[str, Any]] = []
    start = time.monotonic()
    with client.stream("GET", path, headers=headers, timeout=60) as r:
        assert r.status_code == 200, r.read()
        assert r.headers["content-type"].startswith("text/event-stream")
        current: dict[str, Any] = {}
        for line in r.iter_lines():
            if not line:
                if "event" in current:
                    events.append({**current, "at": time.monotonic() - start})
                current = {}
            elif line.startswith(":"):
                continue
            else:
                key, _, value = line.partition(": ")
                current[key] = json.loads(value) if key == "data" else value
    return events


@pytest.fixture(scope="module")
def streamed(api: httpx.Client, lis1_id: str) -> dict[str, Any]:
    """A solve followed from its submission to its end: its id and events."""
    r = api.post("/v1/solves", json={"scenario_id": lis1_id, **SOLVE})
    assert r.status_code == 202, r.text
    job_id = r.json()["id"]
    return {"id": job_id, "events": read_events(api, f"/v1/solves/{job_id}/events")}


def _progress(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in events if e["event"] == "progress"]


# ---------------------------------------------------------------- solves


def test_a_solve_s_events_arrive_in_order_and_end_with_its_status(
    api: httpx.Client, streamed: dict[str, Any]
) -> None:
    events = streamed["events"]
    assert events[0]["event"] == "status" and events[0]["data"]["status"] in ("queued", "running")
    progress = _progress(events)
    assert progress, events
    ids = [int(e["id"]) for e in progress]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    reports = api.get(f"/v1/solves/{streamed['id']}/progress").json()
    keys = ("stage", "stage_index", "elapsed", "objective", "bound")
    assert [e["data"] for e in progress] == [{k: r[k] for k in keys} for r in reports]
    end = events[-1]
    assert end["event"] == "end" and [e["event"] for e in events].count("end") == 1
    job = api.get(f"/v1/solves/{streamed['id']}").json()
    assert end["data"]["status"] == job["status"] == "done"
    assert end["data"]["summary"] == job["summary"] and end["data"]["summary"]
    assert progress[0]["at"] < end["at"]  # streamed as they came, not all at the end


def test_a_finished_solve_answers_at_once(api: httpx.Client, streamed: dict[str, Any]) -> None:
    start = time.monotonic()
    events = read_events(api, f"/v1/solves/{streamed['id']}/events")
    assert time.monotonic() - start < 1.0
    assert [e["event"] for e in events] == ["progress"] * len(_progress(events)) + ["end"]
    assert [e["data"] for e in _progress(events)] == [
        e["data"] for e in _progress(streamed["events"])
    ]
    assert events[-1]["data"] == streamed["events"][-1]["data"]


def test_last_event_id_continues_after_that_event(
    api: httpx.Client, streamed: dict[str, Any]
) -> None:
    progress = _progress(streamed["events"])
    path = f"/v1/solves/{streamed['id']}/events"
    for seen in range(len(progress)):
        events = read_events(api, path, {"Last-Event-ID": progress[seen]["id"]})
        assert [e.get("id") for e in _progress(events)] == [e["id"] for e in progress[seen + 1 :]]
        assert events[-1]["event"] == "end"
    garbled = read_events(api, path, {"Last-Event-ID": "not a number"})
    assert len(_progress(garbled)) == len(progress)  # from the start


def test_another_district_s_events_are_404(
    server: Server, api: httpx.Client, streamed: dict[str, Any], sweep: dict[str, Any]
) -> None:
    with server.client(server.token("events-other")) as other:
        for path in (
            f"/v1/solves/{streamed['id']}/events",
            f"/v1/sweeps/{sweep['id']}/events",
            f"/v1/solves/{NO_ID}/events",
            f"/v1/sweeps/{NO_ID}/events",
            "/v1/solves/not-an-id/events",
        ):
            r = other.get(path)
            assert r.status_code == 404, (path, r.text)
            assert r.json()["detail"].startswith("no ")
    # A solve is not a sweep, and the other way round; and no token is 401.
    assert api.get(f"/v1/sweeps/{streamed['id']}/events").status_code == 404
    assert api.get(f"/v1/solves/{sweep['id']}/events").status_code == 404
    assert httpx.get(f"{server.base_url}/v1/solves/{streamed['id']}/events").status_code == 401


# ---------------------------------------------------------------- sweeps


@pytest.fixture(scope="module")
def sweep(api: httpx.Client, lis1_id: str) -> dict[str, Any]:
    body = {
        "format": "legevakt-sweep/1",
        "base": {"scenario_id": lis1_id},
        "solve": {"time_limit": 0.2, "workers": 1, "seed": 0},
    }
    r = api.post("/v1/sweeps", json=body)
    assert r.status_code == 202, r.text
    sweep_id = r.json()["id"]
    return {"id": sweep_id, "events": read_events(api, f"/v1/sweeps/{sweep_id}/events")}


def test_a_sweep_s_events_end_with_its_status(api: httpx.Client, sweep: dict[str, Any]) -> None:
    events = sweep["events"]
    progress = _progress(events)
    assert progress and events[-1]["event"] == "end"
    assert all(e["data"]["variants_total"] == 1 for e in progress)
    states = [json.dumps(e["data"], sort_keys=True) for e in progress]
    assert all(a != b for a, b in pairwise(states))  # only changes
    assert any(e["data"]["current_variant"] for e in progress), progress
    done = [e["data"]["variants_done"] for e in progress]
    assert done == sorted(done)
    final = api.get(f"/v1/sweeps/{sweep['id']}").json()
    end = events[-1]["data"]
    assert end["status"] == final["status"] == "done"
    assert end["variants_done"] == end["variants_total"] == 1 and end["variants_failed"] == 0
    start = time.monotonic()  # a finished sweep: its end at once
    again = read_events(api, f"/v1/sweeps/{sweep['id']}/events")
    assert [e["event"] for e in again] == ["end"] and time.monotonic() - start < 1.0
    assert again[0]["data"] == end


# ---------------------------------------------------------------- metrics and logs


def _families(server: Server) -> dict[str, Any]:
    r = httpx.get(server.base_url + "/metrics")  # no token
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/plain")
    return {f.name: f for f in text_string_to_metric_families(r.text)}


def test_metrics_show_the_jobs_and_the_requests_by_route(
    server: Server, api: httpx.Client, streamed: dict[str, Any], sweep: dict[str, Any]
) -> None:
    assert api.get(f"/v1/solves/{streamed['id']}").status_code == 200
    assert api.get(f"/v1/solves/{NO_ID}").status_code == 404
    families = _families(server)
    labels = {"district": DISTRICT, "kind": "solve"}
    for name in ("legevakt_jobs_queued", "legevakt_jobs_running"):
        samples = [s for s in families[name].samples if s.labels == labels]
        assert [s.value for s in samples] == [0.0], name  # both finished
    assert families["legevakt_jobs_queued"].type == "gauge"
    runs = {
        s.labels["kind"]: s.value
        for s in families["legevakt_job_seconds"].samples
        if s.name == "legevakt_job_seconds_count" and s.labels["district"] == DISTRICT
    }
    assert runs["solve"] >= 1 and runs["sweep"] >= 1
    failures = families["legevakt_job_failures"].samples
    assert {s.labels["kind"]: s.value for s in failures if s.labels["district"] == DISTRICT} == {
        "solve": 0.0,
        "sweep": 0.0,
    }
    requests = {
        (s.labels["method"], s.labels["route"], s.labels["status"]): s.value
        for s in families["legevakt_http_requests"].samples
        if s.name == "legevakt_http_requests_total"
    }
    assert requests[("GET", "/v1/solves/{job_id}", "200")] >= 1
    assert requests[("GET", "/v1/solves/{job_id}", "404")] >= 1
    assert requests[("GET", "/v1/solves/{job_id}/events", "200")] >= 1
    assert requests[("POST", "/v1/sweeps", "202")] == 1
    assert not any(streamed["id"] in route or NO_ID in route for _, route, _ in requests)
    latency = families["legevakt_http_request_duration_seconds"]
    assert any(s.labels.get("route") == "/v1/solves/{job_id}" for s in latency.samples)


def test_a_running_job_shows_in_the_gauges(server: Server, api: httpx.Client, lis1_id: str) -> None:
    r = api.post("/v1/solves", json={"scenario_id": lis1_id, "time_limit": 30, "workers": 1})
    job_id = r.json()["id"]
    try:
        deadline = time.monotonic() + 30
        while True:
            samples = _families(server)["legevakt_jobs_running"].samples
            running = {
                s.labels["kind"]: s.value for s in samples if s.labels["district"] == DISTRICT
            }
            if running.get("solve") == 1.0:
                break
            assert time.monotonic() < deadline, running
            time.sleep(0.1)
    finally:
        api.delete(f"/v1/solves/{job_id}")


def test_metrics_and_logs_hold_nothing_of_the_scenario(
    server: Server, streamed: dict[str, Any]
) -> None:
    text = httpx.get(server.base_url + "/metrics").text
    document = scenario_doc("small-lis1")
    names = [document["name"], *(d["name"] for d in document["doctors"])]
    assert all(name not in text for name in names)
    log = server.log.read_text(encoding="utf-8")
    assert all(name not in log for name in names)
    line = next(x for x in log.splitlines() if f"job_id={streamed['id']}" in x)
    assert f"district={DISTRICT}" in line and "solve done" in line
