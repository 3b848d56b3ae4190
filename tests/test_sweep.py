"""Sweep files: dotted-path patches, grid expansion, named variants (add, remove, merge) and
the one-line-per-problem errors of bad sweep files. No solving here (see test_sweep_run).
One piece because every case patches the one base district and sweep built at the top."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from legevakt_opt.calendar import expand
from legevakt_opt.scenario import scenario_from_data
from legevakt_opt.sweep import SweepError, load_sweep, plan_from_data
from legevakt_opt.sweep.patch import (
    PatchError,
    get_path,
    merge_documents,
    set_path,
    shift_dates,
)
from legevakt_opt.sweep.spec import parse_path
from tests.helpers import doctor, lis1, nordic_data, scenario_data, shift, station


def base_doc() -> dict[str, Any]:
    """A tiny district, as its full document (every field present)."""
    data = scenario_data(
        [
            shift("kveld", "16:00", "23:00"),
            shift("natt", "23:00", "08:00", kind="on_call"),
            shift("dag", "08:00", "16:00", when=["weekday"]),
        ],
        [doctor("d1"), doctor("d2"), doctor("d3", share=0.5), lis1("l1")],
        days=7,
        policy={"max_hours_per_week": 30},
    )
    data["municipalities"][0]["population"] = 4000
    return scenario_from_data(data).to_document()


def plan(data: dict[str, Any], base: dict[str, Any] | None = None) -> Any:
    return plan_from_data(data, base or base_doc())


def errors_of(data: dict[str, Any], base: dict[str, Any] | None = None) -> list[str]:
    with pytest.raises(SweepError) as info:
        plan(data, base)
    return info.value.errors


# ---------------------------------------------------------------- dotted paths


def test_parse_path_by_name_and_index() -> None:
    assert parse_path("policy.max_hours_per_week") == ["policy", "max_hours_per_week"]
    assert parse_path("doctors.d003.share") == ["doctors", "d003", "share"]
    assert parse_path("doctors[3].unavailable[0].to") == ["doctors", 3, "unavailable", 0, "to"]
    for bad in ("", "policy..x", "doctors[x].share", "a b", "policy.", "[3]"):
        with pytest.raises(ValueError):
            parse_path(bad)


def test_set_path_on_fields_list_items_by_id_and_by_index() -> None:
    doc = base_doc()
    out = set_path(doc, "policy.max_hours_per_week", 14)
    assert out["policy"]["max_hours_per_week"] == 14
    assert doc["policy"]["max_hours_per_week"] == 30  # the input is left alone
    by_id = set_path(doc, "doctors.d3.share", 0.8)
    assert get_path(by_id, "doctors[2].share") == 0.8
    by_index = set_path(doc, "doctors[0].exempt", True)
    assert get_path(by_index, "doctors.d1.exempt") is True
    whole = set_path(doc, "policy.max_shifts_in_window", {"shifts": 2, "days": 7})
    assert whole["policy"]["max_shifts_in_window"] == {"shifts": 2, "days": 7}


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("policy.max_hour_per_week", "'max_hour_per_week' is not a field of policy"),
        ("doctors.d9.share", "no item of doctors has id 'd9'"),
        ("doctors[7].share", "doctors has 4 items; [7] is not one of them"),
        ("policy.max_shifts_in_window.days", "policy.max_shifts_in_window is null"),
        ("policy[0]", "policy is a mapping, not a list"),
        ("horizon.days.x", "horizon.days is a single value"),
    ],
)
def test_bad_paths_say_why(path: str, message: str) -> None:
    with pytest.raises(PatchError, match=message.replace("[", r"\[").replace("]", r"\]")):
        set_path(base_doc(), path, 1)


# ---------------------------------------------------------------- the grid


def test_grid_is_every_combination_with_names_and_values() -> None:
    p = plan(
        {
            "vary": {
                "policy.max_hours_per_week": [None, 28, 14],
                "policy.lis1_without_backup": [False, True],
            },
            "labels": {"policy.max_hours_per_week": "cap"},
        }
    )
    grid = [v for v in p.variants if v.kind == "grid"]
    assert p.variants[0].name == "base" and p.variants[0].kind == "base"
    assert len(grid) == 6
    assert [v.name for v in grid[:2]] == [
        "cap=none__lis1_without_backup=false",
        "cap=none__lis1_without_backup=true",
    ]
    for v in grid:
        assert v.document["policy"]["max_hours_per_week"] == v.values["policy.max_hours_per_week"]
        assert v.document["policy"]["lis1_without_backup"] is v.values["policy.lis1_without_backup"]
        scenario_from_data(v.document)  # each is a valid scenario
    # The base's row carries its own values of the varied paths.
    assert p.variants[0].values == {
        "policy.max_hours_per_week": 30.0,
        "policy.lis1_without_backup": False,
    }


def test_grid_patches_list_items_and_without_base() -> None:
    p = plan(
        {
            "include_base": False,
            "vary": {"doctors.d3.share": [0.5, 1.0], "doctors[0].exempt": [False, True]},
        }
    )
    assert [v.kind for v in p.variants] == ["grid"] * 4
    last = p.variants[-1]
    assert get_path(last.document, "doctors.d3.share") == 1.0
    assert get_path(last.document, "doctors.d1.exempt") is True
    assert last.name == "share=1__exempt=true"


def test_the_grid_varies_every_sequence_rule() -> None:
    p = plan(
        {
            "vary": {
                "policy.sequences.max_consecutive_days": [None, 3],
                "policy.sequences.day_off_after_night": [False, True],
                "policy.sequences.forbidden": [[], [["night", "evening"], ["evening", "day"]]],
            },
            "labels": {"policy.sequences.max_consecutive_days": "in_a_row"},
        }
    )
    grid = [v for v in p.variants if v.kind == "grid"]
    assert len(grid) == 8
    assert grid[-1].name == (
        "in_a_row=3__day_off_after_night=true__forbidden=night-evening-evening-day"
    )
    for v in grid:
        rules = scenario_from_data(v.document).policy.sequences
        assert rules.max_consecutive_days == v.values["policy.sequences.max_consecutive_days"]
        assert rules.day_off_after_night is v.values["policy.sequences.day_off_after_night"]
        assert [list(pair) for pair in rules.forbidden] == v.values["policy.sequences.forbidden"]
    assert p.variants[0].values["policy.sequences.max_consecutive_days"] is None
    bad = {"vary": {"policy.sequences.max_consecutive_days": [0]}}
    assert errors_of(bad) == [
        "variant max_consecutive_days=0: policy.sequences.max_consecutive_days: 0 must be at "
        "least 1"
    ]


def test_the_grid_varies_every_other_field_of_domain_depth() -> None:
    """Bakvakt scope, weekends and holidays, a doctor's exemptions and history: each a
    patch that lands where it says and is checked like a scenario field."""
    exemption = [{"from": "2027-01-04", "to": "2027-01-10", "from_duties": ["night"]}]
    history = {"carried_burden": 6.5}
    p = plan(
        {
            "include_base": False,
            "vary": {
                "policy.backup_scope": ["station", "district"],
                "policy.backup_max_shifts": [1, 3],
                "policy.backup_while_on_duty": [True],
                "policy.weekend_from": [None, "fri 16:00"],
                "horizon.extra_holidays": [["2027-01-05"]],
                "doctors.d1.exemptions": [exemption],
                "doctors.d2.history": [history],
            },
        }
    )
    assert len(p.variants) == 8
    for v in p.variants:
        s = scenario_from_data(v.document)
        assert s.policy.backup_scope.value == v.values["policy.backup_scope"]
        assert s.policy.backup_max_shifts == v.values["policy.backup_max_shifts"]
        assert s.policy.backup_while_on_duty is True
        assert (s.policy.weekend_from is None) is (v.values["policy.weekend_from"] is None)
        assert "2027-01-05" in {d.isoformat() for d in s.horizon.extra_holidays}
        d1, d2 = s.doctors[0], s.doctors[1]
        assert [e.from_duties for e in d1.exemptions] == [["night"]]
        assert d2.history is not None and d2.history.carried_burden == 6.5
    bad = {"vary": {"policy.backup_scope": ["kommune"]}}
    assert errors_of(bad)[0].startswith("variant backup_scope=kommune: policy.backup_scope: ")


def test_labels_fall_back_to_the_whole_path_when_two_paths_end_alike() -> None:
    p = plan({"vary": {"doctors.d1.share": [1.0], "doctors.d2.share": [0.5]}})
    assert p.variants[-1].name == "doctors.d1.share=1__doctors.d2.share=0.5"


# ---------------------------------------------------------------- named variants


def test_add_doctors_with_wishes_for_every_date_of_a_shift() -> None:
    p = plan(
        {
            "variants": {
                "more": {
                    "add_doctors": {
                        "count": 3,
                        "category": "salaried",
                        "independent": True,
                        "share": 2.0,
                        "wish_shifts": ["dag"],
                    }
                }
            }
        }
    )
    more = p.variants[-1]
    added = more.document["doctors"][4:]
    assert [d["id"] for d in added] == ["salaried01", "salaried02", "salaried03"]
    assert all(d["category"] == "salaried" and d["independent"] for d in added)
    assert all(d["share"] == 2.0 and d["municipality"] == "a" for d in added)
    # "dag" runs on weekdays only: five wishes, one per weekday of the week.
    assert [w["date"] for w in added[0]["wish"]] == shift_dates(more.document, "dag")
    assert len(added[0]["wish"]) == 5


def test_only_shifts_makes_a_doctor_unavailable_outside_those_shifts() -> None:
    p = plan(
        {
            "variants": {
                "nights": {
                    "add_doctors": {
                        "count": 1,
                        "category": "salaried",
                        "independent": True,
                        "only_shifts": ["natt"],
                    }
                }
            }
        }
    )
    doc = p.variants[-1].document
    added = doc["doctors"][-1]
    gaps = [(u["from"], u["to"]) for u in added["unavailable"]]
    # Free 23:00-08:00 every night of the week, unavailable the rest of the time.
    assert gaps[0] == ("2027-01-04T00:00", "2027-01-04T23:00")
    assert gaps[1] == ("2027-01-05T08:00", "2027-01-05T23:00")
    assert gaps[-1] == ("2027-01-11T08:00", "2027-01-12T00:00")
    assert len(gaps) == 8
    sc = scenario_from_data(doc)
    cal = expand(sc)
    free = [
        i.shift
        for i in cal.instances
        if not any(
            a.bounds()[0] < i.end.replace(tzinfo=None)
            and i.start.replace(tzinfo=None) < a.bounds()[1]
            for a in sc.doctor(added["id"]).unavailable
        )
    ]
    assert set(free) == {"natt"} and len(free) == 7


def test_add_doctor_ids_skip_ids_in_use() -> None:
    p = plan(
        {
            "variants": {
                "x": {
                    "add_doctors": [
                        {"count": 2, "category": "vikar", "independent": True},
                        {"count": 1, "category": "vikar", "independent": True},
                        {"count": 1, "category": "lis1", "independent": False, "id_prefix": "l"},
                    ]
                }
            }
        }
    )
    ids = [d["id"] for d in p.variants[-1].document["doctors"]]
    assert ids == ["d1", "d2", "d3", "l1", "vikar01", "vikar02", "vikar03", "l01"]


def test_remove_doctors_by_category_and_ids() -> None:
    p = plan({"variants": {"fewer": {"remove_doctors": {"category": "lis1", "ids": ["d2"]}}}})
    assert [d["id"] for d in p.variants[-1].document["doctors"]] == ["d1", "d3"]


def test_set_after_add_can_reach_added_doctors() -> None:
    p = plan(
        {
            "variants": {
                "x": {
                    "add_doctors": {"count": 1, "category": "vikar", "independent": True},
                    "set": {
                        "doctors.vikar01.max_hours_per_week": 45,
                        "policy.video_allowed": False,
                    },
                }
            }
        }
    )
    doc = p.variants[-1].document
    assert get_path(doc, "doctors.vikar01.max_hours_per_week") == 45
    assert doc["policy"]["video_allowed"] is False


def other_district() -> dict[str, Any]:
    """A second district whose ids clash with the base's (station A, doctor d1, shift
    kveld, municipality a with another name)."""
    data = scenario_data(
        [shift("kveld", "16:00", "22:00"), shift("helg", "08:00", "16:00", when=["weekend"])],
        [
            doctor("d1", stations=["A"], avoid=[{"date": "2027-01-05", "shift": "kveld"}]),
            doctor("x1", municipality="b"),
        ],
        days=7,
        stations=[station("A"), station("S", "b", kind="satellite", video_from=["A"])],
    )
    data["municipalities"][0]["name"] = "Another A"
    return scenario_from_data(data).to_document()


def test_merge_prefixes_clashing_ids_and_follows_references() -> None:
    merged = merge_documents(base_doc(), other_district(), "nabo")
    sc = scenario_from_data(merged)  # valid: no duplicate ids, no dangling references
    assert [m.id for m in sc.municipalities] == ["a", "nabo-a", "b"]
    assert [s.id for s in sc.stations] == ["A", "nabo-A", "S"]
    assert sc.station("nabo-A").municipality == "nabo-a"
    assert sc.station("S").video_from == ["nabo-A"]
    assert [s.id for s in sc.shifts] == ["kveld", "natt", "dag", "nabo-kveld", "helg"]
    assert sc.shift("nabo-kveld").station == "nabo-A"
    moved = sc.doctor("nabo-d1")
    assert moved.municipality == "nabo-a" and moved.stations == ["nabo-A"]
    assert moved.avoid[0].shift == "nabo-kveld"
    assert sc.doctor("x1").municipality == "b"
    assert " + " in sc.name


def test_merge_keeps_an_identical_municipality_once() -> None:
    other = base_doc()
    merged = scenario_from_data(merge_documents(base_doc(), other, "twin"))
    assert [m.id for m in merged.municipalities] == ["a"]
    assert len(merged.doctors) == 8 and sorted(d.id for d in merged.doctors)[-1] == "twin-l1"


def test_merge_variant_from_files(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(yaml.safe_dump(base_doc()))
    (tmp_path / "nabo.yaml").write_text(yaml.safe_dump(other_district()))
    sweep = tmp_path / "sweeps" / "s.yaml"
    sweep.parent.mkdir()
    sweep.write_text(
        textwrap.dedent(
            """\
            format: legevakt-sweep/1
            base: ../base.yaml
            variants:
              merged: {merge: [../nabo.yaml], description: two districts as one}
            """
        )
    )
    p = load_sweep(sweep)
    assert [v.name for v in p.variants] == ["base", "merged"]
    merged = p.variants[1].document
    assert {d["id"] for d in merged["doctors"]} >= {"nabo-d1", "x1"}
    assert p.variants[1].description == "two districts as one"


# ---------------------------------------------------------------- bad sweep files


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"format": "legevakt-sweep/2"}, "format: 'legevakt-sweep/2' is not 'legevakt-sweep/1'"),
        ({"vary": {}, "extra": 1}, "extra: is not a field of this format"),
        (
            {"vary": {"policy.max_hours_per_week": 28}},
            "vary.policy.max_hours_per_week: 28 is not a list",
        ),
        (
            {"vary": {"policy.max_hours_per_week": []}},
            "vary.policy.max_hours_per_week: must have at least 1 item",
        ),
        ({"vary": {"policy..x": [1]}}, "vary.policy..x: is not a dotted path"),
        (
            {"vary": {"policy.max_hour_per_week": [1]}},
            "vary.policy.max_hour_per_week: 'max_hour_per_week' is not a field of policy",
        ),
        (
            {"vary": {"policy.max_hours_per_week": [7, 7]}},
            "vary.policy.max_hours_per_week[1]: 7 is already in the list",
        ),
        (
            {"vary": {"policy.max_hours_per_week": [7, -5]}},
            "variant max_hours_per_week=-5: policy.max_hours_per_week: -5 must be at least 0",
        ),
        ({"labels": {"policy.x": "x"}}, "labels.policy.x: is not a path under vary"),
        ({"solve": {"workers": 0}}, "solve.workers: 0 must be at least 1"),
        ({"solve": {"time_limit": "soon"}}, "solve.time_limit: 'soon' is not a number"),
        ({"variants": {"v": {}}}, "variants.v: changes nothing"),
        (
            {"variants": {"base": {"set": {"policy.video_allowed": False}}}},
            "variants.base: 'base' is the unchanged base scenario's name",
        ),
        (
            {"variants": {"v": {"add_doctor": {"count": 1}}}},
            "variants.v.add_doctor: is not a field of this format",
        ),
        (
            {"variants": {"v": {"add_doctors": {"category": "vikar", "independent": True}}}},
            "variants.v.add_doctors.count: is required",
        ),
        (
            {
                "variants": {
                    "v": {"add_doctors": {"count": 1, "category": "locum", "independent": True}}
                }
            },
            "variants.v.add_doctors.category: 'locum' is not one of",
        ),
        (
            {
                "variants": {
                    "v": {
                        "add_doctors": {
                            "count": 1,
                            "category": "vikar",
                            "independent": True,
                            "municipality": "zz",
                        }
                    }
                }
            },
            "variants.v.add_doctors.municipality: 'zz' is not a municipality of the scenario",
        ),
        (
            {
                "variants": {
                    "v": {
                        "add_doctors": {
                            "count": 1,
                            "category": "vikar",
                            "independent": True,
                            "wish_shifts": ["nope"],
                        }
                    }
                }
            },
            "variants.v.add_doctors.wish_shifts[0]: 'nope' is not a shift of the scenario",
        ),
        (
            {
                "variants": {
                    "v": {
                        "add_doctors": {
                            "count": 1,
                            "category": "vikar",
                            "independent": True,
                            "only_shifts": ["natt", "x"],
                        }
                    }
                }
            },
            "variants.v.add_doctors.only_shifts[1]: 'x' is not a shift of the scenario",
        ),
        (
            {"variants": {"v": {"remove_doctors": {"ids": ["d1", "zz"]}}}},
            "variants.v.remove_doctors.ids[1]: 'zz' is not a doctor of the scenario",
        ),
        (
            {"variants": {"v": {"remove_doctors": {"category": "salaried"}}}},
            "variants.v.remove_doctors.category[0]: no doctor of the scenario is 'salaried'",
        ),
        (
            {"variants": {"v": {"set": {"doctors.d9.share": 2}}}},
            "variants.v.set.doctors.d9.share: no item of doctors has id 'd9'",
        ),
        (
            {"variants": {"v": {"set": {"doctors.d1.share": -1}}}},
            "variant v: doctors[0].share: -1 must be greater than 0",
        ),
        (
            {"variants": {"v": {"set": {"doctors.d1.municipality": "zz"}}}},
            "variant v: doctors[0].municipality: 'zz' is not a known municipality",
        ),
        (
            {"variants": {"v": {"merge": ["/no/such/file.yaml"]}}},
            "variants.v.merge[0]: /no/such/file.yaml: no such file",
        ),
    ],
)
def test_bad_sweeps_get_one_precise_line_each(data: dict[str, Any], expected: str) -> None:
    lines = errors_of(data)
    assert any(expected in line for line in lines), lines


def test_every_problem_is_reported_at_once() -> None:
    lines = errors_of(
        {
            "vary": {"policy.max_hour_per_week": [1]},
            "variants": {
                "a": {"set": {"doctors.d1.share": -1}},
                "b": {"remove_doctors": {"ids": ["zz"]}},
            },
        }
    )
    assert len(lines) == 3, lines


def test_bad_files_name_the_file_and_the_base(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: legevakt-sweep/1\nbase: missing.yaml\n")
    with pytest.raises(SweepError) as info:
        load_sweep(bad)
    assert info.value.errors == [f"{bad}: base: {tmp_path / 'missing.yaml'}: no such file"]
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: legevakt-sweep/1\nvary: [1\n")
    with pytest.raises(SweepError) as info:
        load_sweep(broken)
    assert info.value.errors[0].startswith(f"{broken}: not valid YAML/JSON at line")
    nobase = tmp_path / "nobase.yaml"
    nobase.write_text("format: legevakt-sweep/1\nvary: {}\n")
    with pytest.raises(SweepError) as info:
        load_sweep(nobase)
    assert info.value.errors == [f"{nobase}: base: is required"]


def test_the_worked_example_expands() -> None:
    root = Path(__file__).resolve().parents[1]
    p = load_sweep(root / "scenarios" / "sweeps" / "hallingdal-caps.yaml")
    assert len(p.variants) == 12
    assert p.variants[-1].name == "salaried-nights"
    added = [d for d in p.variants[-1].document["doctors"] if d["category"] == "salaried"]
    assert [d["id"] for d in added] == ["natt01", "natt02"]
    assert len(added[0]["unavailable"]) == 29  # the days between the 28 nights, and edges


def test_names_and_paths_keep_norwegian_letters() -> None:
    # Variant names become file names (rosters/<variant>.json) and URL parts; letters of
    # any script stay (two values once became the same '-l' name).
    sweep = {
        "format": "legevakt-sweep/1",
        "base": "<given>",
        "vary": {"doctors.ål-lege.municipality": ["ål", "østmark"]},
        "variants": {"kveld-øst": {"set": {"doctors.øyvind.share": 0.5}}},
    }
    p = plan(sweep, scenario_from_data(nordic_data()).to_document())
    names = [v.name for v in p.variants]
    assert names == ["base", "municipality=ål", "municipality=østmark", "kveld-øst"]
    assert p.variants[2].document["doctors"][0]["municipality"] == "østmark"
