"""Checks on what a request brings, before anything is solved or stored: text that every
database and JSON encoder takes, finite numbers, and the service's size limits."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Any

from legevakt_opt.calendar import expand
from legevakt_opt.scenario import Scenario, ScenarioError, scenario_from_data
from service.models import ScenarioRow, new_id
from service.settings import Settings

log = logging.getLogger("legevakt.checks")


class Problem(Exception):
    """Input the service refuses: ``lines`` name each problem (422 unless ``status``)."""

    def __init__(self, lines: list[str], status: int = 422) -> None:
        super().__init__("; ".join(lines))
        self.lines = lines
        self.status = status


def _where(path: tuple[str | int, ...], root: str) -> str:
    out = root
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(document)"


def check_plain(data: Any, root: str = "", limit: int = 20) -> None:
    """Refuse text with NUL characters or unpaired surrogates (no database stores them and
    UTF-8 cannot encode them) and numbers that are not finite (JSON has none)."""
    problems: list[str] = []
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), data)]
    while stack and len(problems) < limit:
        path, value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str) and _bad_text(key):
                    problems.append(f"{_where(path, root)}: a field name {_text_problem(key)}")
                stack.append(((*path, str(key)), item))
        elif isinstance(value, list):
            stack.extend(((*path, k), item) for k, item in enumerate(value))
        elif isinstance(value, str):
            if _bad_text(value):
                problems.append(f"{_where(path, root)}: {_text_problem(value)}")
        elif isinstance(value, float) and not math.isfinite(value):
            problems.append(f"{_where(path, root)}: {value} is not a finite number")
    if problems:
        raise Problem(sorted(problems))


def _bad_text(text: str) -> bool:
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _text_problem(text: str) -> str:
    if "\x00" in text:
        return "text may not contain NUL characters"
    return "text contains an unpaired surrogate (not valid Unicode)"


@dataclass(frozen=True)
class CheckedScenario:
    scenario: Scenario
    doctors: int
    instances: int


def check_scenario(document: Any, settings: Settings, root: str = "") -> CheckedScenario:
    """Validate a scenario document and the service's limits; :class:`Problem` if not."""
    prefix = f"{root}." if root else ""
    if isinstance(document, dict):
        doctors = document.get("doctors")
        if isinstance(doctors, list) and len(doctors) > settings.max_doctors:
            raise Problem(
                [
                    _too_many(
                        prefix + "doctors",
                        len(doctors),
                        settings.max_doctors,
                        "doctors",
                        "LEGEVAKT_MAX_DOCTORS",
                    )
                ]
            )
    check_plain(document, root)
    try:
        scenario = scenario_from_data(document)
    except ScenarioError as exc:
        raise Problem([prefix + line if root else line for line in exc.errors]) from None
    except Exception:
        log.exception("scenario validation failed unexpectedly")
        raise Problem([f"{root or '(document)'}: could not be read as a scenario"]) from None
    if len(scenario.doctors) > settings.max_doctors:  # pragma: no cover - checked above
        raise Problem(
            [
                _too_many(
                    prefix + "doctors",
                    len(scenario.doctors),
                    settings.max_doctors,
                    "doctors",
                    "LEGEVAKT_MAX_DOCTORS",
                )
            ]
        )
    try:
        instances = len(expand(scenario).instances)
    except Exception:
        log.exception("expanding a valid scenario failed")
        raise Problem([f"{root or '(document)'}: its shifts could not be expanded"]) from None
    if instances > settings.max_instances:
        raise Problem(
            [
                _too_many(
                    prefix + "shifts",
                    instances,
                    settings.max_instances,
                    "shift instances",
                    "LEGEVAKT_MAX_INSTANCES",
                )
            ]
        )
    return CheckedScenario(scenario, len(scenario.doctors), instances)


def _too_many(field: str, count: int, limit: int, what: str, setting: str) -> str:
    return (
        f"{field}: {count} {what}; this service takes at most {limit} per scenario "
        f"(limit {setting})"
    )


def scenario_row(document: dict[str, Any], settings: Settings, district: str) -> ScenarioRow:
    """A scenario document that passes :func:`check_scenario`, as the row that stores it."""
    checked = check_scenario(document, settings)
    return ScenarioRow(
        id=new_id(),
        district=district,
        name=checked.scenario.name,
        document=document,
        doctors=checked.doctors,
        instances=checked.instances,
    )
