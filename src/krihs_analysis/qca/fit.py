"""Parameters of fit for sufficiency (``fit``) and necessity (``necessity``), as R QCA's ``pof``/``superSubset``."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from itertools import combinations

import numpy as np
import pandas as pd

from krihs_analysis._validate import check_count, check_frame

from .expression import Literal, evaluate_terms, parse
from .truthtable import prepare, sufficiency_scores

__all__ = ["fit", "necessity", "xy_data"]


def _literal_text(lit: Literal) -> str:
    lv = "" if lit.levels is None else "[" + ",".join(map(str, lit.levels)) + "]"
    return ("~" if lit.negated else "") + lit.name + lv


def _data_first(name: str, data, expression, outcome):
    """Accept the old order ``name(expression, data, outcome)`` for one release, with a FutureWarning."""
    if isinstance(data, str) and isinstance(expression, pd.DataFrame):
        warnings.warn(
            f"qca.{name}(expression, data, outcome) is deprecated; call qca.{name}(data, expression, outcome=...).",
            FutureWarning,
            stacklevel=3,
        )
        data, expression = expression, data
    try:
        check_frame(data, "data")
    except ValueError as err:
        raise ValueError(f"{err} (qca.{name} takes the data first: qca.{name}(data, 'A*~B', outcome='Y'))") from None
    if outcome is None:
        raise ValueError(f"qca.{name} needs the outcome column: outcome='NAME' (or '~NAME').")
    from ._sets import expression_text

    return data, expression_text(expression), outcome


def fit(data: pd.DataFrame, expression: str, outcome: str | None = None, **kwargs) -> pd.DataFrame:
    """Sufficiency parameters of fit of an expression for an outcome.

    Parameters
    ----------
    data : pandas.DataFrame
        Calibrated data (crisp, multi-value or fuzzy).
    expression : str or Solution
        Sum of products in R syntax, e.g. ``"DEV*~URB + LIT"`` or ``"DEV[2]*LIT[1]"``; a Solution means
        its first model.
    outcome : str
        Outcome column, ``"~NAME"`` for its negation.

    Returns
    -------
    pandas.DataFrame
        One row per term (``level`` = "term") and one for the whole expression (``level`` =
        "expression") with ``consistency`` = sum(min(X, Y)) / sum(X), ``PRI``, ``coverage`` =
        sum(min(X, Y)) / sum(Y) and, for terms, ``unique_coverage`` (coverage of the expression
        minus that of the expression without the term).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"A": [1, 1, 0, 0], "B": [1, 0, 1, 0], "Y": [1, 1, 1, 0]})
    >>> fit(df, "A + B", outcome="Y")[["term", "consistency", "coverage"]].round(3).values.tolist()
    [['A', 1.0, 0.667], ['B', 1.0, 0.667], ['A + B', 1.0, 1.0]]
    """
    outcome = kwargs.pop("outcome", outcome)
    if kwargs:
        raise ValueError(f"unexpected option(s) {sorted(kwargs)}; fit takes data, expression, outcome=.")
    data, expression, outcome = _data_first("fit", data, expression, outcome)
    terms = parse(expression)
    names = sorted({lit.name for t in terms for lit in t})
    q = prepare(data, outcome, names if names else None)
    memb = evaluate_terms(terms, data)
    y = q.y
    incl, pri, cov = sufficiency_scores(memb, y)
    whole = memb.max(axis=1, keepdims=True)
    wi, wp, wc = sufficiency_scores(whole, y)
    rows = []
    labels = ["*".join(_literal_text(lit) for lit in t) or "1" for t in terms]
    for j, label in enumerate(labels):
        rest = np.delete(memb, j, axis=1)
        rest_cov = np.minimum(rest.max(axis=1), y).sum() / y.sum() if rest.shape[1] else 0.0
        rows.append((label, "term", incl[j], pri[j], cov[j], wc[0] - rest_cov))
    rows.append((" + ".join(labels), "expression", wi[0], wp[0], wc[0], np.nan))
    return pd.DataFrame.from_records(
        rows, columns=["term", "level", "consistency", "PRI", "coverage", "unique_coverage"]
    ).astype({"term": "str", "level": "str"})


def xy_data(data: pd.DataFrame, expression: str, outcome: str | None = None, **kwargs) -> pd.DataFrame:
    """Each case's membership in an expression (x) and in the outcome (y): the data of an XY plot.

    Parameters
    ----------
    data : pandas.DataFrame
        Calibrated data indexed by case id (as :func:`~krihs_analysis.qca.from_cases` returns).
    expression : str or Solution
        Sum of products in R syntax (e.g. a solution's model).
    outcome : str
        Outcome column, ``"~NAME"`` for its negation.

    Returns
    -------
    pandas.DataFrame
        ``case_id, x, y, country`` (country = the first two letters of the case id, e.g. KR/JP).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"A": [1, 0], "Y": [1, 0]}, index=["KR-1", "JP-1"])
    >>> xy_data(df, "A", outcome="Y").values.tolist()
    [['KR-1', 1.0, 1.0, 'KR'], ['JP-1', 0.0, 0.0, 'JP']]
    """
    outcome = kwargs.pop("outcome", outcome)
    if kwargs:
        raise ValueError(f"unexpected option(s) {sorted(kwargs)}; xy_data takes data, expression, outcome=.")
    data, expression, outcome = _data_first("xy_data", data, expression, outcome)
    if "case_id" in data.columns or isinstance(data.index, pd.RangeIndex):
        # The case ids are the index (the country is read from them): row numbers would pass for ids.
        hint = "data.set_index('case_id')" if "case_id" in data.columns else "qca.from_cases(cases)"
        raise ValueError(f"data must be indexed by case id, as qca.from_cases returns it, but its index is "
                         f"{list(data.index[:3])} …; pass {hint}")
    terms = parse(expression)
    names = sorted({lit.name for t in terms for lit in t})
    q = prepare(data, outcome, names if names else None)
    x = evaluate_terms(terms, data).max(axis=1)
    ids = data.index.astype(str)
    from krihs_analysis.data.tidy import carry_provenance  # qca_xy labels the points by their cases

    return carry_provenance(pd.DataFrame({"case_id": ids, "x": np.asarray(x, dtype="float64"),
                                          "y": np.asarray(q.y, dtype="float64"), "country": [i[:2] for i in ids]}),
                            data)


def necessity(
    data: pd.DataFrame,
    outcome: str,
    conditions: Sequence[str] | None = None,
    *,
    max_order: int = 1,
) -> pd.DataFrame:
    """Necessity of each condition, its negation and their disjunctions for an outcome.

    Parameters
    ----------
    data : pandas.DataFrame
        Calibrated data.
    outcome : str
        Outcome column, ``"~NAME"`` for its negation.
    conditions : sequence of str, optional
        Defaults to every other column.
    max_order : int, default 1
        Also test disjunctions (``A + ~B``) of up to this many literals on distinct conditions.

    Returns
    -------
    pandas.DataFrame
        ``expression``, ``order``, ``consistency`` = sum(min(X, Y)) / sum(Y), ``coverage`` =
        sum(min(X, Y)) / sum(X), ``relevance`` (RoN) = sum(1 - X) / sum(1 - min(X, Y)).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"A": [1, 1, 0, 1], "B": [1, 0, 1, 0], "Y": [1, 1, 0, 0]})
    >>> nec = necessity(df, "Y", ["A", "B"])
    >>> nec["expression"].tolist(), nec["consistency"].tolist()
    (['A', '~A', 'B', '~B'], [1.0, 0.0, 0.5, 0.5])
    """
    check_frame(data, "data")
    max_order = check_count(max_order, "max_order", minimum=1)
    q = prepare(data, outcome, conditions)
    literals: list[tuple[int, str, np.ndarray]] = []
    for j, c in enumerate(q.conditions):
        col = q.X[:, j]
        if q.is_mv[j]:
            for v in range(int(q.levels[j])):
                literals.append((j, f"{c}[{v}]", (col == v).astype(np.float64)))
        else:
            literals.append((j, c, col))
            literals.append((j, f"~{c}", 1.0 - col))
    y = q.y
    records = []
    for order in range(1, max_order + 1):
        for combo in combinations(literals, order):
            if len({c[0] for c in combo}) < order:
                continue
            x = np.max(np.column_stack([c[2] for c in combo]), axis=1)
            xy = np.minimum(x, y)
            with np.errstate(invalid="ignore", divide="ignore"):
                records.append(
                    (
                        " + ".join(c[1] for c in combo),
                        order,
                        xy.sum() / y.sum(),
                        xy.sum() / x.sum(),
                        (1 - x).sum() / (1 - xy).sum(),
                    )
                )
    return pd.DataFrame.from_records(
        records, columns=["expression", "order", "consistency", "coverage", "relevance"]
    ).astype({"expression": "str"})
