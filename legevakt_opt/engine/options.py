"""What a solve is asked to do (:class:`SolveOptions`) and what it reports as it goes
(:class:`Progress`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from legevakt_opt.model import LEVEL_NAMES

#: CP-SAT parameters that measured better (benchmarks/README.md): probing cost 3 × 1.4 s of
#: presolve per level on Molde and bought nothing. Linearization level 2 puts every clause
#: and enforced row into the LP, the bakvakt rule's among them: at equal deterministic
#: time on 14 districts × 3 seeds the max burden was lower in 22 runs, higher in 10 (0.7 %
#: lower on average), and on the districts with LIS1 doctors the bound rose by 6-10 %
#: (`g10-lis1` 32.3 to 35.7, with rosters at 36.0 against 38.0).
DEFAULT_PARAMETERS: dict[str, object] = {"cp_model_probing_level": 0, "linearization_level": 2}


@dataclass(frozen=True)
class Progress:
    """A snapshot for a progress display or a job record, in display units."""

    stage: str
    stage_index: int
    elapsed: float
    objective: float | None
    bound: float | None
    solutions: int = 0


@dataclass
class SolveOptions:
    time_limit: float = 60.0
    workers: int = 2
    seed: int = 0
    #: Start from the hand-method roster as a hint (faster first solution).
    use_baseline_hint: bool = True
    #: The levels to optimise, a subset of the ranking (all by default); fewer is faster.
    levels: tuple[str, ...] = LEVEL_NAMES
    #: Large-neighbourhood search in the max-burden and fairness stages (0: none). With one
    #: worker, the share of the stage's time it gets after CP-SAT's search of the whole
    #: model; with more, it runs beside that search on one of the workers for the whole
    #: stage (see :mod:`legevakt_opt.engine.stage_search`).
    lns_share: float = 0.6
    #: CP-SAT parameters on top of :data:`DEFAULT_PARAMETERS` (lists for repeated fields).
    extra_parameters: dict[str, object] = field(default_factory=dict)

    @property
    def deterministic(self) -> bool:
        """Single-worker solves are cut by CP-SAT's deterministic time, so they reproduce."""
        return self.workers == 1
