"""The value types of the scenario format: identifiers, dates, times, date selectors, and
the kinds and categories, each with the parser and the wording its errors use.

The roster reader in :mod:`legevakt_opt.checks` parses roster dates with the same
functions, so a date is read as strictly wherever it appears.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, PlainSerializer, WithJsonSchema

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
    if not isinstance(value, str) or not (m := _TIME_RE.match(value)):
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


def parse_date(value: Any) -> dt.date:
    """A date: exactly ``YYYY-MM-DD`` (or a date object); ``ValueError`` with the wording
    every date error uses."""
    if isinstance(value, dt.datetime):
        raise ValueError(DATE_PROBLEM)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return _iso_date(value, DATE_PROBLEM)
    raise ValueError(DATE_PROBLEM)


def _iso_date(text: str, problem: str) -> dt.date:
    """Exactly ``YYYY-MM-DD`` (``date.fromisoformat`` alone also takes ``20270201`` and
    ``2027-W05-1``, which the format does not allow)."""
    if _DATE_RE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise ValueError(problem)


DATE_PROBLEM = "is not a date (YYYY-MM-DD)"
_MOMENT_PROBLEM = "is not a date or a date and time (YYYY-MM-DD[THH:MM])"


def _parse_moment(value: Any) -> dt.date | dt.datetime:
    """A whole date, or a local wall-clock time ``YYYY-MM-DDTHH:MM``."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value
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
Day = Annotated[dt.date, BeforeValidator(parse_date)]
Moment = Annotated[
    dt.date | dt.datetime,
    BeforeValidator(_parse_moment),
    PlainSerializer(_show_moment, return_type=str),
    WithJsonSchema({"type": "string", "pattern": _MOMENT_PATTERN}),
]
Selector = Literal[
    "mon", "tue", "wed", "thu", "fri", "sat", "sun", "weekday", "weekend", "holiday", "all"
]


_WEEK_MOMENT_RE = re.compile(r"^(mon|tue|wed|thu|fri|sat|sun) ([01]?[0-9]|2[0-3]):([0-5][0-9])$")
_WEEK_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _check_week_moment(value: str) -> str:
    if not _WEEK_MOMENT_RE.match(value):
        raise ValueError("is not a day and a time of the week (e.g. 'fri 16:00')")
    return value


def week_moment(value: str) -> tuple[int, dt.time]:
    """``"fri 16:00"`` as (4, 16:00): Monday is 0."""
    m = _WEEK_MOMENT_RE.match(value)
    if m is None:
        raise ValueError(f"{value!r} is not a day and a time of the week")
    return _WEEK_DAYS.index(m.group(1)), dt.time(int(m.group(2)), int(m.group(3)))


#: A moment of the week, ``fri 16:00``: from it until Sunday ends, duty counts as weekend.
WeekMoment = Annotated[
    str,
    AfterValidator(_check_week_moment),
    WithJsonSchema({"type": "string", "pattern": _WEEK_MOMENT_RE.pattern}),
]


#: How the sequence rules (``policy.sequences``) class an instance: ``night`` when its window
#: touches 00:00–06:00 (the format's night), else ``evening`` when it starts at or after
#: 15:00, else ``day``.
SEQUENCE_KINDS = ("night", "evening", "day")
SequenceKind = Literal["night", "evening", "day"]


def _as_pair(value: Any) -> Any:
    if isinstance(value, list | tuple) and len(value) == 2:
        return value
    raise ValueError("is not a pair of kinds [first, second] (night, evening or day)")


#: ``[night, evening]``: a duty of the first kind, then one of the second on the next date.
SequencePair = Annotated[tuple[SequenceKind, SequenceKind], BeforeValidator(_as_pair)]


class StationKind(StrEnum):
    MAIN = "main"
    SATELLITE = "satellite"


class BackupScope(StrEnum):
    """Where one bakvakt may back up at once: one shift (``station``, the format's meaning)
    or shifts with the same window at several stations (``district``)."""

    STATION = "station"
    DISTRICT = "district"


class DutyKind(StrEnum):
    ON_SITE = "on_site"
    ON_CALL = "on_call"


class Category(StrEnum):
    FASTLEGE = "fastlege"
    LIS1 = "lis1"
    ALIS = "alis"
    SPECIALIST = "specialist"
    VIKAR = "vikar"
    SALARIED = "salaried"
