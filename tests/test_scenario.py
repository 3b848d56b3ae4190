"""Scenario loading: malformed files fail with one clear line naming file and field; valid
files load with the format's defaults and survive a round trip. One piece because the
malformed-file table, the defaults and the warnings all vary the one base document."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from legevakt_opt.scenario import (
    ScenarioError,
    load_scenario,
    parse_document,
    read_document,
    scenario_from_data,
    scenario_json_schema,
)
from tests.helpers import nordic_data

TESTS = Path(__file__).parent
MALFORMED = TESTS / "malformed"
EXPECTATIONS = MALFORMED / "expectations.yaml"
SCENARIOS = TESTS.parent / "scenarios"
SHARED_EXAMPLES = Path("/work/shared/examples")


def _expectations() -> dict[str, str]:
    return yaml.safe_load(EXPECTATIONS.read_text(encoding="utf-8"))


def _malformed_files() -> list[Path]:
    return sorted(p for p in MALFORMED.iterdir() if p.is_file() and p != EXPECTATIONS)


# A small valid scenario the tests below vary.
BASE: dict[str, Any] = {
    "name": "Test",
    "horizon": {"start": "2027-02-01", "days": 14},
    "municipalities": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
    "stations": [
        {"id": "main", "name": "Main", "municipality": "a", "kind": "main"},
        {
            "id": "sat",
            "name": "Satellite",
            "municipality": "b",
            "kind": "satellite",
            "video_from": ["main"],
        },
    ],
    "shifts": [
        {"id": "kveld", "station": "main", "start": "16:00", "end": "23:00"},
        {"id": "natt", "station": "main", "start": "23:00", "end": "08:00", "kind": "on_call"},
        {
            "id": "sat-kveld",
            "station": "sat",
            "when": ["weekday"],
            "start": "16:00",
            "end": "20:00",
            "video": True,
        },
    ],
    "doctors": [
        {"id": "d1", "name": "One", "municipality": "a", "independent": True},
        {"id": "d2", "name": "Two", "municipality": "b"},
    ],
}


def base() -> dict[str, Any]:
    return copy.deepcopy(BASE)


# ---------------------------------------------------------------- malformed files


def test_malformed_files_and_expectations_agree() -> None:
    names = {p.name for p in _malformed_files()}
    expected = _expectations()
    assert names == set(expected), names ^ set(expected)
    assert len(names) >= 24
    assert sum(name.endswith(".json") for name in names) >= 2


@pytest.mark.parametrize("path", _malformed_files(), ids=lambda p: p.name)
def test_malformed_file_fails_with_its_error(path: Path) -> None:
    expected = _expectations()[path.name]
    try:
        load_scenario(str(path))
    except ScenarioError as exc:
        errors, text = exc.errors, str(exc)
    except Exception as exc:  # anything else escaping is a bug
        pytest.fail(f"{path.name}: {type(exc).__name__} escaped instead of ScenarioError: {exc}")
    else:
        pytest.fail(f"{path.name} loaded without error")
    assert errors, "a ScenarioError without lines"
    assert all(line.startswith(f"{path}: ") for line in errors), errors
    assert all("\n" not in line for line in errors)
    assert any(expected in line for line in errors), (expected, errors)
    # Each file has exactly one defect, so exactly one line: no follow-on noise.
    assert len(errors) == 1, errors
    assert str(path) in text


def test_error_for_missing_file_names_it(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(ScenarioError, match="no such file") as info:
        load_scenario(missing)
    assert str(missing) in info.value.errors[0]


def test_several_problems_are_all_reported() -> None:
    data = base()
    data["horizon"]["days"] = 0
    data["shifts"][0]["start"] = "25:00"
    data["doctors"][1]["share"] = -1
    with pytest.raises(ScenarioError) as info:
        scenario_from_data(data, "x.yaml")
    text = "\n".join(info.value.errors)
    assert "x.yaml: horizon.days: 0 must be at least 1" in text
    assert "x.yaml: shifts[0].start: '25:00' is not a time" in text
    assert "x.yaml: doctors[1].share: -1 must be greater than 0" in text
    assert len(info.value.errors) == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name: [\n", "not valid YAML/JSON at line 2"),
        ("a: 1\na: 2\n", "duplicate key 'a'"),
        ("? [a, b]\n: 1\n", "found unhashable key"),
        ("x: !!python/object:os.system ls\n", "could not determine a constructor"),
        ("", "(document): is empty"),
        ("just a string\n", "not a string"),
        ("- 1\n- 2\n", "not a list"),
        ("1: x\nname: n\n", "key 1 is not a field of this format"),
    ],
)
def test_parse_problems_are_scenario_errors(text: str, expected: str) -> None:
    with pytest.raises(ScenarioError) as info:
        scenario_from_data(parse_document(text, "t.yaml"), "t.yaml")
    assert any(expected in line for line in info.value.errors), info.value.errors
    assert all(line.startswith("t.yaml: ") for line in info.value.errors)


@pytest.mark.parametrize(
    "value", ["20270201", "2027-W05-1", "2027-2-1", "01.02.2027", 20270201, " 2027-02-01"]
)
def test_dates_are_exactly_iso(value: object) -> None:
    data = base()
    data["horizon"]["start"] = value
    with pytest.raises(ScenarioError, match=r"horizon.start: .* is not a date \(YYYY-MM-DD\)"):
        scenario_from_data(data)


@pytest.mark.parametrize("value", [float("inf"), float("nan")])
def test_caps_must_be_finite(value: float) -> None:
    data = base()
    data["doctors"][0]["max_hours_per_week"] = value
    with pytest.raises(ScenarioError, match="is not a finite number"):
        scenario_from_data(data)


def test_values_are_shown_as_written() -> None:
    data = base()
    data["name"] = None
    with pytest.raises(ScenarioError, match="name: null is not a string"):
        scenario_from_data(data)


# ---------------------------------------------------------------- valid files


def _valid_files() -> list[Path]:
    files = sorted(SCENARIOS.glob("*.yaml"))
    if SHARED_EXAMPLES.is_dir():
        files += sorted(SHARED_EXAMPLES.glob("*.yaml"))
    return files


def test_scenarios_directory_has_files() -> None:
    names = {p.name for p in SCENARIOS.glob("*.yaml")}
    assert {"small-lis1.yaml", "satellites-video.yaml"} <= names


@pytest.mark.parametrize("path", _valid_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_valid_file_loads_and_round_trips(path: Path) -> None:
    scenario = load_scenario(path)
    assert scenario.doctors and scenario.shifts
    again = scenario_from_data(scenario.to_document())
    assert again == scenario
    assert again.to_document() == scenario.to_document()
    # The document is plain JSON data.
    assert scenario_from_data(json.loads(json.dumps(scenario.to_document()))) == scenario


@pytest.mark.skipif(not SHARED_EXAMPLES.is_dir(), reason="shared examples not present")
@pytest.mark.parametrize("name", ["hallingdal.yaml", "molde.yaml"])
def test_shared_examples_load(name: str) -> None:
    scenario = load_scenario(SHARED_EXAMPLES / name)
    assert scenario.warnings() == []


def test_json_and_yaml_give_the_same_scenario(tmp_path: Path) -> None:
    scenario = load_scenario(SCENARIOS / "satellites-video.yaml")
    path = tmp_path / "s.json"
    path.write_text(json.dumps(scenario.to_document(), ensure_ascii=False), encoding="utf-8")
    assert load_scenario(path) == scenario
    assert load_scenario(str(path)) == scenario


def test_small_lis1_scenario_has_what_it_claims() -> None:
    s = load_scenario(SCENARIOS / "small-lis1.yaml")
    assert len(s.stations) == 1 and s.stations[0].kind == "main"
    lis1 = [d for d in s.doctors if d.category == "lis1"]
    assert len(lis1) == 2 and not any(d.independent for d in lis1)
    assert sorted(bool(d.lis1_completed) for d in lis1) == [False, True]
    assert any(d.exempt for d in s.doctors)
    assert s.policy.lis1_without_backup is False
    assert {sh.kind for sh in s.shifts} == {"on_site", "on_call"}
    assert s.horizon.start == dt.date(2027, 2, 1) and s.horizon.days == 28


def test_satellites_scenario_has_what_it_claims() -> None:
    s = load_scenario(SCENARIOS / "satellites-video.yaml")
    mains = {st.id for st in s.stations if st.kind == "main"}
    satellites = [st for st in s.stations if st.kind == "satellite"]
    assert len(mains) == 1 and 2 <= len(satellites) <= 3
    assert all(st.video_from and set(st.video_from) <= mains for st in satellites)
    assert any(sh.video and sh.station in {st.id for st in satellites} for sh in s.shifts)
    assert 15 <= len(s.doctors) <= 20
    assert 3 <= len(s.municipalities) <= 4
    assert any(not d.video for d in s.doctors)
    p = s.policy
    assert p.max_hours_per_week and p.max_shifts_in_window and p.max_nights_in_window
    assert s.horizon.start <= dt.date(2027, 3, 25) and s.horizon.end >= dt.date(2027, 3, 29)


# ---------------------------------------------------------------- meaning and defaults


def test_unquoted_yaml_times_and_dates() -> None:
    text = """
