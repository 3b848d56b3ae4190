"""Why a shift stayed unfilled: for each doctor, the first rule that rules them out.

This asks the validator (not the model) whether adding the doctor to the shift would
break a rule, so the explanation is in the same words as a validation report.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from legevakt_opt.checks import Checker, needs_backup
from legevakt_opt.families import BLOCKED_BY_ORDER, NEEDS_BACKUP, UNKNOWN
from legevakt_opt.roster.assignments import NamedAssignment
from legevakt_opt.scenario import Scenario

#: The order in which a doctor's reasons are considered (the registry's); each doctor
#: counts once, under the first.
REASONS = (*BLOCKED_BY_ORDER, UNKNOWN)
#: A doctor no rule rules out: only when the unfilled level was not proved.
FREE = "free"


def explain_unfilled(
    scenario: Scenario,
    assignments: list[NamedAssignment],
    unfilled: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """Each unfilled entry with ``blocked_by``: per rule, how many doctors it ruled out.

    ``free`` counts doctors no rule rules out: adding one would have covered more, which
    only happens when the solver ran out of time before proving coverage optimal.
    """
    if not unfilled:
        return []
    checker = Checker(scenario)
    own: dict[str, list[tuple[str, dt.date, str]]] = defaultdict(list)
    at: dict[tuple[str, dt.date], list[NamedAssignment]] = defaultdict(list)
    for a in assignments:
        own[a.doctor].append((a.shift, a.date, a.role))
        at[a.shift, a.date].append(a)
    out = []
    for entry in unfilled:
        day = dt.date.fromisoformat(entry["date"])
        shift = entry["shift"]
        present = at[shift, day]
        on_duty = {a.doctor for a in present if a.role == "duty"}
        covered_alone = any(scenario.doctor(d).independent for d in on_duty)
        reasons: Counter[str] = Counter()
        for doc in scenario.doctors:
            if doc.id in on_duty:
                continue
            breaches = checker.doctor_breaches(doc.id, [*own[doc.id], (shift, day, "duty")])
            rules = {b.rule for b in breaches}
            reason = next((r for r in REASONS if r in rules), None)
            if reason is None and rules:
                reason = sorted(rules)[0]
            if reason is None and needs_backup(doc, scenario.policy) and not covered_alone:
                has_backup = any(a.role == "backup" for a in present)
                if not has_backup and not any(
                    not checker.doctor_breaches(e.id, [*own[e.id], (shift, day, "backup")])
                    for e in scenario.doctors
                    if e.independent and e.id != doc.id
                ):
                    reason = NEEDS_BACKUP
            reasons[reason or FREE] += 1
        out.append(
            {**entry, "blocked_by": dict(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])))}
        )
    return out
