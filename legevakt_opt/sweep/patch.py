"""Patches on scenario documents (plain data): dotted paths, adding and removing doctors,
merging districts.

Every function takes a document and returns a new one; the input is never changed.
Problems raise :class:`PatchError` with one message (the caller names the field).

Dotted paths (see :func:`legevakt_opt.sweep.spec.parse_path`):

- ``policy.max_hours_per_week``: a field of a mapping;
- ``doctors.d003.share``: on a list, a name picks the item whose ``id`` is that name
  (stable when items are added or removed; this is the form to prefer);
- ``doctors[3].share``: ``[k]`` picks the k-th item, counted from 0.

Paths are resolved on the base scenario's full document (every field present, defaults
filled in), so a misspelt field is an error here rather than a silently added key.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from legevakt_opt.scenario import Doctor
from legevakt_opt.scenario.dates import holidays_of, matches
from legevakt_opt.sweep.spec import AddDoctors, RemoveDoctors, parse_path


class PatchError(ValueError):
    """A patch that does not apply; the message says why (without the field's name)."""


def _show_path(parts: Sequence[str | int]) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else ("." if out else "") + p
    return out or "(document)"


def _step(node: Any, part: str | int, done: list[str | int]) -> tuple[Any, str | int]:
    """The child of ``node`` named by ``part`` and the key or index to reach it."""
    where = _show_path(done) if done else "the scenario"
    if isinstance(node, dict):
        if isinstance(part, int):
            raise PatchError(f"{where} is a mapping, not a list: use .name, not [{part}]")
        if part not in node:
            fields = ", ".join(sorted(node))
            raise PatchError(f"{part!r} is not a field of {where} (fields: {fields})")
        return node[part], part
    if isinstance(node, list):
        if isinstance(part, int):
            if part >= len(node):
                raise PatchError(f"{where} has {len(node)} items; [{part}] is not one of them")
            return node[part], part
        for k, item in enumerate(node):
            if isinstance(item, dict) and item.get("id") == part:
                return item, k
        raise PatchError(f"no item of {where} has id {part!r}")
    if node is None:
        raise PatchError(f"{where} is null; set the whole value instead")
    raise PatchError(f"{where} is a single value, not a mapping or a list")


def get_path(doc: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path."""
    node: Any = doc
    done: list[str | int] = []
    for part in parse_path(path):
        node, _ = _step(node, part, done)
        done.append(part)
    return node


def set_path(doc: Mapping[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of ``doc`` with the value at a dotted path replaced."""
    out = copy.deepcopy(dict(doc))
    parts = parse_path(path)
    node: Any = out
    done: list[str | int] = []
    for part in parts[:-1]:
        node, _ = _step(node, part, done)
        done.append(part)
    _, key = _step(node, parts[-1], done)
    node[key] = copy.deepcopy(value)
    return out


def apply_set(doc: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """Apply ``{dotted.path: value}`` in order; raises ``PatchError`` naming the path."""
    out = dict(doc)
    for path, value in changes.items():
        try:
            out = set_path(out, path, value)
        except PatchError as exc:
            raise PatchError(f"{path}: {exc}") from None
    return out


# ---------------------------------------------------------------- doctors


def host_municipality(doc: Mapping[str, Any]) -> str:
    """The municipality of the first main station (the vertskommune)."""
    stations = doc.get("stations") or []
    for st in stations:
        if st.get("kind", "main") == "main":
            return str(st["municipality"])
    return str(doc["municipalities"][0]["id"])


def shift_dates(doc: Mapping[str, Any], shift_id: str) -> list[str]:
    """ISO dates in the horizon on which a shift template runs."""
    template = next((s for s in doc.get("shifts", []) if s.get("id") == shift_id), None)
    if template is None:
        raise PatchError(f"{shift_id!r} is not a shift of the scenario")
    horizon = doc["horizon"]
    first = dt.date.fromisoformat(str(horizon["start"]))
    dates = [first + dt.timedelta(days=k) for k in range(int(horizon["days"]))]
    given = horizon.get("holidays")
    holidays = holidays_of(
        dates[0],
        dates[-1],
        None if given is None else [dt.date.fromisoformat(str(d)) for d in given],
    ) | {dt.date.fromisoformat(str(d)) for d in horizon.get("extra_holidays") or []}
    when = list(template.get("when") or ["all"])
    return [d.isoformat() for d in dates if matches(when, d, holidays)]


def _clock(text: Any) -> dt.time:
    hh, mm = str(text).split(":")[:2]
    return dt.time(0, 0) if (int(hh), int(mm)) == (24, 0) else dt.time(int(hh), int(mm))


def outside_shifts(doc: Mapping[str, Any], shift_ids: Sequence[str]) -> list[dict[str, str]]:
    """Absences covering every moment of the horizon (local wall-clock time) outside the
    windows of the given shifts, so a doctor given them can hold only those shifts."""
    windows: list[tuple[dt.datetime, dt.datetime]] = []
    shifts = {s["id"]: s for s in doc.get("shifts", [])}
    for shift_id in shift_ids:
        template = shifts.get(shift_id)
        for day in shift_dates(doc, shift_id):  # raises for an unknown shift
            assert template is not None
            date = dt.date.fromisoformat(day)
            start, end = _clock(template["start"]), _clock(template["end"])
            begin = dt.datetime.combine(date, start)
            finish = dt.datetime.combine(date + dt.timedelta(days=int(end <= start)), end)
            windows.append((begin, finish))
    horizon = doc["horizon"]
    first = dt.datetime.combine(dt.date.fromisoformat(str(horizon["start"])), dt.time())
    last = first + dt.timedelta(days=int(horizon["days"]) + 1)  # a night may end next day
    gaps: list[dict[str, str]] = []
    cursor = first
    for begin, finish in sorted(windows):
        if begin > cursor:
            gaps.append(
                {"from": cursor.strftime("%Y-%m-%dT%H:%M"), "to": begin.strftime("%Y-%m-%dT%H:%M")}
            )
        cursor = max(cursor, finish)
    if cursor < last:
        gaps.append(
            {"from": cursor.strftime("%Y-%m-%dT%H:%M"), "to": last.strftime("%Y-%m-%dT%H:%M")}
        )
    return gaps


def add_doctors(doc: Mapping[str, Any], spec: AddDoctors) -> dict[str, Any]:
    """A copy of ``doc`` with ``spec.count`` new doctors; ids ``<prefix>01``, ``<prefix>02``
    … skip ids already taken. Raises ``PatchError`` (message starts with the field)."""
    out = copy.deepcopy(dict(doc))
    municipalities = {m["id"] for m in out["municipalities"]}
    municipality = spec.municipality or host_municipality(out)
    if municipality not in municipalities:
        raise PatchError(f"municipality: {municipality!r} is not a municipality of the scenario")
    wishes: list[dict[str, Any]] = []
    for k, shift_id in enumerate(spec.wish_shifts):
        try:
            wishes += [{"date": d, "shift": shift_id} for d in shift_dates(out, shift_id)]
        except PatchError as exc:
            raise PatchError(f"wish_shifts[{k}]: {exc}") from None
    absences: list[dict[str, str]] = []
    if spec.only_shifts:
        for k, shift_id in enumerate(spec.only_shifts):
            if not any(s.get("id") == shift_id for s in out.get("shifts", [])):
                raise PatchError(f"only_shifts[{k}]: {shift_id!r} is not a shift of the scenario")
        absences = outside_shifts(out, spec.only_shifts)
    taken = {d["id"] for d in out["doctors"]}
    prefix = spec.id_prefix or spec.category.value
    label = spec.name or spec.category.value.capitalize()
    extra = spec.passthrough()
    n = 0
    for _ in range(spec.count):
        n += 1
        while f"{prefix}{n:02d}" in taken:
            n += 1
        doc_id = f"{prefix}{n:02d}"
        taken.add(doc_id)
        doctor: dict[str, Any] = {
            "id": doc_id,
            "name": f"{label} {n}",
            "municipality": municipality,
            "category": spec.category.value,
            "independent": spec.independent,
            **copy.deepcopy(extra),
        }
        if wishes:
            doctor["wish"] = list(doctor.get("wish") or []) + copy.deepcopy(wishes)
        if absences:
            doctor["unavailable"] = list(doctor.get("unavailable") or []) + copy.deepcopy(absences)
        out["doctors"].append(_full_doctor(doctor))
    return out


def _full_doctor(doctor: dict[str, Any]) -> dict[str, Any]:
    """The doctor with every field (defaults filled in), so later dotted paths reach them;
    as given if it is not valid (the scenario check reports it, naming the field)."""
    try:
        return Doctor.model_validate(doctor).model_dump(mode="json", by_alias=True)
    except ValidationError:
        return doctor


def remove_doctors(doc: Mapping[str, Any], spec: RemoveDoctors) -> dict[str, Any]:
    """A copy of ``doc`` without the doctors of ``spec.category`` and those in ``spec.ids``.
    Raises ``PatchError`` for an unknown id or a category no doctor has."""
    out = copy.deepcopy(dict(doc))
    known = {d["id"] for d in out["doctors"]}
    for k, doc_id in enumerate(spec.ids):
        if doc_id not in known:
            raise PatchError(f"ids[{k}]: {doc_id!r} is not a doctor of the scenario")
    categories = {c.value for c in spec.category}
    present = {d.get("category", "fastlege") for d in out["doctors"]}
    for k, cat in enumerate(spec.category):
        if cat.value not in present:
            raise PatchError(f"category[{k}]: no doctor of the scenario is {cat.value!r}")
    drop = set(spec.ids)
    out["doctors"] = [
        d
        for d in out["doctors"]
        if d["id"] not in drop and d.get("category", "fastlege") not in categories
    ]
    return out


# ---------------------------------------------------------------- merging districts


def _fresh(wanted: str, taken: set[str]) -> str:
    if wanted not in taken:
        return wanted
    n = 2
    while f"{wanted}-{n}" in taken:
        n += 1
    return f"{wanted}-{n}"


def merge_documents(base: Mapping[str, Any], other: Mapping[str, Any], tag: str) -> dict[str, Any]:
    """One district from two: ``other``'s municipalities, stations, shifts and doctors are
    added to ``base``'s. Where an id clashes, ``other``'s item is renamed ``<tag>-<id>`` and
    every reference to it follows. A municipality with the same id, name and population in
    both is the same municipality and is kept once. The horizon, policy and format are
    ``base``'s; the name joins both names with ``+``."""
    tag = re.sub(r"[^A-Za-z0-9_-]+", "-", tag).strip("-") or "merged"
    out = copy.deepcopy(dict(base))
    src = copy.deepcopy(dict(other))
    renames: dict[str, dict[str, str]] = {}
    for coll in ("municipalities", "stations", "shifts", "doctors"):
        mine = {item["id"]: item for item in out.get(coll, [])}
        taken = set(mine)
        renames[coll] = {}
        kept = []
        for item in src.get(coll, []):
            old = item["id"]
            if coll == "municipalities" and old in mine and mine[old] == item:
                continue  # the same municipality in both districts
            if old in taken:
                new = _fresh(f"{tag}-{old}", taken | {i["id"] for i in src.get(coll, [])})
                renames[coll][old] = new
                item["id"] = new
            taken.add(item["id"])
            kept.append(item)
        out.setdefault(coll, [])
        src[coll] = kept
    muni, stat, shif = renames["municipalities"], renames["stations"], renames["shifts"]
    for st in src["stations"]:
        st["municipality"] = muni.get(st["municipality"], st["municipality"])
        st["video_from"] = [stat.get(s, s) for s in st.get("video_from") or []]
    for sh in src["shifts"]:
        sh["station"] = stat.get(sh["station"], sh["station"])
    for d in src["doctors"]:
        d["municipality"] = muni.get(d["municipality"], d["municipality"])
        if d.get("stations") is not None:
            d["stations"] = [stat.get(s, s) for s in d["stations"]]
        for field in ("avoid", "wish"):
            for r in d.get(field) or []:
                if r.get("shift") is not None:
                    r["shift"] = shif.get(r["shift"], r["shift"])
    for coll in ("municipalities", "stations", "shifts", "doctors"):
        out[coll] = list(out[coll]) + src[coll]
    out["name"] = f"{base.get('name', '')} + {other.get('name', '')}"
    return out
