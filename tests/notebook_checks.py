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


def reader_text(nb) -> str:
    """What a reader of an executed notebook reads as prose: markdown cells, markdown outputs and table headers.

    Table bodies are data (municipality names, codes) and stay in their own script; CSS is not text.
    """
    import re

    parts = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            parts.append(cell.source)
        for out in cell.get("outputs", []):
            data = out.get("data") or {}
            if "text/markdown" in data:
                parts.append(data["text/markdown"])
            elif "text/html" in data:
                html = re.sub(r"<style.*?</style>", " ", data["text/html"], flags=re.S)
                parts += [re.sub(r"<[^>]+>", " ", h) for h in re.findall(r"<thead>.*?</thead>|<th[^>]*>.*?</th>",
                                                                          html, flags=re.S)]
    return "\n".join(parts)


def script_share(text: str, script: str) -> float:
    """The share of letters of `text` in `script` (``hangul`` or ``kana+kanji``)."""
    letters = [ch for ch in text if ch.isalpha()]
    if script == "hangul":
        hits = [ch for ch in letters if "\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff"]
    else:
        hits = [ch for ch in letters if "\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff"]
    return len(hits) / len(letters) if letters else 0.0
