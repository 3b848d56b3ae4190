"""Districts are tenants: a token sees and touches only its own district's scenarios, solves
and rosters; another district's ids answer 404 and never show up in lists."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.service.svc_harness import (
    Server,
    db_kinds,
    fresh_database,
    running_server,
    scenario_doc,
    wait_for,
)


@pytest.fixture(scope="module", params=db_kinds())
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp(f"tenants-{request.param}")
    with running_server(fresh_database(request.param, folder), folder, pool_size=2) as srv:
        yield srv


@pytest.fixture(scope="module")
def districts(server: Server) -> Iterator[dict[str, Any]]:
    """District A and B, each with a scenario and a finished solve (B's still running
    as well, so its live job is also out of A's reach)."""
    a = server.client(server.token("district-a"))
    b = server.client(server.token("district-b"))
    out: dict[str, Any] = {"a": a, "b": b}
    for key, client in (("a", a), ("b", b)):
        sid = client.post("/v1/scenarios", json=scenario_doc("small-lis1")).json()["id"]
        job = client.post(
            "/v1/solves", json={"scenario_id": sid, "time_limit": 2, "workers": 2}
        ).json()["id"]
        out[key + "_scenario"], out[key + "_job"] = sid, job
    for key, client in (("a", a), ("b", b)):
        assert wait_for(client, out[key + "_job"])["status"] == "done"
    out["b_live"] = b.post(
        "/v1/solves", json={"scenario_id": out["b_scenario"], "time_limit": 30}
    ).json()["id"]
    yield out
    b.delete(f"/v1/solves/{out['b_live']}")
    a.close()
    b.close()


def test_lists_show_only_the_own_district(districts: dict[str, Any]) -> None:
    a, b = districts["a"], districts["b"]
    assert [s["id"] for s in a.get("/v1/scenarios").json()] == [districts["a_scenario"]]
    assert [s["id"] for s in b.get("/v1/scenarios").json()] == [districts["b_scenario"]]
    assert {j["id"] for j in a.get("/v1/solves").json()} == {districts["a_job"]}
    assert {j["id"] for j in b.get("/v1/solves").json()} == {
        districts["b_job"],
        districts["b_live"],
    }


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/scenarios/{b_scenario}"),
        ("DELETE", "/v1/scenarios/{b_scenario}"),
        ("GET", "/v1/solves/{b_job}"),
        ("GET", "/v1/solves/{b_live}"),
        ("GET", "/v1/solves/{b_job}/roster"),
        ("GET", "/v1/solves/{b_job}/roster?format=ics"),
        ("GET", "/v1/solves/{b_job}/progress"),
        ("DELETE", "/v1/solves/{b_live}"),
        ("DELETE", "/v1/solves/{b_job}"),
    ],
)
def test_other_districts_ids_are_404(districts: dict[str, Any], method: str, path: str) -> None:
    r = districts["a"].request(method, path.format(**districts))
    assert r.status_code == 404, r.text
    assert r.json()["detail"].startswith("no ")


def test_cannot_solve_another_districts_scenario(districts: dict[str, Any]) -> None:
    r = districts["a"].post("/v1/solves", json={"scenario_id": districts["b_scenario"]})
    assert r.status_code == 404


def test_b_is_untouched(districts: dict[str, Any]) -> None:
    b = districts["b"]
    assert b.get(f"/v1/scenarios/{districts['b_scenario']}").status_code == 200
    live = b.get(f"/v1/solves/{districts['b_live']}").json()
    assert live["status"] in ("queued", "running") and live["cancel_requested"] is False
    assert b.get(f"/v1/solves/{districts['b_job']}/roster").status_code == 200


def test_own_district_works(districts: dict[str, Any]) -> None:
    a = districts["a"]
    assert a.get(f"/v1/scenarios/{districts['a_scenario']}").status_code == 200
    assert a.get(f"/v1/solves/{districts['a_job']}/roster?format=csv").status_code == 200


def test_same_district_two_tokens(server: Server, districts: dict[str, Any]) -> None:
    with server.client(server.token("district-a")) as again:
        assert [s["id"] for s in again.get("/v1/scenarios").json()] == [districts["a_scenario"]]


def test_unauthenticated_client_is_401(server: Server, districts: dict[str, Any]) -> None:
    with httpx.Client(base_url=server.base_url) as anon:
        assert anon.get(f"/v1/solves/{districts['a_job']}").status_code == 401
