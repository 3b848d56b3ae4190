"""What a sweep writes: the summary table (CSV, Excel, Markdown), every roster and variant
scenario as JSON, and the plots (PNG, matplotlib's Agg backend)."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from legevakt_opt.calendar import expand
from legevakt_opt.io.escape import csv_cell, markdown_cell, neutralise_formulas
from legevakt_opt.scenario import scenario_from_data
from legevakt_opt.sweep.metrics import CATEGORIES, weekly_hours
from legevakt_opt.sweep.run import Outcome
from legevakt_opt.sweep.separation import not_told_apart, note_lines
from legevakt_opt.sweep.variants import SweepPlan, show_value

CAP_PATH = "policy.max_hours_per_week"

#: Columns of the Markdown table (the CSV and Excel files have every column).
MARKDOWN_COLUMNS = {
    "status": "status",
    "unfilled_hours": "unfilled h",
    "unfilled_share": "unfilled %",
    "max_burden": "max burden",
    "bound_max_burden": "bound",
    "mean_burden": "mean",
    "p90_burden": "p90",
    "gini_burden": "Gini",
    "max_nights": "max nights",
    "max_weekends": "max wkd",
    "single_doctor_hours": "alone h",
    "not_told_apart_from": "not told apart from",
}
_LEVEL_WORDS = {"unfilled": "unfilled hours", "max_burden": "max burden"}


def _cell(value: Any) -> Any:
    """A varied value as a table shows it: ``null``, ``true``, ``28``, JSON for the rest."""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return json.dumps(value)


_GROUPS = ("duty_hours_", "weighted_hours_", "per_1000_", "single_doctor_hours")
_TRAILING = ("seconds", "cpu_seconds", "description", "errors")
#: Columns that differ from run to run (timing); everything else is reproducible with
#: one CP-SAT worker and a seed.
TIMING = ["seconds", "cpu_seconds"]


def column_order(columns: list[str], vary: list[str]) -> list[str]:
    """Identity, varied paths, figures; then hours by category (in the format's order),
    per-municipality and per-station columns; then timing and notes."""

    def rank(item: tuple[int, str]) -> tuple[int, int, int]:
        pos, col = item
        if col in ("variant", "kind"):
            return (0, pos, 0)
        if col in vary:
            return (1, vary.index(col), 0)
        if col in _TRAILING:
            return (9, _TRAILING.index(col), 0)
        for g, prefix in enumerate(_GROUPS):
            if col.startswith(prefix):
                tail = col[len(prefix) :]
                sub = CATEGORIES.index(tail) if g < 2 and tail in CATEGORIES else pos
                return (3 + g, sub, pos)
        return (2, pos, 0)

    return [c for _, c in sorted(enumerate(columns), key=rank)]


def summary_frame(plan: SweepPlan, outcomes: Sequence[Outcome]) -> pd.DataFrame:
    """One row per variant, in the plan's order."""
    rows = []
    vary = list(plan.spec.vary)
    for o in outcomes:
        v = o.variant
        row: dict[str, Any] = {"variant": v.name, "kind": v.kind}
        if o.ok:
            row.update(o.row)
        else:
            row.update(dict(v.values))
            row["status"] = "error"
        for path in vary:
            row[path] = _cell(row.get(path))
        row["seconds"] = o.seconds
        row["cpu_seconds"] = o.cpu_seconds
        row["description"] = v.description
        row["errors"] = " | ".join(o.errors[:5])
        rows.append(row)
    ok = [r for r, o in zip(rows, outcomes, strict=True) if o.ok]
    for r, partners in zip(ok, not_told_apart(ok), strict=True):
        r["not_told_apart_from"] = partners
    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c not in columns]
    return pd.DataFrame(rows, columns=column_order(columns, vary))


