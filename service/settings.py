"""Service settings from the environment: ``LEGEVAKT_*`` plus a plain ``DATABASE_URL``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def cpu_count() -> int:
    """CPUs this process may run on (the affinity mask where there is one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def normalize_database_url(url: str) -> str:
    """Pick the installed PostgreSQL driver (psycopg 3) and make a SQLite path absolute, so
    worker processes and later runs find the same file whatever their working directory."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    for prefix in ("sqlite:///", "sqlite+pysqlite:///"):
        if url.startswith(prefix):
            path, _, query = url[len(prefix) :].partition("?")
            if path and path != ":memory:" and not path.startswith("/"):
                path = str(Path(path).resolve())
            return prefix + path + (f"?{query}" if query else "")
    return url


class DistrictLimits(BaseModel):
    """One district's share of the service; ``None``: no limit (the service's own bounds
    still hold). The service-wide defaults are ``LEGEVAKT_<NAME>_PER_DISTRICT`` and
    friends; ``LEGEVAKT_DISTRICT_LIMITS`` overrides them for named districts."""

    model_config = ConfigDict(extra="forbid")

    max_running: int | None = Field(default=None, ge=1, description="Jobs running at once.")
    max_queued: int | None = Field(default=None, ge=1, description="Jobs waiting.")
    max_solve_seconds_per_day: float | None = Field(
        default=None, gt=0, description="Time limit x CP-SAT workers (x variants), 24 h."
    )
    max_sweep_seconds: float | None = Field(
        default=None, gt=0, description="One sweep's variants x time limit."
    )


#: Each district limit's service-wide setting (the override is ``LEGEVAKT_DISTRICT_LIMITS``).
DISTRICT_SETTINGS = {
    "max_running": "max_running_per_district",
    "max_queued": "max_queued_per_district",
    "max_solve_seconds_per_day": "max_solve_seconds_per_day",
    "max_sweep_seconds": "max_sweep_seconds",
}


class Settings(BaseSettings):
    """Every setting can be given as ``LEGEVAKT_<NAME>``; the database also as ``DATABASE_URL``."""

    model_config = SettingsConfigDict(env_prefix="LEGEVAKT_", extra="ignore", populate_by_name=True)

    database_url: str = Field(
        default="sqlite:///legevakt.db",
        validation_alias=AliasChoices("DATABASE_URL", "LEGEVAKT_DATABASE_URL"),
        description="SQLAlchemy URL; default: SQLite file legevakt.db in the working dir.",
    )
    # Limits on what a request may ask for.
    max_body_bytes: int = Field(default=2_000_000, ge=1024)
    max_upload_bytes: int = Field(
        default=20_000_000, ge=1024, description="Body of a file upload (doctor lists)."
    )
    max_doctors: int = Field(default=500, ge=1)
    max_instances: int = Field(default=20_000, ge=1)
    max_time_limit: float = Field(default=600.0, gt=0)
    default_time_limit: float = Field(default=60.0, gt=0)
    max_solve_workers: int = Field(default_factory=cpu_count, ge=1)
    default_solve_workers: int = Field(default=2, ge=1, description="CP-SAT threads per solve.")
    max_sweep_variants: int = Field(default=200, ge=1, description="Variants of one sweep.")
    # The queue and the pool of worker processes.
    queue_size: int = Field(default=64, ge=1, description="Queued solves beyond which: 429.")
    pool_size: int = Field(default_factory=cpu_count, ge=1, description="Worker processes.")
    max_attempts: int = Field(default=3, ge=1, description="Starts of a job whose worker died.")
    progress_interval: float = Field(default=0.5, gt=0, description="Seconds between writes.")
    lease_seconds: float = Field(
        default=30.0, ge=1, description="A running job's lease, renewed every third of it."
    )
    poll_interval: float = Field(default=0.25, gt=0, description="Idle worker's queue poll.")
    # Each district's share (None: no limit); LEGEVAKT_DISTRICT_LIMITS='{"d": {...}}'.
    max_running_per_district: int | None = Field(default=None, ge=1)
    max_queued_per_district: int | None = Field(default=None, ge=1)
    max_solve_seconds_per_day: float | None = Field(default=None, gt=0)
    max_sweep_seconds: float | None = Field(default=None, gt=0)
    district_limits: dict[str, DistrictLimits] = Field(default_factory=dict)
    # The web app.
    cookie_secure: bool = Field(
        default=False, description="Mark cookies Secure also when the request is plain http."
    )

    @field_validator("database_url")
    @classmethod
    def _normalize(cls, value: str) -> str:
        return normalize_database_url(value)

    @property
    def time_limit_default(self) -> float:
        return min(self.default_time_limit, self.max_time_limit)

    @property
    def solve_workers_default(self) -> int:
        return min(self.default_solve_workers, self.max_solve_workers)

    def limits_of(self, district: str) -> tuple[DistrictLimits, dict[str, str]]:
        """The district's limits, and for each the name of the setting it comes from (so a
        refusal can name it)."""
        override = self.district_limits.get(district)
        values: dict[str, Any] = {}
        names: dict[str, str] = {}
        for field, setting in DISTRICT_SETTINGS.items():
            if override is not None and field in override.model_fields_set:
                values[field] = getattr(override, field)
                names[field] = f"LEGEVAKT_DISTRICT_LIMITS[{district!r}].{field}"
            else:
                values[field] = getattr(self, setting)
                names[field] = f"LEGEVAKT_{setting.upper()}"
        return DistrictLimits(**values), names

    def for_worker(self) -> dict[str, Any]:
        """What a worker process needs to rebuild these settings (it is spawned afresh); a
        district override keeps only the limits it names (the others follow the defaults)."""
        data = self.model_dump()
        data["district_limits"] = {
            name: limits.model_dump(exclude_unset=True)
            for name, limits in self.district_limits.items()
        }
        return data


def get_settings() -> Settings:
    return Settings()
