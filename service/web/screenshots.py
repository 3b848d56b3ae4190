"""The screenshots of the web app in ``docs/screenshots/`` (the README shows them), made
afresh: ``python -m service.web.screenshots [--out DIR]``.

It starts ``legevakt-opt serve`` on a new SQLite file in a temporary folder, creates a
user, and drives Debian's Chromium (Playwright) through the coordinator's path with the
bundled Hallingdal example: sign-in, a doctor list with errors, the import, a form with an
error, a solve in progress, the roster, a cell and a doctor. Needs the test extra
(Playwright) and ``apt-get install chromium``.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from service.db import open_database
from service.web.accounts import create_user

ROOT = Path(__file__).resolve().parents[2]
WORKBOOK = ROOT / "scenarios" / "hallingdal-leger.xlsx"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
USER, PASSWORD = "koordinator", "vaktplan-2027"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(folder: Path, port: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEGEVAKT_")}
    env.update(DATABASE_URL=f"sqlite:///{folder / 'legevakt.db'}", LEGEVAKT_POOL_SIZE="1")
    command = [
        sys.executable,
        "-m",
        "legevakt_opt",
        "serve",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    proc = subprocess.Popen(command, cwd=folder, env=env)
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the server did not start")


def _shoot(page: Any, out: Path, name: str, full: bool = False) -> None:
    path = out / f"{name}.png"
    page.screenshot(path=str(path), full_page=full)
    print(f"wrote {path}")


def make(out: Path, chromium: str = "/usr/bin/chromium") -> None:
    from playwright.sync_api import sync_playwright  # the test extra; only this script

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="legevakt-shots-") as tmp:
        folder = Path(tmp)
        db = open_database(f"sqlite:///{folder / 'legevakt.db'}")
        create_user(db, "Hallingdal", USER, PASSWORD)
        db.dispose()
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        proc = _serve(folder, port)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 860})
                page.goto(base + "/app/login")
                _shoot(page, out, "login")
                page.fill("#username", USER)
                page.fill("#password", PASSWORD)
                with page.expect_navigation():
                    page.click("form[action='/app/login'] button[type=submit]")
                bad = folder / "leger.csv"
                bad.write_text(
                    "navn;kommune;kategori;andel\nKari Nordmann;Gol;fastlege;halv\n"
                    "Ola Hansen;Oslo;lege;1\n",
                    encoding="utf-8",
                )
                page.goto(base + "/app/periods/new")
                page.select_option("#base", "example:hallingdal.yaml")
                page.set_input_files("#files", str(bad))
                with page.expect_navigation():
                    page.click("form[action='/app/periods/new'] button[type=submit]")
                _shoot(page, out, "import-errors")
                page.select_option("#base", "example:hallingdal.yaml")
                page.set_input_files("#files", str(WORKBOOK))
                page.fill("#name", "Hallingdal januar 2027")
                with page.expect_navigation():
                    page.click("form[action='/app/periods/new'] button[type=submit]")
                period = page.url
                page.goto(period + "/policy")
                page.fill("#policy-max_hours_per_week", "-30")
                with page.expect_navigation():
                    page.click("main form button[type=submit]")
                _shoot(page, out, "policy-error")
                page.goto(period)
                page.fill("#time_limit", "10")
                with page.expect_navigation():
                    page.click("#start-solve")
                time.sleep(2.5)
                _shoot(page, out, "progress")
                page.wait_for_selector("table#grid", timeout=120_000)
                solve = page.url
                page.goto(solve + "?view=week&at=2027-01-11")
                _shoot(page, out, "roster", full=True)
                page.goto(base + "/app/")
                _shoot(page, out, "periods")
                page.goto(solve)
                with page.expect_navigation():
                    page.locator("#grid td.cell a").nth(7).click()
                _shoot(page, out, "cell")
                page.goto(solve)
                with page.expect_navigation():
                    page.locator("#doctors tbody a").first.click()
                _shoot(page, out, "doctor", full=True)
                # A coordinator's phone: the roster's week and a cell.
                page.set_viewport_size({"width": 390, "height": 844})
                page.goto(solve + "?view=week&at=2027-01-11")
                _shoot(page, out, "roster-phone")
                page.goto(solve)
                with page.expect_navigation():
                    page.locator("#grid td.cell a").nth(7).click()
                _shoot(page, out, "cell-phone", full=True)
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    make(args.out, args.chromium)


if __name__ == "__main__":
    main()
