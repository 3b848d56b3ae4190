"""``ScenarioError``, and how a pydantic validation error is worded: one line per problem,
naming its field the way the document spells it (``doctors[3].share``)."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Any


class ScenarioError(ValueError):
    """A scenario that cannot be used; ``errors`` holds one line per problem, each naming
    its field."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


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


def describe(err: Mapping[str, Any]) -> str:
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    path = _format_loc(loc)
    kind = err["type"]
    value = _show(err.get("input"))
    if kind == "missing":
        return f"{path}: is required"
    if kind == "extra_forbidden":
        return f"{path}: is not a field of this format"
    if kind == "misspelt":
        return f"{path}: is not a field of this format (did you mean {err['ctx']['meant']}?)"
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
        if msg.startswith(("'to'", "'end'", "'start'")):
            return f"{path}: {msg}"
        return f"{path}: {value} {msg}"
    if kind in _MESSAGES:
        return f"{path}: {value} {_MESSAGES[kind]}"
    return f"{path}: {value}: {err['msg']}"


def misspelt_fields(errors: Sequence[Any]) -> list[Any]:
    """Pydantic's errors with each misspelt field told once: an unknown field next to a
    missing one of a similar name (``dcotors`` and ``doctors``) is one problem, reported on
    the unknown field with the name it probably meant, not as two."""
    missing = {tuple(e["loc"]): e for e in errors if e["type"] == "missing"}
    out: list[Any] = []
    meant: set[tuple[Any, ...]] = set()
    for err in errors:
        loc = tuple(err["loc"])
        if err["type"] == "extra_forbidden" and loc and isinstance(loc[-1], str):
            parent = loc[:-1]
            names = [m[-1] for m in missing if m[:-1] == parent and (*parent, m[-1]) not in meant]
            close = difflib.get_close_matches(loc[-1], [str(n) for n in names], n=1, cutoff=0.7)
            if close:
                meant.add((*parent, close[0]))
                out.append({**err, "type": "misspelt", "ctx": {"meant": close[0]}})
                continue
        out.append(err)
    return [e for e in out if not (e["type"] == "missing" and tuple(e["loc"]) in meant)]
