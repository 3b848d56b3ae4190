"""The mypy run of ``test_codebase.py``, started when the session's tests are collected so
that it runs beside the others (on 2 cores it took 45 s of a 16 min suite on its own), and
awaited by the test that reads its verdict."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("legevakt_opt", "service", "tests", "benchmarks", "scenarios")


class Background:
    """One command run in the background, its output to a file (a pipe nobody reads until
    the end would fill and stall it)."""

    def __init__(self, command: list[str]) -> None:
        # Open until the run is read: a context manager would close it under the process.
        self.output: IO[str] = tempfile.TemporaryFile("w+")  # noqa: SIM115
        self.process = subprocess.Popen(
            command, cwd=ROOT, stdout=self.output, stderr=subprocess.STDOUT, text=True
        )

    def wait(self) -> tuple[int, str]:
        """The exit code and everything the command printed."""
        code = self.process.wait()
        self.output.seek(0)
        return code, self.output.read()


_runs: dict[str, Background] = {}


def start_mypy() -> Background:
    """The mypy run over every source folder (started once)."""
    if "mypy" not in _runs:
        _runs["mypy"] = Background([sys.executable, "-m", "mypy", *SOURCES])
    return _runs["mypy"]
