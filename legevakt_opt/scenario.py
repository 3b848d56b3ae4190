"""Scenario documents (format ``legevakt-scenario/1``): models, loading and errors.

The models mirror ``shared/scenario-format.md`` field for field, with its defaults.
Nothing here imports the solver: a scenario is plain data that the calendar, the
model, the validator and the service all read.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StrictBool,
    ValidationError,
    WithJsonSchema,
    model_validator,
)

SCENARIO_FORMAT = "legevakt-scenario/1"
SELECTORS = (
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
    "weekday",
    "weekend",
    "holiday",
    "all",
)
#: Letters and digits of any script (``østmark``, ``ål``), ``-`` and ``_``.
_ID_RE = re.compile(r"^[\w-]+$")
#: The same for JSON Schema (ECMA-262 ``\w`` is ASCII only): anything but white space,
#: control characters and ASCII punctuation other than ``-`` and ``_``.
_ID_SCHEMA_PATTERN = r"^[^\s\x00-\x1f!-,./:-@\[-^`{-~]+$"
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})(?::00)?$")
_DATETIME_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{1,2}:\d{2}(?::00)?)$")


class ScenarioError(ValueError):
    """A scenario that cannot be used; ``errors`` holds one line per problem, each naming
    its field."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


# ---------------------------------------------------------------- field types


def _check_id(value: str) -> str:
    # NFC, so an å typed as a + combining ring is the same id as a precomposed å.
    value = unicodedata.normalize("NFC", value)
    if not _ID_RE.match(value):
        raise ValueError("is not an identifier (letters, digits, '-' and '_' only)")
    return value


def _parse_time(value: Any) -> dt.time | Literal["24:00"]:
    if isinstance(value, dt.time):
        return value
    if not isinstance(value, str) or not (m := _TIME_RE.match(value.strip())):
        raise ValueError("is not a time (HH:MM)")
    hour, minute = int(m.group(1)), int(m.group(2))
    if hour == 24 and minute == 0:
        return "24:00"
    if hour > 23 or minute > 59:
        raise ValueError("is not a time (HH:MM)")
    return dt.time(hour, minute)


def _as_time(value: Any) -> dt.time:
    parsed = _parse_time(value)
    # "24:00" as an end is midnight of the next date, which is what 00:00 means for an end.
    return dt.time(0, 0) if parsed == "24:00" else parsed


def _as_start(value: Any) -> dt.time:
    if _parse_time(value) == "24:00":
        # As an end, 24:00 is the next midnight; as a start it would silently become this
        # date's 00:00, a day early.
        raise ValueError("is not a start time (24:00 is only an end; a start uses 00:00)")
    return _as_time(value)


def _parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        raise ValueError("is not a date (YYYY-MM-DD)")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return _iso_date(value.strip(), "is not a date (YYYY-MM-DD)")
    raise ValueError("is not a date (YYYY-MM-DD)")


def _iso_date(text: str, problem: str) -> dt.date:
    """Exactly ``YYYY-MM-DD`` (``date.fromisoformat`` alone also takes ``20270201`` and
    ``2027-W05-1``, which the format does not allow)."""
    if _DATE_RE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise ValueError(problem)


_MOMENT_PROBLEM = "is not a date or a date and time (YYYY-MM-DD[THH:MM])"


