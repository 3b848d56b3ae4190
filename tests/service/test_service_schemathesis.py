"""Schemathesis over the OpenAPI document against a real server, with a valid token:
positive and negative cases for every operation, and again with real ids in the paths.
No generated request may get a 5xx. The solve time limit is capped to 1 s here."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from hypothesis import HealthCheck, Phase, given, settings

from tests.service.svc_harness import (
    Server,
    db_kinds,
    fresh_database,
    running_server,
    scenario_doc,
    wait_for,
)

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.generation import GenerationMode  # noqa: E402

EXAMPLES = 50  # per operation and mode; at least 1,000 requests in all (asserted)
#: Whole scenario documents are slow to generate: fewer of these.
FEWER = {
    "POST /v1/scenarios": 12,
    "POST /v1/validate": 12,
    "POST /v1/solves": 12,
    "POST /v1/sweeps": 12,
}
MIN_REQUESTS = 1000
#: The PostgreSQL run (when there is one) is a second opinion on the same cases: a third as
#: many (the SQLite run always makes the full 1,000+).
POSTGRES_SHARE = 0.33


@pytest.fixture(scope="module", params=db_kinds())
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp(f"fuzz-{request.param}")
    url = fresh_database(request.param, folder)
    with running_server(
        url,
        folder,
        pool_size=1,
        max_time_limit=1,
        queue_size=4,
        max_body_bytes=100_000,
        max_sweep_variants=3,
    ) as srv:
        yield srv


def test_no_server_errors(server: Server) -> None:
    token = server.token("fuzz")
    auth = {"Authorization": f"Bearer {token}"}
    session = requests.Session()
    # Real ids, so that the fuzzer also reaches past the 404s.
    with server.client(token) as api:
        sid = api.post("/v1/scenarios", json=scenario_doc("small-lis1")).json()["id"]
        job = api.post("/v1/solves", json={"scenario_id": sid, "time_limit": 1}).json()["id"]
        wait_for(api, job)
        sweep = api.post(
            "/v1/sweeps", json={"base": {"scenario_id": sid}, "solve": {"time_limit": 0.2}}
        ).json()["id"]
        deadline = time.monotonic() + 60
        while api.get(f"/v1/sweeps/{sweep}").json()["status"] != "done":
            assert time.monotonic() < deadline, "the sweep did not finish"
            time.sleep(0.2)
    real = {
        "scenario_id": sid,
        "job_id": job,
        "sweep_id": sweep,
        "variant": "base",
        "plot": "base_heatmap",
    }

    share = POSTGRES_SHARE if server.database_url.startswith("postgresql") else 1.0
    schema = schemathesis.openapi.from_url(server.base_url + "/openapi.json")
    sent: dict[str, int] = {}
    errors: list[str] = []

    def run(operation: Any, mode: GenerationMode, fixed: dict[str, Any] | None) -> None:
        label = f"{operation.method.upper()} {operation.path} {mode.value}"
        label += " (real ids)" if fixed else ""
        try:
            strategy = operation.as_strategy(generation_mode=mode, path_parameters=fixed)
        except Exception as exc:  # e.g. nothing negative to generate for a bare GET
            sent[label] = 0
            print(f"{label}: no strategy ({exc})")
            return

        @settings(
            max_examples=max(
                1,
                round(share * FEWER.get(f"{operation.method.upper()} {operation.path}", EXAMPLES)),
            ),
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def check(case: Any) -> None:
            response = case.call(
                base_url=server.base_url, session=session, headers=auth, timeout=30
            )
            sent[label] = sent.get(label, 0) + 1
            if response.status_code >= 500:
                errors.append(
                    f"{label}: {response.status_code} {response.text[:300]} "
                    f"for {case.as_curl_command(headers=auth)}"
                )

        started = time.monotonic()
        try:
            check()
            print(f"{label}: {time.monotonic() - started:.1f} s")
        except Exception as exc:  # generation trouble is reported, server errors fail below
            if "Unsatisfiable" not in type(exc).__name__:
                raise

    for result in schema.get_all_operations():
        operation = result.ok()
        params = {p.name for p in operation.path_parameters}
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            run(operation, mode, None)
        if params and operation.method.upper() == "GET":
            run(operation, GenerationMode.POSITIVE, {p: real[p] for p in params})

    total = sum(sent.values())
    print(f"schemathesis: {total} requests over {len(sent)} runs")
    for label, count in sorted(sent.items()):
        print(f"  {count:4d}  {label}")
    assert not errors, "\n".join(errors[:10])
    assert total >= share * MIN_REQUESTS, sent
    r = requests.get(server.base_url + "/health", timeout=10)
    assert r.status_code == 200  # and the server is still up
