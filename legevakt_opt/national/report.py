"""What a national sweep writes: ``results.csv``, ``totals.csv``, ``report.md``,
``report.xlsx`` and three plots. Every text passes through :mod:`legevakt_opt.io.escape`
(district and variant names come from files a user wrote)."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from legevakt_opt.io.escape import csv_cell, markdown_cell, neutralise_formulas
from legevakt_opt.national.run import NationalPlan
from legevakt_opt.national.totals import (
    blurred_districts,
    results_frame,
    totals_frame,
    variant_text,
)
from legevakt_opt.sweep.report import CAP_PATH, axis_label, pyplot
from legevakt_opt.sweep.run import Outcome
from legevakt_opt.sweep.variants import show_value

DATA_NOTE = (
    "The districts are synthetic: real municipalities with approximate populations of about "
    "2024, grouped into plausible legevakt districts (not an official register); the doctors, "
    "absences and requests are invented by the generator."
)


@dataclass
class NationalReport:
    """The written figures: the tables and the text per variant."""

    results: pd.DataFrame
    totals: pd.DataFrame
    texts: dict[str, str]
    notes: list[str]


def _csv(df: pd.DataFrame, path: Path) -> None:
    df.rename(columns=csv_cell).map(csv_cell).to_csv(path, index=False)


def _float(x: Any) -> float:
    return float(x)


def _fmt(x: Any) -> str:
    if isinstance(x, float):
        return "" if math.isnan(x) else f"{x:g}"
    return markdown_cell(x)


def notes_of(plan: NationalPlan, results: pd.DataFrame) -> list[str]:
    """The sentences under the variants: blurred districts and failed solves."""
    notes = []
    blurred = blurred_districts(results)
    solved = len(plan.districts)
    if blurred:
        notes.append(
            f"In {len(blurred)} of {solved} districts some variants cannot be told apart: "
            "their unfilled hours or max burden differ by less than the solver's gaps allow "
            "(results.csv: not_told_apart_from, gap_max_burden)."
        )
    else:
        notes.append(f"In all {solved} districts the solver's gaps tell every variant apart.")
    failed = results[results["status"] == "error"] if len(results) else results
    if len(failed):
        names = ", ".join(sorted({f"{r.district}/{r.variant}" for r in failed.itertuples()}))
        notes.append(
            f"{len(failed)} district solves failed and are left out of the totals: {names}."
        )
    return notes


def markdown_report(plan: NationalPlan, report: NationalReport) -> str:
    spec = plan.spec
    totals = report.totals
    national = totals[totals["scope"] == "national"]
    counties = sorted({d.county for d in plan.districts})
    people = sum(d.population for d in plan.districts)
    lines = [f"# {markdown_cell(plan.name)}", ""]
    if spec.description:
        lines += [markdown_cell(spec.description), ""]
    lines += [
        f"{len(plan.districts)} districts in {len(counties)} "
        f"{'county' if len(counties) == 1 else 'counties'}, {people:,} inhabitants; "
        f"{len(plan.variant_names)} variants each ({plan.size} solves); {spec.weeks} "
        f"{'week' if spec.weeks == 1 else 'weeks'} "
        f"from {spec.start.isoformat()}; {spec.solve.time_limit:g} s, {spec.solve.workers} "
        f"CP-SAT worker(s) and seed {spec.solve.seed} per solve"
        + (f", levels {', '.join(spec.solve.levels)}" if spec.solve.levels else "")
        + f"; generator seed {spec.seed}. "
        + DATA_NOTE,
        "",
        "## What each variant does",
        "",
        *(f"- {markdown_cell(report.texts[name])}" for name in plan.variant_names),
        "",
        *(markdown_cell(note) for note in report.notes),
        "",
        "## National totals",
        "",
    ]
    columns = {
        "variant": "variant",
        "unfilled_hours": "unfilled h",
        "unfilled_share": "unfilled %",
        "districts_above_threshold": f"districts > {spec.burden_threshold:g} h/wk",
        "doctors_above_threshold": f"doctors > {spec.burden_threshold:g} h/wk",
        "single_doctor_hours": "alone h",
        "weighted_per_1000": "weighted h per 1,000",
        "max_burden": "max burden",
        "districts_not_told_apart": "districts not told apart",
        "failed": "failed",
    }
    lines += _table(national, columns)
    lines += ["", "## Unfilled hours by county (share of required hours)", ""]
    by_county = totals[totals["scope"] == "county"]
    head = ["county", *plan.variant_names]
    lines += ["| " + " | ".join(markdown_cell(h) for h in head) + " |"]
    lines += ["|" + "|".join("---" for _ in head) + "|"]
    for county in counties:
        rows = by_county[by_county["county"] == county].set_index("variant")
        cells = [
            f"{_float(rows.loc[v, 'unfilled_hours']):,.0f} "
            f"({100 * _float(rows.loc[v, 'unfilled_share']):.1f} %)"
            for v in plan.variant_names
        ]
        lines.append("| " + " | ".join([markdown_cell(county), *cells]) + " |")
    lines += [
        "",
        "## Plots",
        "",
        "![National locum need](plots/national_unfilled_vs_cap.png)",
        "",
        "![Max burden across districts](plots/max_burden_spread.png)",
        "",
        "![Unfilled hours by county](plots/county_unfilled.png)",
        "",
    ]
    return "\n".join(lines)


def _table(df: pd.DataFrame, columns: Mapping[str, str]) -> list[str]:
    cols = [c for c in columns if c in df.columns]
    out = ["| " + " | ".join(markdown_cell(columns[c]) for c in cols) + " |"]
    out.append("|" + "|".join("---" for _ in cols) + "|")
    for _, r in df.iterrows():
        cells = []
        for c in cols:
            x = r[c]
            if c == "unfilled_share":
                cells.append(f"{100 * float(x):.1f}")
            elif c in ("unfilled_hours", "single_doctor_hours"):
                cells.append(f"{float(x):,.0f}")
            else:
                cells.append(_fmt(x))
        out.append("| " + " | ".join(cells) + " |")
    return out


def write_excel(path: Path, plan: NationalPlan, report: NationalReport) -> None:
    """``report.xlsx``: the text (one paragraph per row), totals, results and settings."""
    spec = plan.spec
    text = pd.DataFrame(
        {"report": [plan.name, *(report.texts[n] for n in plan.variant_names), *report.notes]}
    )
    settings = pd.DataFrame(
        [
            ("national", plan.name),
            ("source", str(plan.source or "")),
            ("districts", len(plan.districts)),
            ("variants", len(plan.variant_names)),
            ("seed", spec.seed),
            ("start", spec.start.isoformat()),
            ("weeks", spec.weeks),
            ("burden_threshold", spec.burden_threshold),
            ("small_district", spec.small_district),
            *((f"solve.{k}", v) for k, v in spec.solve.as_options().items()),
            ("solve.levels", ", ".join(spec.solve.levels or ["all"])),
            *((f"vary.{p}", json.dumps(vals)) for p, vals in spec.vary.items()),
            ("data", DATA_NOTE),
        ],
        columns=["setting", "value"],
    )
    settings["value"] = settings["value"].astype(str)
    with pd.ExcelWriter(path, engine="openpyxl") as xl:
        text.to_excel(xl, sheet_name="report", index=False)
        report.totals.to_excel(xl, sheet_name="totals", index=False, freeze_panes=(1, 3))
        report.results.to_excel(xl, sheet_name="results", index=False, freeze_panes=(1, 1))
        settings.to_excel(xl, sheet_name="settings", index=False)
        xl.sheets["report"].column_dimensions["A"].width = 140
        neutralise_formulas(xl.book)


# ---------------------------------------------------------------- plots


def _x_path(plan: NationalPlan) -> str | None:
    if CAP_PATH in plan.spec.vary:
        return CAP_PATH
    return next(iter(plan.spec.vary), None)


def plot_national_unfilled(plan: NationalPlan, totals: pd.DataFrame, path: Path) -> Path | None:
    """National unfilled hours (the locum need) against the swept value, one line per
    combination of the other varied paths; the base as a dashed line."""
    x_path = _x_path(plan)
    if x_path is None:
        return None
    plt = pyplot()
    national = totals[totals["scope"] == "national"].set_index("variant")
    variants = {v.name: v for v in plan.districts[0].plan.variants}
    xs = plan.spec.vary[x_path]
    others = [p for p in plan.spec.vary if p != x_path]
    labels = plan.labels
    series: dict[str, dict[int, float]] = {}
    fig, ax = plt.subplots(figsize=(8, 4.2))
    for name, v in variants.items():
        value = _float(national.loc[name, "unfilled_hours"])
        if v.kind != "grid":
            ax.axhline(value, linestyle="--", linewidth=1, color="grey", label=name)
            continue
        key = ", ".join(f"{labels[p]}={show_value(v.values[p])}" for p in others) or "national"
        k = next(i for i, x in enumerate(xs) if json.dumps(x) == json.dumps(v.values[x_path]))
        series.setdefault(key, {})[k] = value
    for j, (key, points) in enumerate(series.items()):
        ks = sorted(points)
        ax.plot(ks, [points[k] for k in ks], marker="osD^v<>"[j % 7], label=key)
    ax.set_xticks(range(len(xs)), [axis_label(x_path, x) for x in xs])
    ax.set_xlabel(labels[x_path] if x_path != CAP_PATH else "cap on weighted hours per week")
    ax.set_ylabel("unfilled doctor-hours over the horizon")
    ax.set_title(f"National locum need: {plan.name}", fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_max_burden_spread(plan: NationalPlan, results: pd.DataFrame, path: Path) -> Path | None:
    """Each district's highest burden, one box per variant; the threshold over the horizon
    as a dashed line."""
    ok = results[results["status"] != "error"]
    data = [ok[ok["variant"] == n]["max_burden"].astype(float).tolist() for n in plan.variant_names]
    if not any(data):
        return None
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(9, 1.4 + 0.45 * len(data)))
    names = list(plan.variant_names)
    major, minor = (int(x) for x in plt.matplotlib.__version__.split(".")[:2])
    if (major, minor) >= (3, 10):
        ax.boxplot(data[::-1], orientation="horizontal", tick_labels=names[::-1])
    else:  # pragma: no cover - older matplotlib
        ax.boxplot(data[::-1], vert=False, labels=names[::-1])
    limit = plan.spec.burden_threshold * plan.spec.weeks
    ax.axvline(limit, linestyle="--", color="C3", linewidth=1, label=f"{limit:g} h threshold")
    ax.set_xlabel("highest burden in the district (weighted hours ÷ share, over the horizon)")
    ax.set_title(f"Max burden across {len(plan.districts)} districts per variant", fontsize=10)
    ax.legend(fontsize=8, loc="best")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_county_unfilled(plan: NationalPlan, totals: pd.DataFrame, path: Path) -> Path | None:
    """Unfilled hours per county, one bar per variant."""
    counties = totals[totals["scope"] == "county"]
    if not len(counties):
        return None
    plt = pyplot()
    names = sorted(str(c) for c in counties["county"].unique())
    variants = list(plan.variant_names)
    width = 0.8 / max(1, len(variants))
    fig, ax = plt.subplots(figsize=(max(7, 0.7 * len(names) * max(1, len(variants)) / 2), 4.5))
    for j, v in enumerate(variants):
        mine = counties[counties["variant"] == v].set_index("county")
        heights = [_float(mine.loc[c, "unfilled_hours"]) for c in names]
        ax.bar([i + (j - (len(variants) - 1) / 2) * width for i in range(len(names))],
               heights, width=width, label=v)  # fmt: skip
    ax.set_xticks(range(len(names)), names, rotation=35, ha="right", fontsize=8)
    ax.set_ylabel("unfilled doctor-hours over the horizon")
    ax.set_title("Unfilled hours by county (a district counts in its host's county)", fontsize=10)
    ax.legend(fontsize=8, loc="best")
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def write_national(
    out: Path, plan: NationalPlan, outcomes: Mapping[str, Sequence[Outcome]]
) -> NationalReport:
    """Every table, the report and the plots into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    results = results_frame(plan, outcomes)
    totals = totals_frame(plan, results)
    texts = {name: variant_text(plan, totals, name) for name in plan.variant_names}
    report = NationalReport(results, totals, texts, notes_of(plan, results))
    _csv(results, out / "results.csv")
    _csv(totals, out / "totals.csv")
    (out / "report.md").write_text(markdown_report(plan, report), encoding="utf-8")
    write_excel(out / "report.xlsx", plan, report)
    folder = out / "plots"
    folder.mkdir(parents=True, exist_ok=True)
    plot_national_unfilled(plan, totals, folder / "national_unfilled_vs_cap.png")
    plot_max_burden_spread(plan, results, folder / "max_burden_spread.png")
    plot_county_unfilled(plan, totals, folder / "county_unfilled.png")
    return report
