"""Request and response bodies of the API (pydantic), as the OpenAPI document shows them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

SCENARIO_MARK = "x-legevakt-scenario"
SCENARIO_REF = "#/components/schemas/ScenarioDocument"

ScenarioDocument = Annotated[
    dict[str, Any], WithJsonSchema({"type": "object", SCENARIO_MARK: True})
]
"""A ``legevakt-scenario/1`` document; in the OpenAPI document its schema is the scenario
format's own (the app swaps the marked placeholder for a reference to it)."""

JobStatus = Literal["queued", "running", "done", "failed", "cancelled"]
RosterFormat = Literal["json", "csv", "xlsx", "ics"]

MAX_SEED = 2**31 - 1


class ErrorOut(BaseModel):
    """Every error: a sentence, or one line per problem naming the field."""

    detail: str | list[str]


class Created(BaseModel):
    id: str


class ScenarioSummary(BaseModel):
    id: str
    name: str
    doctors: int
    instances: int = Field(description="Shift instances the scenario's templates make.")
    created_at: dt.datetime


class ScenarioOut(ScenarioSummary):
    document: dict[str, Any] = Field(description="The scenario document as posted.")


class SolveRequest(BaseModel):
    """A stored scenario by id, or a scenario document inline; and how to solve it."""

    model_config = ConfigDict(extra="forbid")

    scenario_id: str | None = Field(default=None, max_length=100)
    scenario: ScenarioDocument | None = None
    time_limit: float | None = Field(
        default=None,
        gt=0,
        allow_inf_nan=False,
        description="Seconds for all levels together; at most the service's max_time_limit.",
    )
    seed: int = Field(default=0, ge=0, le=MAX_SEED)
    workers: int | None = Field(
        default=None,
        ge=1,
        le=64,
        description="CP-SAT threads of this solve (default: the service's, 2). With 1 the run "
        "is reproducible for a seed and the time limit is CP-SAT's deterministic time; with "
        "more it is wall-clock.",
    )
    published: dict[str, Any] | None = Field(
        default=None,
        description="A re-plan: the roster as published (legevakt-roster/1). The solve finds "
        "the roster that changes it least and lists each change with its reason.",
    )
    published_solve_id: str | None = Field(
        default=None,
        max_length=100,
        description="A re-plan from the roster of one of the district's solves.",
    )
    freeze_until: str | None = Field(
        default=None,
        max_length=20,
        description="A re-plan: nothing before this date (YYYY-MM-DD) may change.",
    )


class JobOut(BaseModel):
    id: str
    status: JobStatus
    scenario_id: str | None
    scenario_name: str
    time_limit: float
    seed: int
    workers: int
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    elapsed: float | None = Field(description="Seconds run, so far or in all.")
    queue_position: int | None = Field(description="1: the next to start (queued jobs only).")
    stage: str | None = Field(description="The objective level being solved.")
    stage_index: int | None
    objective: float | None = Field(description="The level's best value so far.")
    bound: float | None = Field(description="The level's best bound so far.")
    cancel_requested: bool
    roster_status: str | None = Field(description="optimal or feasible, once there is one.")
    summary: dict[str, Any] | None
    error: str | None
    attempts: int
    replan: dict[str, Any] | None = Field(
        default=None,
        description="A re-plan's freeze_until, published_solve_id and published assignments.",
    )
    conflicts: list[str] | None = Field(
        default=None,
        description="When no roster can satisfy the fixed assignments or the freeze: the "
        "statements that conflict, one line each, then why.",
    )


class ProgressOut(BaseModel):
    at: dt.datetime
    stage: str
    stage_index: int
    elapsed: float
    objective: float | None
    bound: float | None


class ValidateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scenario: ScenarioDocument
    roster: dict[str, Any] = Field(description="A legevakt-roster/1 document (any origin).")


class Health(BaseModel):
    status: Literal["ok", "unavailable"]
    database: bool
    workers: int
    pool_size: int
    version: str


SWEEP_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "A legevakt-sweep/1 document as the command line reads it, except "
    'that base and each merge entry are {"scenario_id": "<id>"} of a stored scenario '
    "or a scenario document inline (file paths are refused).",
    "required": ["base"],
    "properties": {
        "format": {"type": "string", "enum": ["legevakt-sweep/1"]},
        "name": {"type": "string"},
        "description": {"type": "string"},
        "base": {
            "oneOf": [
                {
                    "type": "object",
                    "required": ["scenario_id"],
                    "properties": {"scenario_id": {"type": "string"}},
                    "additionalProperties": False,
                },
                {"type": "object", SCENARIO_MARK: True},
            ]
        },
        "include_base": {"type": "boolean"},
        "vary": {
            "type": "object",
            "description": "Dotted path → values; every combination is one variant.",
            "additionalProperties": {"type": "array", "minItems": 1},
        },
        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
        "variants": {
            "type": "object",
            "description": "Named variants: merge, remove_doctors, add_doctors, set.",
            "additionalProperties": {"type": "object"},
        },
        "solve": {
            "type": "object",
            "properties": {
                "time_limit": {"type": "number", "exclusiveMinimum": 0},
                "workers": {"type": "integer", "minimum": 1, "maximum": 64},
                "seed": {"type": "integer", "minimum": 0, "maximum": MAX_SEED},
            },
            "additionalProperties": False,
        },
    },
}
"""The schema of a sweep as posted (what /docs shows for JSON and YAML bodies)."""

SweepDocument = Annotated[dict[str, Any], WithJsonSchema(SWEEP_SCHEMA)]
"""A sweep as posted; checked by :func:`service.sweep_plans.check_sweep`, which names every
problem's field (this schema is what /docs shows, not the check)."""

SweepVariantStatus = Literal["pending", "running", "done", "failed", "skipped"]


class SweepVariantOut(BaseModel):
    name: str
    kind: Literal["base", "grid", "variant"]
    description: str
    status: SweepVariantStatus = Field(
        description="pending, running, done, failed (see errors), or skipped (the sweep "
        "ended before it)."
    )
    errors: list[str]
    seconds: float | None
    roster: str | None = Field(description="URL of its roster, once done.")
    scenario: str | None = Field(description="URL of its scenario document, once run.")


class SweepFileOut(BaseModel):
    name: str
    url: str


class SweepSummaryOut(BaseModel):
    id: str
    status: JobStatus
    name: str
    scenario_id: str | None = Field(description="The stored base scenario (if it was one).")
    scenario_name: str
    time_limit: float
    seed: int
    workers: int
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    elapsed: float | None = Field(description="Seconds run, so far or in all.")
    queue_position: int | None = Field(description="1: the next to start (queued jobs only).")
    variants_total: int
    variants_done: int = Field(description="Finished variants (failed ones included).")
    variants_failed: int
    current_variant: str | None = Field(description="The variant being solved.")
    stage: str | None = Field(description="The current variant's objective level.")
    objective: float | None
    bound: float | None
    cancel_requested: bool
    error: str | None
    attempts: int


class SweepOut(SweepSummaryOut):
    variants: list[SweepVariantOut]
    summary: list[dict[str, Any]] | None = Field(
        description="One row per finished variant, the columns of summary.csv."
    )
    files: list[SweepFileOut] = Field(description="summary.csv, summary.xlsx, summary.md.")
    plots: list[SweepFileOut]
