"""``python -m legevakt_opt``: the same as the ``legevakt-opt`` command."""

from legevakt_opt.cli import main

main()
