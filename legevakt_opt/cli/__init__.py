"""The ``legevakt-opt`` command line (typer + rich), one module per command group:

- :mod:`.rostering`: ``solve``, ``validate``, ``baseline``, ``schema``;
- :mod:`.replanning`: ``replan``, ``recommend`` (living rosters);
- :mod:`.exports`: ``export``; :mod:`.doctor_lists`: ``import``, ``template``, ``export-doctors``;
- :mod:`.sweeps`: ``sweep``; :mod:`.national`: ``national``; :mod:`.generate`: ``generate``;
  :mod:`.examples`: ``examples``;
- :mod:`.service`: ``serve``, ``token``, ``user``; :mod:`.bench`: ``bench``.

Each registers its commands on :data:`~.app.app` with decorators; errors go through
:func:`.output.fail`, and every exit code is one of :class:`.exit_codes.ExitCode`.
Commands import the engine, the service and the benchmarks inside themselves, so
``legevakt-opt --help`` does not load OR-Tools or the web stack.
"""

from __future__ import annotations

import os
import sys
import traceback

import typer
from rich.markup import escape

from legevakt_opt.cli import (
    bench,
    doctor_lists,
    examples,
    exports,
    generate,
    national,
    replanning,
    rostering,
    service,
    sweeps,
)
from legevakt_opt.cli.app import app, err
from legevakt_opt.cli.exit_codes import ExitCode

COMMAND_MODULES = (
    rostering,
    replanning,
    exports,
    doctor_lists,
    sweeps,
    national,
    generate,
    examples,
    service,
    bench,
)

__all__ = ["COMMAND_MODULES", "ExitCode", "app", "main"]


def main(argv: list[str] | None = None) -> None:
    """The console entry: run a command and exit with its code; an unexpected error is one
    line and exit 3 (``LEGEVAKT_DEBUG=1`` shows the traceback), Ctrl-C exits 130."""
    try:
        code = app(args=argv, prog_name="legevakt-opt", standalone_mode=False)
    except typer.TyperException as exc:  # usage errors: the parser's own message, exit 2
        show = getattr(exc, "show", None)
        if show is not None:
            show()
        code = getattr(exc, "exit_code", ExitCode.INPUT)
    except (typer.Abort, KeyboardInterrupt):
        err.print("interrupted")
        code = ExitCode.INTERRUPTED
    except Exception as exc:
        if os.environ.get("LEGEVAKT_DEBUG"):
            traceback.print_exc()
        err.print(
            f"[red]internal error[/red] {escape(f'{type(exc).__name__}: {exc}')} "
            "(please report it; LEGEVAKT_DEBUG=1 shows where it happened)"
        )
        code = ExitCode.INTERNAL
    sys.exit(int(code) if isinstance(code, int) else 0)