def _parse_moment(value: Any) -> dt.date | dt.datetime:
    """A whole date, or a local wall-clock time ``YYYY-MM-DDTHH:MM``."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if m := _DATETIME_RE.match(text):
            day = _iso_date(m.group(1), _MOMENT_PROBLEM)
            try:
                clock = _parse_time(m.group(2))
            except ValueError:
                raise ValueError(_MOMENT_PROBLEM) from None
            if clock == "24:00":  # the end of that date: midnight of the next
                return dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
            return dt.datetime.combine(day, clock)
        return _iso_date(text, _MOMENT_PROBLEM)
    raise ValueError(_MOMENT_PROBLEM)


# JSON Schema for the hand-parsed types: pydantic would say "format: time/date-time", which
# means RFC 3339 with seconds and a UTC offset, so editors would flag "16:00" as wrong.
_TIME_PATTERN = r"^([01]?[0-9]|2[0-3]):[0-5][0-9](:00)?$"
_END_PATTERN = r"^(([01]?[0-9]|2[0-3]):[0-5][0-9](:00)?|24:00)$"
_MOMENT_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{1,2}:[0-9]{2}(:00)?)?$"

Ident = Annotated[
    str,
    AfterValidator(_check_id),
    WithJsonSchema({"type": "string", "pattern": _ID_SCHEMA_PATTERN}),
]


def _show_moment(value: dt.date | dt.datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M") if isinstance(value, dt.datetime) else value.isoformat()


Clock = Annotated[
    dt.time,
    BeforeValidator(_as_time),
    PlainSerializer(lambda t: t.strftime("%H:%M"), return_type=str),
    WithJsonSchema({"type": "string", "pattern": _END_PATTERN}),
]
StartClock = Annotated[
    dt.time,
    BeforeValidator(_as_start),
    PlainSerializer(lambda t: t.strftime("%H:%M"), return_type=str),
    WithJsonSchema({"type": "string", "pattern": _TIME_PATTERN}),
]
Day = Annotated[dt.date, BeforeValidator(_parse_date)]
Moment = Annotated[
    dt.date | dt.datetime,
    BeforeValidator(_parse_moment),
    PlainSerializer(_show_moment, return_type=str),
    WithJsonSchema({"type": "string", "pattern": _MOMENT_PATTERN}),
]
Selector = Literal[
    "mon", "tue", "wed", "thu", "fri", "sat", "sun", "weekday", "weekend", "holiday", "all"
]


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


class StationKind(StrEnum):
    MAIN = "main"
    SATELLITE = "satellite"


class Station(_Model):
    id: Ident
    name: str
    municipality: Ident
    kind: StationKind = StationKind.MAIN
    video_from: list[Ident] = Field(default_factory=list)


class DutyKind(StrEnum):
    ON_SITE = "on_site"
    ON_CALL = "on_call"


class ShiftTemplate(_Model):
    id: Ident
    station: Ident
    when: list[Selector] = Field(default_factory=lambda: list[Selector](["all"]), min_length=1)
    start: StartClock
    end: Clock
    kind: DutyKind = DutyKind.ON_SITE
    doctors: int = Field(default=1, ge=1, le=50)
    video: StrictBool = False


class Category(StrEnum):
    FASTLEGE = "fastlege"
    LIS1 = "lis1"
    ALIS = "alis"
    SPECIALIST = "specialist"
    VIKAR = "vikar"
    SALARIED = "salaried"


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

    @model_validator(mode="after")
    def _lis1_default(self) -> Doctor:
        if self.lis1_completed is None:
            object.__setattr__(self, "lis1_completed", self.independent)
        return self


class WindowCap(_Model):
    shifts: int = Field(ge=0)
    days: int = Field(ge=1, le=366)


class Weights(_Model):
    on_site: float = Field(default=1.0, ge=0, le=100)
    on_call: float = Field(default=0.25, ge=0, le=100)
    backup: float = Field(default=0.15, ge=0, le=100)
    video: float = Field(default=0.25, ge=0, le=100)


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


class Scenario(_Model):
    format: Literal["legevakt-scenario/1"] = "legevakt-scenario/1"
    name: str
    horizon: Horizon
    municipalities: list[Municipality] = Field(min_length=1)
    stations: list[Station] = Field(min_length=1)
    shifts: list[ShiftTemplate] = Field(default_factory=list)
    doctors: list[Doctor] = Field(default_factory=list)
    policy: Policy = Field(default_factory=Policy)

    @model_validator(mode="after")
    def _references(self) -> Scenario:
        errors = _reference_errors(self)
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
        return _warnings(self)


# ---------------------------------------------------------------- referential checks


def _duplicates(kind: str, ids: Iterable[str]) -> list[str]:
    counts = Counter(ids)
    return [f"{kind}: id {i!r} is used {n} times" for i, n in counts.items() if n > 1]


def _reference_errors(s: Scenario) -> list[str]:
    errors: list[str] = []
    errors += _duplicates("municipalities", (m.id for m in s.municipalities))
    errors += _duplicates("stations", (st.id for st in s.stations))
    errors += _duplicates("shifts", (sh.id for sh in s.shifts))
    errors += _duplicates("doctors", (d.id for d in s.doctors))
    municipalities = {m.id for m in s.municipalities}
    stations = {st.id: st for st in s.stations}
    shifts = {sh.id for sh in s.shifts}
    for k, st in enumerate(s.stations):
        if st.municipality not in municipalities:
            errors.append(
                f"stations[{k}].municipality: {st.municipality!r} is not a known municipality"
            )
        if st.video_from and st.kind is not StationKind.SATELLITE:
            errors.append(f"stations[{k}].video_from: only a satellite station is covered by video")
        for j, src in enumerate(st.video_from):
            if src not in stations:
                errors.append(f"stations[{k}].video_from[{j}]: {src!r} is not a known station")
            elif stations[src].kind is not StationKind.MAIN:
                errors.append(f"stations[{k}].video_from[{j}]: {src!r} is not a main station")
    for k, sh in enumerate(s.shifts):
        if sh.station not in stations:
            errors.append(f"shifts[{k}].station: {sh.station!r} is not a known station")
    for k, d in enumerate(s.doctors):
        if d.municipality not in municipalities:
            errors.append(
                f"doctors[{k}].municipality: {d.municipality!r} is not a known municipality"
            )
        for j, st_id in enumerate(d.stations or []):
            if st_id not in stations:
                errors.append(f"doctors[{k}].stations[{j}]: {st_id!r} is not a known station")
        for field, requests in (("avoid", d.avoid), ("wish", d.wish)):
            for j, r in enumerate(requests):
                if r.shift is not None and r.shift not in shifts:
                    errors.append(
                        f"doctors[{k}].{field}[{j}].shift: {r.shift!r} is not a known shift"
                    )
    return errors


def _warnings(s: Scenario) -> list[str]:
    out: list[str] = []
    first, last = s.horizon.start, s.horizon.end
    for k, sh in enumerate(s.shifts):
        if sh.video and s.station(sh.station).kind is not StationKind.SATELLITE:
            out.append(
                f"shifts[{k}].video: {sh.id!r} is not at a satellite station; video is ignored"
            )
    for k, d in enumerate(s.doctors):
        for field, requests in (("avoid", d.avoid), ("wish", d.wish)):
            for j, r in enumerate(requests):
                if not first <= r.date <= last:
                    out.append(f"doctors[{k}].{field}[{j}].date: {r.date} is outside the horizon")
    if s.doctors and all(d.exempt for d in s.doctors):
        out.append("doctors: every doctor is exempt; nothing can be covered")
    return out


# ---------------------------------------------------------------- loading


class _Loader(yaml.SafeLoader):
    """YAML 1.2-like safe loading: ``16:00`` stays a string, dates stay strings, and only
    true/false are booleans (``no`` is Norway's code, not false). Duplicate keys are errors."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:timestamp",)]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}
for _first, _resolvers in list(_Loader.yaml_implicit_resolvers.items()):
    _Loader.yaml_implicit_resolvers[_first] = [
        (tag, rx)
        for tag, rx in _resolvers
        if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool")
    ]
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"), list("-+0123456789")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]+(?:[eE][-+]?[0-9]+)?$|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$"
    ),
    list("-+0123456789."),
)


