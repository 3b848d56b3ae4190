"""House rules that a change could silently break: lint, types, and the validator's
independence from the model (a rule lives in two places on purpose)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "legevakt_opt"
#: What the validator may import from this package: only the input models.
VALIDATOR_MAY_IMPORT = {"legevakt_opt.scenario", "legevakt_opt.families", "legevakt_opt.checks"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_validator_shares_no_code_with_the_model() -> None:
    files = sorted((PACKAGE / "checks").glob("*.py"))
    assert files
    for path in files:
        for name in _imports(path):
            top = name.split(".")[0]
            assert top != "ortools", f"{path.name} imports {name}"
            if top == "legevakt_opt":
                assert any(
                    name == allowed or name.startswith(allowed + ".")
                    for allowed in VALIDATOR_MAY_IMPORT
                ), f"{path.name} imports {name}"


def test_scenario_model_does_not_import_the_solver() -> None:
    for module in ("scenario.py", "calendar.py", "roster.py", "baseline.py", "diagnosis.py"):
        assert not any(n.startswith("ortools") for n in _imports(PACKAGE / module)), module


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["lint", "format"])
def test_ruff_clean(command: list[str]) -> None:
    pytest.importorskip("ruff")
    run = subprocess.run(
        [sys.executable, "-m", "ruff", *command, "legevakt_opt", "service", "tests", "benchmarks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_mypy_clean() -> None:
    pytest.importorskip("mypy")
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "legevakt_opt", "service", "tests", "benchmarks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
