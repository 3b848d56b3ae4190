"""The burden chart's geometry, drawn as inline SVG by ``templates/_chart.html`` (so every
name in it is escaped by the template): one bar per doctor of burden (weighted hours ÷
share), the mean as a line, and the weekly cap over the period's weeks as a dashed line
(a doctor's own cap as a tick on their bar)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from service.web.grid import DoctorLine

BAR = 18
GAP = 6
LABEL = 150
WIDTH = 720
TOP = 28


@dataclass(frozen=True)
class Bar:
    id: str
    name: str
    y: int
    width: float
    burden: float
    cap_x: float | None


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    label: int
    plot: int
    bars: list[Bar]
    mean: float
    mean_x: float
    cap: float | None
    cap_x: float | None
    cap_per_week: float | None
    weeks: float
    ticks: list[tuple[float, float]]


def burden_chart(lines: Sequence[DoctorLine], weeks: float, cap_per_week: float | None) -> Chart:
    shown = [d for d in lines if not d.exempt]
    mean = sum(d.burden for d in shown) / len(shown) if shown else 0.0
    cap = cap_per_week * weeks if cap_per_week is not None else None
    top = max([d.burden for d in shown] + [mean, cap or 0.0, 1.0])
    plot = WIDTH - LABEL - 20
    scale = plot / (top * 1.08)
    bars = []
    for k, d in enumerate(shown):
        own = d.cap * weeks if d.cap is not None and d.cap != cap_per_week else None
        bars.append(
            Bar(
                d.id,
                d.name,
                TOP + k * (BAR + GAP),
                round(d.burden * scale, 1),
                d.burden,
                round(LABEL + own * scale, 1) if own is not None else None,
            )
        )
    step = _nice_step(top)
    ticks = [(round(LABEL + v * scale, 1), v) for v in _range(0, top * 1.08, step)]
    return Chart(
        width=WIDTH,
        height=TOP + len(shown) * (BAR + GAP) + 24,
        label=LABEL,
        plot=plot,
        bars=bars,
        mean=round(mean, 1),
        mean_x=round(LABEL + mean * scale, 1),
        cap=round(cap, 1) if cap is not None else None,
        cap_x=round(LABEL + cap * scale, 1) if cap is not None else None,
        cap_per_week=cap_per_week,
        weeks=round(weeks, 1),
        ticks=ticks,
    )


def _nice_step(top: float) -> float:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500):
        if top / step <= 8:
            return float(step)
    return 1000.0


def _range(start: float, stop: float, step: float) -> list[float]:
    out, v = [], start
    while v <= stop:
        out.append(v)
        v += step
    return out
