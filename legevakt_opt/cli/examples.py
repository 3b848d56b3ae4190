"""``examples``: the example scenarios that ship with the package, listed or copied out, so
a fresh install can roster something at once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from legevakt_opt.cli.app import app, err
from legevakt_opt.cli.output import fail, write_bytes
from legevakt_opt.examples_data import example_files


@app.command()
def examples(
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Copy every example into this folder.")
    ] = None,
) -> None:
    """List the bundled example scenarios, or copy them into --out."""
    files = example_files()
    if out is None:
        for name in files:
            typer.echo(name)
        return
    if out.exists() and not out.is_dir():
        fail([f"--out: {out} is a file, not a folder"])
    for name, data in files.items():
        write_bytes(data, out / name)
    err.print(f"wrote {len(files)} files to {out}")
