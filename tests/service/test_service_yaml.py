"""YAML bodies against a real server: the four routes that take a document read YAML with
the scenario files' loader and answer as for the same document in JSON; a syntax error or
a duplicate key is 422 with the line and column the command line prints; anything else a
JSON body could not be is refused by name."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from legevakt_opt.scenario import ScenarioError, load_scenario, read_document
from tests.service.svc_harness import (
    SCENARIOS,
    Server,
    db_kinds,
    fresh_database,
    running_server,
    scenario_doc,
    wait_for,
)

YAML = {"content-type": "application/yaml"}
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml")
LIS1 = (SCENARIOS / "small-lis1.yaml").read_text(encoding="utf-8")
DOCUMENT_ROUTES = ("/v1/scenarios", "/v1/solves", "/v1/validate", "/v1/sweeps")
MAX_BODY_BYTES = 200_000


@pytest.fixture(scope="module", params=db_kinds())
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp(f"yaml-{request.param}")
    url = fresh_database(request.param, folder)
    with running_server(url, folder, pool_size=2, max_body_bytes=MAX_BODY_BYTES) as srv:
        yield srv


@pytest.fixture(scope="module")
def api(server: Server) -> Iterator[httpx.Client]:
    with server.client(server.token("yaml-district")) as client:
        yield client


def _under(key: str, text: str) -> str:
    """``text`` (a YAML mapping) as the value of ``key``."""
    return f"{key}:\n" + textwrap.indent(text, "  ")


def _cli_lines(text: str, folder: Path) -> list[str]:
    """What the command line says about ``text`` as a scenario file, its path as ``body``."""
    path = folder / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    return [line.replace(f"{path}: ", "", 1) for line in caught.value.errors]


def _post_yaml(api: httpx.Client, path: str, text: str, media: str = "application/yaml") -> Any:
    return api.post(path, content=text.encode("utf-8"), headers={"content-type": media})


# ---------------------------------------------------------------- the same result as JSON


def test_a_yaml_scenario_is_stored_as_its_json_document(api: httpx.Client) -> None:
    as_json = api.post("/v1/scenarios", json=scenario_doc("small-lis1")).json()["id"]
    for media in (*YAML_TYPES, "application/yaml; charset=utf-8"):
        r = _post_yaml(api, "/v1/scenarios", LIS1, media)
        assert r.status_code == 201, (media, r.text)
        stored = api.get(f"/v1/scenarios/{r.json()['id']}").json()
        assert stored["document"] == scenario_doc("small-lis1")
        assert stored["document"]["horizon"]["start"] == "2027-02-01"  # an unquoted date
        twin = api.get(f"/v1/scenarios/{as_json}").json()
        assert (stored["doctors"], stored["instances"]) == (twin["doctors"], twin["instances"])


def test_a_yaml_solve_gives_the_json_solves_roster(api: httpx.Client) -> None:
    options = {"time_limit": 0.5, "workers": 1, "seed": 7}
    a = api.post("/v1/solves", json={"scenario": scenario_doc("small-lis1"), **options})
    text = "time_limit: 0.5\nworkers: 1\nseed: 7\n" + _under("scenario", LIS1)
    b = _post_yaml(api, "/v1/solves", text)
    assert (a.status_code, b.status_code) == (202, 202), b.text
    jobs = [wait_for(api, r.json()["id"]) for r in (a, b)]
    assert [j["status"] for j in jobs] == ["done", "done"], jobs
    fields = ("scenario_name", "time_limit", "workers", "seed")
    assert [jobs[0][f] for f in fields] == [jobs[1][f] for f in fields]
    rosters = [api.get(f"/v1/solves/{j['id']}/roster").json() for j in jobs]
    assert rosters[0]["assignments"] == rosters[1]["assignments"]  # workers 1: reproducible


def test_yaml_validate_gives_the_json_report(api: httpx.Client) -> None:
    exempt = next(d["id"] for d in scenario_doc("small-lis1")["doctors"] if d.get("exempt"))
    duty = {"date": "2027-02-01", "shift": "kveld", "doctor": exempt, "role": "duty"}
    as_json = api.post(
        "/v1/validate",
        json={"scenario": scenario_doc("small-lis1"), "roster": {"assignments": [duty]}},
    )
    roster = (
        "roster:\n  assignments:\n"
        f"    - {{date: 2027-02-01, shift: kveld, doctor: {exempt}, role: duty}}\n"
    )
    as_yaml = _post_yaml(api, "/v1/validate", roster + _under("scenario", LIS1))
    assert (as_json.status_code, as_yaml.status_code) == (200, 200), as_yaml.text
    assert as_yaml.json() == as_json.json()
    assert "exempt" in {b["rule"] for b in as_yaml.json()["breaches"]}


def test_a_yaml_sweep_plans_the_json_sweeps_variants(api: httpx.Client) -> None:
    sid = api.post("/v1/scenarios", json=scenario_doc("small-lis1")).json()["id"]
    sweep = {
        "base": {"scenario_id": sid},
        "vary": {"policy.max_hours_per_week": [None, 21]},
        "labels": {"policy.max_hours_per_week": "cap"},
        "solve": {"time_limit": 0.2},
    }
    text = (
        f"base: {{scenario_id: '{sid}'}}\nvary:\n  policy.max_hours_per_week: [null, 21]\n"
        "labels: {policy.max_hours_per_week: cap}\nsolve: {time_limit: 0.2}\n"
    )
    ids = []
    for r in (api.post("/v1/sweeps", json=sweep), _post_yaml(api, "/v1/sweeps", text)):
        assert r.status_code == 202, r.text
        ids.append(r.json()["id"])
    shown = [api.get(f"/v1/sweeps/{i}").json() for i in ids]
    for i in ids:
        api.delete(f"/v1/sweeps/{i}")  # the plan is what is compared; free the pool
    planned = [[(v["name"], v["kind"], v["description"]) for v in s["variants"]] for s in shown]
    assert planned[0] == planned[1] and len(planned[0]) == 3
    assert shown[0]["time_limit"] == shown[1]["time_limit"] == 0.2


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize("path", DOCUMENT_ROUTES)
def test_a_yaml_syntax_error_is_422_with_line_and_column(
    api: httpx.Client, path: str, tmp_path: Path
) -> None:
    text = "name: x\n  bad: [\n"
    r = _post_yaml(api, path, text)
    assert r.status_code == 422, r.text
    assert r.json()["detail"] == [f"body: {_cli_lines(text, tmp_path)[0]}"]
    assert r.json()["detail"][0].startswith("body: not valid YAML/JSON at line 2, column 6:")


def test_a_duplicate_key_is_422_naming_its_line(api: httpx.Client, tmp_path: Path) -> None:
    text = LIS1 + "name: again\n"
    r = _post_yaml(api, "/v1/scenarios", text)
    assert r.status_code == 422
    (line,) = r.json()["detail"]
    assert line == f"body: {_cli_lines(text, tmp_path)[0]}"
    assert line.endswith(f"at line {LIS1.count(chr(10)) + 1}, column 1: duplicate key 'name'")
    r = _post_yaml(api, "/v1/solves", "scenario:\n  name: a\n  name: b\n")
    assert r.json()["detail"] == [
        "body: not valid YAML/JSON at line 3, column 3: duplicate key 'name'"
    ]


def test_schema_errors_are_the_json_bodys_lines(api: httpx.Client, tmp_path: Path) -> None:
    text = LIS1.replace("days: 28", "days: 400").replace("start: 16:00", "start: 25:00", 1)
    cli = _cli_lines(text, tmp_path)
    doc = json.loads(json.dumps(read_document(tmp_path / "scenario.yaml")))
    inline = _under("scenario", text)
    cases = [
        ("/v1/scenarios", doc, text, ""),
        ("/v1/solves", {"scenario": doc}, inline, "scenario."),
        ("/v1/validate", {"scenario": doc, "roster": {}}, "roster: {}\n" + inline, "scenario."),
        ("/v1/sweeps", {"base": doc}, _under("base", text), "base."),
    ]
    for path, body, yaml_text, prefix in cases:
        as_json, as_yaml = api.post(path, json=body), _post_yaml(api, path, yaml_text)
        assert (as_json.status_code, as_yaml.status_code) == (422, 422), path
        assert as_yaml.json()["detail"] == as_json.json()["detail"], path
        if path != "/v1/sweeps":  # a sweep's lines say more about its base
            assert as_yaml.json()["detail"] == [prefix + line for line in cli], path
    assert any(line.startswith("horizon.days") for line in cli)
    assert any(line.startswith("shifts[1].start") for line in cli)


def test_what_json_could_not_hold_is_refused_by_name(api: httpx.Client) -> None:
    r = _post_yaml(api, "/v1/scenarios", "name: x\nlogo: !!binary aGVp\n1: one\n")
    assert r.status_code == 422
    assert r.json()["detail"] == [
        "(document): the field name 1 is not text; quote it",
        "logo: binary data (!!binary) is not JSON data",
    ]
    laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]\n" for p, n in zip("abcd", "bcde", strict=True)
    )  # 100,000 values from 300 bytes
    r = _post_yaml(api, "/v1/solves", laughs)
    assert r.status_code == 422
    assert "LEGEVAKT_MAX_BODY_BYTES" in r.json()["detail"][0]
    r = _post_yaml(api, "/v1/validate", "a: &a [*a]\n")  # a cycle
    assert r.status_code == 422 and "more than" in r.json()["detail"][0]


def test_other_content_types_and_no_token(api: httpx.Client, server: Server) -> None:
    for path in DOCUMENT_ROUTES:
        r = api.post(path, content=b"name: x\n", headers={"content-type": "text/plain"})
        assert r.status_code == 422
        assert r.json()["detail"] == [
            "body: Content-Type 'text/plain' is not taken; send application/json or "
            "application/yaml"
        ]
        r = httpx.post(server.base_url + path, content=LIS1.encode(), headers=YAML)
        assert r.status_code == 401  # YAML is parsed only for a known token
    r = api.post(
        "/v1/scenarios", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert r.status_code == 400  # the JSON path as it was


def test_openapi_shows_the_yaml_bodies(server: Server) -> None:
    spec = httpx.get(server.base_url + "/openapi.json").json()
    for path in DOCUMENT_ROUTES:
        content = spec["paths"][path]["post"]["requestBody"]["content"]
        assert set(content) == {"application/json", *YAML_TYPES}, path
        as_json = {k: v for k, v in content["application/json"]["schema"].items() if k != "title"}
        for media in YAML_TYPES:  # FastAPI titles the JSON body after its parameter
            assert content[media] == {"schema": as_json}, (path, media)
    assert spec["paths"]["/v1/solves"]["post"]["requestBody"]["content"]["text/yaml"] == {
        "schema": {"$ref": "#/components/schemas/SolveRequest"}
    }