name: Unquoted
horizon: {start: 2027-02-01, days: 7}
municipalities: [{id: no, name: Norway-coded municipality}]
stations: [{id: s, name: S, municipality: no}]
shifts:
  - {id: kveld, station: s, start: 16:00, end: 23:00}
  - {id: natt, station: s, start: 23:00, end: 8:00}
  - {id: dag, station: s, start: 8:00, end: 16:00}
doctors:
  - id: d1
    name: D
    municipality: no
    unavailable: [{from: 2027-02-03T12:00, to: 2027-02-04}]
"""
    s = scenario_from_data(parse_document(text, "t.yaml"), "t.yaml")
    # YAML 1.1 would read 16:00 as the integer 960, 2027-02-01 as a date, no as false.
    assert s.shift("kveld").start == dt.time(16, 0)
    assert s.shift("natt").end == dt.time(8, 0)
    assert s.shift("dag").start == dt.time(8, 0)
    assert s.horizon.start == dt.date(2027, 2, 1)
    assert s.municipalities[0].id == "no"
    absence = s.doctors[0].unavailable[0]
    assert absence.bounds() == (dt.datetime(2027, 2, 3, 12), dt.datetime(2027, 2, 5))


def test_yaml_numbers_and_booleans() -> None:
    doc = parse_document("a: 1\nb: 0.5\nc: true\nd: false\ne: yes\nf: 010\ng: null\n")
    assert doc == {"a": 1, "b": 0.5, "c": True, "d": False, "e": "yes", "f": "010", "g": None}


def test_lis1_completed_defaults_to_independent() -> None:
    data = base()
    data["doctors"].append(
        {
            "id": "d3",
            "name": "Three",
            "municipality": "a",
            "independent": False,
            "lis1_completed": True,
        }
    )
    s = scenario_from_data(data)
    assert s.doctor("d1").lis1_completed is True
    assert s.doctor("d2").lis1_completed is False
    assert s.doctor("d3").lis1_completed is True
    assert s.doctor("d3").independent is False


def test_defaults_match_the_format() -> None:
    s = scenario_from_data(base())
    assert s.format == "legevakt-scenario/1"
    assert s.horizon.holidays is None
    kveld = s.shift("kveld")
    assert kveld.doctors == 1 and kveld.video is False and list(kveld.when) == ["all"]
    assert kveld.kind == "on_site"
    assert s.station("main").video_from == []
    d = s.doctor("d2")
    assert d.category == "fastlege"
    assert d.independent is False and d.video is True and d.share == 1.0
    assert d.exempt is False and d.max_hours_per_week is None and d.stations is None
    assert d.unavailable == [] and d.avoid == [] and d.wish == []
    p = s.policy
    assert p.min_rest_hours == 8 and p.max_work_period_hours == 24
    assert p.max_hours_per_week is None
    assert p.max_shifts_in_window is None and p.max_nights_in_window is None
    assert p.lis1_without_backup is False
    assert p.video_allowed is True and p.video_max_satellites == 2
    seq = p.sequences
    assert seq.forbidden == [] and seq.max_consecutive_days is None
    assert seq.day_off_after_night is False and not seq.asks_anything
    w = p.weights
    assert (w.on_site, w.on_call, w.backup, w.video) == (1.0, 0.25, 0.15, 0.25)


def test_partial_weights_keep_other_defaults() -> None:
    data = base()
    data["policy"] = {"weights": {"on_call": 0.5}}
    w = scenario_from_data(data).policy.weights
    assert (w.on_site, w.on_call, w.backup, w.video) == (1.0, 0.5, 0.15, 0.25)


def test_end_2400_is_next_midnight() -> None:
    data = base()
    data["shifts"][0]["end"] = "24:00"
    s = scenario_from_data(data)
    assert s.shift("kveld").end == dt.time(0, 0)
    assert s.shift("kveld").start == dt.time(16, 0)


def test_start_2400_is_rejected() -> None:
    data = base()
    data["shifts"][0]["start"] = "24:00"
    with pytest.raises(ScenarioError, match=r"shifts\[0\].start: '24:00' is not a start time"):
        scenario_from_data(data)


def test_absence_until_2400_ends_at_next_midnight() -> None:
    data = base()
    data["doctors"][0]["unavailable"] = [{"from": "2027-02-03T16:00", "to": "2027-02-03T24:00"}]
    absence = scenario_from_data(data).doctors[0].unavailable[0]
    assert absence.bounds() == (dt.datetime(2027, 2, 3, 16), dt.datetime(2027, 2, 4))


def test_absence_whole_dates_are_inclusive() -> None:
    data = base()
    data["doctors"][0]["unavailable"] = [{"from": "2027-02-03", "to": "2027-02-03"}]
    absence = scenario_from_data(data).doctors[0].unavailable[0]
    assert absence.bounds() == (dt.datetime(2027, 2, 3), dt.datetime(2027, 2, 4))


def test_explicit_empty_holidays_stay_empty() -> None:
    data = base()
    data["horizon"]["holidays"] = []
    assert scenario_from_data(data).horizon.holidays == []


def test_format_may_be_absent_but_not_wrong() -> None:
    data = base()
    assert "format" not in data
    assert scenario_from_data(data).format == "legevakt-scenario/1"
    data["format"] = "legevakt-roster/1"
    with pytest.raises(ScenarioError, match="format: 'legevakt-roster/1' is not"):
        scenario_from_data(data)


def test_warning_for_wish_and_avoid_outside_the_horizon() -> None:
    data = base()
    data["doctors"][0]["wish"] = [{"date": "2027-03-01"}, {"date": "2027-02-14"}]
    data["doctors"][1]["avoid"] = [{"date": "2027-01-31", "shift": "natt"}]
    warnings = scenario_from_data(data).warnings()
    assert "doctors[0].wish[0].date: 2027-03-01 is outside the horizon" in warnings
    assert "doctors[1].avoid[0].date: 2027-01-31 is outside the horizon" in warnings
    assert not any("wish[1]" in w for w in warnings)  # 2027-02-14 is the last date


def test_warning_for_video_shift_at_a_main_station() -> None:
    data = base()
    data["shifts"][0]["video"] = True
    assert any("shifts[0].video" in w for w in scenario_from_data(data).warnings())


def test_no_warnings_for_the_base() -> None:
    data = base()
    data["doctors"][1]["category"] = "alis"  # not independent, as an ALIS may well be
    assert scenario_from_data(data).warnings() == []


def test_a_fastlege_or_specialist_left_at_the_default_is_warned_about() -> None:
    # The default independent: false silently puts a bakvakt on their every duty.
    data = base()
    warnings = scenario_from_data(data).warnings()
    assert warnings == [
        "doctors[1].independent: d2 is a fastlege but not marked independent (the default "
        "is false), so every duty of theirs needs a bakvakt; set independent: true if they "
        "may work alone"
    ]
    data["doctors"][1]["independent"] = False  # said on purpose: no warning
    assert scenario_from_data(data).warnings() == []
    data["doctors"][1] = {**data["doctors"][1], "category": "specialist"}
    del data["doctors"][1]["independent"]
    assert "d2 is a specialist" in scenario_from_data(data).warnings()[0]


@pytest.mark.parametrize("section", ["shifts", "doctors"])
def test_a_missing_section_is_an_error_and_an_empty_one_a_warning(section: str) -> None:
    # The format gives these no default: a forgotten section must not roster as all
    # unfilled. An explicit empty list is a district being set up.
    data = base()
    del data[section]
    with pytest.raises(ScenarioError) as info:
        scenario_from_data(data)
    assert info.value.errors == [f"{section}: is required"]
    data[section] = []
    if section == "shifts":
        for d in data["doctors"]:  # their requests name shifts
            d.pop("wish", None)
            d.pop("avoid", None)
    warnings = scenario_from_data(data).warnings()
    assert any(w.startswith(f"{section}: the list is empty") for w in warnings), warnings


def test_identifiers_take_letters_of_any_script() -> None:
    data = nordic_data()
    sc = scenario_from_data(data)
    assert [m.id for m in sc.municipalities] == ["sørvik", "østmark", "ål"]
    assert [s.id for s in sc.stations] == ["sørvik", "bærum-sat"]
    assert sc.doctor("ål-lege").name == "Åse Ødegård"
    # An å typed as a + combining ring is the same id, so references still match.
    data["doctors"][0]["municipality"] = "a\u030al"
    assert scenario_from_data(data).doctors[0].municipality == "ål"
    for bad in ("øst mark", "ål/lege", "d.1", "x@y"):
        data["doctors"][0]["id"] = bad
        with pytest.raises(ScenarioError, match="is not an identifier"):
            scenario_from_data(data)


def test_a_misspelt_field_is_one_line_with_the_name_it_probably_meant() -> None:
    data = base()
    data["doctors"][0]["indepedent"] = data["doctors"][0].pop("independent", True)
    data["polciy"] = data.pop("policy", {})
    with pytest.raises(ScenarioError) as info:
        scenario_from_data(data)
    assert info.value.errors == [
        "doctors[0].indepedent: is not a field of this format",
        "polciy: is not a field of this format",
    ]
    data["doktors"] = data.pop("doctors")
    with pytest.raises(ScenarioError) as info:
        scenario_from_data(data)
    assert "doktors: is not a field of this format (did you mean doctors?)" in info.value.errors
    assert "doctors: is required" not in info.value.errors


def test_json_schema_covers_the_format() -> None:
    schema = scenario_json_schema()
    json.dumps(schema)  # serialisable
    assert schema["type"] == "object"
    assert schema["$schema"].startswith("https://json-schema.org/")
    top = {"format", "name", "horizon", "municipalities", "stations", "shifts", "doctors", "policy"}
    top.add("fixed")
    assert set(schema["properties"]) == top
    required = {"name", "horizon", "municipalities", "stations", "shifts", "doctors"}
    assert set(schema["required"]) == required
    defs = schema["$defs"]
    assert {"from", "to", "note"} == set(defs["Absence"]["properties"])
    assert schema.get("additionalProperties") is False
    doctor = defs["Doctor"]["properties"]
    for field in (
        "id",
        "name",
        "municipality",
        "category",
        "independent",
        "lis1_completed",
        "video",
        "share",
        "exempt",
        "max_hours_per_week",
        "stations",
        "unavailable",
        "avoid",
        "wish",
    ):
        assert field in doctor
    policy = defs["Policy"]["properties"]
    for field in (
        "min_rest_hours",
        "max_work_period_hours",
        "max_hours_per_week",
        "max_shifts_in_window",
        "max_nights_in_window",
        "lis1_without_backup",
        "video_allowed",
        "video_max_satellites",
        "weights",
        "sequences",
    ):
        assert field in policy


def test_json_schema_accepts_the_valid_files() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(
        scenario_json_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    for path in _valid_files():
        errors = [e.message for e in validator.iter_errors(read_document(path))]
        assert errors == [], (path, errors[:3])
    bad = base()
    bad["shifts"][0]["start"] = "4pm"
    assert list(validator.iter_errors(bad))


# ---------------------------------------------------------------- robustness


_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["16:00", "24:00", "2027-02-30", "2027-02-01T25:00", "main", "d1", ""]),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


_BASE_PATHS = [p for p in _paths(BASE) if p]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(where=st.sampled_from(_BASE_PATHS), value=_LEAVES, drop=st.booleans())
def test_any_one_change_gives_a_scenario_or_a_scenario_error(
    where: tuple[Any, ...], value: Any, drop: bool
) -> None:
    data = base()
    node = data
    for part in where[:-1]:
        node = node[part]
    if drop and isinstance(node, dict):
        del node[where[-1]]
    else:
        node[where[-1]] = value
    try:
        scenario_from_data(data, "fuzz.yaml")
    except ScenarioError as exc:
        assert exc.errors and all(line.startswith("fuzz.yaml: ") for line in exc.errors)


_BASE_TEXT = yaml.safe_dump(BASE, sort_keys=False)


@settings(max_examples=300, deadline=None)
@given(pos=st.integers(0, len(_BASE_TEXT) - 1), junk=st.text(max_size=4), cut=st.integers(0, 3))
def test_any_text_edit_gives_a_scenario_or_a_scenario_error(pos: int, junk: str, cut: int) -> None:
    text = _BASE_TEXT[:pos] + junk + _BASE_TEXT[pos + cut :]
    try:
        scenario_from_data(parse_document(text, "fuzz.yaml"), "fuzz.yaml")
    except ScenarioError as exc:
        assert exc.errors and all(line.startswith("fuzz.yaml: ") for line in exc.errors)