def _construct_mapping(
    loader: _Loader, node: yaml.MappingNode, deep: bool = False
) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, Hashable):
            continue  # construct_mapping below reports "found unhashable key"
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def parse_document(text: str, source: str = "<input>") -> Any:
    """Parse YAML or JSON text (JSON is YAML) into plain data; errors name the line."""
    try:
        return yaml.load(text, Loader=_Loader)  # _Loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown place"
        raise ScenarioError([f"{source}: not valid YAML/JSON at {where}: {exc.problem}"]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([f"{source}: not valid YAML/JSON: {exc}"]) from None


def read_text(path: str | Path, error: type[ScenarioError] = ScenarioError) -> str:
    """A UTF-8 file's text; a missing or unreadable file is ``error`` naming the path."""
    p = Path(path)
    try:
        return p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error([f"{p}: no such file"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error([f"{p}: cannot read: {exc}"]) from None


def read_document(path: str | Path) -> Any:
    """Read a YAML or JSON file into plain data."""
    p = Path(path)
    text = read_text(p)
    if p.suffix.lower() == ".json":
        try:
            return json.loads(text, object_pairs_hook=_json_object)
        except json.JSONDecodeError as exc:
            where = f"line {exc.lineno}, column {exc.colno}"
            raise ScenarioError([f"{p}: not valid JSON at {where}: {exc.msg}"]) from None
        except _DuplicateKey as exc:
            raise ScenarioError([f"{p}: not valid JSON: duplicate key {exc.key!r}"]) from None
    return parse_document(text, str(p))


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object; a repeated key is an error, as in YAML (``json`` keeps the last)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def _format_loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(document)"


_MESSAGES = {
    "missing": "is required",
    "extra_forbidden": "is not a field of this format",
    "int_parsing": "is not a whole number",
    "int_type": "is not a whole number",
    "int_from_float": "is not a whole number",
    "float_parsing": "is not a number",
    "float_type": "is not a number",
    "bool_parsing": "is not true or false",
    "bool_type": "is not true or false",
    "string_type": "is not a string",
    "list_type": "is not a list",
    "model_type": "is not a mapping",
    "dict_type": "is not a mapping",
}


def _show(value: Any, limit: int = 60) -> str:
    """A value as the user wrote it, more or less: null/true/false, quoted strings, cut short."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _describe(err: Mapping[str, Any]) -> str:
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    path = _format_loc(loc)
    kind = err["type"]
    value = _show(err.get("input"))
    if kind == "missing":
        return f"{path}: is required"
    if kind == "extra_forbidden":
        return f"{path}: is not a field of this format"
    if kind == "invalid_key":  # a YAML key that is not a string: 1, null, true
        return f"{_format_loc(loc[:-1])}: key {value} is not a field of this format"
    if kind in ("literal_error", "enum"):
        expected = err.get("ctx", {}).get("expected", "")
        return f"{path}: {value} is not one of {expected}"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        ctx = err.get("ctx", {})
        bound = next(iter(ctx.values()), "")
        word = {
            "greater_than": "greater than",
            "greater_than_equal": "at least",
            "less_than": "less than",
            "less_than_equal": "at most",
        }[kind]
        return f"{path}: {value} must be {word} {bound}"
    if kind in ("too_short", "too_long"):
        msg = err["msg"].replace("List should", "must").replace("Value should", "must")
        return f"{path}: {msg.replace(' after validation', '')}"
    if kind == "finite_number":
        return f"{path}: {value} is not a finite number"
    if kind == "value_error":
        msg = str(err.get("ctx", {}).get("error", err["msg"]))
        if msg.startswith(("'to'",)):
            return f"{path}: {msg}"
        return f"{path}: {value} {msg}"
    if kind in _MESSAGES:
        return f"{path}: {value} {_MESSAGES[kind]}"
    return f"{path}: {value}: {err['msg']}"


_KIND_NAMES: dict[type, str] = {
    list: "a list",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "true/false",
}


def scenario_from_data(data: Any, source: str | None = None) -> Scenario:
    """Validate plain data as a scenario; every problem becomes one line naming its field."""
    prefix = f"{source}: " if source else ""
    if data is None:
        raise ScenarioError([f"{prefix}(document): is empty; a scenario is a mapping of fields"])
    if not isinstance(data, dict):
        what = _KIND_NAMES.get(type(data), type(data).__name__)
        raise ScenarioError([f"{prefix}(document): a scenario is a mapping of fields, not {what}"])
    fmt = data.get("format", SCENARIO_FORMAT)
    if fmt != SCENARIO_FORMAT:
        raise ScenarioError([f"{prefix}format: {fmt!r} is not {SCENARIO_FORMAT!r}"])
    try:
        return Scenario.model_validate(data)
    except ScenarioError as exc:
        raise ScenarioError([prefix + e for e in exc.errors]) from None
    except ValidationError as exc:
        lines: list[str] = []
        for err in exc.errors(include_url=False):
            ctx_error = err.get("ctx", {}).get("error")
            if isinstance(ctx_error, ScenarioError):
                lines += ctx_error.errors
            else:
                lines.append(_describe(err))
        raise ScenarioError([prefix + line for line in dict.fromkeys(lines)]) from None


def load_scenario(source: str | Path | Mapping[str, Any] | Scenario) -> Scenario:
    """Load a scenario from a file path, a mapping, or return it unchanged."""
    if isinstance(source, Scenario):
        return source
    if isinstance(source, Mapping):
        return scenario_from_data(dict(source))
    return scenario_from_data(read_document(source), str(source))


def scenario_json_schema() -> dict[str, Any]:
    """JSON Schema of the scenario format, for editors' autocompletion."""
    schema = Scenario.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "legevakt-scenario/1"
    return schema
