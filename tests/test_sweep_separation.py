"""Which sweep variants cannot be told apart: level columns, overlapping intervals, and
the note under the summary table."""

from __future__ import annotations

from typing import Any

from legevakt_opt.sweep.separation import blurs, level_columns, not_told_apart, note_lines


def row(
    name: str, unfilled: tuple[float, float | None], burden: tuple[float, float | None]
) -> dict[str, Any]:
    return {
        "variant": name,
        "value_unfilled": unfilled[0],
        "bound_unfilled": unfilled[1],
        "value_max_burden": burden[0],
        "bound_max_burden": burden[1],
    }


def test_level_columns_with_proved_unproved_and_unbounded_levels() -> None:
    levels = [
        {"name": "unfilled", "value": 0.0, "bound": 0.0, "optimal": True},
        {"name": "max_burden", "value": 45.85, "bound": 41.8333, "optimal": False},
        {"name": "fairness", "value": 0.0, "bound": 0.0, "optimal": False},
        {"name": "requests", "value": 5, "bound": None, "optimal": False},
    ]
    assert level_columns(levels) == {
        "value_unfilled": 0.0,
        "bound_unfilled": 0.0,
        "gap_unfilled": 0.0,
        "value_max_burden": 45.85,
        "bound_max_burden": 41.8333,
        "gap_max_burden": 0.0876,
        "value_fairness": 0.0,
        "bound_fairness": 0.0,
        "gap_fairness": 0.0,
        "value_requests": 5,
        "bound_requests": None,
        "gap_requests": None,
    }


def test_overlapping_intervals_are_flagged_and_separate_ones_are_not() -> None:
    rows = [
        row("base", (0, 0), (46.2, 42.0)),
        row("cap=none", (0, 0), (45.2, 41.8)),  # within base's interval: blurred
        row("cap=21", (0, 0), (40.0, 40.0)),  # proved below both bounds: told apart
        row("cap=14", (12.5, 12.5), (38.0, 30.0)),  # unfilled proved different
    ]
    assert [(b.first, b.second, b.level, b.values) for b in blurs(rows)] == [
        ("base", "cap=none", "max_burden", (46.2, 45.2))
    ]
    assert not_told_apart(rows) == ["cap=none", "base", "", ""]


def test_exact_cases_of_the_interval_rule() -> None:
    # cap=21 is proved at 40.0; cap=14's interval is [30, 38]: they do not overlap.
    a, b = row("a", (0, 0), (40.0, 40.0)), row("b", (0, 0), (38.0, 30.0))
    assert blurs([a, b]) == []
    # equal values are never flagged, however loose the bounds
    assert blurs([row("a", (0, 0), (40.0, 10.0)), row("b", (0, 0), (40.0, 20.0))]) == []
    # touching intervals overlap: [40, 44] and [38, 40]
    touching = blurs([row("a", (0, 0), (44.0, 40.0)), row("b", (0, 0), (40.0, 38.0))])
    assert [(x.level, x.values) for x in touching] == [("max_burden", (44.0, 40.0))]
    # no bound: (-inf, value], so any lower value of the other overlaps
    unbounded = blurs([row("a", (3.0, None), (40.0, 40.0)), row("b", (1.0, 1.0), (40.0, 40.0))])
    assert [(x.level, x.bounds) for x in unbounded] == [("unfilled", (None, 1.0))]
    # a proved pair that differs is told apart
    assert blurs([row("a", (3.0, 3.0), (40.0, 40.0)), row("b", (1.0, 1.0), (40.0, 40.0))]) == []
    # missing or NaN values are not compared
    assert blurs([row("a", (float("nan"), 0), (40.0, 1.0)), {"variant": "b"}]) == []


def test_every_partner_is_named_once_in_row_order() -> None:
    rows = [
        row("x", (0, 0), (50.0, 40.0)),
        row("y", (1.0, 0.0), (45.0, 41.0)),  # blurred with x on both levels
        row("z", (0, 0), (42.0, 39.0)),
    ]
    assert [(b.first, b.second, b.level) for b in blurs(rows)] == [
        ("x", "y", "unfilled"),
        ("x", "y", "max_burden"),
        ("x", "z", "max_burden"),
        ("y", "z", "unfilled"),
        ("y", "z", "max_burden"),
    ]
    assert not_told_apart(rows) == ["y, z", "x, z", "x, y"]


def test_a_pair_one_level_tells_apart_is_not_blurred_by_another() -> None:
    # 8 unfilled hours against 308, both proved: the max burdens 72.35 and 72 overlap, but
    # the policies are told apart by the locum need
    rows = [row("cap=14", (8.0, 8.0), (72.35, 42.0)), row("cap=7", (308.0, 308.0), (72.0, 72.0))]
    assert blurs(rows) == []


def test_the_roster_s_figure_is_the_upper_end_when_it_is_lower() -> None:
    # the max-burden stage reached 45.45; a later level lowered the roster's figure to 45.2
    a = row("a", (0, 0), (45.45, 44.0)) | {"max_burden": 45.2}
    b = row("b", (0, 0), (44.1, 44.1))
    assert [x.values for x in blurs([a, b])] == [(45.2, 44.1)]
    assert blurs([a | {"max_burden": 44.1}, b]) == []  # equal figures


def test_many_pairs_are_summed_up_in_one_sentence_per_level() -> None:
    rows = [row(f"v{k}", (0, 0), (40.0 + k, 39.0)) for k in range(4)]  # 6 pairs, all blurred
    assert note_lines(rows, {}) == [
        "6 of 6 pairs of variants differ in max burden by less than the solver's gaps allow "
        "(the column not_told_apart_from names them): those differences may be the solver's, "
        "not the policy's."
    ]


def test_the_note_names_both_variants_figures_and_bounds() -> None:
    rows = [row("base", (0, 0), (46.2, 42.0)), row("cap=none", (0, 0), (45.2, None))]
    assert note_lines(rows, {"max_burden": "max burden"}) == [
        "base and cap=none differ in max burden (46.2 against 45.2) by less than the "
        "solver's gaps allow (bounds 42 and none): the difference may be the solver's, not "
        "the policy's."
    ]
