"""``POST /v1/imports`` against a real server: a doctor list onto a stored scenario, a
bundled example or an uploaded scenario file; every error line with file, sheet, row and
column; districts as tenants; and uploads over the cap refused by size before they are
parsed or held in memory (by Content-Length, and as a body without one streams in). Also
``legevakt-opt user create`` reading the password from stdin."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import openpyxl
import pytest

from legevakt_opt.cli import main
from legevakt_opt.io.doctor_list import doctor_list_template
from legevakt_opt.scenario import load_scenario
from service.db import open_database
from service.web.accounts import sign_in
from tests.service.svc_harness import (
    ROOT,
    Server,
    db_kinds,
    fresh_database,
    running_server,
    scenario_doc,
)

WORKBOOK = ROOT / "scenarios" / "hallingdal-leger.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MB = 1024 * 1024


@pytest.fixture(scope="module", params=db_kinds())
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp(f"imports-{request.param}")
    url = fresh_database(request.param, folder)
    with running_server(url, folder, pool_size=1, max_upload_bytes=5 * MB) as srv:
        yield srv


@pytest.fixture(scope="module")
def api(server: Server) -> Iterator[httpx.Client]:
    with server.client(server.token("hallingdal")) as client:
        yield client


def _stored(api: httpx.Client, name: str = "hallingdal") -> str:
    r = api.post("/v1/scenarios", json=scenario_doc(name))
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def test_import_onto_a_stored_scenario(api: httpx.Client) -> None:
    base = _stored(api)
    files = {"files": ("leger.xlsx", WORKBOOK.read_bytes(), XLSX)}
    r = api.post("/v1/imports", files=files, data={"base_scenario_id": base, "name": "Vår"})
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["doctors"] == 20 and made["name"] == "Vår"
    assert r.headers["location"] == f"/v1/scenarios/{made['id']}"
    stored = api.get(f"/v1/scenarios/{made['id']}").json()["document"]
    expected = load_scenario(ROOT / "scenarios" / "hallingdal.yaml").to_document()
    assert stored["doctors"] == expected["doctors"]


def test_import_onto_an_example_and_onto_a_file(api: httpx.Client) -> None:
    base = load_scenario(ROOT / "scenarios" / "molde.yaml")
    wb = openpyxl.load_workbook(io.BytesIO(doctor_list_template(base)))
    sheet = wb["Leger"]
    header = [str(c.value).lower() for c in sheet[1]]
    row = {
        "navn": "Kari Nordmann",
        "kommune": base.municipalities[0].name,
        "kategori": "fastlege",
        "selvstendig": "ja",
    }
    sheet.append([row.get(h) for h in header])
    buffer = io.BytesIO()
    wb.save(buffer)
    files = [("files", ("molde-leger.xlsx", buffer.getvalue(), XLSX))]
    r = api.post("/v1/imports", files=files, data={"base_example": "molde.yaml"})
    assert r.status_code == 201, r.text
    assert r.json()["doctors"] == 1
    text = (ROOT / "scenarios" / "molde.yaml").read_bytes()
    files.append(("base", ("molde.yaml", text, "application/yaml")))
    r = api.post("/v1/imports", files=files)
    assert r.status_code == 201, r.text


def test_import_errors_are_every_line(api: httpx.Client) -> None:
    csv = "navn;kommune;kategori;andel\nKari;Gol;fastlege;abc\nOla;Oslo;lege;1\n"
    files = {"files": ("leger.csv", csv.encode(), "text/csv")}
    r = api.post("/v1/imports", files=files, data={"base_example": "hallingdal.yaml"})
    assert r.status_code == 422
    lines = r.json()["detail"]
    assert "leger.csv, row 2, andel: 'abc' is not a number or a percentage" in lines
    assert any(line.startswith("leger.csv, row 3, kommune: 'Oslo'") for line in lines)
    assert any(line.startswith("leger.csv, row 3, kategori: 'lege'") for line in lines)
    r = api.post("/v1/imports", files=files)
    assert r.status_code == 422 and "exactly one" in r.json()["detail"][0]
    r = api.post("/v1/imports", files=files, data={"base_example": "oslo.yaml"})
    assert r.status_code == 422 and "base_example" in r.json()["detail"][0]
    bad = b"format: legevakt-scenario/1\nname: x\nhorizon: {start: 2027-01-01, days: 0}\n"
    r = api.post(
        "/v1/imports", files=[("files", ("leger.csv", csv.encode())), ("base", ("base.yaml", bad))]
    )
    assert r.status_code == 422
    assert all(line.startswith("base: base.yaml: ") for line in r.json()["detail"])
    r = api.post(
        "/v1/imports",
        files={"files": ("bilde.xlsx", b"\x89PNG\r\n" + b"0" * 99)},
        data={"base_example": "hallingdal.yaml"},
    )
    assert r.status_code == 422 and "bilde.xlsx" in r.json()["detail"][0]


def test_another_district_s_base_is_not_found(server: Server, api: httpx.Client) -> None:
    base = _stored(api)
    files = {"files": ("leger.xlsx", WORKBOOK.read_bytes(), XLSX)}
    with server.client(server.token("molde")) as other:
        r = other.post("/v1/imports", files=files, data={"base_scenario_id": base})
        assert r.status_code == 404
    with server.client(None) as anonymous:
        assert anonymous.post("/v1/imports", files=files).status_code == 401


def _peak_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


def test_a_50_mb_upload_is_refused_by_its_size(server: Server, api: httpx.Client) -> None:
    assert server.proc is not None
    before = _peak_kb(server.proc.pid)
    big = b"navn;kommune;kategori\n" + b"x" * (50 * MB)
    r = api.post(
        "/v1/imports", files={"files": ("leger.csv", big)}, data={"base_example": "hallingdal.yaml"}
    )
    assert r.status_code == 413
    assert "LEGEVAKT_MAX_UPLOAD_BYTES" in r.json()["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams in
        yield b'--b\r\nContent-Disposition: form-data; name="files"; filename="a.csv"\r\n\r\n'
        for _ in range(50):
            yield b"y" * MB
        yield b"\r\n--b--\r\n"

    r = api.post(
        "/v1/imports", content=chunks(), headers={"content-type": "multipart/form-data; boundary=b"}
    )
    assert r.status_code == 413
    grown = _peak_kb(server.proc.pid) - before
    assert grown < 30 * 1024, f"the server's peak memory grew by {grown} kB"
    assert api.get("/health").status_code == 200


KARI = ("--district", "hallingdal", "--username", "kari")


def test_user_create_reads_the_password_from_stdin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'users.db'}"
    # One run as a console runs it, with the password on a real pipe ...
    made = subprocess.run(
        [sys.executable, "-m", "legevakt_opt", "user", "create", *KARI],
        input="hemmelig-1\n",
        capture_output=True,
        text=True,
        env={"DATABASE_URL": url, "PATH": "/usr/bin:/bin"},
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    # ... the rest in this process (each start of the command costs seconds on a busy machine)
    monkeypatch.delenv("LEGEVAKT_DATABASE_URL", raising=False)
    monkeypatch.setenv("DATABASE_URL", url)

    def run(*args: str, password: str) -> tuple[int, str]:
        monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))
        capsys.readouterr()
        with pytest.raises(SystemExit) as info:
            main(["user", *args])
        return int(info.value.code or 0), capsys.readouterr().err

    code, err = run("create", "--district", "hallingdal", "--username", "kari", password="x" * 9)
    assert code == 2 and "exists already" in err
    code, err = run("create", "--district", "hallingdal", "--username", "ola", password="kort")
    assert code == 2 and "at least 8" in err
    code, err = run("create", "--district", "/etc", "--username", "ola", password="x" * 9)
    assert code == 2 and "district" in err
    db = open_database(url)
    try:
        assert sign_in(db, "kari", "hemmelig-1").district == "hallingdal"
        assert sign_in(db, "kari", "feil-passord").user_id is None
        code, err = run("password", "--username", "kari", password="nytt-passord")
        assert code == 0, err
        assert sign_in(db, "kari", "nytt-passord").user_id is not None
        stored = db.engine.connect().exec_driver_sql("SELECT password_hash FROM users").scalar()
        assert str(stored).startswith("$argon2") and "nytt" not in str(stored)
    finally:
        db.dispose()
