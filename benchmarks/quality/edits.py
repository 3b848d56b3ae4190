"""Edits to a generated district's document (a plain dict in the scenario format), each
adding what one part of the benchmark set should exercise; every random choice comes from
a generator seeded by the district's name and the edit, so the files come out the same."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

Doc = dict[str, Any]


def _rng(doc: Doc, salt: str) -> random.Random:
    return random.Random(f"{doc['name']}:{salt}")


def _dates(doc: Doc) -> list[dt.date]:
    start = dt.date.fromisoformat(doc["horizon"]["start"])
    return [start + dt.timedelta(days=k) for k in range(doc["horizon"]["days"])]


def lis1(doc: Doc, count: int, completed: int = 0) -> None:
    """``count`` more doctors become LIS1 who need bakvakt (``completed`` of them have
    completed LIS1, which only matters under ``lis1_without_backup``)."""
    r = _rng(doc, "lis1")
    free = [d for d in doc["doctors"] if d.get("independent") and not d.get("exempt")]
    for k, d in enumerate(r.sample(free, min(count, len(free)))):
        d.update(category="lis1", independent=False, lis1_completed=k < completed)
        d.pop("max_hours_per_week", None)


def satellites(doc: Doc, members: int, no_video: int = 0) -> None:
    """Nurse-staffed satellites in the ``members`` largest other municipalities, covered on
    site or by video from the main station (weekday evenings, weekend days); ``no_video``
    doctors do not cover by video."""
    main = doc["stations"][0]["id"]
    host = doc["stations"][0]["municipality"]
    others = sorted(
        (m for m in doc["municipalities"] if m["id"] != host), key=lambda m: -m["population"]
    )
    for m in others[:members]:
        sat = f"{m['id']}-sat"
        doc["stations"].append(
            {
                "id": sat,
                "name": f"Legevaktsatellitt {m['name']}",
                "municipality": m["id"],
                "kind": "satellite",
                "video_from": [main],
            }
        )
        for sid, when, start, end in (
            (f"{m['id']}-sat-kveld", ["weekday"], "17:00", "22:00"),
            (f"{m['id']}-sat-helg", ["weekend", "holiday"], "10:00", "16:00"),
        ):
            doc["shifts"].append(
                {"id": sid, "station": sat, "when": when, "start": start, "end": end}
                | {"kind": "on_site", "doctors": 1, "video": True}
            )
    for d in _rng(doc, "video").sample(doc["doctors"], no_video):
        d["video"] = False


def absences(doc: Doc, part: float, short: float = 0.0) -> None:
    """A week away for ``part`` of the doctors, and a time range (a course, 08:00 to 16:00
    the next day) for ``short`` of them."""
    r = _rng(doc, "away")
    dates = _dates(doc)
    for d in doc["doctors"]:
        away = d.setdefault("unavailable", [])
        if r.random() < part:
            first = r.choice(dates[:-6] or dates)
            away.append({"from": first.isoformat(), "to": (first + dt.timedelta(6)).isoformat()})
        if r.random() < short:
            day = r.choice(dates)
            away.append(
                {"from": f"{day.isoformat()}T08:00", "to": f"{(day + dt.timedelta(1))}T16:00"}
            )
        if not away:
            del d["unavailable"]


def history(doc: Doc, part: float) -> None:
    """The previous period: a night into the first morning or an evening on the eve for
    ``part`` of the doctors, and a carried burden of −10 to +10 weighted hours for all."""
    r = _rng(doc, "history")
    eve = dt.date.fromisoformat(doc["horizon"]["start"]) - dt.timedelta(1)
    for d in doc["doctors"]:
        if d.get("exempt"):
            continue
        past = []
        if r.random() < part:
            if r.random() < 0.5:
                past.append({"start": f"{eve}T23:00", "end": f"{eve + dt.timedelta(1)}T08:00"})
                past[-1]["kind"] = "on_call"
            else:
                past.append({"start": f"{eve}T16:00", "end": f"{eve}T23:00"})
        d["history"] = {"carried_burden": round(r.uniform(-10, 10), 1), "duties": past}


def dated_exemptions(doc: Doc, count: int) -> None:
    """``count`` doctors exempt from nights (or weekends) from the middle of the horizon."""
    r = _rng(doc, "exemptions")
    dates = _dates(doc)
    free = [d for d in doc["doctors"] if not d.get("exempt")]
    for k, d in enumerate(r.sample(free, count)):
        kind = "night" if k % 2 == 0 else "weekend"
        first = dates[len(dates) // 2]
        d["exemptions"] = [{"from": first.isoformat(), "to": dates[-1].isoformat()}]
        d["exemptions"][0]["from_duties"] = [kind]


def fixed(doc: Doc, count: int) -> None:
    """``count`` fixed duties on weekday evenings for doctors who are independent, present
    and not exempt, one a week apart (agreed swaps)."""
    dates = [day for day in _dates(doc) if day.weekday() == 1][:count]
    doctors = [
        d
        for d in doc["doctors"]
        if d.get("independent") and not d.get("exempt") and not d.get("unavailable")
    ]
    doc["fixed"] = [
        {"date": day.isoformat(), "shift": "kveld", "doctor": d["id"], "role": "duty"}
        for day, d in zip(dates, doctors, strict=False)
    ]


def policy(doc: Doc, **fields: Any) -> None:
    doc["policy"].update(fields)
