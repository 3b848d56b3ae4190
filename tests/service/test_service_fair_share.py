"""Each district's share of one server: the queue taken round-robin across districts (one
district's 20 solves do not hold up another's one), and the per-district limits answered
with 429 and Retry-After (a day, and a detail asking for a smaller job, when no wait
could help), naming their settings."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from tests.service.svc_harness import (
    FINISHED,
    Server,
    fresh_database,
    running_server,
    scenario_doc,
    shared_db_kind,
    wait_for,
    wait_until,
)

LIMITS = {
    "q": {"max_queued": 2},
    "d": {"max_solve_seconds_per_day": 10},
    "s": {"max_sweep_seconds": 1},
}
#: One worker: the order the queue is taken in is the order the jobs finish in.
SETTINGS = {
    "pool_size": 1,
    "queue_size": 40,
    "progress_interval": 0.25,
    "district_limits": json.dumps(LIMITS),
}


@pytest.fixture(scope="module", params=shared_db_kind())
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp(f"share-{request.param}")
    with running_server(fresh_database(request.param, folder), folder, **SETTINGS) as srv:
        yield srv


def _district(server: Server, name: str) -> tuple[httpx.Client, str]:
    """A client of the district and its stored small-lis1 scenario's id."""
    api = server.client(server.token(name))
    r = api.post("/v1/scenarios", json=scenario_doc("small-lis1"))
    assert r.status_code == 201, r.text
    return api, str(r.json()["id"])


def test_one_district_cannot_hold_up_another(server: Server) -> None:
    (a, a_sid), (b, b_sid) = _district(server, "a"), _district(server, "b")
    quick = {"time_limit": 0.3, "workers": 2}
    mine = [a.post("/v1/solves", json={"scenario_id": a_sid, **quick}) for _ in range(20)]
    assert {r.status_code for r in mine} == {202}
    theirs = b.post("/v1/solves", json={"scenario_id": b_sid, **quick}).json()["id"]
    # Next in turn (or after the one of a's taken before b asked): not the 21st.
    assert b.get(f"/v1/solves/{theirs}").json()["queue_position"] in (None, 1, 2)
    assert wait_for(b, theirs, timeout=30)["status"] == "done"
    states = [a.get(f"/v1/solves/{r.json()['id']}").json()["status"] for r in mine]
    assert states[-5] not in FINISHED, states
    assert states.count("done") <= 2, states
    for r in mine:
        a.delete(f"/v1/solves/{r.json()['id']}")
    for r in mine:
        wait_for(a, r.json()["id"], timeout=30)
    a.close()
    b.close()


def test_district_limits_are_429_or_422_naming_the_setting(server: Server) -> None:
    blocker, sid = _district(server, "blocker")
    busy = blocker.post("/v1/solves", json={"scenario_id": sid, "time_limit": 30}).json()["id"]
    wait_until(blocker, busy, lambda j: j["status"] == "running")  # the one worker is busy

    q, q_sid = _district(server, "q")
    body = {"scenario_id": q_sid, "time_limit": 1, "workers": 2}
    queued = [q.post("/v1/solves", json=body) for _ in range(2)]
    assert [r.status_code for r in queued] == [202, 202]
    r = q.post("/v1/solves", json=body)
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1, r.text
    assert r.json()["detail"] == (
        "district q has 2 queued jobs; LEGEVAKT_DISTRICT_LIMITS['q'].max_queued is 2"
    )

    d, d_sid = _district(server, "d")
    body = {"scenario_id": d_sid, "time_limit": 1, "workers": 2}  # 2 solve-seconds each
    daily = [d.post("/v1/solves", json=body) for _ in range(5)]
    assert {r.status_code for r in daily} == {202}
    r = d.post("/v1/solves", json=body)
    assert r.status_code == 429 and 86_000 < int(r.headers["retry-after"]) <= 86_400, r.text
    assert r.json()["detail"].startswith("district d has asked for 10 solve-seconds in the")
    assert "LEGEVAKT_DISTRICT_LIMITS['d'].max_solve_seconds_per_day is 10" in r.json()["detail"]
    r = d.post("/v1/solves", json={**body, "time_limit": 6})  # more than a day's share
    assert r.status_code == 429 and r.headers["retry-after"] == "86400", r.text
    assert "asks for 12 solve-seconds" in r.json()["detail"]
    assert r.json()["detail"].endswith(
        "a smaller job is needed: the same one will not be admitted later"
    )
    # A job cancelled before it started does not count.
    d.delete(f"/v1/solves/{daily[0].json()['id']}")
    again = d.post("/v1/solves", json=body)
    assert again.status_code == 202, again.text

    s, s_sid = _district(server, "s")
    sweep = {
        "format": "legevakt-sweep/1",
        "base": {"scenario_id": s_sid},
        "solve": {"time_limit": 0.5, "workers": 1},
        "vary": {"policy.max_hours_per_week": [None, 20]},
    }
    r = s.post("/v1/sweeps", json=sweep)
    assert r.status_code == 429 and r.headers["retry-after"] == "86400", r.text
    assert r.json()["detail"] == (
        "this sweep's budget is 1.5 s (3 variants × 0.5 s time limit); "
        "LEGEVAKT_DISTRICT_LIMITS['s'].max_sweep_seconds is 1; a smaller job is needed: the "
        "same one will not be admitted later"
    )
    # The limits are the named districts' own: the others have none.
    other = blocker.post("/v1/sweeps", json={**sweep, "base": {"scenario_id": sid}})
    assert other.status_code == 202, other.text

    for client, job_id in [
        (q, queued[0].json()["id"]),
        (q, queued[1].json()["id"]),
        *((d, r.json()["id"]) for r in [*daily[1:], again]),
        (blocker, busy),
    ]:
        client.delete(f"/v1/solves/{job_id}")
    blocker.delete(f"/v1/sweeps/{other.json()['id']}")
    for client in (blocker, q, d, s):
        client.close()
