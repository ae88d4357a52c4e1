"""What notebooks show: the illustrative-data banner and result tables with codebook labels.

Examples
--------
>>> from krihs_analysis.data import read_cases
>>> "Illustrative" in banner(read_cases(), lang="en").data
True
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .codebook import check_lang, load_codebook
from .data import is_illustrative

_BANNER_STYLE = ("border:2px solid #a40000;color:#a40000;padding:6px 10px;font-weight:bold;"
                 "margin:6px 0;background:#fff5f5")


class Banner:
    """An HTML banner for Jupyter with a plain-text fallback (so nbval and text exports see it too)."""

    def __init__(self, text: str):
        self.data = text

    def _repr_html_(self) -> str:
        import html

        return f'<div style="{_BANNER_STYLE}">{html.escape(self.data)}</div>' if self.data else ""

    def __repr__(self) -> str:
        return self.data


def banner(cases: pd.DataFrame | bool, *, lang: str = "en") -> Banner:
    """The "illustrative data" banner when `cases` (or the flag) is illustrative; empty otherwise."""
    flag = cases if isinstance(cases, bool) else is_illustrative(cases)
    return Banner(load_codebook().notice("illustrative", lang) if flag else "")


def labelled(
    frame: pd.DataFrame,
    *,
    lang: str = "en",
    columns: Sequence[str] = ("variable",),
    digits: int = 3,
) -> pd.DataFrame:
    """A copy of a result table for display: variable names as codebook labels in `lang`, floats rounded
    (p-values, columns named ``p_*``, to three significant digits).

    Examples
    --------
    >>> import pandas as pd
    >>> labelled(pd.DataFrame({"variable": ["integration"], "p": [0.12345]}), lang="ja").to_dict("records")
    [{'variable': '事業間の連携・統合', 'p': 0.123}]
    """
    check_lang(lang)
    cb = load_codebook()
    out = frame.copy()
    for col in columns:
        if col in out:
            out[col] = [cb.label(v, lang) if isinstance(v, str) and (v in cb or v in cb.core_tasks or v in cb.derived)
                        else v for v in out[col]]
    floats = out.select_dtypes("float").columns
    # p-values keep three significant digits (rounding 2e-7 to 0.000 would misreport it); the rest `digits`.
    pcols = [c for c in floats if str(c).startswith("p_")]
    out[pcols] = out[pcols].apply(lambda s: s.map(lambda v: float(f"{v:.3g}")))
    rest = [c for c in floats if c not in pcols]
    out[rest] = out[rest].round(digits)
    return out
