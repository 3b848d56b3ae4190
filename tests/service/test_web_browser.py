"""The coordinator's web app in a real browser (Debian's Chromium, driven by Playwright)
against a real ``legevakt-opt serve``: sign-in, import (a filled template, and a list with
errors), solve with live progress, the grid against the roster JSON, the keyboard, labels,
downloads, publishing and calendar feeds, the forms' errors, what-if, the adjust steps
(reassign a cell, mark an absence and re-plan), and a second district that gets 404
everywhere.

Every page is watched: no console error, and no request to any host but the app's own.
One server and one browser for the module; the tests run in order on the same district's
data. One piece because each test builds on the period and roster the earlier ones made.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest

from service.db import open_database
from service.web.accounts import create_user
from tests.service.svc_harness import ROOT, Server, fresh_database, running_server

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WORKBOOK = ROOT / "scenarios" / "hallingdal-leger.xlsx"
PASSWORD = "hemmelig-passord"

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no chromium")


@dataclass
class Watch:
    """Every request a browser context made and every console message and page error."""

    origin: str
    requests: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    def foreign(self) -> list[str]:
        own = (self.origin + "/", "data:", "blob:", "about:")
        return [u for u in self.requests if not u.startswith(own)]


@dataclass
class State:
    """What the tests pass on: the period and the solve they made."""

    period: str = ""
    solve: str = ""
    values: dict[str, Any] = field(default_factory=dict)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("web")
    url = fresh_database("sqlite", folder)
    with running_server(url, folder, pool_size=2, progress_interval=0.2) as srv:
        db = open_database(url)
        try:
            create_user(db, "hallingdal", "kari", PASSWORD)
            create_user(db, "molde", "per", PASSWORD)
            create_user(db, "molde", "ola", PASSWORD)
        finally:
            db.dispose()
        yield srv


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


def _context(chromium: Any, server: Server, tmp: Path) -> tuple[Any, Watch]:
    watch = Watch(server.base_url)
    context = chromium.new_context(accept_downloads=True, locale="nb-NO")
    context.on("request", lambda r: watch.requests.append(r.url))

    def page_made(page: Any) -> None:
        page.on("console", lambda m: watch.console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: watch.console.append(f"pageerror: {e}"))

    context.on("page", page_made)
    return context, watch


def _sign_in(page: Any, server: Server, username: str, password: str = PASSWORD) -> Any:
    page.goto(server.base_url + "/app/login")
    page.fill("#username", username)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("form[action='/app/login'] button[type=submit]")
    return page


@pytest.fixture(scope="module")
def kari(
    chromium: Any, server: Server, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Any, Watch]]:
    context, watch = _context(chromium, server, tmp_path_factory.mktemp("kari"))
    page = context.new_page()
    _sign_in(page, server, "kari")
    yield page, watch
    context.close()


@pytest.fixture(scope="module")
def state() -> State:
    return State()


@pytest.fixture(autouse=True)
def clean_pages(request: pytest.FixtureRequest) -> Iterator[None]:
    """After each test: kari's pages made no console error and asked no other host."""
    yield
    if "kari" not in request.fixturenames:
        return
    _, watch = request.getfixturevalue("kari")
    assert not watch.foreign(), watch.foreign()
    errors = [m for m in watch.console if m.startswith(("error", "pageerror"))]
    assert not errors, errors


def _api(server: Server) -> httpx.Client:
    return server.client(server.token("hallingdal"))


# ---------------------------------------------------------------- sign-in


