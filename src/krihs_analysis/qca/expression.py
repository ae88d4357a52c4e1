"""Boolean expressions in R QCA syntax: parsing, evaluation and formatting.

Syntax (as printed by R's QCA package): terms are joined by ``+`` (OR), literals
inside a term by ``*`` (AND), ``~`` negates a literal, and a multi-value literal
names its level(s) in brackets, e.g. ``DEV[2]`` or ``DEV[1,2]`` (curly braces are
accepted too). ``1`` and ``0`` stand for the tautology and the contradiction.

Examples
--------
>>> import pandas as pd
>>> from krihs_analysis.qca.expression import parse, evaluate
>>> df = pd.DataFrame({"A": [1, 0, 1], "B": [0, 0, 1]})
>>> evaluate(df, parse("A*~B + B")).tolist()
[1.0, 0.0, 1.0]
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from krihs_analysis._validate import check_columns, check_frame

__all__ = ["Literal", "parse", "evaluate", "format_term", "term_sort_key"]

_LITERAL = re.compile(r"^(~)?\s*([A-Za-z_.][A-Za-z0-9_.]*)\s*(?:[\[{]\s*([0-9,\s]+)\s*[\]}])?$")


@dataclass(frozen=True)
class Literal:
    """One literal of a conjunction: a condition, optionally negated, optionally restricted to levels."""

    name: str
    negated: bool = False
    levels: tuple[int, ...] | None = None


Term = tuple[Literal, ...]


def parse(expression: str) -> tuple[Term, ...]:
    """Parse an R QCA sum-of-products string into a tuple of terms.

    Parameters
    ----------
    expression : str
        E.g. ``"DEV*~URB + LIT"`` or ``"DEV[2]*LIT[1]"``. ``"1"`` is the empty conjunction.

    Returns
    -------
    tuple of tuple of Literal

    Examples
    --------
    >>> parse("A*~B + C[2]")[1]
    (Literal(name='C', negated=False, levels=(2,)),)
    """
    if not isinstance(expression, str) or not expression.strip():
        raise ValueError("expression must be a non-empty string such as 'A*~B + C'.")
    if any(ch in expression for ch in "()"):
        raise ValueError(
            f"parentheses are not supported in {expression!r}; expand it to a sum of products such as 'A*B + A*C'."
        )
    terms: list[Term] = []
    for raw_term in expression.split("+"):
        raw_term = raw_term.strip()
        if raw_term == "1":
            terms.append(())
            continue
        if not raw_term:
            raise ValueError(f"empty term in {expression!r}; remove the doubled or trailing '+'.")
        literals = []
        for raw in raw_term.split("*"):
            m = _LITERAL.match(raw.strip())
            if m is None:
                raise ValueError(
                    f"cannot read literal {raw.strip()!r} in {expression!r}; write literals as NAME, ~NAME or NAME[level]."
                )
            levels = None
            if m.group(3) is not None:
                parts = [p for p in m.group(3).replace(" ", "").split(",") if p]
                if not parts:
                    raise ValueError(f"no level given in {raw.strip()!r}; write e.g. NAME[1].")
                levels = tuple(sorted({int(p) for p in parts}))
            literals.append(Literal(m.group(2), m.group(1) is not None, levels))
        terms.append(tuple(literals))
    return tuple(terms)


# A don't-care value ("-" or "dc", as R QCA reads them) is coded DONT_CARE: no literal on it is satisfied.
DONT_CARE = -1.0
_DONT_CARE_TEXT = ("-", "dc")


def _literal_membership(lit: Literal, col: np.ndarray) -> np.ndarray:
    if lit.levels is None:
        m = col.astype(np.float64)
    else:
        m = np.isin(col, lit.levels).astype(np.float64)
    m = 1.0 - m if lit.negated else m
    return np.where(col == DONT_CARE, 0.0, m)


def _numeric(col: pd.Series, name: str) -> np.ndarray:
    """A column as float64, with R's don't-care text ("-", "dc") coded DONT_CARE."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        col = col.astype("float64")
    if col.dtype.kind in "biuf":
        return np.asarray(col, dtype=np.float64)
    text = col.astype("str").str.strip()
    dc = text.isin(_DONT_CARE_TEXT).to_numpy()
    values = pd.to_numeric(text.where(~dc, "nan"), errors="coerce").to_numpy(dtype=np.float64, copy=True)
    bad = np.isnan(values) & ~dc & ~col.isna().to_numpy()
    if bad.any():
        raise ValueError(
            f"column {name!r} has non-numeric value(s) {sorted(set(text[bad]))[:5]}; use memberships, level codes "
            "or '-' for don't care."
        )
    values[dc] = DONT_CARE
    return values


