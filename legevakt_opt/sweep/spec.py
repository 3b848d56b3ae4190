"""Sweep files (format ``legevakt-sweep/1``): the model, and errors one line per problem.

A sweep file names a base scenario, a grid of values to vary (every combination of
dotted paths → lists of values) and named one-off variants (patches on the base), and
how to solve each. Problems are reported as the scenario format reports them: one line
each, naming the field (``vary.policy.max_hours_per_week[2]: ...``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
)

from legevakt_opt.scenario import Category, ScenarioError, read_document
from legevakt_opt.scenario.errors import describe
from legevakt_opt.scenario.fields import Ident

SWEEP_FORMAT = "legevakt-sweep/1"
#: A guard against a grid that would run for days by accident.
MAX_VARIANTS = 5000
_PATH_PART = re.compile(r"^([\w-]+)((?:\[\d+\])*)$")
_NAME_RE = re.compile(r"^[\w.=-]+$")


class SweepError(ScenarioError):
    """A sweep file that cannot be used; ``errors`` holds one line per problem, each naming
    its field (a variant that is not a valid scenario: its name and the scenario's lines)."""


def _listify(value: Any) -> Any:
    """A single mapping or string where a list is expected becomes a one-item list."""
    return [value] if isinstance(value, dict | str) else value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class SolveSettings(_Model):
    """How each variant is solved (the same for every variant, so they compare)."""

    time_limit: float = Field(default=10.0, gt=0, le=86400)
    workers: int = Field(default=1, ge=1, le=64)
    seed: int = 0

    def as_options(self) -> dict[str, Any]:
        """Plain keyword arguments for ``SolveOptions`` (they cross process boundaries)."""
        return {"time_limit": self.time_limit, "workers": self.workers, "seed": self.seed}


class AddDoctors(_Model):
    """``count`` new doctors alike; other doctor fields are passed on to each of them."""

    count: int = Field(ge=1, le=1000)
    category: Category
    independent: StrictBool
    municipality: Ident | None = None
    id_prefix: Ident | None = None
    name: str | None = None
    #: Unavailable outside these shifts' windows: they hold only these shifts (duty or
    #: bakvakt), e.g. dedicated night doctors.
    only_shifts: list[Ident] = Field(default_factory=list)
    #: A wish for every date each of these shifts runs on.
    wish_shifts: list[Ident] = Field(default_factory=list)
    # Passed through to the doctor as given (the scenario check judges them).
    lis1_completed: StrictBool | None = None
    video: StrictBool | None = None
    share: float | None = Field(default=None, gt=0, le=100)
    exempt: StrictBool | None = None
    max_hours_per_week: float | None = Field(default=None, ge=0)
    stations: list[Ident] | None = None
    unavailable: list[Any] | None = None
    avoid: list[Any] | None = None
    wish: list[Any] | None = None

    def passthrough(self) -> dict[str, Any]:
        """The doctor fields given, as plain data."""
        fields = (
            "lis1_completed",
            "video",
            "share",
            "exempt",
            "max_hours_per_week",
            "stations",
            "unavailable",
            "avoid",
            "wish",
        )
        return {k: getattr(self, k) for k in fields if k in self.model_fields_set}


class RemoveDoctors(_Model):
    """Doctors to drop: every doctor of the categories, and the doctors named by id."""

    category: Annotated[list[Category], BeforeValidator(_listify)] = Field(default_factory=list)
    ids: Annotated[list[Ident], BeforeValidator(_listify)] = Field(default_factory=list)


class VariantSpec(_Model):
    """A named one-off: applied to the base in the order merge, remove, add, set."""

    description: str | None = None
    merge: Annotated[list[str], BeforeValidator(_listify)] = Field(default_factory=list)
    remove_doctors: RemoveDoctors | None = None
    add_doctors: Annotated[list[AddDoctors], BeforeValidator(_listify)] = Field(
        default_factory=list
    )
    set: dict[str, Any] = Field(default_factory=dict)


class SweepSpec(_Model):
    format: Literal["legevakt-sweep/1"] = "legevakt-sweep/1"
    name: str | None = None
    description: str | None = None
    #: The base scenario, relative to the sweep file.
    base: str
    #: Solve the unchanged base too (row ``base``).
    include_base: StrictBool = True
    #: The grid: every combination of these paths' values is one variant.
    vary: dict[str, Annotated[list[Any], Field(min_length=1)]] = Field(default_factory=dict)
    #: Short names for varied paths in variant names and plots (default: the last part).
    labels: dict[str, Ident] = Field(default_factory=dict)
    variants: dict[str, VariantSpec] = Field(default_factory=dict)
    solve: SolveSettings = Field(default_factory=SolveSettings)


# ---------------------------------------------------------------- dotted paths


def parse_path(text: str) -> list[str | int]:
    """``doctors.d003.share`` → ``["doctors", "d003", "share"]``; ``doctors[3].share`` →
    ``["doctors", 3, "share"]``. A name on a list picks the item with that ``id``; ``[k]``
    picks the k-th item (from 0). Raises ``ValueError`` for anything else."""
    if not isinstance(text, str) or not text:
        raise ValueError("is not a dotted path (e.g. policy.max_hours_per_week)")
    out: list[str | int] = []
    for part in text.split("."):
        m = _PATH_PART.match(part)
        if not m:
            raise ValueError(
                "is not a dotted path (names of letters, digits, '-' and '_', "
                "joined by '.', each optionally followed by [index])"
            )
        out.append(m.group(1))
        out += [int(k) for k in re.findall(r"\[(\d+)\]", m.group(2))]
    return out


# ---------------------------------------------------------------- loading


def _loc_fix(data: Any, loc: tuple[int | str, ...]) -> tuple[int | str, ...]:
    """Drop the ``[0]`` that :func:`_listify` added where the user wrote a single mapping."""
    out: list[int | str] = []
    node = data
    for part in loc:
        if isinstance(part, int) and not isinstance(node, list):
            continue  # the user's value was not a list: [0] is ours
        out.append(part)
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            node = None
    return tuple(out)


def sweep_from_data(data: Any, source: str | None = None) -> SweepSpec:
    """Validate plain data as a sweep file; every problem becomes one line naming its field."""
    prefix = f"{source}: " if source else ""
    if not isinstance(data, dict):
        raise SweepError([f"{prefix}(document): a sweep is a mapping of fields"])
    fmt = data.get("format", SWEEP_FORMAT)
    if fmt != SWEEP_FORMAT:
        raise SweepError([f"{prefix}format: {fmt!r} is not {SWEEP_FORMAT!r}"])
    try:
        spec = SweepSpec.model_validate(data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors(include_url=False):
            fixed = dict(err)
            fixed["loc"] = _loc_fix(data, tuple(err["loc"]))
            lines.append(describe(fixed))
        raise SweepError([prefix + line for line in dict.fromkeys(lines)]) from None
    lines = _spec_errors(spec)
    if lines:
        raise SweepError([prefix + line for line in lines])
    return spec


def _spec_errors(spec: SweepSpec) -> list[str]:
    lines: list[str] = []
    for path, values in spec.vary.items():
        try:
            parse_path(path)
        except ValueError as exc:
            lines.append(f"vary.{path}: {exc}")
        seen: set[str] = set()
        for k, v in enumerate(values):
            key = json.dumps(v, sort_keys=True, default=str)
            if key in seen:
                lines.append(f"vary.{path}[{k}]: {v!r} is already in the list")
            seen.add(key)
    for path in spec.labels:
        if path not in spec.vary:
            lines.append(f"labels.{path}: is not a path under vary")
    labels = list(labels_of(spec).values())
    for label in dict.fromkeys(labels):
        if labels.count(label) > 1:
            lines.append(f"labels: {label!r} names more than one varied path")
    size = 1
    for values in spec.vary.values():
        size *= len(values)
    if spec.vary and size > MAX_VARIANTS:
        lines.append(f"vary: the grid has {size} combinations; at most {MAX_VARIANTS}")
    for name, variant in spec.variants.items():
        where = f"variants.{name}"
        if not _NAME_RE.match(name):
            lines.append(f"{where}: {name!r} is not a variant name (letters, digits, '-', '_')")
        if name == "base":
            lines.append(f"{where}: 'base' is the unchanged base scenario's name")
        if not (variant.merge or variant.remove_doctors or variant.add_doctors or variant.set):
            lines.append(
                f"{where}: changes nothing (give merge, remove_doctors, add_doctors or set)"
            )
        if variant.remove_doctors is not None and not (
            variant.remove_doctors.category or variant.remove_doctors.ids
        ):
            lines.append(f"{where}.remove_doctors: names no category and no ids")
        for path in variant.set:
            try:
                parse_path(path)
            except ValueError as exc:
                lines.append(f"{where}.set.{path}: {exc}")
    if not spec.vary and not spec.variants and not spec.include_base:
        lines.append("(document): nothing to solve (no vary, no variants, include_base false)")
    return lines


def _default_label(path: str) -> str:
    last = path.rsplit(".", 1)[-1]
    return re.sub(r"\[(\d+)\]", r"-\1", last)


def labels_of(spec: SweepSpec) -> dict[str, str]:
    """The short name of each varied path: the one given, else its last part, else (where
    two paths end alike) the whole path."""
    default = {p: _default_label(p) for p in spec.vary}
    out = {}
    for path in spec.vary:
        if path in spec.labels:
            out[path] = spec.labels[path]
        elif list(default.values()).count(default[path]) > 1:
            out[path] = re.sub(r"\[(\d+)\]", r"-\1", path)
        else:
            out[path] = default[path]
    return out


def read_sweep(path: str | Path) -> SweepSpec:
    """Read and check a sweep file (YAML or JSON)."""
    try:
        data = read_document(path)
    except ScenarioError as exc:
        raise SweepError(exc.errors) from None
    return sweep_from_data(data, str(path))
