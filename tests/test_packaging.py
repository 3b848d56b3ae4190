"""The project installs without its source tree: a real wheel in a fresh virtual
environment solves a bundled example and generates a district.

The wheel's dependencies come from the test environment (a ``.pth`` file), so the test
needs no network; what it proves is that the package and its data are all in the wheel.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import tomllib
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_the_package_list_is_the_tree() -> None:
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for top in ("legevakt_opt", "service")
        for p in (ROOT / top).rglob("__init__.py")
    }
    assert listed == found | {"legevakt_opt.examples"}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the project's wheel and nothing of the source tree."""
    work = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(work / "dist"), str(ROOT)],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert build.returncode == 0, build.stdout + build.stderr
    (wheel,) = (work / "dist").glob("legevakt_opt-*.whl")
    env = work / "venv"
    venv.EnvBuilder(with_pip=True).create(env)
    python = env / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert install.returncode == 0, install.stdout + install.stderr
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    # The dependencies (ortools, pandas, ...) from this environment, after the venv's own.
    (Path(site) / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return env


def _run(env: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(env / "bin" / "legevakt-opt"), *args],
        capture_output=True, text=True, check=False, cwd=cwd, timeout=300,
    )  # fmt: skip


def test_a_wheel_solves_a_bundled_example_and_generates(installed: Path, tmp_path: Path) -> None:
    where = subprocess.run(
        [str(installed / "bin" / "python"), "-c", "import legevakt_opt as m; print(m.__file__)"],
        capture_output=True, text=True, check=True, cwd=tmp_path,
    ).stdout  # fmt: skip
    assert where.startswith(str(installed)), where
    copied = _run(installed, "examples", "--out", "ex", cwd=tmp_path)
    assert copied.returncode == 0, copied.stderr
    assert {"hallingdal.yaml", "molde.yaml", "municipalities.csv"} <= {
        p.name for p in (tmp_path / "ex").iterdir()
    }
    solved = _run(
        installed, "solve", "ex/small-lis1.yaml", "--time-limit", "2", "--workers", "1",
        "--quiet", "--out", "r.json", cwd=tmp_path,
    )  # fmt: skip
    assert solved.returncode == 0, solved.stderr
    checked = _run(installed, "validate", "ex/small-lis1.yaml", "r.json", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    made = _run(
        installed, "generate", "--out", "gen", "--districts", "1", "--weeks", "1", cwd=tmp_path
    )
    assert made.returncode == 0, made.stderr
    assert len(list((tmp_path / "gen").glob("*.yaml"))) == 1
