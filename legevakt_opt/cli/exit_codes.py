"""The exit codes of every ``legevakt-opt`` command: one table, documented in the README
(a test keeps the two in step)."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    #: ``validate``: the roster breaks a rule (each breach is printed).
    INVALID = 1
    #: Unreadable or wrong input: a file, a field, an option (each problem on its own line).
    INPUT = 2
    #: A bug: a roster that failed validation (never written), or an unexpected error.
    INTERNAL = 3
    #: No roster can satisfy the statements given (fixed duties, a frozen period).
    NO_ROSTER = 4
    #: Stopped by Ctrl-C before the output was written (a national run's solves are kept).
    INTERRUPTED = 130


MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "done (a valid roster or file was written; validate: the roster is valid)",
    ExitCode.INVALID: "validate: the roster breaks a rule",
    ExitCode.INPUT: "unreadable or wrong input (each problem on its own line, naming the field)",
    ExitCode.INTERNAL: "internal error (a roster that failed validation is never written)",
    ExitCode.NO_ROSTER: "no roster can satisfy these statements (the conflicting ones are named)",
    ExitCode.INTERRUPTED: (
        "interrupted by Ctrl-C before the command's output was written (a national run keeps "
        "its finished solves in `DIR/results/` for `--resume`)"
    ),
}
