"""One synthetic district's scenario from its municipalities: doctors by population, shift
patterns by size, absences and requests, all drawn from one seeded random generator."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from typing import Any

from legevakt_opt.generate.municipalities import GenerateError, MunicipalityRow, _row
from legevakt_opt.scenario import ScenarioError, scenario_from_data

DEFAULT_START = dt.date(2027, 1, 4)  # a Monday
TIERS = ("small", "medium", "large")
MIN_DOCTORS = 4
#: The most doctors one shift may ask for (``shifts[].doctors`` in the scenario format).
SHIFT_MOST_DOCTORS = 50

_FIRST = [
    "Kari",
    "Ingrid",
    "Anne",
    "Marit",
    "Liv",
    "Hilde",
    "Silje",
    "Ida",
    "Nora",
    "Emma",
    "Sara",
    "Maja",
    "Ragnhild",
    "Solveig",
    "Tone",
    "Ole",
    "Lars",
    "Per",
    "Jon",
    "Knut",
    "Arne",
    "Erlend",
    "Magnus",
    "Sindre",
    "Håkon",
    "Eirik",
    "Jonas",
    "Anders",
    "Tor",
    "Øystein",
    "Sigrid",
    "Astrid",
    "Guro",
    "Mari",
    "Ingeborg",
    "Vegard",
    "Kristian",
    "Henrik",
    "Trond",
    "Bjørn",
]
_LAST = [
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Berg",
    "Haugen",
    "Hagen",
    "Bakken",
    "Moen",
    "Strand",
    "Solberg",
    "Lie",
    "Dahl",
    "Lund",
    "Sæther",
    "Rønning",
    "Brekke",
    "Nygård",
    "Myhre",
    "Aas",
    "Fjeld",
    "Holm",
    "Vik",
    "Sletten",
    "Hovland",
    "Lunde",
    "Eide",
    "Tangen",
    "Rud",
]


def tier_of(population: int, doctors: int | None = None) -> str:
    """``small``, ``medium`` or ``large``: by the doctor count when it is given (so a forced
    count gets shifts it can staff), else by population."""
    if doctors is not None:
        return TIERS[0 if doctors < 15 else 1 if doctors < 60 else 2]
    return TIERS[0 if population < 15_000 else 1 if population < 50_000 else 2]


def _spread(n: int, weights: Sequence[int]) -> list[int]:
    """``n`` split in proportion to ``weights`` (largest remainder), each at least 1 when
    there are enough."""
    k = len(weights)
    floor = 1 if n >= k else 0
    rest = n - floor * k
    total = sum(weights) or 1
    quotas = [rest * w / total for w in weights]
    counts = [floor + int(q) for q in quotas]
    order = sorted(range(k), key=lambda i: (-(quotas[i] - int(quotas[i])), i))
    for i in order[: n - sum(counts)]:
        counts[i] += 1
    return counts


def _shift(
    id: str,
    station: str,
    when: list[str],
    start: str,
    end: str,
    kind: str = "on_site",
    doctors: int = 1,
    video: bool = False,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": id,
        "station": station,
        "when": when,
        "start": start,
        "end": end,
        "kind": kind,
        "doctors": doctors,
    }
    if video:
        out["video"] = True
    return out


def generate_district(
    rng: random.Random | int,
    municipalities: Sequence[MunicipalityRow | Mapping[str, Any]],
    weeks: int = 4,
    doctors: int | None = None,
    start: dt.date = DEFAULT_START,
    *,
    name: str | None = None,
) -> dict[str, Any]:
    """A valid scenario document for one district of ``municipalities``.

    ``rng``: a ``random.Random`` or a seed (the same seed and input give the same
    document). ``doctors``: exactly this many doctors (default: from the population);
    ``weeks``: the horizon (7 × weeks dates from ``start``)."""
    r = rng if isinstance(rng, random.Random) else random.Random(rng)
    munis = [_row(m) for m in municipalities]
    if not munis:
        raise GenerateError(["municipalities: a district needs at least one"])
    if weeks < 1:
        raise GenerateError([f"weeks: {weeks} must be at least 1"])
    if doctors is not None and doctors < 1:
        raise GenerateError([f"doctors: {doctors} must be at least 1"])
    population = sum(m.population for m in munis)
    n = (
        doctors
        if doctors is not None
        else max(MIN_DOCTORS, round(population / 1000 * r.uniform(0.7, 1.0)))
    )
    tier = tier_of(population, doctors)
    by_size = sorted(munis, key=lambda m: (-m.population, m.id))
    host = by_size[0]
    members = by_size[1:]
    district = name or host.district or host.name

    # Stations: the main one at the host, local evening stations, video satellites.
    main_id = f"{host.id}-lv"
    stations: list[dict[str, Any]] = [
        {
            "id": main_id,
            "name": f"{district} legevakt" if len(munis) > 1 else f"{host.name} legevakt",
            "municipality": host.id,
            "kind": "main",
        }
    ]
    satellites = [m for m in members if m.population >= 2000][:4] if tier == "large" else []
    locals_ = (
        [m for m in members if m not in satellites and m.population >= 7000][:2]
        if tier != "small"
        else []
    )
    for m in locals_:
        stations.append(
            {"id": f"{m.id}-lv", "name": f"Legevakt {m.name}", "municipality": m.id, "kind": "main"}
        )
    for m in satellites:
        stations.append(
            {
                "id": f"{m.id}-sat",
                "name": f"Legevaktsatellitt {m.name}",
                "municipality": m.id,
                "kind": "satellite",
                "video_from": [main_id],
            }
        )

    # Shifts: staffing grows with the number of doctors.
    weekday, weekend = ["weekday"], ["weekend", "holiday"]
    if tier == "small":
        shifts = [
            _shift("kveld", main_id, weekday, "16:00", "23:00"),
            _shift("helg-dag", main_id, weekend, "08:00", "16:00"),
            _shift("helg-kveld", main_id, weekend, "16:00", "23:00"),
            _shift("natt", main_id, ["all"], "23:00", "08:00", kind="on_call"),
        ]
    else:
        evening = max(2, round(n / 12)) if tier == "medium" else max(3, round(n / 10))
        night = 1 if tier == "medium" else max(1, round(n / 40))
        # The format's most doctors on one shift (Oslo's 600 doctors would ask for 66).
        evening, night = min(evening, SHIFT_MOST_DOCTORS), min(night, SHIFT_MOST_DOCTORS)
        shifts = [
            _shift("kveld", main_id, weekday, "16:00", "23:00", doctors=evening),
            _shift("helg-dag", main_id, weekend, "08:00", "16:00", doctors=evening),
            _shift("helg-kveld", main_id, weekend, "16:00", "23:00", doctors=evening),
            _shift("natt", main_id, ["all"], "23:00", "08:00", doctors=night),
        ]
        for m in locals_:
            shifts.append(_shift(f"{m.id}-kveld", f"{m.id}-lv", weekday, "16:00", "23:00"))
        for m in satellites:
            sat = f"{m.id}-sat"
            shifts.append(_shift(f"{m.id}-kveld", sat, weekday, "16:00", "23:00", video=True))
            shifts.append(_shift(f"{m.id}-helg", sat, weekend, "10:00", "16:00", video=True))

    # Doctors.
    days = 7 * weeks
    dates = [start + dt.timedelta(days=k) for k in range(days)]
    p_lis1 = r.uniform(0.06, 0.14)
    p_exempt = r.uniform(0.03, 0.08)
    counts = _spread(n, [m.population for m in by_size])
    homes = [m.id for m, c in zip(by_size, counts, strict=True) for _ in range(c)]
    doctor_docs: list[dict[str, Any]] = []
    for k, home in enumerate(homes):
        x = r.random()
        cut = [p_lis1, p_lis1 + 0.15, p_lis1 + 0.20, p_lis1 + 0.25]
        if tier == "large":
            cut.append(cut[-1] + 0.06)
        if x < cut[0]:
            category = "lis1"
        elif x < cut[1]:
            category = "alis"
        elif x < cut[2]:
            category = "specialist"
        elif x < cut[3]:
            category = "vikar"
        elif len(cut) > 4 and x < cut[4]:
            category = "salaried"
        else:
            category = "fastlege"
        independent = {
            "lis1": False,
            "alis": r.random() < 0.6,
            "fastlege": r.random() < 0.95,
        }.get(category, True)
        doc: dict[str, Any] = {
            "id": f"d{k + 1:03d}",
            "name": f"{r.choice(_FIRST)} {r.choice(_LAST)}",
            "municipality": home,
            "category": category,
            "independent": independent,
            "lis1_completed": True if independent or category != "lis1" else r.random() < 0.35,
        }
        if category in ("fastlege", "alis", "specialist") and r.random() < 0.2:
            doc["share"] = r.choice([0.5, 0.6, 0.8])
        if category not in ("vikar", "salaried") and r.random() < p_exempt:
            doc["exempt"] = True
        if category == "vikar":
            doc["max_hours_per_week"] = 45
        unavailable = []
        if r.random() < 0.25:
            first = r.choice(dates)
            unavailable.append(
                {"from": first.isoformat(), "to": (first + dt.timedelta(days=6)).isoformat()}
            )
        if r.random() < 0.10:
            first = r.choice(dates)
            unavailable.append(
                {"from": first.isoformat(), "to": (first + dt.timedelta(days=1)).isoformat()}
            )
        if unavailable:
            doc["unavailable"] = unavailable
        if r.random() < 0.25:
            doc["avoid"] = [
                {"date": d.isoformat()} for d in sorted(r.sample(dates, min(2, len(dates))))
            ]
        if r.random() < 0.15:
            doc["wish"] = [{"date": r.choice(dates).isoformat()}]
        doctor_docs.append(doc)

    document: dict[str, Any] = {
        "format": "legevakt-scenario/1",
        "name": f"{district} ({tier} synthetic district, {n} doctors, {weeks} weeks)",
        "horizon": {"start": start.isoformat(), "days": days},
        "municipalities": [{"id": m.id, "name": m.name, "population": m.population} for m in munis],
        "stations": stations,
        "shifts": shifts,
        "doctors": doctor_docs,
        "policy": {"min_rest_hours": 8},
    }
    try:
        scenario_from_data(document)
    except ScenarioError as exc:  # pragma: no cover - a bug here, not in the input
        raise GenerateError([f"generated district {district}: {e}" for e in exc.errors]) from None
    return document
