"""The period's forms onto the scenario document and back: each form field is named by its
document path (``policy.max_hours_per_week``, ``shifts[2].start``), so the scenario
validation's error lines (``shifts[2].start: '25:00' is not a time``), the very checks and
words of the API, land next to the field they name.

Values come as text: numbers take a decimal comma, dates ``dd.mm.yyyy`` (or ISO), an empty
field is null where the format allows it, a checkbox is true when sent. Text that is not
what a field takes is passed on as it is, so the validation names it.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from legevakt_opt.scenario import SELECTORS
from service.web.i18n import norwegian_date, norwegian_number, parse_norwegian_date


@dataclass(frozen=True)
class Field:
    path: str  # the document path, also the form field's name
    # int | number | optional_number | bool | date | dates (empty: null) | date_list
    # (empty: none) | window | text (empty: null) | switch (a checkbox between two words)
    kind: str
    label: str  # the i18n key
    #: A switch's values: (checked, not checked).
    options: tuple[str, str] = ("", "")


HORIZON = [
    Field("horizon.start", "date", "start"),
    Field("horizon.days", "int", "days"),
    Field("horizon.holidays", "dates", "holidays"),
    Field("horizon.extra_holidays", "date_list", "extra_holidays"),
]

POLICY = [
    Field("policy.min_rest_hours", "number", "min_rest_hours"),
    Field("policy.max_work_period_hours", "number", "max_work_period_hours"),
    Field("policy.max_hours_per_week", "optional_number", "max_hours_per_week"),
    Field("policy.max_shifts_in_window.shifts", "window", "max_shifts_in_window.shifts"),
    Field("policy.max_shifts_in_window.days", "window", "max_shifts_in_window.days"),
    Field("policy.max_nights_in_window.shifts", "window", "max_nights_in_window.shifts"),
    Field("policy.max_nights_in_window.days", "window", "max_nights_in_window.days"),
    Field("policy.lis1_without_backup", "bool", "lis1_without_backup"),
    Field("policy.video_allowed", "bool", "video_allowed"),
    Field("policy.video_max_satellites", "int", "video_max_satellites"),
    Field("policy.weights.on_site", "number", "weights.on_site"),
    Field("policy.weights.on_call", "number", "weights.on_call"),
    Field("policy.weights.backup", "number", "weights.backup"),
    Field("policy.weights.video", "number", "weights.video"),
    Field("policy.weekend_from", "text", "weekend_from"),
    Field("policy.sequences.max_consecutive_days", "optional_number", "max_consecutive_days"),
    Field("policy.sequences.day_off_after_night", "bool", "day_off_after_night"),
    Field("policy.backup_scope", "switch", "backup_scope", ("district", "station")),
    Field("policy.backup_max_shifts", "int", "backup_max_shifts"),
    Field("policy.backup_while_on_duty", "bool", "backup_while_on_duty"),
]

SHIFT_FIELDS = ("id", "station", "when", "start", "end", "kind", "doctors", "video")
_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
_LINE = re.compile(r"^([A-Za-z_][\w.\[\]]*): (.*)$", re.S)
_WHOLE_BOUND = re.compile(r"\b(at least|at most|greater than|less than) (-?\d+)\.0\b")


def split_path(path: str) -> list[str | int]:
    return [int(i) if i else str(k) for k, i in _PART.findall(path)]


def get_at(document: Any, path: str) -> Any:
    node = document
    for part in split_path(path):
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and part < len(node) else None
        else:
            node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            return None
    return node


def set_at(document: dict[str, Any], path: str, value: Any) -> None:
    parts = split_path(path)
    node: Any = document
    for part in parts[:-1]:
        if isinstance(part, int):
            node = node[part]
        else:
            if not isinstance(node.get(part), dict):
                node[part] = {}
            node = node[part]
    node[parts[-1]] = value


def number_text(value: Any) -> Any:
    """A number field's value: a number when it reads as one, else the text as written."""
    text = str(value).strip().replace(",", ".").replace(" ", "")
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return str(value).strip()


def date_text(value: str) -> str:
    day = parse_norwegian_date(value)
    return day.isoformat() if day else value.strip()


def _read(field: Field, form: Mapping[str, Sequence[str]]) -> Any:
    raw = form.get(field.path, [""])
    text = raw[-1] if raw else ""
    if field.kind == "bool":
        return field.path in form and text not in ("", "0", "false")
    if field.kind == "switch":
        checked = field.path in form and text not in ("", "0", "false")
        return field.options[0] if checked else field.options[1]
    if field.kind == "text":
        return text.strip() or None
    if field.kind == "date":
        return date_text(text)
    if field.kind in ("dates", "date_list"):
        items = [p for p in re.split(r"[,;\s]+", text) if p]
        if not items:
            return None if field.kind == "dates" else []
        return [date_text(p) for p in items]
    if field.kind == "optional_number" or field.kind == "window":
        return number_text(text) if text.strip() else None
    return number_text(text) if text.strip() else text


def apply_fields(
    document: dict[str, Any], fields: Sequence[Field], form: Mapping[str, Sequence[str]]
) -> dict[str, Any]:
    """A copy of ``document`` with the form's values at the fields' paths; a cap in a window
    (shifts and days) is null when both are empty."""
    out = copy.deepcopy(document)
    windows: dict[str, dict[str, Any]] = {}
    for field in fields:
        value = _read(field, form)
        if field.kind == "window":
            parent, _, leaf = field.path.rpartition(".")
            windows.setdefault(parent, {})[leaf] = value
            continue
        set_at(out, field.path, value)
    for parent, parts in windows.items():
        given = {k: v for k, v in parts.items() if v is not None}
        set_at(out, parent, given or None)  # a part left empty is named as required
    return out


