"""Typical, deviant and irrelevant cases of a solution: the cases to visit in process tracing
(SetMethods ``smmr(match = FALSE)``, cases 1, 3, 4 and 5; specification ``shared/qca-diagnostics-api.md`` 8)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from krihs_analysis._validate import check_frame

from ._sets import case_ids, term_memberships
from .truthtable import _outcome_literal, prepare

__all__ = ["case_roles"]

_ROLES = ("typical", "deviant_consistency", "deviant_coverage", "irrelevant")


def case_roles(data: pd.DataFrame, outcome: str, expression) -> pd.DataFrame:
    """Role of each case for each term of a sufficient expression and for the whole expression.

    Parameters
    ----------
    data : pandas.DataFrame
        Calibrated data indexed by case id; every column but the outcome is a condition of the truth table.
    outcome : str
        Outcome column, ``"~NAME"`` for its negation.
    expression : str or Solution
        Sum of products; a Solution means its first model.

    Returns
    -------
    pandas.DataFrame
        ``role, term, case_id, term_membership, outcome_membership, score, most, unique, row``.
        Per term: ``typical`` (X > 0.5, Y > 0.5, X <= Y; score 2(Y - X) + (1 - X), the lower the better)
        and ``deviant_consistency`` (X > 0.5, Y < 0.5; score 1 - (X - Y) + (1 - X)). For the whole
        expression: ``deviant_coverage`` (X < 0.5, Y > 0.5; score 1 - membership in its truth-table row,
        ``most`` within each row) and ``irrelevant`` (X < 0.5, Y < 0.5). ``most`` marks the best-scoring
        case(s); ``unique`` whether a typical case is typical for one term only.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"A": [0.9, 0.7, 0.2], "Y": [1.0, 0.3, 0.8]}, index=["a", "b", "c"])
    >>> case_roles(df, "Y", "A")[["role", "case_id", "score"]].round(2).values.tolist()
    [['typical', 'a', 0.3], ['deviant_consistency', 'b', 0.9], ['deviant_coverage', 'c', 0.2]]
    """
    check_frame(data, "data")
    text, labels, memb = term_memberships(expression, data)
    lit = _outcome_literal(outcome)
    q = prepare(data, outcome, [c for c in data.columns if c != lit.name])
    y = q.y
    ids = case_ids(data)
    x_all = memb.max(axis=1)
    # Truth-table row of each case and its membership in that row (min over conditions of m or 1 - m).
    crisp = np.where(q.is_mv[None, :], q.X, (q.X > 0.5).astype(np.float64)).astype(np.int64)
    rowno = crisp @ q.weights + 1
    fuzzy_part = np.where(q.X >= 0.5, q.X, 1 - q.X)
    fuzzy_part[:, q.is_mv] = 1.0
    row_memb = fuzzy_part.min(axis=1)
    no_row = np.any(~q.is_mv[None, :] & (q.X == 0.5), axis=1)
    typical_for = np.sum((memb > 0.5) & (y[:, None] > 0.5) & (memb <= y[:, None]), axis=1)
    rows = []
    for j, term in enumerate(labels):
        x = memb[:, j]
        typ = np.flatnonzero((x > 0.5) & (y > 0.5) & (x <= y))
        dev = np.flatnonzero((x > 0.5) & (y < 0.5))
        for role, sel, score in (
            ("typical", typ, 2 * (y - x) + (1 - x)),
            ("deviant_consistency", dev, 1 - (x - y) + (1 - x)),
        ):
            if not len(sel):
                continue
            best = score[sel].min()
            for i in sel:
                rows.append((role, term, ids[i], x[i], y[i], score[i], bool(score[i] <= best + 1e-9),
                             bool(typical_for[i] == 1) if role == "typical" else None, pd.NA))
    cov = np.flatnonzero((x_all < 0.5) & (y > 0.5))
    score = 1 - row_memb
    for i in cov:
        same = cov[(rowno[cov] == rowno[i]) & (no_row[cov] == no_row[i])]
        best = score[same].min()
        rows.append(("deviant_coverage", text, ids[i], x_all[i], y[i], score[i], bool(score[i] <= best + 1e-9),
                     None, pd.NA if no_row[i] else int(rowno[i])))
    for i in np.flatnonzero((x_all < 0.5) & (y < 0.5)):
        rows.append(("irrelevant", text, ids[i], x_all[i], y[i], np.nan, None, None,
                     pd.NA if no_row[i] else int(rowno[i])))
    cols = ["role", "term", "case_id", "term_membership", "outcome_membership", "score", "most", "unique", "row"]
    out = pd.DataFrame.from_records(rows, columns=cols)
    if len(out):
        out["_r"] = out["role"].map({r: k for k, r in enumerate(_ROLES)})
        out = out.sort_values(["_r", "term", "score", "case_id"], kind="stable", na_position="last")
        out = out.drop(columns="_r").reset_index(drop=True)
    return out.astype({"role": "str", "term": "str", "case_id": "str", "term_membership": "float64",
                       "outcome_membership": "float64", "score": "float64", "most": object, "unique": object,
                       "row": "Int64"})
