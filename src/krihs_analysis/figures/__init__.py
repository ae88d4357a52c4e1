"""Trilingual (en/ko/ja) policy-brief figures in the KRIHS house style.

The plot functions take tidy results and ``lang`` and return Axes (or a Figure for multi-panel charts):
:func:`country_profile`, :func:`level_distributions`, :func:`core_task_gaps`,
:func:`integration_sustainability`, :func:`qca_xy`, :func:`truth_table_heatmap`, :func:`rmo_trend`.
:func:`build_catalogue` computes their inputs from case data; :func:`save_figure` writes reproducible
PNG/SVG/PDF files with alt text in ``figures.json``; :func:`write_catalogue` does it all (``krihs-analysis figures``).
:func:`house_style` is the context manager that applies the style (no global rcParams change on import).

Importing this package does not import matplotlib; the names below load on first use.

Examples
--------
>>> from krihs_analysis.data import read_context
>>> from krihs_analysis import figures
>>> ax = figures.rmo_trend(read_context("rmo_survey"), lang="ko")
>>> figures.frame_texts(ax.figure)["title"]
'일본의 지역운영조직은 2016년부터 2022년까지 2.3배로 늘었다'
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "house_style": "style",
    "decorate": "style",
    "frame_texts": "style",
    "COUNTRY_COLORS": "style",
    "COUNTRY_MARKERS": "style",
    "LEVEL_COLORS": "style",
    "SINGLE": "style",
    "DOUBLE": "style",
    "CATALOGUE": "catalogue",
    "country_profile": "catalogue",
    "level_distributions": "catalogue",
    "core_task_gaps": "catalogue",
    "integration_sustainability": "catalogue",
    "qca_xy": "catalogue",
    "truth_table_heatmap": "catalogue",
    "rmo_trend": "catalogue",
    "case_card": "cards",
    "fiscal_context": "fiscal",
    "qca_groups": "qca_by_group",
    "build_catalogue": "catalogue",
    "save_figure": "save",
    "close_figure": "save",
    "write_catalogue": "save",
    "MissingFontWarning": "fonts",
}

#: Drawing functions outside the brief's catalogue (the catalogue's are in ``CATALOGUE``): a notebook cell calling one
#: must show its image (tests check every executed notebook for it).
PLOTS: tuple[str, ...] = ("case_card",)

__all__ = sorted([*_EXPORTS, "PLOTS"])


def __getattr__(name: str) -> Any:
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
