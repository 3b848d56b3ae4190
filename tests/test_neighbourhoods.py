"""The roster's neighbourhoods (engine/neighbourhoods.py): the max-burden move frees every
doctor at the max burden, counted per share as the model's rows count it."""

from __future__ import annotations

import random

from legevakt_opt.engine.lns import Worst
from legevakt_opt.engine.neighbourhoods import roster_moves
from legevakt_opt.model import RosterModel

from .helpers import build, doctor, shift


def _model() -> RosterModel:
    doctors = [doctor("half", share=0.5)] + [doctor(f"full{k}") for k in range(1, 6)]
    scenario = build([shift("kveld", "16:00", "23:00")], doctors, days=7)
    return RosterModel(scenario)


def _values(rm: RosterModel, loads: list[int]) -> list[int]:
    """A value per model variable with each fair doctor's burden load set as given."""
    values = [0] * len(rm.model.proto.variables)
    for load, units in zip(rm.burden_loads, loads, strict=True):
        values[load.expr.index] = units  # type: ignore[union-attr]
    return values


def test_the_busiest_move_frees_every_doctor_at_the_max_per_share() -> None:
    rm = _model()
    busiest = next(mv for mv in roster_moves(rm, "max_burden") if mv.name == "busiest")
    policy = busiest.policy
    assert isinstance(policy, Worst) and policy.tied is not None
    unit = rm.role_units(rm.instances[0], "duty")
    # The half-share doctor with one duty is as busy as a full one with two: both at the top.
    values = _values(rm, [unit, 2 * unit, 2 * unit - 1, 0, unit, 0])
    assert policy.tied(values) == 2
    rng = random.Random(0)
    draws = [set(policy.choose(len(busiest.groups), 1, rng, values)) for _ in range(20)]
    assert all({0, 1} <= freed and len(freed) == 4 for freed in draws)
    assert len({frozenset(freed) for freed in draws}) > 1  # the two others vary
    assert policy.tied(_values(rm, [0, unit, 0, 0, 0, 0])) == 1
    # The fairness level's move has no tie rule: no doctor is freed every time.
    fairness = next(mv for mv in roster_moves(rm, "fairness") if mv.name == "busiest")
    assert isinstance(fairness.policy, Worst) and fairness.policy.tied is None
