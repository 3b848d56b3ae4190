"""Living rosters over HTTP against a real server: a re-plan from a published solve (or a
roster given inline) with a freeze, its ``changes`` in the roster JSON and the Changes sheet;
who can take a shift; fixed assignments that break a rule are 422 at once, and ones that
leave no roster end the solve ``failed`` with the conflicting lines; other districts see
none of it."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from legevakt_opt.checks import validate_roster
from legevakt_opt.scenario import scenario_from_data
from tests.helpers import MONDAY, day, doctor, lis1, scenario_data, shift
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
    folder = tmp_path_factory.mktemp(f"replan-{request.param}")
    with running_server(fresh_database(request.param, folder), folder, pool_size=2) as srv:
        yield srv


@pytest.fixture(scope="module")
def api(server: Server) -> Iterator[httpx.Client]:
    with server.client(server.token("replan-district")) as client:
        yield client


@pytest.fixture(scope="module")
def published(api: httpx.Client) -> dict[str, Any]:
    r = api.post("/v1/solves", json={"scenario": scenario_doc("small-lis1"), "time_limit": 3})
    assert r.status_code == 202, r.text
    job = wait_for(api, r.json()["id"])
    assert job["status"] == "done", job
    roster = api.get(f"/v1/solves/{job['id']}/roster").json()
    return {"id": job["id"], "roster": roster}


def _ill(roster: dict[str, Any]) -> tuple[dict[str, Any], str, str]:
    """small-lis1 with its busiest doctor away on their first duty's date."""
    ill = max(roster["doctors"], key=lambda d: (roster["doctors"][d]["duties"], d))
    first = sorted(a["date"] for a in roster["assignments"] if a["doctor"] == ill)[0]
    doc = scenario_from_data(scenario_doc("small-lis1")).to_document()
    next(d for d in doc["doctors"] if d["id"] == ill)["unavailable"].append(
        {"from": first, "to": first}
    )
    return doc, ill, first


def test_a_replan_from_a_published_solve_lists_its_changes(
    api: httpx.Client, published: dict[str, Any]
) -> None:
    doc, ill, first = _ill(published["roster"])
    freeze = dt.date.fromisoformat(first).isoformat()
    body = {"scenario": doc, "published_solve_id": published["id"], "freeze_until": freeze}
    r = api.post("/v1/solves", json={**body, "time_limit": 4})
    assert r.status_code == 202, r.text
    job = wait_for(api, r.json()["id"])
    assert job["status"] == "done", job
    assert job["replan"] == {
        "freeze_until": freeze,
        "published_solve_id": published["id"],
        "published_assignments": len(published["roster"]["assignments"]),
    }
    roster = api.get(f"/v1/solves/{job['id']}/roster").json()
    assert validate_roster(scenario_from_data(doc), roster).ok
    moves = roster["changes"]
    assert moves and all(c["date"] >= freeze for c in moves)
    assert any(c["before"] == ill and "unavailable" in c["reason"] for c in moves)
    before = {
        (a["date"], a["shift"], a["doctor"], a["role"]) for a in published["roster"]["assignments"]
    }
    after = {(a["date"], a["shift"], a["doctor"], a["role"]) for a in roster["assignments"]}
    assert {a for a in after if a[0] < freeze} == {a for a in before if a[0] < freeze}
    from openpyxl import load_workbook

    xlsx = api.get(f"/v1/solves/{job['id']}/roster", params={"format": "xlsx"})
    assert "Changes" in load_workbook(io.BytesIO(xlsx.content)).sheetnames


def test_a_replan_from_a_roster_given_inline(api: httpx.Client, published: dict[str, Any]) -> None:
    doc, _, _ = _ill(published["roster"])
    r = api.post(
        "/v1/solves", json={"scenario": doc, "published": published["roster"], "time_limit": 3}
    )
    assert r.status_code == 202, r.text
    job = wait_for(api, r.json()["id"])
    assert job["status"] == "done", job
    assert api.get(f"/v1/solves/{job['id']}/roster").json()["changes"]


@pytest.mark.parametrize(
    ("extra", "line"),
    [
        ({"freeze_until": "2027-02-01"}, "freeze_until: only a re-plan"),
        ({"published": {"assignments": [{"date": "20270201"}]}}, "published: assignments[0]"),
        ({"published_solve_id": "0" * 32, "published": {"assignments": []}}, "give at most one"),
    ],
)
def test_bad_replans_are_422_naming_the_field(
    api: httpx.Client, extra: dict[str, Any], line: str
) -> None:
    r = api.post("/v1/solves", json={"scenario": scenario_doc("small-lis1"), **extra})
    assert r.status_code == 422, r.text
    assert any(line in text for text in r.json()["detail"]), r.json()