def _columns(data: pd.DataFrame, names: Sequence[str]) -> dict[str, np.ndarray]:
    check_columns(data, names, name="data")
    out = {}
    for n in names:
        arr = _numeric(data[n], n)
        if np.isnan(arr).any():
            raise ValueError(f"column {n!r} has missing values; drop or impute those cases first.")
        out[n] = arr
    return out


def evaluate_terms(terms: Sequence[Term], data: pd.DataFrame) -> np.ndarray:
    """Membership of each case in each term, as an array of shape (n_cases, n_terms)."""
    names = sorted({lit.name for t in terms for lit in t})
    cols = _columns(data, names)
    out = np.ones((len(data), len(terms)), dtype=np.float64)
    for j, term in enumerate(terms):
        for lit in term:
            np.minimum(out[:, j], _literal_membership(lit, cols[lit.name]), out=out[:, j])
    return out


def evaluate(data: pd.DataFrame, terms: Sequence[Term] | str) -> pd.Series:
    """Fuzzy membership of each case in a sum of products (min for AND, max for OR, 1 - x for NOT).

    Parameters
    ----------
    data : pandas.DataFrame
        Calibrated data, one row per case.
    terms : str or tuple of terms
        An expression in R syntax (``"A*~B + C"``) or what :func:`parse` returns.

    Returns
    -------
    pandas.Series
        Membership of each case, indexed as ``data``.

    Examples
    --------
    >>> import pandas as pd
    >>> evaluate(pd.DataFrame({"A": [0.2, 0.9], "B": [0.4, 1.0]}), "A + ~B").round(2).tolist()
    [0.6, 0.9]
    """
    if isinstance(terms, pd.DataFrame) and not isinstance(data, pd.DataFrame):
        # The order before this release was evaluate(terms, data); it keeps working for one release.
        warnings.warn(
            "qca.evaluate(terms, data) is deprecated; call qca.evaluate(data, terms).", FutureWarning, stacklevel=2
        )
        data, terms = terms, data
    try:
        check_frame(data, "data")
    except ValueError as err:
        raise ValueError(f"{err} (qca.evaluate takes the data first: qca.evaluate(data, 'A*~B'))") from None
    if isinstance(terms, str):
        terms = parse(terms)
    elif not (
        isinstance(terms, Sequence)
        and all(isinstance(t, tuple) and all(isinstance(lit, Literal) for lit in t) for t in terms)
    ):
        raise ValueError(
            f"terms must be an expression such as 'A*~B + C' (or what parse() returns), got {terms!r}; "
            "pass e.g. qca.evaluate(data, 'A*~B + C')"
        )
    m = evaluate_terms(terms, data)
    values = m.max(axis=1) if m.shape[1] else np.zeros(len(data))
    return pd.Series(values, index=data.index, name=None)


def format_term(code: np.ndarray, conditions: Sequence[str], *, multivalue: bool) -> str:
    """Format an implicant coded R-style (0 = absent, v + 1 = level v) as ``A*~B`` or ``A[1]*B[0]``."""
    parts = []
    for name, c in zip(conditions, code):
        c = int(c)
        if c == 0:
            continue
        if multivalue:
            parts.append(f"{name}[{c - 1}]")
        else:
            parts.append(name if c == 2 else f"~{name}")
    return "*".join(parts) if parts else "1"


def term_sort_key(code: np.ndarray) -> tuple:
    """Order implicants as R prints them: fewer literals first, then, condition by condition,
    higher codes first (present before negated before absent)."""
    code = np.asarray(code)
    return (int((code > 0).sum()), tuple(-int(c) for c in code))
