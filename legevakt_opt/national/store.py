"""A national run's finished solves on disk, so that an interrupted run can go on
(``--resume``) instead of starting again.

``DIR/run.json`` names the run: a hash of the national file's settings (its spec, the
generator seed included). ``DIR/results/`` holds one small JSON per district × variant,
written as its solve finishes (to a temporary file, then renamed, so a file is either whole
or absent): the district and variant, a hash of the solve's input (the generated scenario
and the solve options), whether it succeeded, its summary row, the doctors' burdens and its
timings: what the report needs, not the roster.

A folder whose ``run.json`` is of another national file is refused with one line (exit 2),
with or without ``--resume``: two runs are never mixed. Without ``--resume``, a folder of the
same file starts again (its old results are removed first); with it, every saved success
whose input still matches is kept and the rest (failures too) is solved.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from legevakt_opt.national.run import NationalPlan, run_options, split_name
from legevakt_opt.national.spec import NationalError, NationalSpec
from legevakt_opt.sweep.run import Outcome
from legevakt_opt.sweep.variants import Variant

RUN_FILE = "run.json"
RESULTS = "results"
RUN_FORMAT = "legevakt-national-run/1"
RESULT_FORMAT = "legevakt-national-result/1"
#: Longer file names are shortened with a hash (most file systems stop at 255 bytes).
LONGEST_NAME = 180


def _digest(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def spec_hash(spec: NationalSpec) -> str:
    """The hash that names a run: every setting of the national file, generator seed
    included (comments and layout of the file do not count)."""
    return _digest({"spec": spec.model_dump(mode="json"), "generator_seed": spec.seed})


def input_hash(plan: NationalPlan, variant: Variant) -> str:
    """The hash of one solve's input: its scenario document and the solve options."""
    options = {**plan.spec.solve.as_options(), **(run_options(plan) or {})}
    return _digest({"document": variant.document, "options": options})


def result_name(district: str, variant: str) -> str:
    """The file name of one district × variant's result (quoted; short enough)."""
    name = f"{quote(district, safe='')}__{quote(variant, safe='=,+-_.')}"
    if len(name) > LONGEST_NAME:
        name = f"{name[:100]}~{hashlib.sha256(name.encode('utf-8')).hexdigest()[:16]}"
    return name + ".json"


def write_atomic(path: Path, data: Any) -> None:
    """Write JSON to a temporary file beside ``path`` and rename it into place: a reader
    (or a run stopped half-way) sees the whole file or none."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with tmp.open("w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, indent=1)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None


@dataclass
class ResultStore:
    """Where one run's results go: ``folder/results/``, one file per district × variant."""

    folder: Path
    plan: NationalPlan
    #: (district id, variant name) → (the district's variant, its input hash).
    inputs: dict[tuple[str, str], tuple[Variant, str]] = field(default_factory=dict)

    @property
    def results(self) -> Path:
        return self.folder / RESULTS

    def path(self, district: str, variant: str) -> Path:
        return self.results / result_name(district, variant)

    def save(self, outcome: Outcome) -> None:
        """Write one finished solve (named ``district/variant``, as the batch names it)."""
        district, name = split_name(outcome.variant.name)
        _, digest = self.inputs[district, name]
        record = {
            "format": RESULT_FORMAT,
            "district": district,
            "variant": name,
            "input": digest,
            "ok": outcome.ok,
            "seconds": outcome.seconds,
            "cpu_seconds": outcome.cpu_seconds,
            "row": outcome.row,
            "burdens": outcome.burdens,
            "errors": outcome.errors,
        }
        write_atomic(self.path(district, name), record)

    def load(self) -> tuple[dict[tuple[str, str], Outcome], int]:
        """The saved successes whose input still matches, and how many saved results are
        solved again (a failure, or made from other inputs)."""
        kept: dict[tuple[str, str], Outcome] = {}
        again = 0
        for (district, name), (variant, digest) in self.inputs.items():
            record = _read(self.path(district, name))
            if not isinstance(record, dict):
                continue
            if (
                record.get("format") != RESULT_FORMAT
                or record.get("input") != digest
                or record.get("ok") is not True
            ):
                again += 1
                continue
            try:
                kept[district, name] = Outcome(
                    variant,
                    row=dict(record["row"]),
                    burdens={str(k): float(b) for k, b in record["burdens"].items()},
                    seconds=float(record["seconds"]),
                    cpu_seconds=float(record["cpu_seconds"]),
                    resumed=True,
                )
            except (KeyError, TypeError, ValueError, AttributeError):  # not ours: solve again
                again += 1
        return kept, again


def open_store(folder: Path, plan: NationalPlan, *, resume: bool) -> ResultStore:
    """Check ``folder`` against this run and prepare it: a ``run.json`` of another national
    file is a ``NationalError`` (one line); without ``resume`` the old results of this file
    are removed. Writes ``run.json``."""
    digest = spec_hash(plan.spec)
    run_file = folder / RUN_FILE
    store = ResultStore(folder, plan)
    for d in plan.districts:
        for v in d.plan.variants:
            store.inputs[d.id, v.name] = (v, input_hash(plan, v))
    if run_file.exists():
        found = _read(run_file)
        theirs = found.get("spec_hash") if isinstance(found, dict) else None
        if theirs != digest:
            source = found.get("source") if isinstance(found, dict) else None
            whose = f"{source}, spec hash {str(theirs)[:12]}" if theirs else "unreadable"
            raise NationalError(
                [
                    f"{folder}: holds a run of another national file or other settings "
                    f"({RUN_FILE}: {whose}; {plan.source or 'this run'}: {digest[:12]}); "
                    "use another --out or remove the folder"
                ]
            )
    elif store.results.is_dir() and any(store.results.iterdir()):
        raise NationalError(
            [
                f"{folder}: {RESULTS}/ has results but there is no {RUN_FILE} saying whose; "
                "use another --out or remove the folder"
            ]
        )
    store.results.mkdir(parents=True, exist_ok=True)
    for old in store.results.iterdir():
        # A run of this file starts again without --resume; a killed write leaves a .tmp.
        if old.is_file() and (not resume or old.name.endswith(".tmp")):
            old.unlink()
    write_atomic(
        run_file,
        {
            "format": RUN_FORMAT,
            "national": plan.name,
            "source": str(plan.source) if plan.source else None,
            "spec_hash": digest,
            "generator_seed": plan.spec.seed,
            "districts": len(plan.districts),
            "variants": len(plan.variant_names),
            "solves": plan.size,
        },
    )
    return store
