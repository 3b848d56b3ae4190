"""Checks across the document (every id it refers to exists, none is used twice) and
warnings (allowed, but probably not meant)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from legevakt_opt.scenario.dates import DAY_WORDS, lasts, matches
from legevakt_opt.scenario.fields import StationKind

if TYPE_CHECKING:  # the models call these from their validators; a runtime import would loop
    from legevakt_opt.scenario.models import Scenario


def _duplicates(kind: str, ids: Iterable[str]) -> list[str]:
    counts = Counter(ids)
    return [f"{kind}: id {i!r} is used {n} times" for i, n in counts.items() if n > 1]


def reference_errors(s: Scenario) -> list[str]:
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
    errors += _fixed_errors(s, shifts)
    errors += _history_errors(s)
    errors += _sequence_errors(s)
    return errors


def _history_errors(s: Scenario) -> list[str]:
    """History duties lie before the horizon starts (a night may end on its first morning)."""
    errors: list[str] = []
    first = dt.datetime.combine(s.horizon.start, dt.time())
    for k, d in enumerate(s.doctors):
        if d.history is None:
            continue
        for j, h in enumerate(d.history.duties):
            if isinstance(h.start, dt.datetime) and h.start >= first:
                errors.append(
                    f"doctors[{k}].history.duties[{j}].start: {h.start:%Y-%m-%dT%H:%M} is not "
                    f"before the horizon starts ({s.horizon.start})"
                )
    return errors


def _sequence_errors(s: Scenario) -> list[str]:
    """Each forbidden succession is listed once."""
    errors: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    for k, pair in enumerate(s.policy.sequences.forbidden):
        if pair in seen:
            errors.append(
                f"policy.sequences.forbidden[{k}]: the same pair as forbidden[{seen[pair]}]"
            )
        seen.setdefault(pair, k)
    return errors


def _fixed_errors(s: Scenario, shifts: set[str]) -> list[str]:
    """Each fixed assignment names a known doctor and an instance that exists, once."""
    errors: list[str] = []
    doctors = {d.id for d in s.doctors}
    first, last = s.horizon.start, s.horizon.end
    holidays = s.horizon.holiday_dates if s.fixed else set()
    templates = {t.id: t for t in s.shifts}
    seen: dict[tuple[object, ...], int] = {}
    for k, f in enumerate(s.fixed):
        where = f"fixed[{k}]"
        if f.doctor not in doctors:
            errors.append(f"{where}.doctor: {f.doctor!r} is not a known doctor")
        if f.shift not in shifts:
            errors.append(f"{where}.shift: {f.shift!r} is not a known shift")
            continue
        if not first <= f.date <= last:
            errors.append(f"{where}.date: {f.date} is outside the horizon {first} to {last}")
            continue
        t = templates[f.shift]
        if not matches(list(t.when), f.date, holidays):
            day = DAY_WORDS[f.date.weekday()]
            errors.append(f"{where}: {f.shift} does not run on {day} {f.date}")
        elif not lasts(f.date, t.start, t.end):
            errors.append(
                f"{where}: {f.shift} on {f.date} lies in the hour skipped when the clocks go "
                "forward; it is not rostered"
            )
        key = (f.date, f.shift, f.doctor, f.role)
        if key in seen:
            errors.append(f"{where}: the same assignment as fixed[{seen[key]}]")
        seen.setdefault(key, k)
    return errors


def warnings(s: Scenario) -> list[str]:
    out: list[str] = []
    if not s.shifts:
        out.append("shifts: the list is empty; there is nothing to roster")
    if not s.doctors:
        out.append("doctors: the list is empty; every shift will need a locum")
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
    for k, d in enumerate(s.doctors):
        if (
            d.category.value in ("specialist", "fastlege")
            and "independent" not in d.model_fields_set
        ):
            out.append(
                f"doctors[{k}].independent: {d.id} is a {d.category.value} but not marked "
                "independent (the default is false), so every duty of theirs needs a bakvakt; "
                "set independent: true if they may work alone"
            )
    if s.doctors and all(d.exempt for d in s.doctors):
        out.append("doctors: every doctor is exempt; nothing can be covered")
    return out
