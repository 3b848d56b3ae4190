"""The hand method a coordinator uses: fill shifts in time order, each with the eligible
doctor who has carried least so far (weighted hours ÷ share).

It is the yardstick in the benchmarks and the first hint for the solver. Whether a doctor
may take a shift is asked of the validator's per-doctor checks, so every roster it makes
is valid by construction.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence

from legevakt_opt.calendar import Calendar, Instance, expand
from legevakt_opt.checks import Checker, needs_backup
from legevakt_opt.roster import NamedAssignment, role_weight
from legevakt_opt.scenario import Scenario, StationKind


def greedy_roster(
    scenario: Scenario,
    calendar: Calendar | None = None,
    *,
    keep: Sequence[NamedAssignment] = (),
    frozen: Callable[[dt.date], bool] | None = None,
) -> list[NamedAssignment]:
    """Main-station shifts first in time order, then satellites (by video where possible).

    ``keep``: assignments to place first, each only if its doctor may still hold it (a
    re-plan's published roster, the fixed assignments); an instance they leave needing a
    bakvakt gets one or loses its doctor who needs it. ``frozen``: dates on which nothing
    new is placed."""
    cal = calendar or expand(scenario)
    checker = Checker(scenario)
    policy = scenario.policy
    doctors = [d for d in scenario.doctors if not d.exempt]
    load: dict[str, float] = defaultdict(float)
    own: dict[str, list[tuple[str, dt.date, str]]] = defaultdict(list)
    placed: dict[int, list[NamedAssignment]] = defaultdict(list)
    result: list[NamedAssignment] = []

    def needy(doc_id: str) -> bool:
        return needs_backup(scenario.doctor(doc_id), policy)

    def fits(doc_id: str, inst: Instance, role: str) -> bool:
        return not checker.doctor_breaches(doc_id, [*own[doc_id], (inst.shift, inst.date, role)])

    def place(doc_id: str, inst: Instance, role: str) -> None:
        a = NamedAssignment(inst.date, inst.shift, doc_id, role)
        own[doc_id].append((inst.shift, inst.date, role))
        placed[inst.index].append(a)
        result.append(a)
        load[doc_id] += inst.hours * role_weight(scenario, inst, role)

    def unplace(a: NamedAssignment, inst: Instance) -> None:
        own[a.doctor].remove((a.shift, a.date, a.role))
        placed[inst.index].remove(a)
        result.remove(a)
        load[a.doctor] -= inst.hours * role_weight(scenario, inst, a.role)

    def least_first() -> list[str]:
        return [d.id for d in sorted(doctors, key=lambda d: (load[d.id] / d.share, d.id))]

    def fill(inst: Instance) -> None:
        for _ in range(inst.doctors - sum(a.role == "duty" for a in placed[inst.index])):
            for doc_id in least_first():
                if any(a.doctor == doc_id for a in placed[inst.index]) or not fits(
                    doc_id, inst, "duty"
                ):
                    continue
                duty = [a for a in placed[inst.index] if a.role == "duty"]
                alone = not any(scenario.doctor(a.doctor).independent for a in duty)
                backups = [a for a in placed[inst.index] if a.role == "backup"]
                if needy(doc_id) and alone and not backups:
                    helper = next(
                        (
                            e
                            for e in least_first()
                            if e != doc_id
                            and scenario.doctor(e).independent
                            and not any(a.doctor == e for a in placed[inst.index])
                            and fits(e, inst, "backup")
                        ),
                        None,
                    )
                    if helper is None:
                        continue
                    place(helper, inst, "backup")
                elif not needy(doc_id) and scenario.doctor(doc_id).independent:
                    for b in backups:  # an independent colleague makes the bakvakt unneeded
                        unplace(b, inst)
                place(doc_id, inst, "duty")
                break

    def by_video(inst: Instance) -> bool:
        station = scenario.station(inst.station)
        for doc_id in least_first():
            if not scenario.doctor(doc_id).video:
                continue
            hosting = any(
                (h := cal.by_key.get((shift, day))) is not None
                and role == "duty"
                and h.station in station.video_from
                and h.start_min <= inst.start_min
                and inst.end_min <= h.end_min
                for shift, day, role in own[doc_id]
            )
            if hosting and fits(doc_id, inst, "video"):
                place(doc_id, inst, "video")
                return True
        return False

    def pre_place(a: NamedAssignment) -> None:
        inst = cal.by_key.get((a.shift, a.date))
        if (
            inst is None
            or a.doctor not in known
            or a.doctor in {p.doctor for p in placed[inst.index]}
        ):
            return
        duties = sum(p.role == "duty" for p in placed[inst.index])
        if (a.role != "duty" or duties < inst.doctors) and fits(a.doctor, inst, a.role):
            place(a.doctor, inst, a.role)

    def repair(inst: Instance) -> None:
        """After pre-placing: a bakvakt where one is needed, none where none is."""
        here = placed[inst.index]
        duty = [p.doctor for p in here if p.role == "duty"]
        backups = [p for p in here if p.role == "backup"]
        needing = any(needy(d) for d in duty) and not any(
            scenario.doctor(d).independent for d in duty
        )
        if not needing:
            for b in backups:
                unplace(b, inst)
        elif not backups:
            helper = next(
                (
                    e
                    for e in least_first()
                    if scenario.doctor(e).independent
                    and e not in {p.doctor for p in here}
                    and fits(e, inst, "backup")
                ),
                None,
            )
            if helper is not None:
                place(helper, inst, "backup")
            else:
                for p in [p for p in here if p.role == "duty" and needy(p.doctor)]:
                    unplace(p, inst)

    known = {d.id for d in doctors}
    order = {"duty": 0, "backup": 1, "video": 2}  # a video needs its host duty placed first

    def when(a: NamedAssignment) -> tuple[int, int]:
        inst = cal.by_key.get((a.shift, a.date))
        return (inst.start_min if inst is not None else 0, order.get(a.role, 3))

    for a in sorted(keep, key=when):
        pre_place(a)
    for index in [i for i, here in placed.items() if here]:
        repair(cal.instances[index])
    open_instances = [i for i in cal.instances if frozen is None or not frozen(i.date)]
    satellites = [
        inst
        for inst in open_instances
        if scenario.station(inst.station).kind is StationKind.SATELLITE
    ]
    for inst in open_instances:
        if scenario.station(inst.station).kind is not StationKind.SATELLITE:
            fill(inst)
    for inst in satellites:
        here = placed[inst.index]
        if any(p.role == "video" for p in here):
            continue
        # A satellite that keeps a duty doctor (a re-plan's published duty) is covered on
        # site: a video cover beside it would break the video rule.
        on_site = any(p.role == "duty" for p in here)
        if on_site or not (inst.video and policy.video_allowed and by_video(inst)):
            fill(inst)
    return result


def relieve_busiest(
    scenario: Scenario,
    calendar: Calendar,
    assignments: list[NamedAssignment],
    max_moves: int = 1000,
) -> list[NamedAssignment]:
    """Hill-climb on the highest burden: move a duty (with the video cover it hosts) or a
    bakvakt of the most burdened doctor to a colleague who may take it and stays below that
    burden. Only moves that leave the instance's need for a bakvakt as it was. A starting
    point for the solver; deterministic (a move cap, not a clock)."""
    checker = Checker(scenario)
    policy = scenario.policy
    doctors = {d.id: d for d in scenario.doctors}
    mine: dict[str, list[NamedAssignment]] = defaultdict(list)
    at: dict[tuple[str, dt.date], list[NamedAssignment]] = defaultdict(list)
    for a in assignments:
        mine[a.doctor].append(a)
        at[a.shift, a.date].append(a)

    def weight(a: NamedAssignment) -> float:
        inst = calendar.by_key[a.shift, a.date]
        return inst.hours * role_weight(scenario, inst, a.role)

    burden = {d: sum(weight(a) for a in mine[d]) / doctors[d].share for d in doctors}

    def needy(doc_id: str) -> bool:
        return needs_backup(doctors[doc_id], policy)

    def needs_bakvakt(team: set[str]) -> bool:
        return any(needy(d) for d in team) and not any(doctors[d].independent for d in team)

    def hosted(a: NamedAssignment) -> list[NamedAssignment]:
        """The video cover that duty ``a`` hosts for its own doctor."""
        inst = calendar.by_key[a.shift, a.date]
        return [
            v
            for v in mine[a.doctor]
            if v.role == "video"
            and inst.start_min <= calendar.by_key[v.shift, v.date].start_min
            and calendar.by_key[v.shift, v.date].end_min <= inst.end_min
        ]

    def move(items: list[NamedAssignment], to: str) -> None:
        for b in items:
            mine[b.doctor].remove(b)
            at[b.shift, b.date].remove(b)
            burden[b.doctor] -= weight(b) / doctors[b.doctor].share
            new = NamedAssignment(b.date, b.shift, to, b.role)
            mine[to].append(new)
            at[b.shift, b.date].append(new)
            burden[to] += weight(b) / doctors[to].share

    def try_relieve(top: str) -> bool:
        for a in sorted(mine[top], key=lambda a: (a.date, a.shift, a.role)):
            if a.role == "video":
                continue
            bundle = [a, *hosted(a)] if a.role == "duty" else [a]
            load = sum(weight(b) for b in bundle)
            here = at[a.shift, a.date]
            team = {b.doctor for b in here if b.role == "duty"}
            for other in sorted(fair, key=lambda d: (burden[d], d)):
                if any(b.doctor == other for b in here):
                    continue
                if burden[other] + load / doctors[other].share >= burden[top]:
                    continue
                if a.role == "duty" and needs_bakvakt(team - {top} | {other}) != needs_bakvakt(
                    team
                ):
                    continue
                if a.role == "backup" and not doctors[other].independent:
                    continue
                if len(bundle) > 1 and not doctors[other].video:
                    continue
                held = [(b.shift, b.date, b.role) for b in mine[other]]
                taken = [(b.shift, b.date, b.role) for b in bundle]
                if checker.doctor_breaches(other, held + taken):
                    continue
                move(bundle, other)
                return True
        return False

    fair = [d.id for d in scenario.doctors if not d.exempt]
    for _ in range(max_moves):
        if not fair or not try_relieve(max(fair, key=lambda d: (burden[d], d))):
            break
    return [a for d in doctors for a in mine[d]]
