"""Enhanced standard analysis (Schneider and Wagemann; SetMethods ``esa()``): exclude untenable and
incoherent counterfactuals before minimising. Specification: ``shared/qca-diagnostics-api.md`` 9."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .expression import evaluate_terms, parse
from .minimize import Solution, _check_truth_table, minimize
from .truthtable import TruthTable

__all__ = ["esa_exclusions", "enhanced_minimize"]

_MAX_SPACE = 1 << 22


def _as_list(x, name) -> list:
    if x is None:
        return []
    if isinstance(x, (str, int, np.integer)):
        return [x]
    try:
        return list(x)
    except TypeError:
        raise ValueError(f"{name} must be a list; got {x!r}.") from None


def _parse_on(expr, name: str, conditions: Sequence[str]):
    """The terms of ``expr``; a literal on anything but a condition of the truth table is the caller's mistake."""
    terms = parse(expr)
    unknown = sorted({lit.name for t in terms for lit in t} - set(conditions))
    if unknown:
        raise ValueError(
            f"{name} entry {expr!r} names {unknown}, which are not conditions of the truth table "
            f"{list(conditions)}; name only those"
        )
    return terms


def esa_exclusions(
    tt: TruthTable,
    *,
    necessary: Sequence[str] | str = (),
    untenable: Sequence[str] | str = (),
    contradictory_rows: Sequence[int] = (),
) -> tuple[int, ...]:
    """Truth-table rows that enhanced standard analysis sets to OUT = 0.

    Parameters
    ----------
    tt : TruthTable
    necessary : list of str
        Necessary conditions, each a literal or a disjunction of literals (``"A"``, ``"~A + C"``): every
        configuration outside it is set to 0, observed positive rows included.
    untenable : list of str
        Untenable assumptions, each a literal or a conjunction (``"~B*C"``): remainders inside it are set to 0.
    contradictory_rows : list of int
        Row numbers set to 0 (e.g. contradictory simplifying assumptions).

    Returns
    -------
    tuple of int
        Sorted row numbers whose OUT changes (was "1", "C" or "?", remainders included).

    Examples
    --------
    >>> import pandas as pd
    >>> from krihs_analysis.qca import truth_table
    >>> df = pd.DataFrame({"A": [1, 1, 0], "B": [1, 0, 0], "Y": [1, 1, 0]})
    >>> esa_exclusions(truth_table(df, "Y", ["A", "B"]), untenable=["~A*B"])
    (2,)
    """
    _check_truth_table(tt)
    q = tt.qdata
    space = int(np.prod(q.levels))
    if space > _MAX_SPACE:
        raise ValueError(f"the truth table has {space:,} configurations, too many to list; use fewer conditions.")
    configs = (np.arange(space)[:, None] // q.weights[None, :]) % q.levels[None, :]
    grid = pd.DataFrame(configs, columns=list(q.conditions))
    out = np.full(space, "?", dtype=object)
    obs = tt.table
    out[obs["row"].to_numpy() - 1] = obs["OUT"].to_numpy(dtype=object)
    zero = np.zeros(space, dtype=bool)
    for expr in _as_list(necessary, "necessary"):
        terms = _parse_on(expr, "necessary", q.conditions)
        if any(len(t) != 1 for t in terms):
            raise ValueError(f"necessary condition {expr!r} must be a literal or a disjunction of literals ('A + ~C').")
        zero |= evaluate_terms(terms, grid).max(axis=1) < 0.5
    for expr in _as_list(untenable, "untenable"):
        terms = _parse_on(expr, "untenable", q.conditions)
        if len(terms) != 1:
            raise ValueError(f"untenable assumption {expr!r} must be a literal or a conjunction ('~B*C').")
        zero |= (evaluate_terms(terms, grid)[:, 0] > 0.5) & (out == "?")
    for r in _as_list(contradictory_rows, "contradictory_rows"):
        try:
            if isinstance(r, (bool, np.bool_)):  # True was read as row 1
                raise TypeError
            r = int(r)
        except (TypeError, ValueError):
            raise ValueError(f"contradictory_rows must be row numbers; got {r!r}.") from None
        if not 1 <= r <= space:
            raise ValueError(f"row {r} is outside 1..{space}.")
        zero[r - 1] = True
    changed = zero & np.isin(out, ["1", "C", "?"])
    return tuple(int(i) + 1 for i in np.flatnonzero(changed))


def enhanced_minimize(
    tt: TruthTable,
    *,
    necessary: Sequence[str] | str = (),
    untenable: Sequence[str] | str = (),
    contradictory_rows: Sequence[int] = (),
    kind: str = "parsimonious",
    dir_exp: Mapping[str, object] | Sequence[object] | str | None = None,
    max_covers: int = 1000,
) -> Solution:
    """Minimise after enhanced standard analysis: :func:`minimize` with the rows of :func:`esa_exclusions` excluded.

    Parameters
    ----------
    tt, necessary, untenable, contradictory_rows
        As for :func:`esa_exclusions`.
    kind, dir_exp, max_covers
        As for :func:`minimize`.

    Returns
    -------
    Solution

    Examples
    --------
    >>> import pandas as pd
    >>> from krihs_analysis.qca import truth_table
    >>> df = pd.DataFrame({"A": [1, 1, 0], "B": [1, 0, 0], "Y": [1, 1, 0]})
    >>> enhanced_minimize(truth_table(df, "Y", ["A", "B"]), untenable=["~A*B"]).models
    ('A',)
    """
    excl = esa_exclusions(tt, necessary=necessary, untenable=untenable, contradictory_rows=contradictory_rows)
    return minimize(tt, kind=kind, dir_exp=dir_exp, max_covers=max_covers, exclude=excl)