def test_a_bad_freeze_date_and_an_unknown_published_solve(
    api: httpx.Client, published: dict[str, Any]
) -> None:
    r = api.post(
        "/v1/solves",
        json={
            "scenario": scenario_doc("small-lis1"),
            "published_solve_id": published["id"],
            "freeze_until": "2027-02-30",
        },
    )
    assert r.status_code == 422
    assert "freeze_until: '2027-02-30' is not a date (YYYY-MM-DD)" in r.json()["detail"]
    r = api.post(
        "/v1/solves",
        json={"scenario": scenario_doc("small-lis1"), "published_solve_id": "f" * 32},
    )
    assert r.status_code == 404


def test_recommendations_for_one_shift(api: httpx.Client, published: dict[str, Any]) -> None:
    a = next(x for x in published["roster"]["assignments"] if x["role"] == "duty")
    url = f"/v1/solves/{published['id']}/recommendations"
    r = api.get(url, params={"date": a["date"], "shift": a["shift"]})
    assert r.status_code == 200, r.text
    answer = r.json()
    assert answer["relieves"] == a["doctor"]
    assert {c["doctor"] for c in answer["candidates"]} and "swaps" in answer
    assert all(
        set(c) >= {"feasible", "blocked_by", "burden_after", "max_burden_after"}
        for c in answer["candidates"]
    )
    r = api.get(url, params={"date": a["date"], "shift": "nope"})
    assert r.status_code == 422 and "there is no shift 'nope'" in r.json()["detail"][0]
    r = api.get(url, params={"date": "2027-13-01", "shift": a["shift"]})
    assert r.status_code == 422


def _conflicting(entries: list[dict[str, str]]) -> dict[str, Any]:
    shifts = [shift("natt", "23:00", "08:00"), shift("tidlig", "10:00", "14:00")]
    data = scenario_data(shifts, [doctor("d07"), doctor("d08"), lis1("l1")], days=3)
    data["fixed"] = entries
    return data


def test_fixed_duties_that_break_a_rule_are_422_at_once(api: httpx.Client) -> None:
    doc = _conflicting(
        [
            {"date": MONDAY, "shift": "natt", "doctor": "d07"},
            {"date": day(1), "shift": "tidlig", "doctor": "d07"},
        ]
    )
    r = api.post("/v1/solves", json={"scenario": doc})
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert detail[:3] == [
        "no roster can satisfy these:",
        f"fixed[0]: d07 on natt {MONDAY} (duty)",
        f"fixed[1]: d07 on tidlig {day(1)} (duty)",
    ]
    assert "only 2.0 h rest" in detail[3]


def test_fixed_duties_that_leave_no_roster_fail_the_solve_with_the_lines(
    api: httpx.Client,
) -> None:
    # A LIS1 fixed on natt needs a bakvakt, and both independent doctors are fixed on
    # natt2 at the same time: no rule breaks among the three, yet no roster can hold them
    # (the bakvakt would overlap natt2). Only the solver can tell, so the solve fails.
    shifts = [shift("natt", "23:00", "08:00"), shift("natt2", "23:00", "08:00", station="A")]
    data = scenario_data(shifts, [doctor("d07"), doctor("d08"), lis1("l1")], days=1)
    data["fixed"] = [
        {"date": MONDAY, "shift": "natt", "doctor": "l1"},
        {"date": MONDAY, "shift": "natt2", "doctor": "d07"},
        {"date": MONDAY, "shift": "natt2", "doctor": "d08"},
    ]
    data["shifts"][1]["doctors"] = 2
    r = api.post("/v1/solves", json={"scenario": data, "time_limit": 3})
    assert r.status_code == 202, r.text
    job = wait_for(api, r.json()["id"])
    assert job["status"] == "failed", job
    assert job["error"].startswith("no roster can satisfy these:")
    assert job["conflicts"][:3] == [
        f"fixed[0]: l1 on natt {MONDAY} (duty)",
        f"fixed[1]: d07 on natt2 {MONDAY} (duty)",
        f"fixed[2]: d08 on natt2 {MONDAY} (duty)",
    ]
    assert api.get(f"/v1/solves/{job['id']}/roster").status_code == 409


def test_another_district_cannot_replan_from_or_ask_about_this_one(
    server: Server, published: dict[str, Any]
) -> None:
    with server.client(server.token("other-district")) as other:
        r = other.post(
            "/v1/solves",
            json={"scenario": scenario_doc("small-lis1"), "published_solve_id": published["id"]},
        )
        assert r.status_code == 404
        a = published["roster"]["assignments"][0]
        r = other.get(
            f"/v1/solves/{published['id']}/recommendations",
            params={"date": a["date"], "shift": a["shift"]},
        )
        assert r.status_code == 404