def display(document: Mapping[str, Any], fields: Sequence[Field]) -> dict[str, str]:
    """The form's fields as text, from the document."""
    out: dict[str, str] = {}
    for field in fields:
        value = get_at(document, field.path)
        if field.kind == "bool":
            out[field.path] = "1" if value else ""
        elif field.kind == "switch":
            out[field.path] = "1" if value == field.options[0] else ""
        elif field.kind == "text":
            out[field.path] = str(value) if value is not None else ""
        elif field.kind == "date":
            out[field.path] = norwegian_date(value) if value else ""
        elif field.kind in ("dates", "date_list"):
            out[field.path] = ", ".join(norwegian_date(v) for v in value or [])
        else:
            out[field.path] = norwegian_number(value, 4) if value is not None else ""
    return out


def submitted(form: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """The form's own values, to show again next to their errors."""
    return {k: (v[-1] if v else "") for k, v in form.items()}


# ---------------------------------------------------------------- shifts


def shift_rows(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each shift template as the form shows it (``when`` as a list of selectors)."""
    rows = []
    for k, s in enumerate(document.get("shifts") or []):
        rows.append(
            {
                "key": str(k),
                "id": s.get("id", ""),
                "station": s.get("station", ""),
                "when": list(s.get("when") or ["all"]),
                "start": s.get("start", ""),
                "end": s.get("end", ""),
                "kind": s.get("kind", "on_site"),
                "doctors": str(s.get("doctors", 1)),
                "video": bool(s.get("video", False)),
                "remove": False,
            }
        )
    return rows


def with_blank(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows and, last, an empty one for a new shift (unless the form has it already)."""
    if rows and rows[-1]["key"] == "new":
        return rows
    blank = {
        "key": "new",
        "id": "",
        "station": "",
        "when": ["all"],
        "start": "",
        "end": "",
        "kind": "on_site",
        "doctors": "1",
        "video": False,
        "remove": False,
    }
    return [*rows, blank]


def apply_shifts(
    document: dict[str, Any], form: Mapping[str, Sequence[str]]
) -> tuple[dict[str, Any], list[dict[str, Any]], dict[int, str]]:
    """The document with the shifts of the form (rows marked *remove* left out, a filled-in
    new row added), the rows to show again, and which form row each shift index came
    from."""
    out = copy.deepcopy(document)
    keys = sorted(
        {m.group(1) for k in form if (m := re.match(r"^shifts\[(\w+)\]\.", k))},
        key=lambda k: (k == "new", int(k) if k.isdigit() else 0),
    )
    shifts: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    origin: dict[int, str] = {}
    for key in keys:

        def value(name: str, key: str = key) -> str:
            v = form.get(f"shifts[{key}].{name}", [""])
            return v[-1] if v else ""

        row: dict[str, Any] = {
            "key": key,
            "id": value("id").strip(),
            "station": value("station"),
            "when": list(form.get(f"shifts[{key}].when", [])),
            "start": value("start").strip(),
            "end": value("end").strip(),
            "kind": value("kind") or "on_site",
            "doctors": value("doctors").strip(),
            "video": f"shifts[{key}].video" in form,
            "remove": f"shifts[{key}].remove" in form,
        }
        rows.append(row)
        if row["remove"] or (key == "new" and not row["id"]):
            continue
        origin[len(shifts)] = key
        shifts.append(
            {
                "id": row["id"],
                "station": row["station"],
                "when": [w for w in row["when"] if w in SELECTORS] or row["when"] or ["all"],
                "start": row["start"],
                "end": row["end"],
                "kind": row["kind"],
                "doctors": number_text(row["doctors"]) if row["doctors"] else 1,
                "video": row["video"],
            }
        )
    out["shifts"] = shifts
    return out, rows, origin


# ---------------------------------------------------------------- errors to fields


def place_errors(
    lines: Sequence[str], names: Sequence[str], shift_origin: Mapping[int, str] | None = None
) -> tuple[dict[str, list[str]], list[str]]:
    """Each error line on the form field its path names (the longest field name that is
    the path or a parent of it, or a field under the path); the rest, for the form's top.
    ``shift_origin`` turns ``shifts[k]`` into the form row ``k`` came from."""
    placed: dict[str, list[str]] = {}
    general: list[str] = []
    for line in lines:
        m = _LINE.match(line)
        if m is None:
            general.append(line)
            continue
        path, message = m.group(1), _WHOLE_BOUND.sub(r"\1 \2", m.group(2))
        if shift_origin is not None:
            sm = re.match(r"^shifts\[(\d+)\](.*)$", path)
            if sm and int(sm.group(1)) in shift_origin:
                path = f"shifts[{shift_origin[int(sm.group(1))]}]{sm.group(2)}"
        target = _target(path, names)
        if target is None:
            general.append(line)
        else:
            placed.setdefault(target, []).append(message)
    return placed, general


def _target(path: str, names: Sequence[str]) -> str | None:
    best = None
    for name in names:
        inside = path == name or path.startswith((name + ".", name + "["))
        if inside and (best is None or len(name) > len(best)):
            best = name
    if best is not None:
        return best
    under = [n for n in names if n.startswith(path + ".")]
    return under[0] if under else None


def shift_field_names(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    return [f"shifts[{r['key']}].{f}" for r in rows for f in SHIFT_FIELDS]
