"""From a sweep file to the list of variants: each a name and a valid scenario document.

Every variant is checked as a scenario before anything is solved, so a sweep with a bad
variant fails at once with every problem listed (the variant's name, then the scenario's
error lines).
"""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from legevakt_opt.scenario import ScenarioError, load_scenario, scenario_from_data
from legevakt_opt.sweep.patch import (
    PatchError,
    add_doctors,
    apply_set,
    get_path,
    merge_documents,
    remove_doctors,
)
from legevakt_opt.sweep.spec import SweepError, SweepSpec, labels_of, read_sweep, sweep_from_data

MergeLoader = Callable[[str], tuple[str, dict[str, Any]]]
"""Reads one ``merge`` entry: the tag that prefixes its clashing ids, and its scenario
document. Raises :class:`ScenarioError` when the entry names no usable scenario."""


def merge_files(root: Path | None) -> MergeLoader:
    """``merge`` entries as scenario files relative to ``root``; the tag is the file's stem."""

    def load(rel: str) -> tuple[str, dict[str, Any]]:
        file = (root / rel) if root is not None else Path(rel)
        return Path(rel).stem, load_scenario(file).to_document()

    return load


@dataclass
class Variant:
    """One scenario of a sweep."""

    name: str
    kind: str  # "base" | "grid" | "variant"
    document: dict[str, Any]
    #: The value of each varied path in this variant's scenario (for base and named
    #: variants too: read from their document).
    values: dict[str, Any] = field(default_factory=dict)
    description: str = ""


@dataclass
class SweepPlan:
    """A checked sweep: its spec, where it came from, and every variant to solve."""

    spec: SweepSpec
    source: Path | None
    variants: list[Variant]

    @property
    def labels(self) -> dict[str, str]:
        return labels_of(self.spec)

    @property
    def name(self) -> str:
        if self.spec.name:
            return self.spec.name
        return self.source.stem if self.source else "sweep"


def show_value(value: Any) -> str:
    """A value as a variant name shows it: ``none``, ``true``, ``28``, ``2-7``."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dict):
        return "-".join(show_value(v) for v in value.values())
    if isinstance(value, list):
        return "-".join(show_value(v) for v in value)
    return str(value)


def _safe(text: str) -> str:
    """A name that is also a file name: letters and digits of any script (``kommune=ål``),
    ``_ . = -``; anything else becomes ``-``."""
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"[^\w.=-]+", "-", text).strip("-") or "x"


def grid_name(labels: dict[str, str], combo: dict[str, Any]) -> str:
    """``cap=28__lis1_without_backup=true``: label=value per varied path, in order."""
    return "__".join(_safe(f"{labels[p]}={show_value(v)}") for p, v in combo.items())


def _values(doc: dict[str, Any], paths: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path in paths:
        try:
            out[path] = get_path(doc, path)
        except PatchError:
            out[path] = None
    return out


def expand(
    spec: SweepSpec,
    base: dict[str, Any],
    root: Path | None = None,
    source: str | None = None,
    load_merge: MergeLoader | None = None,
) -> list[Variant]:
    """Every variant of a sweep on a base document (the base's full document, as
    ``Scenario.to_document()`` gives it). ``root``: the folder ``merge`` paths are relative
    to; ``load_merge`` reads merge entries instead (e.g. stored scenarios in the service).
    Raises :class:`SweepError` listing every problem."""
    prefix = f"{source}: " if source else ""
    load = load_merge or merge_files(root)
    errors: list[str] = []
    variants: list[Variant] = []
    paths = list(spec.vary)
    labels = labels_of(spec)
    if spec.include_base:
        variants.append(Variant("base", "base", base, _values(base, paths), "the base scenario"))
    # The grid: each path is checked once on the base, so a misspelt path is one line.
    bad_paths = set()
    for path in paths:
        try:
            get_path(base, path)
        except PatchError as exc:
            errors.append(f"{prefix}vary.{path}: {exc}")
            bad_paths.add(path)
    if paths and not bad_paths:
        for combo_values in itertools.product(*(spec.vary[p] for p in paths)):
            combo = dict(zip(paths, combo_values, strict=True))
            name = grid_name(labels, combo)
            try:
                doc = apply_set(base, combo)
            except PatchError as exc:
                errors.append(f"{prefix}vary.{exc}")
                continue
            variants.append(Variant(name, "grid", doc, dict(combo), _describe_combo(combo)))
    for name, vspec in spec.variants.items():
        where = f"{prefix}variants.{name}"
        doc = base
        try:
            for k, rel in enumerate(vspec.merge):
                try:
                    tag, other = load(rel)
                except ScenarioError as exc:
                    raise PatchError(f"merge[{k}]: " + "; ".join(exc.errors)) from None
                doc = merge_documents(doc, other, tag)
            if vspec.remove_doctors is not None:
                try:
                    doc = remove_doctors(doc, vspec.remove_doctors)
                except PatchError as exc:
                    raise PatchError(f"remove_doctors.{exc}") from None
            for k, add in enumerate(vspec.add_doctors):
                at = "add_doctors" if len(vspec.add_doctors) == 1 else f"add_doctors[{k}]"
                try:
                    doc = add_doctors(doc, add)
                except PatchError as exc:
                    raise PatchError(f"{at}.{exc}") from None
            try:
                doc = apply_set(doc, vspec.set)
            except PatchError as exc:
                raise PatchError(f"set.{exc}") from None
        except PatchError as exc:
            errors.append(f"{where}.{exc}")
            continue
        variants.append(Variant(name, "variant", doc, _values(doc, paths), vspec.description or ""))
    names = [v.name for v in variants]
    for name in dict.fromkeys(names):
        if names.count(name) > 1:
            errors.append(f"{prefix}variants.{name}: {names.count(name)} variants have this name")
    # Every variant must be a valid scenario; report each one's lines under its name.
    for v in variants:
        try:
            sc = scenario_from_data(v.document)
        except ScenarioError as exc:
            errors += [f"{prefix}variant {v.name}: {line}" for line in exc.errors]
            continue
        v.document = sc.to_document()
    if errors:
        raise SweepError(list(dict.fromkeys(errors)))
    return variants


def _describe_combo(combo: dict[str, Any]) -> str:
    return ", ".join(f"{p} = {json.dumps(v)}" for p, v in combo.items())


def load_sweep(path: str | Path) -> SweepPlan:
    """Read a sweep file, load its base scenario, and expand and check every variant."""
    p = Path(path)
    spec = read_sweep(p)
    base_path = p.parent / spec.base
    try:
        base = load_scenario(base_path)
    except ScenarioError as exc:
        raise SweepError([f"{p}: base: {line}" for line in exc.errors]) from None
    variants = expand(spec, base.to_document(), root=p.parent, source=str(p))
    return SweepPlan(spec, p, variants)


def plan_from_data(
    data: Any,
    base: dict[str, Any],
    root: Path | None = None,
    source: str | None = None,
    load_merge: MergeLoader | None = None,
) -> SweepPlan:
    """A plan from sweep data and a base document (``base`` in the data is ignored);
    ``load_merge`` as for :func:`expand`."""
    spec = sweep_from_data({"base": "<given>", **data} if "base" not in data else data, source)
    try:
        full = scenario_from_data(base).to_document()
    except ScenarioError as exc:
        raise SweepError([f"base: {line}" for line in exc.errors]) from None
    variants = expand(spec, full, root=root, source=source, load_merge=load_merge)
    return SweepPlan(spec, None, variants)
