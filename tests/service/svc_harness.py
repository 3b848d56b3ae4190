"""Running the service for tests: a real ``legevakt-opt serve`` process on 127.0.0.1 and a
random free port, on a fresh SQLite file, or on PostgreSQL when
``LEGEVAKT_TEST_POSTGRES_URL`` is set (every server-backed test runs on both then).

Test modules import this as ``from tests.service.svc_harness import ...``.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
POSTGRES_ENV = "LEGEVAKT_TEST_POSTGRES_URL"
FINISHED = ("done", "failed", "cancelled")


def db_kinds() -> list[str]:
    """``sqlite`` always; ``postgres`` too when the environment names a server."""
    return ["sqlite", "postgres"] if os.environ.get(POSTGRES_ENV) else ["sqlite"]


def shared_db_kind() -> list[str]:
    """The database several servers share in a deployment: ``postgres`` when the
    environment names a server, else the SQLite file. For the tests that start servers
    in pairs or queue dozens of jobs (tens of seconds each): once, not once per database."""
    return ["postgres"] if os.environ.get(POSTGRES_ENV) else ["sqlite"]


def fresh_database(kind: str, folder: Path) -> str:
    """A database URL with nothing in it (the server's migrations create the tables)."""
    if kind == "sqlite":
        return f"sqlite:///{folder / 'legevakt.db'}"
    from sqlalchemy import create_engine, text

    from service.models import Base
    from service.settings import normalize_database_url

    url = normalize_database_url(os.environ[POSTGRES_ENV])
    engine = create_engine(url)
    with engine.begin() as conn:
        Base.metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()
    return url


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def scenario_doc(name: str) -> dict[str, Any]:
    """A scenario file of ``scenarios/`` as the JSON document a client would post."""
    from legevakt_opt.scenario import read_document

    data = read_document(SCENARIOS / f"{name}.yaml")
    doc: dict[str, Any] = json.loads(json.dumps(data, default=str))
    return doc


class Server:
    """One ``legevakt-opt serve`` process (and its worker processes)."""

    def __init__(self, database_url: str, folder: Path, **settings: Any) -> None:
        self.database_url = database_url
        self.folder = folder
        self.settings = settings
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = folder / "server.log"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("LEGEVAKT_")}
        env["DATABASE_URL"] = self.database_url
        for key, value in self.settings.items():
            env[f"LEGEVAKT_{key.upper()}"] = str(value)
        env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
        return env

    def start(self, timeout: float = 60.0) -> Server:
        for _attempt in range(3):
            self.port = free_port()
            with self.log.open("ab") as log:
                self.proc = subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "legevakt_opt",
                        "serve",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        str(self.port),
                        "--log-level",
                        "warning",
                    ],
                    cwd=self.folder,
                    env=self.env(),
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            if self._wait_healthy(timeout):
                return self
            self._kill_group()
        raise RuntimeError(f"the server did not start; log:\n{self.log.read_text()[-3000:]}")

    def _wait_healthy(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        assert self.proc is not None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            with suppress(httpx.HTTPError):
                r = httpx.get(self.base_url + "/health", timeout=2)
                if r.status_code == 200 and r.json()["workers"] >= 1:
                    return True
            time.sleep(0.1)
        return False

    def worker_pids(self) -> list[int]:
        """The server's worker processes (children running multiprocessing's spawn_main)."""
        assert self.proc is not None
        out = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                cmd = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == self.proc.pid and b"spawn_main" in cmd:
                out.append(int(entry.name))
        return out

    def sigkill(self) -> None:
        """Kill the web process alone, the hard way (its workers must follow by themselves)."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        """Stop gracefully (SIGINT, as Ctrl-C), then make sure nothing of it is left."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._kill_group()

    def _kill_group(self) -> None:
        # The server was started in its own session: its process group holds it and its
        # workers, and nothing else.
        if self.proc is not None:
            with suppress(ProcessLookupError, PermissionError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            with suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=10)

    def token(self, district: str) -> str:
        from service.auth import create_token
        from service.db import open_database

        db = open_database(self.database_url)
        try:
            return create_token(db, district)
        finally:
            db.dispose()

    def client(self, token: str | None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=30)


@contextmanager
def running_server(database_url: str, folder: Path, **settings: Any) -> Iterator[Server]:
    server = Server(database_url, folder, **settings)
    try:
        yield server.start()
    finally:
        server.stop()


def wait_for(
    client: httpx.Client, job_id: str, statuses: tuple[str, ...] = FINISHED, timeout: float = 90
) -> dict[str, Any]:
    """Poll a solve until its status is one of ``statuses``; its last state."""
    deadline = time.monotonic() + timeout
    while True:
        r = client.get(f"/v1/solves/{job_id}")
        assert r.status_code == 200, r.text
        job: dict[str, Any] = r.json()
        if job["status"] in statuses:
            return job
        assert time.monotonic() < deadline, f"solve still {job['status']}: {job}"
        time.sleep(0.2)


def wait_until(client: httpx.Client, job_id: str, test: Any, timeout: float = 60) -> dict[str, Any]:
    """Poll a solve until ``test(job)`` holds."""
    deadline = time.monotonic() + timeout
    while True:
        job: dict[str, Any] = client.get(f"/v1/solves/{job_id}").json()
        if test(job):
            return job
        assert time.monotonic() < deadline, f"condition never held: {job}"
        time.sleep(0.1)
