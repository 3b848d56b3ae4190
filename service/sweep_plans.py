"""A sweep posted over HTTP, read into a checked plan; and the same plan again from what the
service stored, when a worker runs it.

A sweep file names its base and its ``merge`` scenarios by file path. Over HTTP each is
``{"scenario_id": "<id>"}`` (a stored scenario of the district) or a scenario document
inline; a string is a file path and is refused. Each one is resolved before anything is
queued and kept with the sweep (the job's ``scenario_document`` and ``merges``), so a
sweep runs the same after its scenarios were changed or deleted. Everything the command
line checks is checked here too, with the same lines, plus the service's limits.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from legevakt_opt.calendar import expand
from legevakt_opt.scenario import ScenarioError, scenario_from_data
from legevakt_opt.sweep.patch import host_municipality
from legevakt_opt.sweep.spec import SweepError, SweepSpec, sweep_from_data
from legevakt_opt.sweep.variants import SweepPlan, plan_from_data
from service.checks import Problem, check_plain, check_scenario
from service.schemas import MAX_SEED
from service.settings import Settings

log = logging.getLogger("legevakt.sweeps")

SCENARIO_ID = "scenario_id"


@dataclass(frozen=True)
class Stored:
    """A stored scenario of the district (what a ``{"scenario_id"}`` reference names)."""

    id: str
    name: str
    document: dict[str, Any]


Lookup = Callable[[str], Stored]
"""Finds a stored scenario of the district by id; raises (404) when there is none."""


@dataclass(frozen=True)
class CheckedSweep:
    """A posted sweep that passed every check: the plan, and what to store to run it."""

    plan: SweepPlan
    #: The library's sweep data: ``base`` is a label, each ``merge`` entry a key of merges.
    spec: dict[str, Any]
    #: Per merge key: ``tag`` (prefix of clashing ids) and ``document`` (full scenario).
    merges: dict[str, dict[str, Any]]
    base_document: dict[str, Any]
    base_id: str | None
    base_name: str

    @property
    def options(self) -> dict[str, Any]:
        """time_limit, workers and seed (the same for every variant)."""
        return self.plan.spec.solve.as_options()

    def planned(self) -> list[dict[str, str]]:
        """Every variant in the plan's order: name, kind (base, grid, variant), description."""
        return [
            {"name": v.name, "kind": v.kind, "description": v.description}
            for v in self.plan.variants
        ]


def plan_of(spec: dict[str, Any], base: dict[str, Any], merges: dict[str, Any]) -> SweepPlan:
    """The plan of stored sweep data; the merge entries are read from ``merges``."""

    def load(key: str) -> tuple[str, dict[str, Any]]:
        entry = merges.get(key)
        if not isinstance(entry, dict):
            raise ScenarioError([f"{key}: no such merge scenario"])
        return str(entry["tag"]), dict(entry["document"])

    return plan_from_data(spec, base, load_merge=load)


class _Reader:
    """Resolves the references of one posted sweep, collecting problems as it goes."""

    def __init__(self, settings: Settings, lookup: Lookup) -> None:
        self.settings = settings
        self.lookup = lookup
        self.problems: list[str] = []

    def scenario(self, value: Any, field: str) -> tuple[str | None, str, dict[str, Any]] | None:
        """``(stored id or None, name, document as given)`` of a base or merge entry."""
        if isinstance(value, str):
            self.problems.append(
                f"{field}: {_short(value)} is a file path, which a sweep sent over HTTP cannot "
                'use; give {"scenario_id": "<id>"} of a stored scenario, or the scenario itself'
            )
            return None
        if not isinstance(value, dict):
            self.problems.append(
                f'{field}: give {{"scenario_id": "<id>"}} of a stored scenario, or the '
                f"scenario itself (a mapping), not {type(value).__name__}"
            )
            return None
        if SCENARIO_ID in value:
            sid = value[SCENARIO_ID]
            if len(value) > 1:
                others = ", ".join(sorted(str(k) for k in value if k != SCENARIO_ID))
                self.problems.append(
                    f"{field}: give scenario_id alone, or a scenario without it (also: {others})"
                )
                return None
            if not isinstance(sid, str):
                self.problems.append(f"{field}.scenario_id: is not a scenario id (a string)")
                return None
            stored = self.lookup(sid)
            return stored.id, stored.name, stored.document
        try:
            checked = check_scenario(value, self.settings, root=field)
        except Problem as exc:
            self.problems += exc.lines
            return None
        return None, checked.scenario.name, value


def _short(text: str) -> str:
    return repr(text if len(text) <= 80 else text[:77] + "...")


