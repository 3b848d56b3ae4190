"""House rules that a change could silently break: lint, types, the validator's
independence from the model (a rule lives in two places on purpose), the registry of rule
families in step with its modules, no import cycles, no hidden imports, no long files."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from legevakt_opt.families import CODES, HARD
from legevakt_opt.model import LEVELS
from tests.static_checks import ROOT, SOURCES, start_mypy

PACKAGE = ROOT / "legevakt_opt"
#: What the validator may import from this package: the input models and the registry.
VALIDATOR_MAY_IMPORT = ("legevakt_opt.scenario", "legevakt_opt.families", "legevakt_opt.checks")
LONG_FILE = 400


def _python_files(*tops: str) -> list[Path]:
    return sorted(p for top in tops for p in (ROOT / top).rglob("*.py") if ".venv" not in p.parts)


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[0] == "scenarios":  # installed as legevakt_opt.examples
        parts = ["legevakt_opt", "examples", *parts[1:]]
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path, *, top_level_only: bool = False) -> set[str]:
    """Absolute and relative imports, resolved to module names; ``top_level_only`` leaves
    out imports inside functions and under ``if TYPE_CHECKING``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _module_name(path)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    nodes: Iterator[ast.AST] = iter(tree.body) if top_level_only else ast.walk(tree)
    names: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names |= {f"{base}.{alias.name}" for alias in node.names}
    return names


def _project_modules() -> dict[str, Path]:
    return {_module_name(p): p for p in _python_files("legevakt_opt", "service")}


# ---------------------------------------------------------------- independence


def test_validator_shares_no_code_with_the_model() -> None:
    files = sorted((PACKAGE / "checks").glob("*.py"))
    assert files
    for path in files:
        for name in _imports(path):
            top = name.split(".")[0]
            assert top != "ortools", f"{path.name} imports {name}"
            if top == "legevakt_opt":
                assert name.startswith(VALIDATOR_MAY_IMPORT), f"{path.name} imports {name}"


def test_the_registry_is_plain_data() -> None:
    names = _imports(PACKAGE / "families.py")
    assert not any(n.startswith(("legevakt_opt", "ortools")) for n in names), names


@pytest.mark.parametrize(
    "module",
    ["scenario", "calendar", "roster", "baseline", "checks", "families", "io", "examples_data"],
)
def test_data_and_checks_do_not_import_the_solver(module: str) -> None:
    target = PACKAGE / module
    files = sorted(target.rglob("*.py")) if target.is_dir() else [target.with_suffix(".py")]
    for path in files:
        assert not any(n.startswith("ortools") for n in _imports(path)), path


# ---------------------------------------------------------------- the registry


@pytest.mark.parametrize("family", HARD, ids=lambda f: f.name)
def test_each_hard_family_has_its_model_check_and_tests(family: object) -> None:
    from legevakt_opt.model import RosterModel

    name = family.name  # type: ignore[attr-defined]
    scope = family.scope  # type: ignore[attr-defined]
    assert (PACKAGE / "rules" / f"{name}.py").exists(), f"rules/{name}.py"
    assert callable(getattr(RosterModel, f"add_{name}", None)), f"RosterModel.add_{name}"
    check = importlib.import_module(f"legevakt_opt.checks.{name}")
    if scope in ("doctor", "both"):
        assert callable(getattr(check, "doctor_breaches", None)), f"checks/{name}.doctor_breaches"
    if scope in ("instance", "both"):
        assert callable(getattr(check, "instance_breaches", None)), name
    assert (ROOT / "tests" / f"test_rules_{name}.py").exists(), f"tests/test_rules_{name}.py"
    # Every code the check module reports is one of its family's.
    used = set(re.findall(r"\b([A-Z][A-Z_]+)\b", inspect.getsource(check)))
    import legevakt_opt.families as fam

    codes = {getattr(fam, c) for c in used if isinstance(getattr(fam, c, None), str)}
    assert codes <= set(family.codes), (name, codes)  # type: ignore[attr-defined]


def test_the_codes_are_unique_and_the_validator_reports_only_them() -> None:
    from legevakt_opt.checks import RULES

    assert len(CODES) == len(set(CODES))
    assert set(RULES) == set(CODES)


