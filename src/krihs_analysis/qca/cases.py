"""Building the QCA data set from the coded case sheets (:func:`krihs_analysis.data.read_cases`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from krihs_analysis._validate import check_choice, check_columns, check_frame, check_numbers


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
    thresholds: int | Sequence[int] | Mapping[str, int | Sequence[int]] | None = None,
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
    thresholds : int, sequence of int, or mapping of column to either, optional
        Crisp thresholds, one value for every column or per column (2 when None). Fuzzy sets have none: giving
        thresholds with ``kind="fuzzy"`` is an error rather than a setting that silently does nothing.

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
    check_frame(cases, "cases")
    check_choice(kind, "kind", ("crisp", "fuzzy"))
    if isinstance(conditions, str):
        conditions = [conditions]
    elif not isinstance(conditions, Iterable):
        raise ValueError(f"conditions must be a list of column names, got {conditions!r}; pass e.g. conditions=['x']")
    conditions = list(conditions)
    if not isinstance(outcome, str) or not all(isinstance(c, str) for c in conditions):
        raise ValueError(
            f"outcome and conditions must be column names (strings), got outcome={outcome!r}, "
            f"conditions={conditions!r}; pass e.g. outcome='sustainability', conditions=['gov_role']"
        )
    columns = [*conditions, outcome]
    if len(set(columns)) != len(columns):
        raise ValueError(f"the outcome and conditions {columns} must be distinct columns.")
    check_columns(cases, columns, name="cases")
    if kind == "fuzzy" and thresholds is not None:
        raise ValueError(f"thresholds={thresholds!r} applies to crisp sets only; with kind='fuzzy' the codes 0-3 "
                         "become memberships 0, 0.33, 0.67, 1, so drop thresholds or pass kind='crisp'")
    thresholds = 2 if thresholds is None else thresholds
    # Every threshold is checked before any column is coded, so a mistake names itself whichever column it is for.
    per_column = isinstance(thresholds, Mapping)
    limits = {
        c: check_numbers(thresholds.get(c, 2) if per_column else thresholds,
                         f"thresholds[{c!r}]" if per_column else "thresholds",
                         example="thresholds=2 or thresholds={'gov_role': (1, 3)}")
        for c in columns
    }
    if "case_id" in cases.columns:
        labels = cases["case_id"].astype("str")
    else:
        labels = pd.Series(cases.index.astype(str), index=cases.index)
    if labels.duplicated().any():
        raise ValueError(f"case ids must be unique; repeated: {sorted(set(labels[labels.duplicated()]))}.")
    out = {}
    for c in columns:
        # Categorical codes with integer categories convert cleanly to float; missing (NaN, None, pd.NA) stays NaN.
        column = cases[c]
        try:
            v = column.astype("float64").to_numpy()
        except (TypeError, ValueError):  # text ("high"), or pd.NA in a column of objects
            numbers_ = pd.to_numeric(column, errors="coerce")
            text = column.notna().to_numpy() & numbers_.isna().to_numpy()
            if text.any():
                shown = ", ".join(dict.fromkeys(map(repr, column[text].tolist()[:3])))
                raise ValueError(f"{c!r} must hold the ordinal codes 0-3, but holds {shown} for case(s) "
                                 f"{labels[text].tolist()[:5]}; code them 0-3 (read_cases checks a sheet against "
                                 "the codebook).") from None
            v = numbers_.astype("float64").to_numpy()
        if np.isnan(v).any():
            bad = labels[np.isnan(v)].tolist()
            raise ValueError(f"{c!r} is missing for case(s) {bad}; code them or drop those cases first.")
        if not np.isin(v, [0, 1, 2, 3]).all():
            off = ~np.isin(v, [0, 1, 2, 3])
            raise ValueError(f"{c!r} must hold the ordinal codes 0-3, but holds "
                             f"{sorted(set(v[off].tolist()))[:5]} for case(s) {labels[off].tolist()[:5]}.")
        if kind == "fuzzy":
            out[c] = np.vectorize(FUZZY_CODES.get, otypes=[float])(v.astype(int))
        else:
            th_arr = np.asarray(limits[c], dtype=np.float64)
            if th_arr.size > 1 and not np.all(np.diff(th_arr) > 0):
                raise ValueError(f"thresholds for {c!r} must be strictly increasing; got {th_arr.tolist()}.")
            out[c] = (v[:, None] >= th_arr).sum(axis=1).astype(np.int64)
    frame = pd.DataFrame(out, index=pd.Index(labels.to_numpy(), name="case_id"))
    return frame[columns]
