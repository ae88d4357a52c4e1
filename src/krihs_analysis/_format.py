"""How numbers read wherever the package shows them: p-values, estimates, intervals, shares, medians.

One formatter per kind of number, shared by tables, figures, the brief and the reports, so a p-value never prints
two ways. Numbers use a typographic minus (U+2212); a missing value prints as an en dash.

Examples
--------
>>> from krihs_analysis._format import fmt_ci, fmt_num, fmt_p
>>> fmt_p(0.0123), fmt_p(0.0004), fmt_p(0.0123, prefix=False)
('p = 0.012', 'p < 0.001', '= 0.012')
>>> fmt_num(-0.5), fmt_ci(-0.98, -0.55, lang="ko")
('−0.50', '95% 신뢰구간 [−0.98, −0.55]')
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterable
from typing import Any

from ._deprecate import keyword_options
from .codebook import check_lang
from .wording import phrase

MISSING = "–"


def is_missing(x: Any) -> bool:
    """True for None, NaN and pandas' missing values ``pd.NA``/``pd.NaT`` (the values a formatter prints as a dash).

    Examples
    --------
    >>> import pandas as pd
    >>> is_missing(float("nan")), is_missing(pd.NA), is_missing(0.0)
    (True, True, False)
    """
    if x is None:
        return True
    pd = sys.modules.get("pandas")  # pd.NA and pd.NaT exist only once pandas is imported; this module does not
    if pd is not None and (x is pd.NA or x is pd.NaT):  # (float(pd.NA) raises TypeError, float(pd.NaT) is nan)
        return True
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return False


def _real(x: Any, name: str) -> float:
    # float() of a number, a numpy number or numeric text; anything else (a list, a dict, a word) is the caller's
    # mistake, said in the package's words rather than float()'s TypeError
    try:
        return float(x)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number (None, NaN or pd.NA print as a dash), got {x!r:.80} "
                         f"({type(x).__name__}); pass e.g. {name}=0.5") from None


def _flag(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    from ._validate import check_flag  # only on a mistake (or a numpy bool): _validate imports pandas

    return check_flag(value, name)


def _digits(digits: Any, minimum: int) -> int:
    if isinstance(digits, int) and not isinstance(digits, bool) and digits >= minimum:
        return digits
    from ._validate import check_count  # only on a mistake: _validate imports pandas, this module does not

    # a float such as 2.0 is a whole number; everything else was "Format specifier missing precision"
    return check_count(digits, "digits", minimum=minimum)


@keyword_options
def fmt_num(x: Any, *, digits: int = 2) -> str:
    """A number with `digits` decimals and a typographic minus sign; a dash when missing.

    Parameters
    ----------
    x
        A number, or None/NaN.
    digits
        Decimals (``fmt_num(x, 2)`` by position still works this release, with a FutureWarning).

    Examples
    --------
    >>> fmt_num(-0.5), fmt_num(0.444, digits=3), fmt_num(None)
    ('−0.50', '0.444', '–')
    """
    digits = _digits(digits, 0)
    if is_missing(x):
        return MISSING
    s = f"{_real(x, 'x'):.{digits}f}"
    if s.lstrip("-").strip("0.") == "":  # -0.00 reads as 0.00
        s = s.lstrip("-")
    return s.replace("-", "−")


def fmt_column(values: Iterable[Any], *, digits: int = 2) -> list[str]:
    """Numbers read together (a table's column, a figure's cuts) with one number of decimals: the fewest, at most
    `digits`, that show every value; a dash for a missing one.

    Examples
    --------
    >>> fmt_column([0.9, 0.938, None], digits=3), fmt_column([3.0, 2.0], digits=1), fmt_column([0.875], digits=3)
    (['0.900', '0.938', '–'], ['3', '2'], ['0.875'])
    """
    values = list(values)
    return [fmt_num(v, digits=column_decimals(values, digits=digits)) for v in values]


def fmt_cut(x: Any) -> str:
    """A threshold as it was set (a QCA consistency or PRI cut): the fewest decimals, at most six, that show it.

    Each cut alone, so that it reads the same wherever it is written (the brief's QCA note, notebook 04, the
    truth-table figure), whichever cut stands beside it: "PRI ≥ 1", not "1.0" beside a 0.5 or "1.00".

    Parameters
    ----------
    x
        A number, or None/NaN.

    Returns
    -------
    str
        The cut with a typographic minus sign; a dash when missing.

    Raises
    ------
    ValueError
        `x` is not a number.

    Examples
    --------
    >>> fmt_cut(0.8), fmt_cut(0.875), fmt_cut(1.0), fmt_cut(0.9999), fmt_cut(0.1 + 0.2), fmt_cut(None)
    ('0.8', '0.875', '1', '0.9999', '0.3', '–')
    """
    # six decimals: a cut set as 0.9999 read "1" at three, and float noise (0.30000000000000004) still reads 0.3
    return fmt_column([x], digits=6)[0]


def column_decimals(values: Iterable[Any], *, digits: int = 2) -> int:
    """The number of decimals :func:`fmt_column` writes `values` with: the fewest, at most `digits`, that show
    every value (a caller that writes several columns alike takes the largest).

    Examples
    --------
    >>> column_decimals([3.0, 2.0]), column_decimals([1.5, 2.0]), column_decimals([0.9, 0.938], digits=3)
    (0, 1, 3)
    """
    digits = _digits(digits, 0)
    shown = [fmt_num(v, digits=digits) for v in values]
    return max((len(t.rstrip("0").partition(".")[2]) for t in shown if t != MISSING), default=0)


def fmt_p(p: Any, *, prefix: bool = True, cell: bool = False) -> str:
    """A p-value as the package prints it everywhere: three decimals, ``< 0.001`` below that.

    The same in every language (p-values are written alike in en, ko and ja).

    Parameters
    ----------
    p
        A p-value, or None/NaN.
    prefix
        Write the ``p``; without it the result continues a phrase such as "exact p" or "Holm-adjusted p".
    cell
        The form for a table cell under a "p" header (``0.040``, ``< 0.001``).

    Examples
    --------
    >>> fmt_p(0.04), fmt_p(0.00002), fmt_p(1.0), fmt_p(float("nan"))
    ('p = 0.040', 'p < 0.001', 'p = 1.000', 'p = –')
    >>> fmt_p(0.04, cell=True), fmt_p(0.00002, cell=True), fmt_p(None, cell=True)
    ('0.040', '< 0.001', '–')
    """
    prefix, cell = _flag(prefix, "prefix"), _flag(cell, "cell")  # "no" would have counted as True
    if is_missing(p):
        return MISSING if cell else (f"p = {MISSING}" if prefix else f"= {MISSING}")
    p = _real(p, "p")
    if not 0.0 <= p <= 1.0 + 1e-12:
        raise ValueError(f"a p-value lies between 0 and 1, got {p}")
    if cell:
        return "< 0.001" if p < 0.001 else f"{min(p, 1.0):.3f}"
    body = "< 0.001" if p < 0.001 else f"= {min(p, 1.0):.3f}"
    return f"p {body}" if prefix else body


def fmt_ci(lo: Any, hi: Any, *, lang: str = "en", digits: int = 2, level: int = 95) -> str:
    """A confidence interval in `lang`, e.g. ``95% CI −0.98 to −0.55``; an empty string when it is missing.

    Examples
    --------
    >>> fmt_ci(0.1, 0.52, lang="ja"), fmt_ci(float("nan"), 1.0)
    ('95%信頼区間 [0.10, 0.52]', '')
    """
    check_lang(lang)
    if is_missing(lo) or is_missing(hi):
        return ""
    return phrase("common", "ci", lang, level=level, lo=fmt_num(lo, digits=digits), hi=fmt_num(hi, digits=digits))


def fmt_list(items: Iterable[Any], *, lang: str = "en") -> str:
    """Items listed in running text as `lang` lists them: "a, b and c", "a, b, c", "a、b、c".

    Examples
    --------
    >>> fmt_list(["FY2017", "FY2020"]), fmt_list(["가", "나", "다"], lang="ko"), fmt_list(["甲"], lang="ja")
    ('FY2017 and FY2020', '가, 나, 다', '甲')
    """
    check_lang(lang)
    items = [str(i) for i in items]
    if len(items) < 2:
        return "".join(items)
    return phrase("common", "list_sep", lang).join(items[:-1]) + phrase("common", "list_last", lang) + items[-1]


def fmt_int(x: Any) -> str:
    """A count with thousands separators (the same in en, ko and ja); a dash when missing.

    Parameters
    ----------
    x
        A whole number, or None/NaN.

    Examples
    --------
    >>> fmt_int(1844), fmt_int(3071.0), fmt_int(None)
    ('1,844', '3,071', '–')
    """
    if is_missing(x):
        return MISSING
    x = _real(x, "x")
    if math.isinf(x):  # int(round(inf)) raised OverflowError
        raise ValueError(f"x must be a finite count, got {x}; pass e.g. x=1844 (or None/NaN for a dash)")
    return f"{int(round(x)):,}".replace("-", "−")


@keyword_options
def fmt_sig(x: Any, *, digits: int = 3) -> str:
    """A small quantity to `digits` significant digits (a Monte Carlo standard error); a dash when missing.

    Parameters
    ----------
    x
        A number, or None/NaN.
    digits
        Significant digits (by position still works this release, with a FutureWarning).

    Examples
    --------
    >>> fmt_sig(0.0021834), fmt_sig(-0.5), fmt_sig(float("nan"))
    ('0.00218', '−0.5', '–')
    """
    digits = _digits(digits, 0)
    if is_missing(x):
        return MISSING
    return f"{_real(x, 'x'):.{digits}g}".replace("-", "−")


def fmt_pct(x: Any) -> str:
    """A share (0-1) as a whole percentage.

    Examples
    --------
    >>> fmt_pct(0.425), fmt_pct(None)
    ('42%', '–')
    """
    if is_missing(x):
        return MISSING
    return f"{round(100 * _real(x, 'x')):d}%"


def fmt_median(x: Any) -> str:
    """A median of 0-3 codes: whole codes without decimals, half codes with one.

    Examples
    --------
    >>> fmt_median(3.0), fmt_median(2.5)
    ('3', '2.5')
    """
    if is_missing(x):
        return MISSING
    x = _real(x, "x")
    return f"{x:.0f}" if x.is_integer() else f"{x:.1f}"