def test_the_model_adds_every_family_in_the_registry_order() -> None:
    from legevakt_opt.model import RosterModel

    source = inspect.getsource(RosterModel.add_constraints)
    assert "for family in HARD" in source
    names = ["unfilled", "changes", "max_burden", "fairness", "requests", "travel"]
    assert [lv.name for lv in LEVELS] == names
    # A roster from scratch (no changes level) splits the whole time limit.
    assert abs(sum(lv.time_share for lv in LEVELS if lv.name != "changes") - 1) < 1e-9


# ---------------------------------------------------------------- imports


def test_no_import_cycles() -> None:
    """Module-level imports between the project's modules form no cycle (an import inside
    a function is allowed only with a reason, see the next test)."""
    modules = _project_modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = {
            t
            for t in _imports(path, top_level_only=True)
            if t in modules and t != name and not name.startswith(t + ".")
        }
        graph[name] = targets
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = [*stack[stack.index(nxt) :], nxt]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)


def test_every_import_inside_a_function_says_why() -> None:
    """Imports belong at the top; one inside a function (start-up time, an optional
    dependency) carries a comment saying why: on its line, on a line of the same run of
    import lines, or on the line just above that run."""
    missing = []
    for path in _python_files("legevakt_opt", "service", "benchmarks"):
        lines = path.read_text(encoding="utf-8").splitlines()
        for fn in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(fn):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    first, last = _import_run(lines, node.lineno - 1)
                    run = lines[max(0, first - 1) : last + 1]
                    if not any("#" in line for line in run):
                        where = f"{path.relative_to(ROOT)}:{node.lineno}"
                        missing.append(f"{where}: {lines[node.lineno - 1].strip()}")
    assert not missing, "\n".join(missing)


def _import_run(lines: list[str], index: int) -> tuple[int, int]:
    """The first and last line (0-based) of the run of import statements around ``index``
    (isort's blank lines between groups included)."""

    def in_run(k: int) -> bool:
        text = lines[k].strip()
        continued = lines[k].startswith(" " * 8) and text.endswith((",", ")", "("))
        return not text or text.startswith(("from ", "import ", ")")) or continued

    first = last = index
    while first > 0 and in_run(first - 1):
        first -= 1
    while last + 1 < len(lines) and in_run(last + 1):
        last += 1
    return first, last


def test_no_file_is_long_without_a_reason() -> None:
    """Over about 400 lines, a module says at its top why it is one piece."""
    long = []
    for path in _python_files(*SOURCES):
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > LONG_FILE:
            doc = " ".join((ast.get_docstring(ast.parse(text)) or "").split())
            if "one piece because" not in doc.lower():
                long.append(f"{path.relative_to(ROOT)}: {text.count(chr(10))} lines")
    assert not long, "\n".join(long)


# ---------------------------------------------------------------- the README


def test_the_readme_layout_names_every_package() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("## Layout") :]
    layout = layout[: layout.index("\n## ", 4)]
    for path in sorted(PACKAGE.iterdir()):
        if path.name.startswith(("_", ".")) or path.suffix not in (".py", ""):
            continue
        if path.is_dir() and not (path / "__init__.py").exists():
            continue
        shown = path.name + ("/" if path.is_dir() else "")
        assert shown in layout, f"README layout does not name {shown}"
    architecture = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for family in HARD:
        assert f"rules/{family.name}.py" in architecture or family.name in architecture


def test_the_readme_lists_every_exit_code() -> None:
    from legevakt_opt.cli.exit_codes import MEANINGS, ExitCode

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("### Exit codes") :]
    for code in ExitCode:
        assert f"| {int(code)} |" in table, code
        assert MEANINGS[code] in table, code


def test_the_readme_ranks_the_levels_as_the_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ranking = readme[readme.index("**The ranking**") :]
    rows = [line for line in ranking.splitlines() if line.startswith("| `")]
    assert [row.split("`")[1] for row in rows] == [lv.name for lv in LEVELS]
    for row, lv in zip(rows, LEVELS, strict=True):
        cells = [c.strip() for c in row.strip("|").split(" | ")]
        assert cells[1] == f"{round(100 * lv.time_share)}", lv.name
        assert cells[2] == lv.unit, lv.name
        assert cells[3].replace("\\|", "|") == lv.says, lv.name


# ---------------------------------------------------------------- lint and types


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["lint", "format"])
def test_ruff_clean(command: list[str]) -> None:
    pytest.importorskip("ruff")
    run = subprocess.run(
        [sys.executable, "-m", "ruff", *command, *SOURCES],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_mypy_clean() -> None:
    pytest.importorskip("mypy")
    code, output = start_mypy().wait()  # started with the session (tests/conftest.py)
    assert code == 0, output
