"""Suite-wide hooks: the type check starts as soon as the tests are collected, if it is
among them, and runs beside them (:mod:`tests.static_checks`)."""

from __future__ import annotations

import importlib.util

import pytest

from tests.static_checks import start_mypy


def pytest_collection_finish(session: pytest.Session) -> None:
    wanted = any(item.name == "test_mypy_clean" for item in session.items)
    if wanted and importlib.util.find_spec("mypy") is not None:
        start_mypy()