def check_sweep(data: Any, settings: Settings, lookup: Lookup) -> CheckedSweep:
    """Read and check a posted sweep; :class:`Problem` (422) lists every problem, each naming
    its field; ``lookup`` raises for an unknown scenario id."""
    check_plain(data)
    if not isinstance(data, dict):
        raise Problem(["(document): a sweep is a mapping of fields"])
    reader = _Reader(settings, lookup)
    spec = dict(data)
    base: tuple[str | None, str, dict[str, Any]] | None = None
    if "base" not in data:
        reader.problems.append(
            'base: is required: {"scenario_id": "<id>"} of a stored scenario, or the scenario'
        )
    else:
        base = reader.scenario(data["base"], "base")
    if base is not None:
        sid, name, _ = base
        spec["base"] = f"scenario {sid} ({name})" if sid else f"{name} (inline)"
    else:
        spec["base"] = "(none)"
    merges = _read_merges(spec, reader)
    try:
        parsed = sweep_from_data(spec)
    except SweepError as exc:
        raise Problem([*reader.problems, *exc.errors]) from None
    if reader.problems or base is None:
        raise Problem(reader.problems)
    spec["solve"] = _solve_settings(parsed, settings)
    _check_count(parsed, settings)
    try:
        plan = plan_of(spec, base[2], merges)
    except SweepError as exc:
        raise Problem(exc.errors) from None
    except Exception:
        log.exception("expanding a valid sweep failed")
        raise Problem(["(document): the sweep's variants could not be made"]) from None
    _check_sizes(plan, settings)
    return CheckedSweep(plan, spec, merges, base[2], base[0], base[1])


def _read_merges(spec: dict[str, Any], reader: _Reader) -> dict[str, dict[str, Any]]:
    """Replace each variant's merge entries by keys of the returned mapping."""
    merges: dict[str, dict[str, Any]] = {}
    variants = spec.get("variants")
    if not isinstance(variants, dict):
        return merges
    spec["variants"] = variants = dict(variants)
    for name, variant in variants.items():
        if not isinstance(variant, dict) or "merge" not in variant:
            continue
        entries = variant["merge"]
        single = isinstance(entries, dict | str)
        if single:
            entries = [entries]
        if not isinstance(entries, list):
            continue  # not a list: the sweep check names it
        keys = []
        for k, entry in enumerate(entries):
            field = f"variants.{name}.merge" + ("" if single else f"[{k}]")
            found = reader.scenario(entry, field)
            if found is None:
                keys.append(field)
                continue
            try:
                document = scenario_from_data(found[2]).to_document()
            except ScenarioError as exc:  # a stored scenario the current rules refuse
                reader.problems += [f"{field}: {line}" for line in exc.errors]
                keys.append(field)
                continue
            merges[field] = {"tag": host_municipality(document), "document": document}
            keys.append(field)
        variants[name] = {**variant, "merge": keys}
    return merges


def _solve_settings(spec: SweepSpec, settings: Settings) -> dict[str, Any]:
    """The solve settings every variant gets, within the service's limits. A time limit the
    sweep does not give is the format's default, lowered to the service's maximum."""
    given = spec.solve.model_fields_set
    solve = spec.solve.as_options()
    problems = []
    if solve["time_limit"] > settings.max_time_limit:
        if "time_limit" in given:
            problems.append(
                f"solve.time_limit: {solve['time_limit']:g} s is over this service's limit "
                f"of {settings.max_time_limit:g} s (limit LEGEVAKT_MAX_TIME_LIMIT)"
            )
        solve["time_limit"] = settings.max_time_limit
    if solve["workers"] > settings.max_solve_workers:
        problems.append(
            f"solve.workers: {solve['workers']} is over this service's limit of "
            f"{settings.max_solve_workers} (limit LEGEVAKT_MAX_SOLVE_WORKERS)"
        )
    if not 0 <= solve["seed"] <= MAX_SEED:
        problems.append(f"solve.seed: {solve['seed']} is not between 0 and {MAX_SEED}")
    if problems:
        raise Problem(problems)
    return solve


def _check_count(spec: SweepSpec, settings: Settings) -> None:
    """Count the variants before making them: a huge grid is refused without building it."""
    grid = math.prod(len(values) for values in spec.vary.values()) if spec.vary else 0
    total = grid + len(spec.variants) + int(spec.include_base)
    limit = settings.max_sweep_variants
    if total <= limit:
        return
    field = "vary" if grid > limit or not spec.variants else "variants"
    raise Problem(
        [
            f"{field}: {total} variants (grid {grid}, named {len(spec.variants)}, base "
            f"{int(spec.include_base)}); this service runs at most {limit} per sweep "
            "(limit LEGEVAKT_MAX_SWEEP_VARIANTS)"
        ]
    )


def _check_sizes(plan: SweepPlan, settings: Settings) -> None:
    """Every variant within the service's limits on doctors and shift instances."""
    problems = []
    for v in plan.variants:
        doctors = len(v.document.get("doctors") or [])
        if doctors > settings.max_doctors:
            problems.append(
                f"variant {v.name}: doctors: {doctors} doctors; this service takes at most "
                f"{settings.max_doctors} per scenario (limit LEGEVAKT_MAX_DOCTORS)"
            )
            continue
        instances = len(expand(scenario_from_data(v.document)).instances)
        if instances > settings.max_instances:
            problems.append(
                f"variant {v.name}: shifts: {instances} shift instances; this service takes "
                f"at most {settings.max_instances} per scenario (limit LEGEVAKT_MAX_INSTANCES)"
            )
    if problems:
        raise Problem(problems)
