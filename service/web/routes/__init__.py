"""The web app's pages, one module per group: ``signin``, ``periods`` (list, new period by
import, downloads), ``period_forms`` (horizon, shifts, policy), ``rosters`` (solve,
progress, the roster, per doctor, exports, publish), ``adjust`` (candidates, fixed duties,
absences, re-plan), ``feeds`` (calendar subscriptions) and ``whatif`` (policy sweeps)."""
