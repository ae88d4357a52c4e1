"""Which notebook cells draw a figure, and whether their outputs show one.

nbval compares text and HTML only, so a figure that never appears passes it; these checks close that gap for the
committed notebooks (tests/test_notebooks.py) and for every cell nbval executes (the root ``conftest.py``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from typing import Any

IMAGE_TYPES = ("image/png", "image/svg+xml", "image/jpeg")


def figure_functions() -> frozenset[str]:
    """Every public function of :mod:`krihs_analysis.figures` that draws: the catalogue, plus ``build_catalogue``."""
    from krihs_analysis import figures

    return frozenset({*figures.CATALOGUE, *getattr(figures, "PLOTS", ()), "build_catalogue"})


def figure_calls(source: str) -> list[str]:
    """The figure functions a cell calls (as ``name(...)`` or ``figures.name(...)``), in order."""
    # IPython magics and shell escapes are not Python; they never draw our figures.
    code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    names = figure_functions()
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
            if name in names:
                out.append(name)
    return out


def image_count(outputs: Iterable[Mapping[str, Any]]) -> int:
    """How many images a cell's outputs display."""
    return sum(1 for o in outputs or () if any(t in (o.get("data") or {}) for t in IMAGE_TYPES))


def expected_images(source: str) -> int:
    """The fewest images a cell must show: one per figure call, the whole catalogue for ``build_catalogue``."""
    from krihs_analysis import figures

    calls = figure_calls(source)
    return sum(len(figures.CATALOGUE) if c == "build_catalogue" else 1 for c in calls)
