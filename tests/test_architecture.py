"""The house rules, read from the code: layers import only downward, one Papermill caller, one argument parser,
and every runtime dependency is used.

Imports are read with ``ast`` (module level and inside functions, absolute and relative), so a lazy import
inside a function counts as much as one at the top.
"""

from __future__ import annotations

import ast
import functools
import re
import tomllib
from pathlib import Path

import pytest

from krihs_analysis import paths

PKG = paths.PACKAGE_DIR
MODULES = sorted(p for p in PKG.rglob("*.py") if "__pycache__" not in p.parts)


def module_name(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


@functools.cache  # every test reads the same files: parse each once per session
def imports(path: Path, name: str | None = None) -> frozenset[str]:
    """Every module `path` (the module `name`) imports, as absolute dotted names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = (name or module_name(path)).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            mod = ".".join([*base, *(node.module.split(".") if node.module else [])])
            out.add(mod)
            out.update(f"{mod}.{a.name}" for a in node.names)  # `from . import qca` names a module
    return frozenset(out)


def layer(name: str) -> str | None:
    """The layer a krihs_analysis module belongs to."""
    parts = name.split(".")
    if parts[0] != "krihs_analysis" or len(parts) < 2:
        return None
    top = parts[1]
    if top in ("data", "codebook", "paths", "_io", "_validate", "_deprecate", "_format", "wording", "template"):
        return "data"
    if top in ("compare", "linkage", "models", "reliability", "qca", "_exact"):
        return "statistics"
    if top in ("figures", "brief", "display", "pdf", "pipeline"):
        return top if top in ("figures", "brief") else "presentation"
    if top == "reports":
        return "runner"
    if top == "cli":
        return "cli"
    return None


FORBIDDEN = {
    "data": {"statistics", "figures", "brief", "presentation", "runner", "cli"},
    "statistics": {"figures", "brief", "presentation", "runner", "cli"},
    "figures": {"runner", "cli"},
    "brief": {"runner", "cli"},
    "presentation": {"runner", "cli"},
}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_layers_import_only_downward(path):
    mine = layer(module_name(path))
    bad = sorted(m for m in imports(path) if layer(m) in FORBIDDEN.get(mine, set()))
    assert not bad, f"{module_name(path)} ({mine}) must not import {bad}"


def _importers(top: str) -> list[str]:
    return sorted(module_name(p) for p in MODULES if any(m == top or m.startswith(top + ".") for m in imports(p)))


def test_papermill_is_imported_only_by_the_runner():
    assert all(m.startswith("krihs_analysis.reports") for m in _importers("papermill")), _importers("papermill")


def test_only_the_cli_parses_arguments():
    assert _importers("argparse") == ["krihs_analysis.cli"]


# The import name of each distribution, where it differs from the distribution's name.
IMPORT_NAMES = {"pillow": "PIL", "pyyaml": "yaml", "distributed": "dask.distributed", "python-calamine": "python_calamine"}
# Installed for the package to work, never imported by it (say why).
NOT_IMPORTED = {"ipykernel": "the kernel the report runner executes notebooks on"}


def runtime_dependencies() -> list[str]:
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [re.match(r"[A-Za-z0-9_.\-]+", s).group(0).lower() for s in project["dependencies"]]


@pytest.mark.parametrize("dist", runtime_dependencies())
def test_every_runtime_dependency_is_imported_by_the_package(dist):
    if dist in NOT_IMPORTED:
        return
    name = IMPORT_NAMES.get(dist, dist.replace("-", "_"))
    used = set().union(*(imports(p) for p in MODULES))
    assert any(m == name or m.startswith(name + ".") for m in used), (
        f"{dist} is a runtime dependency that nothing in src/ imports: move it to an extra or drop it")


def test_the_architecture_check_sees_a_forbidden_import(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from ..figures import style\n", encoding="utf-8")
    bad = sorted(m for m in imports(probe, "krihs_analysis.data.probe") if layer(m) in FORBIDDEN["data"])
    assert bad == ["krihs_analysis.figures", "krihs_analysis.figures.style"]


# Number formats a reader sees (decimals, exponents, general, percent, thousands): written by _format (fmt_num,
# fmt_int, fmt_p, fmt_sig ...), nowhere else. Whole numbers padded for file names (03d) are not for readers.
_READER_MODULES = [p for p in MODULES if p.relative_to(PKG).parts[0] in ("figures", "brief", "display.py")]
_NUMBER_SPEC = re.compile(r"\.(\d+|\{)|[,_]|[efgEFGn%]$")
_PERCENT_FORMAT = re.compile(r"%[-+ #0]*\d*(\.\d+)?[eEfFgG]")
# Formats that are not numbers for a reader: (file, spec) -> how many there are, and why.
_NOT_FOR_READERS = {("brief/document.py", ".0f"): (1, "the printed width of a figure in a CSS style attribute")}


def _number_formats(path: Path, rel: str | None = None) -> list[tuple[int, str]]:
    """(line, spec) of every number format written by hand in `path`: f-string format specs (nested ones too),
    str.format templates, format(x, spec) and "%.2f" % x."""
    out = _formats_in(ast.parse(path.read_text(encoding="utf-8")))
    rel = rel or path.relative_to(PKG).as_posix()
    allowed = {spec: n for (file, spec), (n, _) in _NOT_FOR_READERS.items() if file == rel}
    kept = [(line, spec) for line, spec in out if spec not in allowed]
    for spec, n in allowed.items():
        found = [(line, s) for line, s in out if s == spec]
        if len(found) != n:  # an exemption covers the formats it names, not every later one with the same spec
            kept.extend(found)
    return kept


def _formats_in(tree: ast.AST) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FormattedValue) and isinstance(node.format_spec, ast.JoinedStr):
            nested = any(isinstance(v, ast.FormattedValue) for v in node.format_spec.values)
            spec = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.format_spec.values)
            if _NUMBER_SPEC.search(spec) or (nested and re.search(r"[efgEFG%]$", spec)):
                out.append((node.lineno, spec))
        elif (isinstance(node, ast.Attribute) and node.attr == "format" and isinstance(node.value, ast.Constant)
              and isinstance(node.value.value, str)):  # "{:,}".format(n), "{:.2f}".format
            out.extend((node.lineno, m) for m in re.findall(r"\{[^{}]*:([^{}]*)\}", node.value.value)
                       if _NUMBER_SPEC.search(m))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "format"
              and len(node.args) == 2 and isinstance(node.args[1], ast.Constant)
              and _NUMBER_SPEC.search(str(node.args[1].value))):  # format(x, ".2f")
            out.append((node.lineno, str(node.args[1].value)))
        elif (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant)
              and isinstance(node.left.value, str) and _PERCENT_FORMAT.search(node.left.value)):  # "%.2f" % x
            out.append((node.lineno, _PERCENT_FORMAT.search(node.left.value).group(0)))
    return out


# What a result object prints (print(fit), a truth table in a notebook) is read too, in every module: its numbers go
# through the same formatters (a p-value of 0.0009 printed as "0.0009" beside "< 0.001" everywhere else).
_DISPLAY_METHODS = {"__str__", "__repr__", "_repr_html_", "_repr_markdown_"}


def _display_method_formats(path: Path) -> list[tuple[int, str]]:
    return [found for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in _DISPLAY_METHODS
            for found in _formats_in(node)]


def test_the_display_method_check_sees_a_hand_written_format(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text('class R:\n    def __str__(self):\n        return f"{self.p:.4f}"\n'
                     '    def message(self):\n        return f"{self.p:.4f}"\n', encoding="utf-8")
    assert _display_method_formats(probe) == [(3, ".4f")]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_numbers_a_reader_sees_are_written_by_the_shared_formatters(path):
    # the figures, the brief and display: every number; elsewhere: what a result object prints
    found = _number_formats(path) if path in _READER_MODULES else _display_method_formats(path)
    assert found == [], "use krihs_analysis._format (fmt_num, fmt_int, fmt_p, fmt_sig)"


def test_the_number_format_check_sees_a_hand_written_format(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text('a = f"{x:.2f}"\nb = "{:,}".format(n)\nc = f"{v:g}"\nd = f"{k:03d}"\ne = f"{x:.{d}f}"\n'
                     'f = format(x, ".3e")\ng = "%.1f%%" % x\nh = f"{x:.3g}"\n', encoding="utf-8")
    assert sorted(_number_formats(probe, rel="probe.py")) == [
        (1, ".2f"), (2, ","), (3, "g"), (5, ".{}f"), (6, ".3e"), (7, "%.1f"), (8, ".3g")]


def _has_all(path: Path) -> bool:
    return any(isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in node.targets)
               for node in ast.parse(path.read_text(encoding="utf-8")).body)


@pytest.mark.parametrize("path", [p for p in MODULES if _has_all(p)], ids=lambda p: module_name(p))
def test_every_name_a_module_exports_is_there(path):
    # a helper moved to another module and left in its old __all__ makes `from ... import *` raise
    # AttributeError (krihs_analysis._validate listed `renamed` after it moved to _deprecate)
    import importlib

    module = importlib.import_module(module_name(path))
    missing = [n for n in module.__all__ if not hasattr(module, n)]
    assert not missing, f"{module_name(path)}.__all__ names what it does not define: {missing}"