def write_rosters(out: Path, outcomes: Sequence[Outcome]) -> None:
    """``rosters/<variant>.json`` for every valid roster and ``scenarios/<variant>.json``
    for every variant (so ``legevakt-opt validate`` can check any pair again)."""
    (out / "rosters").mkdir(parents=True, exist_ok=True)
    (out / "scenarios").mkdir(parents=True, exist_ok=True)
    for o in outcomes:
        name = o.variant.name
        (out / "scenarios" / f"{name}.json").write_text(
            json.dumps(o.variant.document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        if o.ok and o.roster is not None:
            (out / "rosters" / f"{name}.json").write_text(
                json.dumps(o.roster, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
            )


def blur_notes(df: pd.DataFrame) -> list[str]:
    """One sentence per pair of solved variants whose headline figures differ by less than
    their gaps allow (see :mod:`legevakt_opt.sweep.separation`)."""
    rows = [
        {str(k): v for k, v in r.items()} for _, r in df.iterrows() if r.get("status") != "error"
    ]
    return note_lines(rows, _LEVEL_WORDS)


def markdown_table(plan: SweepPlan, df: pd.DataFrame) -> str:
    """The key columns as a Markdown table (for a README)."""
    labels = plan.labels
    cols = ["variant", *plan.spec.vary, *[c for c in MARKDOWN_COLUMNS if c in df.columns]]
    head = [markdown_cell(labels.get(c, MARKDOWN_COLUMNS.get(c, c))) for c in cols]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in cols) + "|"]
    for _, r in df.iterrows():
        cells = []
        for c in cols:
            x = r.get(c)
            if c == "unfilled_share" and isinstance(x, float) and not math.isnan(x):
                cells.append(f"{100 * x:.1f}")
            elif isinstance(x, float):
                cells.append("" if math.isnan(x) else f"{x:g}")
            else:
                cells.append(markdown_cell(x))
        lines.append("| " + " | ".join(cells) + " |")
    notes = blur_notes(df)
    if notes:
        lines += ["", *(f"- {markdown_cell(n)}" for n in notes)]
    return "\n".join(lines) + "\n"


def write_tables(out: Path, plan: SweepPlan, outcomes: Sequence[Outcome]) -> pd.DataFrame:
    """``summary.csv``, ``summary.xlsx`` (sheets summary, burden, sweep) and ``summary.md``."""
    out.mkdir(parents=True, exist_ok=True)
    df = summary_frame(plan, outcomes)
    # Variant names, descriptions and values are user text: never a live formula.
    df.rename(columns=csv_cell).map(csv_cell).to_csv(out / "summary.csv", index=False)
    burden = pd.DataFrame({o.variant.name: pd.Series(o.burdens) for o in outcomes if o.ok})
    burden.index.name = "doctor"
    settings = pd.DataFrame(
        [
            ("sweep", plan.name),
            ("source", str(plan.source or "")),
            ("base", plan.spec.base),
            ("variants", len(plan.variants)),
            *((f"solve.{k}", v) for k, v in plan.spec.solve.as_options().items()),
            *((f"vary.{p}", json.dumps(vals)) for p, vals in plan.spec.vary.items()),
        ],
        columns=["setting", "value"],
    )
    settings["value"] = settings["value"].astype(str)
    with pd.ExcelWriter(out / "summary.xlsx", engine="openpyxl") as xl:
        df.to_excel(xl, sheet_name="summary", index=False, freeze_panes=(1, 1))
        burden.to_excel(xl, sheet_name="burden", freeze_panes=(1, 1))
        settings.to_excel(xl, sheet_name="sweep", index=False)
        sheet = xl.sheets["summary"]
        for k, col in enumerate(df.columns):
            width = max(len(str(col)), *(len(str(x)) for x in df[col].head(50)), 6)
            sheet.column_dimensions[sheet.cell(1, k + 1).column_letter].width = min(width + 2, 50)
        neutralise_formulas(xl.book)
    (out / "summary.md").write_text(markdown_table(plan, df), encoding="utf-8")
    return df


# ---------------------------------------------------------------- plots


def pyplot() -> Any:
    import matplotlib  # matplotlib (0.5 s) loads only when a plot is drawn

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # after choosing the Agg backend: no display here

    return plt


def _x_path(plan: SweepPlan) -> str | None:
    if CAP_PATH in plan.spec.vary:
        return CAP_PATH
    return next(iter(plan.spec.vary), None)


def axis_label(path: str, value: Any) -> str:
    if path == CAP_PATH:
        return "no cap" if value is None else f"{show_value(value)} h"
    return show_value(value)


def plot_against_cap(plan: SweepPlan, outcomes: Sequence[Outcome], path: Path) -> Path | None:
    """Unfilled hours (left) and max burden (right) against the swept cap (or the first
    varied path), one line per combination of the other varied paths; base and named
    variants as dashed reference lines."""
    x_path = _x_path(plan)
    if x_path is None:
        return None
    plt = pyplot()
    xs = plan.spec.vary[x_path]
    others = [p for p in plan.spec.vary if p != x_path]
    labels = plan.labels
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    series: dict[str, dict[int, Outcome]] = {}
    for o in outcomes:
        if o.variant.kind != "grid" or not o.ok:
            continue
        key = ", ".join(f"{labels[p]}={show_value(o.variant.values[p])}" for p in others)
        k = next(i for i, x in enumerate(xs) if _same(x, o.variant.values[x_path]))
        series.setdefault(key or "grid", {})[k] = o
    refs = [o for o in outcomes if o.variant.kind != "grid" and o.ok]
    for ax, column, title in (
        (axes[0], "unfilled_hours", "Unfilled doctor-hours (locum need)"),
        (axes[1], "max_burden", "Highest burden (weighted h ÷ share)"),
    ):
        for j, (key, points) in enumerate(series.items()):
            ks = sorted(points)
            ax.plot(
                ks,
                [points[k].row[column] for k in ks],
                marker="osD^v<>"[j % 7],
                markersize=7 - 1.5 * (j % 3),
                label=key,
            )
        for j, o in enumerate(refs):
            ax.axhline(
                o.row[column],
                linestyle="--",
                linewidth=1,
                color=f"C{len(series) + j}",
                label=f"{o.variant.name}",
            )
        ax.set_xticks(range(len(xs)), [axis_label(x_path, x) for x in xs])
        ax.set_xlabel(labels[x_path] if x_path != CAP_PATH else "cap on weighted hours per week")
        ax.set_title(title, fontsize=10)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("hours over the horizon")
    axes[1].set_ylabel("weighted hours over the horizon")
    axes[1].legend(fontsize=8, loc="best")
    fig.suptitle(plan.name, fontsize=11)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def plot_burden_boxes(outcomes: Sequence[Outcome], path: Path) -> Path | None:
    """Distribution of burden over the doctors who are not exempt, one box per variant."""
    ok = [o for o in outcomes if o.ok and o.burdens]
    if not ok:
        return None
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(9, 1.2 + 0.38 * len(ok)))
    data = [list(o.burdens.values()) for o in ok][::-1]
    names = [o.variant.name for o in ok][::-1]
    major, minor = (int(x) for x in plt.matplotlib.__version__.split(".")[:2])
    if (major, minor) >= (3, 10):
        ax.boxplot(data, orientation="horizontal", tick_labels=names)
    else:  # pragma: no cover - older matplotlib
        ax.boxplot(data, vert=False, labels=names)
    ax.set_xlabel("burden per doctor (weighted hours ÷ share, over the horizon)")
    ax.set_title("Burden distribution per variant", fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    ax.tick_params(axis="y", labelsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_heatmap(outcomes: Sequence[Outcome], path: Path) -> Path | None:
    """Doctor × week heatmap of weighted hours for the base (or the first variant)."""
    first = next((o for o in outcomes if o.ok and o.variant.kind == "base"), None)
    if first is None:
        first = next((o for o in outcomes if o.ok), None)
    if first is None:
        return None
    if first.weekly is None:
        assert first.roster is not None
        cal = expand(scenario_from_data(first.variant.document))
        first.weekly = weekly_hours(cal, first.roster)
    weekly = first.weekly
    doctors = list(weekly)
    weeks = list(next(iter(weekly.values()), {}))
    if not doctors or not weeks:
        return None
    plt = pyplot()
    grid = [[weekly[d][w] for w in weeks] for d in doctors]
    fig, ax = plt.subplots(figsize=(2.2 + 0.9 * len(weeks), 1.2 + 0.28 * len(doctors)))
    im = ax.imshow(grid, aspect="auto", cmap="YlOrRd")
    ax.set_xticks(range(len(weeks)), [w[5:] for w in weeks], fontsize=8)
    ax.set_xlabel("week starting (Monday)")
    ax.set_yticks(range(len(doctors)), doctors, fontsize=7)
    if len(doctors) * len(weeks) <= 600:
        top = max((x for row in grid for x in row), default=0) or 1
        for i, row in enumerate(grid):
            for j, x in enumerate(row):
                if x:
                    color = "white" if x > 0.6 * top else "black"
                    ax.text(j, i, f"{x:.0f}", ha="center", va="center", fontsize=6, color=color)
    fig.colorbar(im, ax=ax, label="weighted hours")
    ax.set_title(f"Weighted hours per doctor and week: {first.variant.name}", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def write_plots(out: Path, plan: SweepPlan, outcomes: Sequence[Outcome]) -> list[Path]:
    """Every plot into ``out/plots``; returns the files written."""
    folder = out / "plots"
    folder.mkdir(parents=True, exist_ok=True)
    written = [
        plot_against_cap(plan, outcomes, folder / "unfilled_vs_cap.png"),
        plot_burden_boxes(outcomes, folder / "burden_boxplot.png"),
        plot_heatmap(outcomes, folder / "base_heatmap.png"),
    ]
    return [p for p in written if p is not None]


def write_all(out: Path, plan: SweepPlan, outcomes: Sequence[Outcome]) -> pd.DataFrame:
    """Tables, rosters, scenarios and plots."""
    df = write_tables(out, plan, outcomes)
    write_rosters(out, outcomes)
    write_plots(out, plan, outcomes)
    return df