def test_sign_in_with_a_wrong_password_then_the_right_one(
    chromium: Any, server: Server, tmp_path: Path
) -> None:
    context, watch = _context(chromium, server, tmp_path)
    page = context.new_page()
    page.goto(server.base_url + "/app/")
    assert page.url.endswith("/app/login")
    response = None
    page.fill("#username", "kari")
    page.fill("#password", "feil")
    with page.expect_navigation() as nav:
        page.click("form[action='/app/login'] button[type=submit]")
    response = nav.value
    assert response is not None and response.headers["x-legevakt-status"] == "401"
    assert "Feil brukernavn eller passord" in page.inner_text(".errors")
    _sign_in(page, server, "kari")
    assert page.url == server.base_url + "/app/"
    assert page.inner_text("h1") == "Perioder"
    cookie = next(c for c in context.cookies() if c["name"] == "lv_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and not cookie["secure"]
    assert not watch.foreign()
    assert not [m for m in watch.console if m.startswith(("error", "pageerror"))]
    context.close()


def test_failed_tries_slow_further_ones(server: Server) -> None:
    with httpx.Client(base_url=server.base_url) as client:
        codes = []
        for _ in range(5):
            form = client.get("/app/login").text
            csrf = re.search(r'name="csrf" value="([^"]+)"', form)
            assert csrf is not None
            r = client.post(
                "/app/login", data={"username": "ola", "password": "x", "csrf": csrf.group(1)}
            )
            codes.append(r.headers["x-legevakt-status"])
        assert codes == ["401", "401", "429", "429", "429"]  # the third failure: wait a second
        assert "Vent" in r.text
        form = client.get("/app/login").text
        r = client.post(
            "/app/login", data={"username": "ola", "password": PASSWORD, "csrf": "not-the-token"}
        )
        assert r.headers["x-legevakt-status"] == "403" and "lv_session" not in r.cookies


# ---------------------------------------------------------------- import


def test_an_import_with_errors_lists_them_with_row_and_column(
    kari: tuple[Any, Watch], server: Server, tmp_path: Path
) -> None:
    page, _ = kari
    bad = tmp_path / "leger.csv"
    bad.write_text(
        "navn;kommune;kategori;andel\nKari;Gol;fastlege;abc\nOla;Oslo;lege;1\n", encoding="utf-8"
    )
    page.goto(server.base_url + "/app/periods/new")
    page.select_option("#base", "example:hallingdal.yaml")
    page.set_input_files("#files", str(bad))
    with page.expect_navigation():
        page.click("form[action='/app/periods/new'] button[type=submit]")
    errors = page.inner_text(".errors")
    assert "3 feil" in errors
    assert "leger.csv, row 2, andel: 'abc' is not a number or a percentage" in errors
    assert "leger.csv, row 3, kommune: 'Oslo'" in errors
    assert "row 3, kategori: 'lege'" in errors


def test_import_of_a_template_filled_with_a_district(
    kari: tuple[Any, Watch], server: Server, tmp_path: Path, state: State
) -> None:
    page, _ = kari
    page.goto(server.base_url + "/app/periods/new")
    with page.expect_download() as info:
        page.click("a[href='/app/examples/hallingdal.yaml/mal.xlsx']")
    template = tmp_path / "mal.xlsx"
    info.value.save_as(template)
    filled = openpyxl.load_workbook(template)
    district = openpyxl.load_workbook(WORKBOOK)
    for title in ("Leger", "Fravær", "Ønsker"):
        assert [c.value for c in filled[title][1]] == [c.value for c in district[title][1]]
        for row in district[title].iter_rows(min_row=2, values_only=True):
            filled[title].append(list(row))
    filled.save(template)
    page.select_option("#base", "example:hallingdal.yaml")
    page.set_input_files("#files", str(template))
    page.fill("#name", "Hallingdal vår 2027")
    with page.expect_navigation():
        page.click("form[action='/app/periods/new'] button[type=submit]")
    assert page.inner_text("h1") == "Hallingdal vår 2027"
    assert "Leger: 20" in page.inner_text("main")
    assert "04.01.2027 – 31.01.2027 (28 dager, uke 1–4)" in page.inner_text("main")
    state.period = page.url.rstrip("/").split("/")[-1]


# ---------------------------------------------------------------- forms


def test_policy_errors_show_next_to_the_field(
    kari: tuple[Any, Watch], server: Server, state: State
) -> None:
    page, _ = kari
    page.goto(f"{server.base_url}/app/periods/{state.period}/policy")
    page.fill("#policy-min_rest_hours", "-3")
    page.fill("#policy-max_nights_in_window-shifts", "1")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "at least 0" in page.inner_text("#policy-min_rest_hours-error")
    assert page.get_attribute("#policy-min_rest_hours", "aria-invalid") == "true"
    assert "is required" in page.inner_text("#policy-max_nights_in_window-days-error")
    page.fill("#policy-min_rest_hours", "11")
    page.fill("#policy-max_nights_in_window-shifts", "")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "Lagret" in page.inner_text("main")


# ---------------------------------------------------------------- solve


def test_solve_shows_progress_until_done(
    kari: tuple[Any, Watch], server: Server, state: State
) -> None:
    page, watch = kari
    page.goto(f"{server.base_url}/app/periods/{state.period}")
    page.fill("#time_limit", "4")
    with page.expect_navigation():
        page.click("#start-solve")
    state.solve = page.url.split("/")[-1].split("?")[0]
    seen = "–"
    deadline = time.monotonic() + 30
    while seen == "–" and time.monotonic() < deadline:  # the script fills it in as it runs
        stage = page.locator("[data-field=stage]")
        seen = stage.inner_text() if stage.count() else "done before the first look"
        time.sleep(0.1)
    assert seen in (
        "starter",
        "ubesatte timer",
        "høyeste belastning",
        "jevn fordeling",
        "ønsker",
        "reise",
    ), seen
    page.wait_for_selector("table#grid", timeout=60_000)
    assert "Dekning" in page.inner_text("#summary")
    # It followed the solve's stream of events, not the polled status.
    assert f"{server.base_url}/app/solves/{state.solve}/events" in watch.requests
    assert f"{server.base_url}/app/solves/{state.solve}/status" not in watch.requests


def test_the_grid_shows_every_assignment_of_the_roster(
    kari: tuple[Any, Watch], server: Server, state: State
) -> None:
    page, _ = kari
    with _api(server) as api:
        roster = api.get(f"/v1/solves/{state.solve}/roster").json()
        names = {
            d["id"]: d["name"]
            for d in api.get(f"/v1/solves/{state.solve}").json() and _doctors(api, state)
        }
    page.goto(f"{server.base_url}/app/solves/{state.solve}")  # the whole period by default
    cells = page.evaluate(
        "Object.fromEntries(Array.from(document.querySelectorAll('#grid td[data-date]'))"
        ".map(td => [td.dataset.date + '|' + td.dataset.shift, td.innerText]))"
    )
    assert roster["assignments"]
    for a in roster["assignments"]:
        assert names[a["doctor"]] in cells[f"{a['date']}|{a['shift']}"], a
    for u in roster["unfilled"]:
        assert "mangler" in cells[f"{u['date']}|{u['shift']}"]


def _doctors(api: httpx.Client, state: State) -> list[dict[str, Any]]:
    doctors: list[dict[str, Any]] = api.get(f"/v1/scenarios/{state.period}").json()["document"][
        "doctors"
    ]
    return doctors


def test_the_grid_is_usable_by_keyboard(
    kari: tuple[Any, Watch], server: Server, state: State
) -> None:
    page, _ = kari
    page.goto(f"{server.base_url}/app/solves/{state.solve}?view=week")
    first = page.locator("#grid tbody tr").first.locator("td a").first
    first.focus()
    start = page.evaluate(
        "[document.activeElement.closest('td').dataset.date,"
        " document.activeElement.closest('td').dataset.shift]"
    )
    page.keyboard.press("ArrowDown")
    below = page.evaluate(
        "[document.activeElement.closest('td').dataset.date,"
        " document.activeElement.closest('td').dataset.shift]"
    )
    assert below[1] == start[1] and below[0] > start[0]
    page.keyboard.press("ArrowRight")
    right = page.evaluate("document.activeElement.closest('td').dataset.shift")
    assert right != start[1]
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/cell?" in page.url and "Endre vakten" in page.inner_text("h1")


def test_every_input_is_labelled(kari: tuple[Any, Watch], server: Server, state: State) -> None:
    page, _ = kari
    with _api(server) as api:
        first = api.get(f"/v1/solves/{state.solve}/roster").json()["assignments"][0]
    pages = [
        "/app/",
        "/app/periods/new",
        f"/app/periods/{state.period}",
        f"/app/periods/{state.period}/horizon",
        f"/app/periods/{state.period}/policy",
        f"/app/periods/{state.period}/shifts",
        f"/app/periods/{state.period}/whatif",
        f"/app/solves/{state.solve}",
        f"/app/solves/{state.solve}/doctors/{first['doctor']}",
        f"/app/solves/{state.solve}/cell?date={first['date']}&shift={first['shift']}",
    ]
    unlabelled_js = """() => Array.from(document.querySelectorAll('input, select, textarea'))
        .filter(el => el.type !== 'hidden')
        .filter(el => !(el.id && document.querySelector('label[for="' + el.id + '"]'))
                      && !el.getAttribute('aria-label') && !el.closest('label'))
        .map(el => el.name || el.id)"""
    for path in pages:
        page.goto(server.base_url + path)
        assert page.evaluate(unlabelled_js) == [], path
        assert page.locator("h1").count() == 1, path


def test_download_each_export(
    kari: tuple[Any, Watch], server: Server, state: State, tmp_path: Path
) -> None:
    page, _ = kari
    page.goto(f"{server.base_url}/app/solves/{state.solve}")
    got: dict[str, bytes] = {}
    for kind in ("xlsx", "csv", "ics"):
        with page.expect_download() as info:
            page.click(f"#download-{kind}")
        target = tmp_path / f"roster.{kind}"
        info.value.save_as(target)
        got[kind] = target.read_bytes()
    book = openpyxl.load_workbook(io.BytesIO(got["xlsx"]))
    assert "Roster" in book.sheetnames
    rows = list(csv.reader(io.StringIO(got["csv"].decode("utf-8"))))
    assert len(rows) > 10
    assert got["ics"].startswith(b"BEGIN:VCALENDAR")
    page.goto(f"{server.base_url}/app/periods/{state.period}")
    with page.expect_download() as info:
        page.click(f"a[href='/app/periods/{state.period}/leger.xlsx']")
    info.value.save_as(tmp_path / "leger.xlsx")
    listed = openpyxl.load_workbook(tmp_path / "leger.xlsx")["Leger"]
    assert listed.max_row == 21  # header + 20 doctors


def test_publish_and_a_doctor_s_calendar_feed(
    kari: tuple[Any, Watch], server: Server, state: State
) -> None:
    page, _ = kari
    page.goto(f"{server.base_url}/app/solves/{state.solve}")
    with page.expect_navigation():
        page.click("#publish")
    assert "Publisert" in page.inner_text("#summary")
    page.goto(f"{server.base_url}/app/periods/{state.period}")
    with page.expect_navigation():
        page.click(f"form[action='/app/periods/{state.period}/feeds'] button")
    urls = [u.strip() for u in page.locator("#feeds code").all_inner_texts()]
    assert len(urls) == 19  # one doctor is exempt
    feed = httpx.get(urls[0])
    assert feed.status_code == 200 and feed.text.startswith("BEGIN:VCALENDAR")
    assert httpx.get(urls[0].replace("lvf_", "lvf_x")).status_code == 404


def test_english_is_selectable(kari: tuple[Any, Watch], server: Server, state: State) -> None:
    page, _ = kari
    page.goto(f"{server.base_url}/app/solves/{state.solve}")
    with page.expect_navigation():
        page.click("header button[lang=en]")
    assert page.inner_text("h1").startswith("Roster") and "week 1" in page.inner_text("main")
    assert page.evaluate("document.documentElement.lang") == "en"
    with page.expect_navigation():
        page.click("header button[lang=nb]")
    assert page.inner_text("h1").startswith("Vaktplan")


# ---------------------------------------------------------------- adjust


def _cell_page(page: Any, server: Server, state: State, role: str = "duty") -> dict[str, Any]:
    with _api(server) as api:
        roster = api.get(f"/v1/solves/{state.solve}/roster").json()
    a = next(x for x in roster["assignments"] if x["role"] == role)
    page.goto(
        f"{server.base_url}/app/solves/{state.solve}/cell?date={a['date']}&shift={a['shift']}"
    )
    return dict(a)


def test_reassign_a_cell(kari: tuple[Any, Watch], server: Server, state: State) -> None:
    page, _ = kari
    a = _cell_page(page, server, state)
    rows = page.locator("#candidates tbody tr")
    assert rows.count() > 0
    button = page.locator("#candidates form button").first
    doctor = button.locator("xpath=ancestor::tr").get_attribute("data-doctor")
    with page.expect_navigation():
        button.click()
    assert a["shift"] in page.inner_text("#pending")
    with page.expect_navigation():
        page.click("#replan")
    page.wait_for_selector("#changes", timeout=90_000)
    with _api(server) as api:
        new = page.url.split("/")[-1].split("?")[0]
        roster = api.get(f"/v1/solves/{new}/roster").json()
    assert {"date": a["date"], "shift": a["shift"], "doctor": doctor, "role": "duty"} in roster[
        "assignments"
    ]
    with page.expect_navigation():
        page.click("#keep")
    assert "lagret" in page.inner_text("main")


def test_mark_an_absence_and_replan(kari: tuple[Any, Watch], server: Server, state: State) -> None:
    page, _ = kari
    a = _cell_page(page, server, state)
    page.select_option("#absent-doctor", a["doctor"])
    with page.expect_navigation():
        page.click("#add-absence")
    assert "borte" in page.inner_text("#pending")
    with page.expect_navigation():
        page.click("#replan")
    page.wait_for_selector("#changes", timeout=90_000)
    with _api(server) as api:
        new = page.url.split("/")[-1].split("?")[0]
        roster = api.get(f"/v1/solves/{new}/roster").json()
    assert not [
        x for x in roster["assignments"] if x["doctor"] == a["doctor"] and x["date"] == a["date"]
    ]


# ---------------------------------------------------------------- what-if


def test_policy_what_if(kari: tuple[Any, Watch], server: Server, state: State) -> None:
    page, _ = kari
    page.goto(f"{server.base_url}/app/periods/{state.period}/whatif")
    page.select_option("#field1", "policy.max_hours_per_week")
    page.fill("#values1", "ingen; 14")
    page.fill("#whatif-time", "0,3")
    with page.expect_navigation():
        page.click("#run-whatif")
    assert "/app/sweeps/" in page.url
    page.wait_for_selector("#sweep-summary", timeout=120_000)
    rows = page.locator("#sweep-summary tbody tr")
    assert rows.count() == 3  # base, none, 14
    page.wait_for_selector("img.plot")
    ok = page.evaluate("Array.from(document.images).every(i => i.complete && i.naturalWidth)")
    assert ok
    # On a phone the summary scrolls in its frame; the page itself stays as wide as the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


# ---------------------------------------------------------------- another district


def test_a_second_district_gets_404_for_the_first_s_pages(
    chromium: Any, server: Server, state: State, tmp_path: Path
) -> None:
    context, watch = _context(chromium, server, tmp_path)
    page = context.new_page()
    _sign_in(page, server, "per")
    assert state.period not in page.content()
    with _api(server) as api:
        a = api.get(f"/v1/solves/{state.solve}/roster").json()["assignments"][0]
    for path in (
        f"/app/periods/{state.period}",
        f"/app/periods/{state.period}/policy",
        f"/app/periods/{state.period}/leger.xlsx",
        f"/app/periods/{state.period}/mal.xlsx",
        f"/app/periods/{state.period}/whatif",
        f"/app/solves/{state.solve}",
        f"/app/solves/{state.solve}/status",
        f"/app/solves/{state.solve}/events",
        f"/app/solves/{state.solve}/roster.xlsx",
        f"/app/solves/{state.solve}/roster.ics?doctor={a['doctor']}",
        f"/app/solves/{state.solve}/doctors/{a['doctor']}",
        f"/app/solves/{state.solve}/cell?date={a['date']}&shift={a['shift']}",
    ):
        response = page.request.get(server.base_url + path)
        assert response.status == 404, path
    csrf = page.get_attribute("input[name=csrf]", "value")
    for path in (
        f"/app/periods/{state.period}/solve",
        f"/app/periods/{state.period}/feeds",
        f"/app/solves/{state.solve}/publish",
        f"/app/solves/{state.solve}/cancel",
    ):
        response = page.request.post(server.base_url + path, form={"csrf": csrf or ""})
        assert response.status == 404, path
    assert not watch.foreign()
    context.close()
