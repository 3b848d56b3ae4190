"""The example scenarios. This folder is installed as the package ``legevakt_opt.examples``
(``pyproject.toml``), so ``legevakt-opt examples`` and ``legevakt-opt generate`` find the
files in an installed copy too; see ``legevakt_opt/examples_data.py``."""
