"""The scenario document as pydantic models, field for field as in
``shared/scenario-format.md``, with its defaults.

Nothing here imports the solver: a scenario is plain data that the calendar, the model,
the validator and the service all read.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator

from legevakt_opt.scenario.dates import holidays_of
from legevakt_opt.scenario.errors import ScenarioError
from legevakt_opt.scenario.fields import (
    BackupScope,
    Category,
    Clock,
    Day,
    DutyKind,
    Ident,
    Moment,
    Selector,
    SequencePair,
    StartClock,
    StationKind,
    WeekMoment,
)
from legevakt_opt.scenario.references import reference_errors, warnings


class _Model(BaseModel):
    # No inf/nan: an infinite cap or share would reach the solver as a number.
    model_config = ConfigDict(
        extra="forbid", frozen=True, allow_inf_nan=False, coerce_numbers_to_str=True
    )


# ---------------------------------------------------------------- the document


class Horizon(_Model):
    start: Day
    days: int = Field(ge=1, le=366)
    holidays: list[Day] | None = None
    #: Dates that count as holidays besides ``holidays`` (or Norway's public holidays):
    #: julaften, nyttårsaften, a local day. A project addition to the format.
    extra_holidays: list[Day] = Field(default_factory=list)

    @property
    def holiday_dates(self) -> set[dt.date]:
        """Every holiday of the horizon: the listed or Norwegian ones, and the extra ones."""
        return holidays_of(self.start, self.end, self.holidays) | set(self.extra_holidays)

    @property
    def dates(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=k) for k in range(self.days)]

    @property
    def end(self) -> dt.date:
        """The last date of the horizon."""
        return self.start + dt.timedelta(days=self.days - 1)


class Municipality(_Model):
    id: Ident
    name: str
    population: int | None = Field(default=None, ge=0)


class Station(_Model):
    id: Ident
    name: str
    municipality: Ident
    kind: StationKind = StationKind.MAIN
    video_from: list[Ident] = Field(default_factory=list)


class ShiftTemplate(_Model):
    id: Ident
    station: Ident
    when: list[Selector] = Field(default_factory=lambda: list[Selector](["all"]), min_length=1)
    start: StartClock
    end: Clock
    kind: DutyKind = DutyKind.ON_SITE
    doctors: int = Field(default=1, ge=1, le=50)
    video: StrictBool = False


class Absence(_Model):
    """``from``/``to``: whole dates (inclusive) or local times; the range is closed at whole
    dates."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, allow_inf_nan=False, populate_by_name=True
    )

    start: Moment = Field(alias="from")
    end: Moment = Field(alias="to")
    #: Free text kept with the absence (a doctor list's ``merknad``); no rule reads it.
    note: str | None = None

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """Local wall-clock ``[begin, end)``: a date as ``to`` runs to the end of that date."""
        begin = (
            self.start
            if isinstance(self.start, dt.datetime)
            else dt.datetime.combine(self.start, dt.time())
        )
        end = (
            self.end
            if isinstance(self.end, dt.datetime)
            else dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time())
        )
        return begin, end

    @model_validator(mode="after")
    def _ordered(self) -> Absence:
        begin, end = self.bounds()
        if end <= begin:
            raise ValueError("'to' is not after 'from'")
        return self


