"""CP-SAT rule modules, one per rule family.

The generic families (coverage, work periods, load caps, fairness, preferences, sequences)
speak of workers, tasks, intervals and literals, never of doctors or legevakt, so other
rostering problems (e.g. the Curtois & Qu benchmark) reuse them. The legevakt-specific rules
(availability, bakvakt, video) are their own modules.
"""
