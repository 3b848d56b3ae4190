"""The engine-quality benchmark set: the shared examples, the project's scenarios and
generated districts of 8 to 60 doctors over 2 to 12 weeks (issue #15, item 1).

Each district has a short id and one line on what it exercises. The generated ones are
made by :func:`legevakt_opt.generate.generate_district` (seeded) from real
municipalities, then edited here so that the set as a whole covers bakvakt for LIS1,
video satellites, weekly and window caps, 11 h rest, absences, history, dated exemptions,
sequences, fixed assignments, and one district too thin to cover. Their YAML files are
committed in ``districts/``; regenerate them (deterministically) with

    python -m benchmarks.quality.districts --write

and check that the committed files are what the generator makes with ``--check``.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import yaml

from benchmarks.quality.edits import (
    Doc,
    absences,
    dated_exemptions,
    fixed,
    history,
    lis1,
    policy,
    satellites,
)
from legevakt_opt.examples_data import example_path
from legevakt_opt.generate import DEFAULT_CSV, generate_district, read_municipalities, slug
from legevakt_opt.scenario import Scenario, load_scenario

HERE = Path(__file__).resolve().parent
FOLDER = HERE / "districts"
SCENARIOS = HERE.parents[1] / "scenarios"
SHARED = ("hallingdal.yaml", "molde.yaml")
#: What each shared example exercises.
SHARED_NOTES = {
    "hallingdal": "shared example: 3 stations, 6 doctors not independent, weekly cap 30, "
    "2 duties in 7 days, absences",
    "molde": "shared example: 4 video satellites, LIS1 completed without bakvakt, weekly cap "
    "28, window caps, absences",
}
#: What each of the project's own scenarios (``scenarios/*.yaml``) exercises.
SCENARIO_NOTES = {
    "small-lis1": "7 doctors, two LIS1 who need bakvakt, an exempt doctor, a personal cap",
    "satellites-video": "3 video satellites, 11 h rest, weekly and window caps, Easter, DST",
    "vaga-march": "history, carried burden, dated exemptions, sequences, weekend_from",
}


@dataclass(frozen=True)
class District:
    id: str
    says: str
    path: Path

    def load(self) -> Scenario:
        return load_scenario(self.path)

    @property
    def size(self) -> tuple[int, int]:
        """(doctors, weeks) of the scenario."""
        scenario = self.load()
        return len(scenario.doctors), round(scenario.horizon.days / 7)


# ---------------------------------------------------------------- the generated set


Edit = Callable[[Doc], None]


@dataclass(frozen=True)
class Generated:
    """One generated district: its id, seed, municipalities (a district of the CSV, by
    slug), size, what it exercises and the edits made to the generator's document."""

    id: str
    seed: int
    municipalities: str
    doctors: int
    weeks: int
    says: str
    edits: tuple[Edit, ...] = ()

    def document(self) -> Doc:
        rows = [
            r for r in read_municipalities(DEFAULT_CSV) if slug(r.district) == self.municipalities
        ]
        doc = generate_district(
            random.Random(self.seed), rows, weeks=self.weeks, doctors=self.doctors
        )
        for edit in self.edits:
            edit(doc)
        return doc


