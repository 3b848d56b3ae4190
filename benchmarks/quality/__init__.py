"""The engine-quality benchmark of issue #15: a set of districts (:mod:`.districts`, their
files in ``districts/``), a plain two-stage CP-SAT model to judge the engine against
(:mod:`.plain`), the best values and bounds seen (:mod:`.best_known`, ``best_known.json``)
and the runner (:mod:`.runner`, ``python -m benchmarks.quality``)."""
