"""The example scenarios, sweep and municipalities file that ship with the package.

They live in the project's ``scenarios/`` folder, which is installed as the package
``legevakt_opt.examples`` (see ``pyproject.toml``), so an installed copy reads the same
files as a checkout.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

PACKAGE = "legevakt_opt.examples"
SUFFIXES = (".yaml", ".csv", ".xlsx")


_CHECKOUT = Path(__file__).resolve().parent.parent


def example_root() -> Traversable:
    """The bundled ``scenarios/``: this checkout's when the package runs from a source
    checkout, else the installed package data."""
    own = _CHECKOUT / "scenarios"
    if (_CHECKOUT / "pyproject.toml").is_file() and (own / "__init__.py").is_file():
        return own
    return files(PACKAGE)


def example_path(name: str) -> Traversable:
    """One bundled file by its path under ``scenarios/``, e.g. ``"hallingdal.yaml"``."""
    return example_root().joinpath(*name.split("/"))


def example_files() -> dict[str, bytes]:
    """Every bundled example by its path under ``scenarios/``, in name order."""
    out: dict[str, bytes] = {}

    def walk(folder: Traversable, prefix: str) -> None:
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.is_dir() and not entry.name.startswith(("_", ".")):
                walk(entry, f"{prefix}{entry.name}/")
            elif entry.is_file() and entry.name.endswith(SUFFIXES):
                out[prefix + entry.name] = entry.read_bytes()

    walk(example_root(), "")
    return out
