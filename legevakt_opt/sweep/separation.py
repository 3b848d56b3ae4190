"""Which variants of a sweep cannot be told apart: two rosters whose figures differ by less
than the solver's gaps allow may owe the difference to the search, not to the policy.

Each level of a roster reports the value found and a bound, so the best value that level can
have lies in ``[bound, value]`` (levels are minimised). Two variants *can be told apart* on a
level when their intervals do not overlap; when they overlap and the values still differ,
the difference may be the solver's. Only the headline levels are compared (unfilled hours
and the highest burden): the lower levels' bounds are loose by nature and would flag every
pair. A level without a bound is ``(-inf, value]``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

HEADLINE = {"unfilled": "unfilled_hours", "max_burden": "max_burden"}
"""The levels whose differences a policymaker reads, each with the summary figure that
shows it; compared pair by pair."""
MOST_LINES = 5
"""More blurred pairs than this are summed up in one sentence per level under the table."""
TOLERANCE = 1e-6
"""Values closer than this are equal (the figures are rounded to 4 places)."""


def level_columns(levels: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """``value_<level>``, ``bound_<level>`` and ``gap_<level>`` for every level of a roster's
    ``objective``: the gap is (value − bound) ÷ |value| (0 when proved or both are 0), None
    without a bound."""
    out: dict[str, Any] = {}
    for lv in levels:
        name = str(lv.get("name", ""))
        value, bound = lv.get("value"), lv.get("bound")
        out[f"value_{name}"] = value
        out[f"bound_{name}"] = bound
        out[f"gap_{name}"] = _gap(value, bound, bool(lv.get("optimal")))
    return out


def _gap(value: float | None, bound: float | None, optimal: bool) -> float | None:
    if optimal:
        return 0.0
    if value is None or bound is None:
        return None
    if abs(value) < TOLERANCE:
        return 0.0
    return round(max(0.0, (value - bound) / abs(value)), 4)


@dataclass(frozen=True)
class Blur:
    """Two variants whose values on ``level`` differ within their intervals."""

    first: str
    second: str
    level: str
    values: tuple[float, float]
    bounds: tuple[float | None, float | None]


def _interval(row: Mapping[str, Any], level: str) -> tuple[float, float] | None:
    """``[bound, value]``, where the value is the lower of the level's value and its figure
    in the roster (a later level may lower the highest burden below what its own stage
    reached: the roster's figure is then the better upper end)."""
    found = [
        x
        for x in (_number(row.get(f"value_{level}")), _number(row.get(HEADLINE[level])))
        if x is not None
    ]
    if not found:
        return None
    value = min(found)
    bound = _number(row.get(f"bound_{level}"))
    low = -math.inf if bound is None else min(bound, value)
    return low, value


def _number(x: Any) -> float | None:
    if x is None or isinstance(x, bool) or not isinstance(x, int | float) or math.isnan(x):
        return None
    return float(x)


def blurs(rows: Sequence[Mapping[str, Any]]) -> list[Blur]:
    """Every pair of rows (by ``variant``, in row order) that no headline level tells apart
    (their intervals overlap on each) and whose values differ on some: one entry per such
    level. A pair that one level tells apart (unfilled hours proved different, say) is
    never blurred by another."""
    found: list[Blur] = []
    for i, a in enumerate(rows):
        for b in rows[i + 1 :]:
            pair: list[Blur] = []
            for level in HEADLINE:
                ia, ib = _interval(a, level), _interval(b, level)
                if ia is None or ib is None:
                    continue
                if ia[0] > ib[1] + TOLERANCE or ib[0] > ia[1] + TOLERANCE:
                    break  # told apart
                if abs(ia[1] - ib[1]) > TOLERANCE:
                    bounds = (_number(a.get(f"bound_{level}")), _number(b.get(f"bound_{level}")))
                    pair.append(
                        Blur(str(a["variant"]), str(b["variant"]), level, (ia[1], ib[1]), bounds)
                    )
            else:
                found += pair
    return found


def not_told_apart(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """Per row, the variants it cannot be told apart from (``", "``-joined, in row order)."""
    names = [str(r["variant"]) for r in rows]
    partners: dict[str, list[str]] = {n: [] for n in names}
    for blur in blurs(rows):
        for me, other in ((blur.first, blur.second), (blur.second, blur.first)):
            if other not in partners[me]:
                partners[me].append(other)
    return [", ".join(sorted(partners[n], key=names.index)) for n in names]


def _shown(x: float | None) -> str:
    return "none" if x is None else f"{x:g}"


def note_lines(rows: Sequence[Mapping[str, Any]], labels: Mapping[str, str]) -> list[str]:
    """The note under a summary table: one sentence per blurred pair and level, or, past
    :data:`MOST_LINES` pairs, one sentence per level that sums them up."""
    found = blurs(rows)
    if len(found) > MOST_LINES:
        lines = []
        for level in HEADLINE:
            these = [b for b in found if b.level == level]
            if not these:
                continue
            pairs = len(rows) * (len(rows) - 1) // 2
            what = labels.get(level, level.replace("_", " "))
            lines.append(
                f"{len(these)} of {pairs} pairs of variants differ in {what} by less than the "
                "solver's gaps allow (the column not_told_apart_from names them): those "
                "differences may be the solver's, not the policy's."
            )
        return lines
    lines = []
    for b in found:
        what = labels.get(b.level, b.level.replace("_", " "))
        lines.append(
            f"{b.first} and {b.second} differ in {what} ({b.values[0]:g} against "
            f"{b.values[1]:g}) by less than the solver's gaps allow (bounds "
            f"{_shown(b.bounds[0])} and {_shown(b.bounds[1])}): the difference may be the "
            "solver's, not the policy's."
        )
    return lines
