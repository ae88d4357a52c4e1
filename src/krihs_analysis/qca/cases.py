"""Building the QCA data set from the coded case sheets (:func:`krihs_analysis.data.read_cases`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

__all__ = ["DEFAULT_CONDITIONS", "FUZZY_CODES", "from_cases"]

DEFAULT_CONDITIONS: tuple[str, ...] = ("resident_org", "intermediary", "resident_planning", "gov_role", "integration")

# Ordinal codes 0-3 as fuzzy memberships: the ends are full exclusion / inclusion and the two
# middle codes sit either side of the 0.5 crossover, so no case is left without a truth-table row.
FUZZY_CODES: Mapping[int, float] = {0: 0.0, 1: 0.33, 2: 0.67, 3: 1.0}


def from_cases(
    cases: pd.DataFrame,
    *,
    outcome: str = "sustainability",
    conditions: Sequence[str] = DEFAULT_CONDITIONS,
    kind: str = "crisp",
    thresholds: int | Sequence[int] | Mapping[str, int | Sequence[int]] = 2,
) -> pd.DataFrame:
    """QCA data set (one row per case, indexed by ``case_id``) from the coded case data.

    Parameters
    ----------
    cases : pandas.DataFrame
        Case data as returned by ``krihs_analysis.data.read_cases()``: a ``case_id`` column (or
        index) and 0-3 ordinal codes (ordered categoricals or integers).
    outcome : str, default "sustainability"
    conditions : sequence of str
        Default: resident_org, intermediary, resident_planning, gov_role, integration.
    kind : {"crisp", "fuzzy"}
        ``"crisp"``: a code at or above the threshold is 1, else 0 (several thresholds give
        multi-value codes 0, 1, 2, ...). ``"fuzzy"``: codes 0, 1, 2, 3 become memberships
        0, 0.33, 0.67, 1.
    thresholds : int, sequence of int, or mapping of column to either, default 2
        Crisp thresholds, one value for every column or per column (ignored for fuzzy).

    Returns
    -------
    pandas.DataFrame
        Columns ``conditions`` then ``outcome``; integer (crisp) or float (fuzzy) values.

    Examples
    --------
    >>> import pandas as pd
    >>> codes = pd.Categorical([0, 2, 3], categories=[0, 1, 2, 3], ordered=True)
    >>> df = pd.DataFrame({"case_id": ["KR-A", "KR-B", "JP-C"], "x": codes, "y": codes})
    >>> from_cases(df, outcome="y", conditions=["x"])["x"].tolist()
    [0, 1, 1]
    >>> from_cases(df, outcome="y", conditions=["x"], kind="fuzzy")["x"].tolist()
    [0.0, 0.67, 1.0]
    """
    if not isinstance(cases, pd.DataFrame):
        raise ValueError("cases must be a pandas DataFrame such as krihs_analysis.data.read_cases() returns.")
    if kind not in ("crisp", "fuzzy"):
        raise ValueError(f"kind must be 'crisp' or 'fuzzy'; got {kind!r}.")
    conditions = [conditions] if isinstance(conditions, str) else list(conditions)
    columns = [*conditions, outcome]
    if len(set(columns)) != len(columns):
        raise ValueError(f"the outcome and conditions {columns} must be distinct columns.")
    missing = [c for c in columns if c not in cases.columns]
    if missing:
        raise ValueError(f"column(s) {missing} not in the case data; available: {list(cases.columns)}.")
    if "case_id" in cases.columns:
        labels = cases["case_id"].astype("str")
    else:
        labels = pd.Series(cases.index.astype(str), index=cases.index)
    if labels.duplicated().any():
        raise ValueError(f"case ids must be unique; repeated: {sorted(set(labels[labels.duplicated()]))}.")
    out = {}
    for c in columns:
        # Categorical codes with integer categories convert cleanly to float; missing stays NaN.
        v = cases[c].astype("float64").to_numpy()
        if np.isnan(v).any():
            bad = labels[np.isnan(v)].tolist()
            raise ValueError(f"{c!r} is missing for case(s) {bad}; code them or drop those cases first.")
        if not np.isin(v, [0, 1, 2, 3]).all():
            raise ValueError(f"{c!r} must hold the ordinal codes 0-3.")
        if kind == "fuzzy":
            out[c] = np.vectorize(FUZZY_CODES.get, otypes=[float])(v.astype(int))
        else:
            th = thresholds.get(c, 2) if isinstance(thresholds, Mapping) else thresholds
            th_arr = np.atleast_1d(np.asarray(th, dtype=np.float64))
            if th_arr.size > 1 and not np.all(np.diff(th_arr) > 0):
                raise ValueError(f"thresholds for {c!r} must be strictly increasing; got {th_arr.tolist()}.")
            out[c] = (v[:, None] >= th_arr).sum(axis=1).astype(np.int64)
    frame = pd.DataFrame(out, index=pd.Index(labels.to_numpy(), name="case_id"))
    return frame[columns]
