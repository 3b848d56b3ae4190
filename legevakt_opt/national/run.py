"""From a national sweep file to solved districts: each district's scenario from the
generator, its variants from the sweep's own expansion, and every district × variant run
through the sweep's runner (``local`` process pool or ``ray``) as one batch, so the pool or
the cluster stays busy across districts. No second solver path: each roster is solved by
``solve_document`` and checked by the validator exactly as a sweep's variant is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from legevakt_opt.generate import (
    DEFAULT_CSV,
    GenerateError,
    MunicipalityRow,
    county_errors,
    district_document,
    districts_in,
    host_of,
    read_municipalities,
)
from legevakt_opt.national.spec import NationalError, NationalSpec, read_national
from legevakt_opt.sweep.run import Outcome, run_sweep
from legevakt_opt.sweep.spec import SweepError
from legevakt_opt.sweep.variants import SweepPlan, Variant, plan_from_data

#: Joins a district id and a variant name while they run as one batch.
SEPARATOR = "/"


@dataclass
class DistrictPlan:
    """One district: who it is and its variants (a sweep plan on its generated scenario)."""

    id: str
    name: str
    county: str
    population: int
    municipalities: int
    plan: SweepPlan


@dataclass
class NationalPlan:
    """A checked national sweep: its spec, where it came from, every district's plan."""

    spec: NationalSpec
    source: Path | None
    districts: list[DistrictPlan]

    @property
    def name(self) -> str:
        if self.spec.name:
            return self.spec.name
        return self.source.stem if self.source else "national"

    @property
    def variant_names(self) -> list[str]:
        """The variants of every district, in the sweep's order (the same in each)."""
        return [v.name for v in self.districts[0].plan.variants] if self.districts else []

    @property
    def labels(self) -> dict[str, str]:
        return self.districts[0].plan.labels if self.districts else {}

    @property
    def size(self) -> int:
        return sum(len(d.plan.variants) for d in self.districts)


def select_districts(
    spec: NationalSpec, rows: list[MunicipalityRow]
) -> tuple[dict[str, list[MunicipalityRow]], list[str]]:
    """The districts the file asks for (all, those hosted in its counties, or its ids) and
    one line per county or id the municipalities file does not have."""
    groups = districts_in(rows)
    if not groups:
        return {}, ["municipalities: no row names a district"]
    choice = spec.districts
    if choice.counties is not None:
        lines = county_errors(rows, choice.counties, "districts.counties[{k}]")
        return districts_in(rows, choice.counties), lines
    if choice.ids is not None:
        lines = [
            f"districts.ids[{k}]: {d!r} is not a district of the municipalities file"
            for k, d in enumerate(choice.ids)
            if d not in groups
        ]
        return {d: groups[d] for d in sorted(set(choice.ids)) if d in groups}, lines
    return groups, []


def _district_plan(
    spec: NationalSpec, district_id: str, members: list[MunicipalityRow]
) -> DistrictPlan:
    doc = district_document(spec.seed, district_id, members, weeks=spec.weeks, start=spec.start)
    try:
        plan = plan_from_data(spec.sweep_data(), doc)
    except SweepError as exc:
        # A path under vary is the grid's problem, the same in every district.
        raise NationalError(
            [e if e.startswith("vary.") else f"district {district_id}: {e}" for e in exc.errors]
        ) from None
    host = host_of(members)
    population = sum(m.population for m in members)
    name = members[0].district
    return DistrictPlan(district_id, name, host.county, population, len(members), plan)


def plan_national(
    spec: NationalSpec, rows: list[MunicipalityRow], source: Path | None = None
) -> NationalPlan:
    """Generate each chosen district's scenario and expand the grid on it. A variant that is
    not a valid scenario stops the plan at the first district it fails in (the grid is the
    same everywhere, so its problem would repeat in every district); a wrong county or id
    is reported together with the grid's problems."""
    prefix = f"{source}: " if source else ""
    chosen, lines = select_districts(spec, rows)
    if lines:
        probe = next(iter(districts_in(rows).items()), None)
        if probe is not None:
            try:
                _district_plan(spec, *probe)
            except NationalError as exc:
                lines += [e for e in exc.errors if e.startswith("vary.")]
        raise NationalError([prefix + line for line in lines])
    if not chosen:
        raise NationalError([f"{prefix}districts: no district of the municipalities file"])
    try:
        districts = [_district_plan(spec, d, members) for d, members in chosen.items()]
    except NationalError as exc:
        raise NationalError([prefix + line for line in exc.errors]) from None
    return NationalPlan(spec, source, districts)


def load_national(path: str | Path) -> NationalPlan:
    """Read a national sweep file, its municipalities, and plan every district."""
    p = Path(path)
    spec = read_national(p)
    csv = p.parent / spec.municipalities if spec.municipalities else DEFAULT_CSV
    try:
        rows = read_municipalities(csv)
    except GenerateError as exc:
        raise NationalError([f"{p}: municipalities: {line}" for line in exc.errors]) from None
    return plan_national(spec, rows, p)


def split_name(name: str) -> tuple[str, str]:
    """The district id and the variant name of a batch name ``district/variant``."""
    district, _, variant = name.partition(SEPARATOR)
    return district, variant


def run_options(plan: NationalPlan) -> dict[str, object] | None:
    """What the batch passes to ``run_sweep`` over the file's ``solve`` settings."""
    levels = plan.spec.solve.levels
    return {"levels": tuple(levels)} if levels else None


def run_national(
    plan: NationalPlan,
    *,
    backend: str = "local",
    jobs: int | None = None,
    ray_address: str | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
    done: Mapping[tuple[str, str], Outcome] | None = None,
) -> dict[str, list[Outcome]]:
    """Solve every district × variant; outcomes by district id, each district's in its
    plan's order. The largest districts go first, so the last solves to finish are short
    ones. ``on_outcome`` sees each outcome as it finishes, named ``district/variant``.
    ``done`` holds outcomes already finished, by (district id, variant name): they are not
    solved again (``--resume``), and ``on_outcome`` does not see them."""
    done = done or {}
    pairs = [
        (d, v)
        for d in sorted(plan.districts, key=lambda d: (-d.population, d.id))
        for v in d.plan.variants
        if (d.id, v.name) not in done
    ]
    batch = [
        Variant(f"{d.id}{SEPARATOR}{v.name}", v.kind, v.document, v.values, v.description)
        for d, v in pairs
    ]
    if not plan.districts:
        return {}
    outcomes: list[Outcome] = []
    if batch:
        combined = SweepPlan(plan.districts[0].plan.spec, plan.source, batch)
        outcomes = run_sweep(
            combined,
            backend=backend,
            jobs=jobs,
            ray_address=ray_address,
            on_outcome=on_outcome,
            options=run_options(plan),
        )
    by_name = {(d.id, v.name): o for (d, v), o in zip(pairs, outcomes, strict=True)}
    by_name.update(done)
    out: dict[str, list[Outcome]] = {}
    for d in plan.districts:
        out[d.id] = []
        for v in d.plan.variants:
            outcome = by_name[d.id, v.name]
            outcome.variant = v  # the district's own name for it again
            out[d.id].append(outcome)
    return out
