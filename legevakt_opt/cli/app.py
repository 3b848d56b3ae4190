"""The ``legevakt-opt`` Typer application and the stderr console every command prints to.

Every command module registers its commands on :data:`app` (or a group added to it) with
decorators; :mod:`legevakt_opt.cli` imports them all.
"""

from __future__ import annotations

import typer
from rich.console import Console
from typer._click import Context
from typer.core import TyperGroup

#: The order ``--help`` lists the commands in: the coordinator's path first.
COMMAND_ORDER = (
    "import",
    "template",
    "export-doctors",
    "solve",
    "validate",
    "replan",
    "recommend",
    "export",
    "baseline",
    "sweep",
    "national",
    "generate",
    "examples",
    "schema",
    "serve",
    "token",
    "user",
    "bench",
)


class _Ordered(TyperGroup):
    def list_commands(self, ctx: Context) -> list[str]:
        known = [c for c in COMMAND_ORDER if c in self.commands]
        return known + sorted(c for c in self.commands if c not in COMMAND_ORDER)


app = typer.Typer(
    cls=_Ordered,
    name="legevakt-opt",
    help="Rosters and burden for Norwegian out-of-hours emergency care (legevakt).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

#: Progress, tables, warnings and errors go to stderr; stdout carries only documents.
err = Console(stderr=True, highlight=False, soft_wrap=True)
