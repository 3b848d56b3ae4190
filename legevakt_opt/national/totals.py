"""The national figures: one results row per district × variant (the sweep's summary row and
who the district is), totals per variant for the country and for each county, and a short
text per variant written from those totals (so the words and the tables cannot disagree).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from legevakt_opt.national.run import NationalPlan
from legevakt_opt.sweep.report import column_order, summary_frame
from legevakt_opt.sweep.run import Outcome

#: Who a results row is about, first in every row.
IDENTITY = ["district", "district_name", "county", "population", "municipalities"]
#: Per-municipality and per-station columns: every district has its own, so across the
#: country they would be hundreds of mostly empty columns (the district totals stay).
DROPPED = ("per_1000_", "single_doctor_hours_")
NATIONAL = "Norway"


def _number(x: Any) -> float | None:
    if x is None or isinstance(x, bool | str):
        return None
    try:
        value = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


def results_frame(plan: NationalPlan, outcomes: Mapping[str, Sequence[Outcome]]) -> pd.DataFrame:
    """One row per district × variant: the district, then its sweep summary row (gap and
    ``not_told_apart_from`` within the district), its weighted hours in total and per 1,000
    inhabitants, and how many doctors are above ``burden_threshold`` a week."""
    weeks, threshold = plan.spec.weeks, plan.spec.burden_threshold
    frames = []
    for d in plan.districts:
        outs = outcomes[d.id]
        df = summary_frame(d.plan, outs)
        df = df[[c for c in df.columns if not str(c).startswith(DROPPED)]].copy()
        weighted = [c for c in df.columns if str(c).startswith("weighted_hours_")]
        df["weighted_hours"] = df[weighted].sum(axis=1, min_count=1).round(2)
        df["weighted_per_1000"] = (
            (df["weighted_hours"] / (d.population / 1000)).round(2) if d.population else None
        )
        df["doctors_above_threshold"] = [
            sum(1 for b in o.burdens.values() if b / weeks > threshold) if o.ok else None
            for o in outs
        ]
        who: list[Any] = [d.id, d.name, d.county, d.population, d.municipalities]
        for k, (col, value) in enumerate(zip(IDENTITY, who, strict=True)):
            df.insert(k, col, value)
        frames.append(df)
    if not frames:
        return pd.DataFrame(columns=IDENTITY)
    results = pd.concat(frames, ignore_index=True)
    rest = [str(c) for c in results.columns if c not in IDENTITY]
    return results[IDENTITY + column_order(rest, list(plan.spec.vary))]


def _totals(plan: NationalPlan, variant: str, scope: str, part: pd.DataFrame) -> dict[str, Any]:
    spec = plan.spec
    ok = part[part["status"] != "error"]
    required = float(ok["required_hours"].sum())
    unfilled = float(ok["unfilled_hours"].sum())
    small = ok[ok["population"] < spec.small_district]
    weighted = float(ok["weighted_hours"].sum())
    people = float(ok["population"].sum())
    gaps = [g for g in (_number(x) for x in ok.get("gap_max_burden", [])) if g is not None]
    proved = [g for g in (_number(x) for x in ok.get("gap_unfilled", [])) if g == 0]
    blurred = ok.get("not_told_apart_from", pd.Series(dtype=object)).fillna("").astype(str)
    row: dict[str, Any] = {
        "scope": "national" if scope == NATIONAL else "county",
        "county": scope,
        "variant": variant,
    }
    for path in spec.vary:
        row[path] = part[path].iloc[0] if len(part) else None
    row.update(
        {
            "districts": len(part),
            "failed": len(part) - len(ok),
            "population": int(part["population"].sum()),
            "required_hours": round(required, 2),
            "unfilled_hours": round(unfilled, 2),
            "unfilled_share": round(unfilled / required, 4) if required else 0.0,
            "unfilled_hours_small": round(float(small["unfilled_hours"].sum()), 2),
            "small_districts_unfilled": int((small["unfilled_hours"] > 0).sum()),
            "doctors": int(ok["doctors"].sum()),
            "doctors_above_threshold": int(ok["doctors_above_threshold"].sum()),
            "districts_above_threshold": int((ok["doctors_above_threshold"] > 0).sum()),
            "single_doctor_hours": round(float(ok["single_doctor_hours"].sum()), 2),
            "weighted_hours": round(weighted, 2),
            "weighted_per_1000": round(weighted / (people / 1000), 2) if people else 0.0,
            "max_burden": round(float(ok["max_burden"].max()), 2) if len(ok) else None,
            "districts_unfilled_proved": len(proved),
            "gap_max_burden_max": max(gaps) if gaps else None,
            "districts_not_told_apart": int((blurred != "").sum()),
        }
    )
    return row


def totals_frame(plan: NationalPlan, results: pd.DataFrame) -> pd.DataFrame:
    """Per variant: the country's totals, then each county's (a district counts in its
    host's county), from the results rows of the districts that were solved."""
    rows = []
    counties = sorted(str(c) for c in results["county"].unique()) if len(results) else []
    for name in plan.variant_names:
        these = results[results["variant"] == name]
        rows.append(_totals(plan, name, NATIONAL, these))
        rows += [_totals(plan, name, c, these[these["county"] == c]) for c in counties]
    return pd.DataFrame(rows)


def blurred_districts(results: pd.DataFrame) -> list[str]:
    """The districts in which some variants cannot be told apart (within the gaps)."""
    if "not_told_apart_from" not in results.columns:
        return []
    marked = results[results["not_told_apart_from"].fillna("").astype(str) != ""]
    return sorted(str(d) for d in marked["district"].unique())


def variant_text(plan: NationalPlan, totals: pd.DataFrame, variant: str) -> str:
    """What one variant does, in one paragraph, every figure from ``totals``."""
    spec = plan.spec
    mine = totals[totals["variant"] == variant]
    t = mine[mine["scope"] == "national"].iloc[0]
    unfilled, required = float(t["unfilled_hours"]), float(t["required_hours"])
    text = (
        f"{variant}: {100 * t['unfilled_share']:.1f} % of required hours have no doctor "
        f"({unfilled:,.0f} h of {required:,.0f} h)"
    )
    if unfilled > 0:
        small = float(t["unfilled_hours_small"])
        if small > 0:
            text += (
                f", {100 * small / unfilled:.0f} % of it in {int(t['small_districts_unfilled'])} "
                f"districts under {spec.small_district:,} inhabitants"
            )
        else:
            text += f", none of it in districts under {spec.small_district:,} inhabitants"
        counties = mine[mine["scope"] == "county"].sort_values(
            ["unfilled_share", "county"], ascending=[False, True]
        )
        top = counties.iloc[0]
        text += f" (highest share: {top['county']}, {100 * top['unfilled_share']:.1f} %)"
    text += (
        f"; {_districts(int(t['districts_above_threshold']))} a doctor above "
        f"{spec.burden_threshold:g} h a week ({int(t['doctors_above_threshold'])} of "
        f"{int(t['doctors'])} doctors). Weighted hours per 1,000 inhabitants: "
        f"{float(t['weighted_per_1000']):.1f}; hours with one doctor alone on duty: "
        f"{float(t['single_doctor_hours']):,.0f}."
    )
    solved = int(t["districts"]) - int(t["failed"])
    proved = int(t["districts_unfilled_proved"])
    text += f" Unfilled hours are proved optimal in {proved} of {solved} districts"
    gap = _number(t["gap_max_burden_max"])
    text += f"; the largest max-burden gap is {100 * gap:.0f} %." if gap is not None else "."
    if int(t["districts_not_told_apart"]):
        text += (
            f" In {int(t['districts_not_told_apart'])} districts this variant cannot be told "
            "apart from another (they differ by less than the solver's gaps allow)."
        )
    if int(t["failed"]):
        text += f" {int(t['failed'])} district solves failed (see results.csv)."
    return text


def _districts(n: int) -> str:
    """``1 district has``, ``3 districts have``."""
    return f"{n} district has" if n == 1 else f"{n} districts have"
