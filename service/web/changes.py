"""What moved between two rosters: the lines the adjust step shows before anything is kept.
A re-plan's roster carries its own ``changes`` (issue #10); for any other pair they are
worked out here the same way, per instance and role (before and after: doctor ids)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any


def roster_changes(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """``[{date, shift, role, before, after, reason}]``: a doctor who left an instance's
    role is paired with one who came, each alone when there is no partner."""
    if isinstance(after.get("changes"), list):
        return list(after["changes"])
    held: dict[tuple[str, str, str], list[set[str]]] = defaultdict(lambda: [set(), set()])
    for side, roster in enumerate((before, after)):
        for a in roster.get("assignments", []):
            held[(str(a["date"]), str(a["shift"]), str(a["role"]))][side].add(str(a["doctor"]))
    out = []
    for (date, shift, role), (old, new) in sorted(held.items()):
        gone, came = sorted(old - new), sorted(new - old)
        for k in range(max(len(gone), len(came))):
            out.append(
                {
                    "date": date,
                    "shift": shift,
                    "role": role,
                    "before": gone[k] if k < len(gone) else None,
                    "after": came[k] if k < len(came) else None,
                    "reason": None,
                }
            )
    return out