class Exemption(_Model):
    """A dated, maybe partial, fritak (pregnancy, breastfeeding, over 60 from a birthday
    on, illness): no duty or backup whose instance is of one of ``from_duties`` and starts
    on a date from ``from`` to ``to`` (inclusive). A project addition to the format."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, allow_inf_nan=False, populate_by_name=True
    )

    start: Day = Field(alias="from")
    end: Day = Field(alias="to")
    from_duties: list[Literal["night", "weekend", "on_site", "all"]] = Field(min_length=1)
    #: Free text kept with the exemption (a doctor list's ``merknad``); no rule reads it.
    note: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Exemption:
        if self.end < self.start:
            raise ValueError("'to' is before 'from'")
        return self

    def covers(self, day: dt.date, night: bool, weekend: bool, on_site: bool) -> bool:
        """Whether an instance starting on ``day`` with these flags is exempted."""
        if not self.start <= day <= self.end:
            return False
        kinds = set(self.from_duties)
        return bool(
            "all" in kinds
            or ("night" in kinds and night)
            or ("weekend" in kinds and weekend)
            or ("on_site" in kinds and on_site)
        )

    @property
    def text(self) -> str:
        """``night duty 2027-02-01 to 2027-03-31``."""
        what = " and ".join("all duty" if k == "all" else f"{k} duty" for k in self.from_duties)
        return f"{what.replace('on_site duty', 'on-site duty')} {self.start} to {self.end}"


class HistoryDuty(_Model):
    """A duty or backup a doctor held just before the horizon (local times), so rest, work
    periods and rolling windows hold across the boundary: a night that ends on the first
    morning counts."""

    start: Moment
    end: Moment
    role: Literal["duty", "backup"] = "duty"
    kind: DutyKind = DutyKind.ON_SITE

    @model_validator(mode="after")
    def _ordered(self) -> HistoryDuty:
        if not (isinstance(self.start, dt.datetime) and isinstance(self.end, dt.datetime)):
            raise ValueError("'start' and 'end' are dates and times (YYYY-MM-DDTHH:MM)")
        if self.end <= self.start:
            raise ValueError("'end' is not after 'start'")
        return self


class History(_Model):
    """What a doctor brings from the previous period (a project addition to the format)."""

    #: Weighted hours above (+) or below (−) their share at the end of the year so far.
    carried_burden: float = Field(default=0.0, ge=-10_000, le=10_000)
    duties: list[HistoryDuty] = Field(default_factory=list)


class Request(_Model):
    date: Day
    shift: Ident | None = None


class Doctor(_Model):
    id: Ident
    name: str
    municipality: Ident
    category: Category = Category.FASTLEGE
    independent: StrictBool = False
    lis1_completed: StrictBool | None = None
    video: StrictBool = True
    share: float = Field(default=1.0, gt=0, le=100)
    exempt: StrictBool = False
    max_hours_per_week: float | None = Field(default=None, ge=0)
    stations: list[Ident] | None = None
    unavailable: list[Absence] = Field(default_factory=list)
    avoid: list[Request] = Field(default_factory=list)
    wish: list[Request] = Field(default_factory=list)
    #: Dated and partial exemptions (``exempt: true`` is the whole horizon, all duty).
    exemptions: list[Exemption] = Field(default_factory=list)
    #: The previous period's duties near the boundary and the burden carried from it.
    history: History | None = None

    @model_validator(mode="after")
    def _lis1_default(self) -> Doctor:
        if self.lis1_completed is None:
            object.__setattr__(self, "lis1_completed", self.independent)
        return self


class FixedAssignment(_Model):
    """An assignment the roster must hold: an agreed swap, a duty already worked."""

    date: Day
    shift: Ident
    doctor: Ident
    role: Literal["duty", "backup", "video"] = "duty"

    @property
    def label(self) -> str:
        """``d07 on natt 2027-02-03 (duty)``."""
        return f"{self.doctor} on {self.shift} {self.date.isoformat()} ({self.role})"


class WindowCap(_Model):
    shifts: int = Field(ge=0)
    days: int = Field(ge=1, le=366)


class Weights(_Model):
    on_site: float = Field(default=1.0, ge=0, le=100)
    on_call: float = Field(default=0.25, ge=0, le=100)
    backup: float = Field(default=0.15, ge=0, le=100)
    video: float = Field(default=0.25, ge=0, le=100)


class ChangeCosts(_Model):
    """What one changed assignment costs in a re-plan (a project addition to the format): a
    change costs more the nearer its date is to the re-plan's first changeable date, and
    more on a night or a weekend, when a doctor has made other plans."""

    change: float = Field(default=1.0, ge=0, le=100)
    #: Extra cost of a change on the first changeable date, falling to 0 over ``near_days``.
    near: float = Field(default=1.0, ge=0, le=100)
    near_days: int = Field(default=14, ge=1, le=366)
    night: float = Field(default=0.5, ge=0, le=100)
    weekend: float = Field(default=0.5, ge=0, le=100)


class Sequences(_Model):
    """Duty sequences (a project addition to the format). Only ``duty`` assignments count,
    each on its start date and classed as ``night`` (its window touches 00:00–06:00),
    ``evening`` (else starting at or after 15:00) or ``day``. The defaults ask nothing."""

    #: ``[first, second]``: no duty of the second kind on the date after one of the first.
    forbidden: list[SequencePair] = Field(default_factory=list)
    #: The most duty dates in a row within the horizon; null: no limit.
    max_consecutive_days: int | None = Field(default=None, ge=1, le=366)
    #: No day or evening duty starting on the date a night duty ends: the date of its last
    #: moment (23:00–08:00 from the 9th ends on the 10th; a window ending 00:00, the day before).
    day_off_after_night: StrictBool = False

    @property
    def asks_anything(self) -> bool:
        """Whether any of the rules is set (at the defaults the roster is as without them)."""
        return bool(
            self.forbidden or self.max_consecutive_days is not None or self.day_off_after_night
        )


class Policy(_Model):
    min_rest_hours: float = Field(default=8, ge=0, le=168)
    max_work_period_hours: float = Field(default=24, gt=0, le=24 * 366)
    max_hours_per_week: float | None = Field(default=None, ge=0)
    max_shifts_in_window: WindowCap | None = None
    max_nights_in_window: WindowCap | None = None
    lis1_without_backup: StrictBool = False
    video_allowed: StrictBool = True
    video_max_satellites: int = Field(default=2, ge=1, le=100)
    weights: Weights = Field(default_factory=Weights)
    change_costs: ChangeCosts = Field(default_factory=ChangeCosts)
    #: Duty from this moment of the week on counts as weekend (``fri 16:00``); default:
    #: Saturday and Sunday. Holidays count as weekend either way.
    weekend_from: WeekMoment | None = None
    #: Forbidden successions, the most duty dates in a row, a free day after a night.
    sequences: Sequences = Field(default_factory=Sequences)
    #: ``district``: one bakvakt may back up shifts of the same window at several stations
    #: at once, at most ``backup_max_shifts`` of them; ``station`` (default): one at a time.
    backup_scope: BackupScope = BackupScope.STATION
    backup_max_shifts: int = Field(default=2, ge=1, le=50)
    #: An independent doctor on duty may be bakvakt, in the same window, for a shift at
    #: another station (default: no).
    backup_while_on_duty: StrictBool = False


class Scenario(_Model):
    format: Literal["legevakt-scenario/1"] = "legevakt-scenario/1"
    name: str
    horizon: Horizon
    municipalities: list[Municipality] = Field(min_length=1)
    stations: list[Station] = Field(min_length=1)
    # Required, as in the format: a forgotten section must not roster as all unfilled. An
    # explicit empty list is allowed (a district being set up) and warned about.
    shifts: list[ShiftTemplate]
    doctors: list[Doctor]
    policy: Policy = Field(default_factory=Policy)
    #: Assignments every roster must hold (optional, a project addition to the format).
    fixed: list[FixedAssignment] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references(self) -> Scenario:
        errors = reference_errors(self)
        if errors:
            raise ScenarioError(errors)
        return self

    # Lookups used everywhere downstream.
    def doctor(self, doctor_id: str) -> Doctor:
        return next(d for d in self.doctors if d.id == doctor_id)

    def station(self, station_id: str) -> Station:
        return next(s for s in self.stations if s.id == station_id)

    def shift(self, shift_id: str) -> ShiftTemplate:
        return next(s for s in self.shifts if s.id == shift_id)

    def to_document(self) -> dict[str, Any]:
        """The scenario as a JSON-ready document in the exchange format."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=False)

    def warnings(self) -> list[str]:
        """Things that are allowed but probably not meant; the CLI prints them."""
        return warnings(self)
