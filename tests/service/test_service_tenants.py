"""Districts are tenants: a token sees and touches only its own district's scenarios, solves
and rosters; another district's ids answer 404 and never show up in lists. ``token list``
and ``token revoke`` on the server's database: a revoked token is refused at its next
request, and no other token is."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from legevakt_opt.cli import main
from service.auth import hash_token
from tests.service.svc_harness import (
    Server,
    db_kinds,
    fresh_database,
    running_server,
    scenario_doc,
    wait_for,
)

ISO = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00"


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


# ---------------------------------------------------------------- managing tokens


def _cli(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    url: str,
    *args: str,
) -> tuple[int, str, str]:
    """``legevakt-opt token ...`` as the console runs it, on the database at ``url``."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("LEGEVAKT_DATABASE_URL", url)
    capsys.readouterr()
    with pytest.raises(SystemExit) as info:
        main(["token", *args])
    out = capsys.readouterr()
    return int(info.value.code or 0), out.out, out.err


def test_token_list_and_revoke(
    server: Server, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = server.database_url
    first, second = server.token("tok-a"), server.token("tok-a")
    neighbour = server.token("tok-b")
    with server.client(first) as api:
        assert api.get("/v1/scenarios").status_code == 200
    code, out, err = _cli(monkeypatch, capsys, url, "list", "--district", "tok-a")
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 2
    assert re.fullmatch(rf"(\d+)\t{ISO}\t{ISO}", lines[0]), lines  # used just now
    assert re.fullmatch(rf"(\d+)\t{ISO}\tnever", lines[1]), lines
    first_id, second_id = (int(line.split("\t")[0]) for line in lines)
    assert first_id < second_id  # oldest first
    for secret in (first, second, hash_token(first), hash_token(second)):
        assert secret not in out + err

    code, _, err = _cli(monkeypatch, capsys, url, "revoke", str(first_id))
    assert code == 0
    assert err.strip() == f"revoked token {first_id} of district tok-a"
    with server.client(first) as api:
        assert api.get("/v1/scenarios").status_code == 401  # at once
        assert api.post("/v1/scenarios", content=b"name: x", headers={}).status_code == 401
    for token in (second, neighbour):
        with server.client(token) as api:
            assert api.get("/v1/scenarios").status_code == 200
    code, out, _ = _cli(monkeypatch, capsys, url, "list", "--district", "tok-a")
    assert re.fullmatch(rf"{first_id}\t{ISO}\t{ISO}\trevoked {ISO}", out.splitlines()[0])
    code, _, err = _cli(monkeypatch, capsys, url, "revoke", str(first_id))
    assert code == 0 and "already revoked" in err


def test_token_revoke_an_unknown_id(
    server: Server, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for arg, words in (("987654", "no token with id 987654"), ("x1", "'x1' is not a token id")):
        code, out, err = _cli(monkeypatch, capsys, server.database_url, "revoke", arg)
        assert code == 2 and out == ""
        assert len(err.splitlines()) == 1 and words in err and "Traceback" not in err