GENERATED: tuple[Generated, ...] = (
    Generated(
        "g08-thin",
        1,
        "nordkapp",
        8,
        2,
        "too thin: at most 2 duties a doctor in 7 days, 40 % away a week: unfilled unavoidable",
        (
            partial(policy, max_shifts_in_window={"shifts": 2, "days": 7}),
            partial(absences, part=0.4),
        ),
    ),
    Generated(
        "g10-lis1", 2, "stryn", 10, 4, "3 LIS1 doctors who need bakvakt", (partial(lis1, count=3),)
    ),
    Generated(
        "g12-rest11",
        3,
        "indre-sogn",
        12,
        6,
        "11 h rest, work periods of at most 16 h",
        (partial(policy, min_rest_hours=11, max_work_period_hours=16),),
    ),
    Generated(
        "g14-video",
        4,
        "midt-troms",
        14,
        4,
        "2 video satellites in a small district, 3 doctors without video",
        (partial(satellites, members=2, no_video=3),),
    ),
    Generated(
        "g16-caps",
        5,
        "fauske",
        16,
        4,
        "weekly cap of 14 weighted hours (and the locums' personal caps)",
        (partial(policy, max_hours_per_week=14),),
    ),
    Generated(
        "g20-windows",
        6,
        "namsos",
        20,
        8,
        "window caps: 3 duties and 1 night in any 7 days",
        (
            partial(
                policy,
                max_shifts_in_window={"shifts": 3, "days": 7},
                max_nights_in_window={"shifts": 1, "days": 7},
            ),
        ),
    ),
    Generated(
        "g24-absence",
        7,
        "orkland",
        24,
        6,
        "absences: half the doctors away a week, a fifth on a course (a time range)",
        (partial(absences, part=0.5, short=0.2),),
    ),
    Generated(
        "g28-seq",
        8,
        "elverum",
        28,
        4,
        "history (nights into the first morning), carried burden, dated exemptions, "
        "sequences, weekend from Friday 16:00",
        (
            partial(history, part=0.5),
            partial(dated_exemptions, count=3),
            partial(
                policy,
                weekend_from="fri 16:00",
                sequences={
                    "forbidden": [["night", "day"]],
                    "max_consecutive_days": 3,
                    "day_off_after_night": True,
                },
            ),
        ),
    ),
    Generated(
        "g32-lis1-video",
        9,
        "rana",
        32,
        12,
        "12 weeks: 4 LIS1 (2 completed, who need no bakvakt), 2 video satellites",
        (
            partial(lis1, count=4, completed=2),
            partial(satellites, members=2),
            partial(policy, lis1_without_backup=True),
        ),
    ),
    Generated(
        "g36-long",
        10,
        "hamar",
        36,
        12,
        "12 weeks: 11 h rest, weekly cap 20, 2 nights in 7 days, absences",
        (
            partial(
                policy,
                min_rest_hours=11,
                max_hours_per_week=20,
                max_nights_in_window={"shifts": 2, "days": 7},
            ),
            partial(absences, part=0.3),
        ),
    ),
    Generated(
        "g40-mixed",
        11,
        "haugesund",
        40,
        8,
        "4 LIS1 with bakvakt, 11 h rest, weekly cap 18, 3 duties in 7 days",
        (
            partial(lis1, count=4),
            partial(
                policy,
                min_rest_hours=11,
                max_hours_per_week=18,
                max_shifts_in_window={"shifts": 3, "days": 7},
            ),
        ),
    ),
    Generated(
        "g48-fixed",
        12,
        "lister",
        48,
        3,
        "fixed assignments, carried burden, 2 video satellites, 3 LIS1",
        (
            partial(fixed, count=3),
            partial(history, part=0.0),
            partial(satellites, members=2),
            partial(lis1, count=3),
        ),
    ),
    Generated(
        "g56-video",
        13,
        "nord-gudbrandsdal",
        56,
        4,
        "4 video satellites (3 at once per video doctor), 11 h rest, 5 LIS1",
        (
            partial(satellites, members=4),
            partial(lis1, count=5),
            partial(policy, min_rest_hours=11, video_max_satellites=3),
        ),
    ),
    Generated(
        "g60-molde",
        0,
        "molde",
        60,
        8,
        "the issue's proof target size: 60 doctors × 8 weeks as generated (4 video satellites)",
    ),
)


def generated_documents() -> dict[str, tuple[str, Doc]]:
    """Every generated district's description and scenario document, by id."""
    return {g.id: (g.says, g.document()) for g in GENERATED}


def _text(gid: str, says: str, doc: Doc) -> str:
    head = (
        f"# Engine-quality district {gid}: {says}.\n"
        "# Generated by `python -m benchmarks.quality.districts --write`; do not edit.\n"
    )
    return head + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)


def write(folder: Path = FOLDER) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for gid, (says, doc) in generated_documents().items():
        path = folder / f"{gid}.yaml"
        path.write_text(_text(gid, says, doc), encoding="utf-8")
        out.append(path)
    return out


def stale(folder: Path = FOLDER) -> list[str]:
    """Generated districts whose committed file is missing or differs from the generator."""
    return [
        gid
        for gid, (says, doc) in generated_documents().items()
        if not (folder / f"{gid}.yaml").is_file()
        or (folder / f"{gid}.yaml").read_text(encoding="utf-8") != _text(gid, says, doc)
    ]


# ---------------------------------------------------------------- the whole set


def scenario_files() -> list[Path]:
    """``scenarios/*.yaml`` without the copies of the shared examples."""
    shared = {example_path(name).read_bytes() for name in SHARED}
    return [p for p in sorted(SCENARIOS.glob("*.yaml")) if p.read_bytes() not in shared]


def districts() -> list[District]:
    """The whole set, in order: shared examples, the project's scenarios, generated."""
    out = [
        District(Path(name).stem, SHARED_NOTES[Path(name).stem], Path(str(example_path(name))))
        for name in SHARED
    ]
    out += [District(p.stem, SCENARIO_NOTES.get(p.stem, "scenario"), p) for p in scenario_files()]
    out += [District(g.id, g.says, FOLDER / f"{g.id}.yaml") for g in GENERATED]
    return out


def district(district_id: str) -> District:
    for d in districts():
        if d.id == district_id:
            return d
    raise KeyError(district_id)


def table() -> list[str]:
    """The Markdown table of the set for benchmarks/README.md."""
    lines = ["| id | doctors | weeks | what it exercises |", "|---|---|---|---|"]
    for d in districts():
        doctors, weeks = d.size
        lines.append(f"| `{d.id}` | {doctors} | {weeks} | {d.says} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="regenerate the YAML files")
    parser.add_argument("--check", action="store_true", help="fail if a file is stale")
    parser.add_argument("--table", action="store_true", help="print the Markdown table")
    args = parser.parse_args(argv)
    if args.write:
        for path in write():
            print(f"wrote {path.relative_to(HERE.parents[1])}")
    if args.check:
        bad = stale()
        if bad:
            print("stale: " + ", ".join(bad), file=sys.stderr)
            return 1
        print("all generated districts are up to date")
    if args.table:
        print("\n".join(table()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
