"""Reading scenario files and data: YAML 1.2-like parsing (JSON is YAML), duplicate keys
refused, and validation into a :class:`Scenario` with one error line per problem."""

from __future__ import annotations

import json
import re
from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from legevakt_opt.scenario.errors import ScenarioError, describe, misspelt_fields
from legevakt_opt.scenario.fields import SCENARIO_FORMAT
from legevakt_opt.scenario.models import Scenario


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
        for err in misspelt_fields(exc.errors(include_url=False)):
            ctx_error = err.get("ctx", {}).get("error")
            if isinstance(ctx_error, ScenarioError):
                lines += ctx_error.errors
            else:
                lines.append(describe(err))
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
