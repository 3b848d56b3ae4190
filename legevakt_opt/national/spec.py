"""National sweep files (format ``legevakt-national/1``): one policy grid over every district
of the municipalities file, and errors one line per problem naming the field.

The grid is a sweep file's (``vary``, ``labels``, ``include_base``, ``solve``), so its
checks are the sweep's; what a national file adds is which districts (``districts``), the
generator's seed and horizon (``seed``, ``start``, ``weeks``) and the thresholds its report
counts against (``burden_threshold``, ``small_district``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    field_validator,
)

from legevakt_opt.generate import DEFAULT_START
from legevakt_opt.scenario import ScenarioError, parse_date, read_document
from legevakt_opt.scenario.errors import describe
from legevakt_opt.sweep.spec import SolveSettings, SweepError, SweepSpec, sweep_from_data

NATIONAL_FORMAT = "legevakt-national/1"


class NationalError(ScenarioError):
    """A national sweep that cannot be used; ``errors`` holds one line per problem."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class DistrictChoice(_Model):
    """Which districts: every one (``all``), those hosted in ``counties``, or those by id."""

    counties: list[str] | None = Field(default=None, min_length=1)
    ids: list[str] | None = Field(default=None, min_length=1)


class NationalSolve(SolveSettings):
    """A sweep's solve settings, and which levels to optimise: a national question is
    usually answered by the first two (unfilled hours, max burden), and fewer is faster."""

    levels: list[str] | None = Field(default=None, min_length=1)

    @field_validator("levels")
    @classmethod
    def _known(cls, value: list[str] | None) -> list[str] | None:
        # Here, not at the top: the model package loads OR-Tools, needed only when asked.
        from legevakt_opt.model import LEVEL_NAMES

        names = [n for n in LEVEL_NAMES if n != "changes"]  # a re-plan's level, not ours
        for name in value or []:
            if name not in names:
                raise ValueError(f"{name!r} is not a level ({', '.join(names)})")
        return value

    def sweep_settings(self) -> dict[str, Any]:
        """The settings a sweep file has (``levels`` goes to the runner as an option)."""
        return self.model_dump(exclude={"levels"})


def _districts(value: Any) -> Any:
    """``all`` is every district; any other word is an error naming the choices."""
    if value == "all":
        return {}
    if isinstance(value, str):
        raise ValueError("is not 'all', {counties: [...]} or {ids: [...]}")
    return value


def _date(value: Any) -> dt.date:
    return parse_date(value)


class NationalSpec(_Model):
    format: Literal["legevakt-national/1"] = "legevakt-national/1"
    name: str | None = None
    description: str | None = None
    #: The municipalities CSV, relative to the file (default: the bundled one).
    municipalities: str | None = None
    districts: Annotated[DistrictChoice, BeforeValidator(_districts)] = Field(
        default_factory=DistrictChoice
    )
    #: The generator's seed: the same seed gives the same districts as ``generate --seed``.
    seed: int = 0
    start: Annotated[dt.date, BeforeValidator(_date)] = DEFAULT_START
    weeks: int = Field(default=1, ge=1, le=52)
    #: Solve each district unchanged too (variant ``base``: the generator's policy).
    include_base: StrictBool = False
    vary: dict[str, Annotated[list[Any], Field(min_length=1)]] = Field(default_factory=dict)
    labels: dict[str, str] = Field(default_factory=dict)
    solve: NationalSolve = Field(default_factory=NationalSolve)
    #: Weighted hours per week above which a doctor counts as overloaded in the totals.
    burden_threshold: float = Field(default=45.0, gt=0, le=168)
    #: Districts with fewer inhabitants than this are "small" in the report's text.
    small_district: int = Field(default=5000, ge=1)

    def sweep_data(self) -> dict[str, Any]:
        """The sweep file each district's variants come from (its base is the district)."""
        return {
            "format": "legevakt-sweep/1",
            "name": self.name,
            "include_base": self.include_base,
            "vary": self.vary,
            "labels": self.labels,
            "solve": self.solve.sweep_settings(),
        }

    def sweep_spec(self) -> SweepSpec:
        return sweep_from_data({"base": "<district>", **self.sweep_data()})


def national_from_data(data: Any, source: str | None = None) -> NationalSpec:
    """Validate plain data as a national sweep file; every problem is one line naming its
    field (the grid's as a sweep file's: ``vary.policy.x[1]: ...``)."""
    prefix = f"{source}: " if source else ""
    if not isinstance(data, dict):
        raise NationalError([f"{prefix}(document): a national sweep is a mapping of fields"])
    fmt = data.get("format", NATIONAL_FORMAT)
    if fmt != NATIONAL_FORMAT:
        raise NationalError([f"{prefix}format: {fmt!r} is not {NATIONAL_FORMAT!r}"])
    try:
        spec = NationalSpec.model_validate(data)
    except ValidationError as exc:
        found = [describe(dict(err)) for err in exc.errors(include_url=False)]
        raise NationalError([prefix + line for line in dict.fromkeys(found)]) from None
    lines: list[str] = []
    if spec.districts.counties is not None and spec.districts.ids is not None:
        lines.append("districts: give counties or ids, not both")
    if not spec.vary and not spec.include_base:
        lines.append("vary: is empty and include_base is false: nothing to solve")
    else:
        try:
            spec.sweep_spec()
        except SweepError as exc:
            lines += exc.errors
    if lines:
        raise NationalError([prefix + line for line in lines])
    return spec


def read_national(path: str | Path) -> NationalSpec:
    """Read and check a national sweep file (YAML or JSON)."""
    try:
        data = read_document(path)
    except ScenarioError as exc:
        raise NationalError(exc.errors) from None
    return national_from_data(data, str(path))
