"""Building the QCA data set from the coded case sheets (:func:`krihs_analysis.data.read_cases`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from krihs_analysis._validate import check_choice, check_columns, check_frame, check_numbers
from krihs_analysis.codebook import load_codebook


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
        0, 0.33, 0.67, 1. A binary variable of the codebook (``continued``: 0 no, 1 yes) is a crisp set already
        and stays 0/1 in both kinds.
    thresholds : int, sequence of int, or mapping of column to either, optional
        Crisp thresholds, one value for every column or per column (2 when None; 1, the only one that keeps both
        of its codes apart, for a binary variable). A key that is not one of the columns is an error, as are
        thresholds with ``kind="fuzzy"``: settings that would silently do nothing.

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
    codebook = load_codebook()
    # A binary variable (codes 0/1) cut at the ordinal default 2 would be 0 for every case: it keeps its codes.
    binary = {c for c in columns if c in codebook and codebook[c].type == "binary"}
    per_column = isinstance(thresholds, Mapping)
    if per_column:
        unknown = [k for k in thresholds if k not in columns]
        if unknown:
            raise ValueError(f"thresholds names {unknown}, which are not among the outcome and conditions {columns}; "
                             "check the spelling (a threshold for a column that is not analysed would do nothing)")
    # Every threshold is checked before any column is coded, so a mistake names itself whichever column it is for.
    limits = {}
    for c in columns:
        given = thresholds.get(c) if per_column else thresholds
        if given is None:
            limits[c] = [1] if c in binary else [2]
            continue
        limits[c] = check_numbers(given, f"thresholds[{c!r}]" if per_column else "thresholds",
                                  example="thresholds=2 or thresholds={'gov_role': (1, 3)}")
        if c in binary and list(limits[c]) != [1]:
            raise ValueError(f"{c!r} is binary (0 no, 1 yes), a crisp set already; its only threshold is 1, got "
                             f"{given!r}; give thresholds per column, e.g. thresholds={{'gov_role': 3}}, to leave "
                             f"{c!r} as it is")
    if "case_id" in cases.columns:
        labels = cases["case_id"].astype("str")
    else:
        labels = pd.Series(cases.index.astype(str), index=cases.index)
    if labels.duplicated().any():
        raise ValueError(f"case ids must be unique; repeated: {sorted(set(labels[labels.duplicated()]))}.")
    from krihs_analysis.data import numeric_codes  # lazily: the data layer loads pandera

    # The codes as numbers (categoricals, pd.NA and blanks as missing); text is refused naming column and cases.
    coded = numeric_codes(cases, columns)
    out = {}
    for c in columns:
        v = coded[c].to_numpy(copy=True)
        if np.isnan(v).any():
            bad = labels[np.isnan(v)].tolist()
            raise ValueError(f"{c!r} is missing for case(s) {bad}; code them or drop those cases first.")
        allowed = [0, 1] if c in binary else [0, 1, 2, 3]
        if not np.isin(v, allowed).all():
            off = ~np.isin(v, allowed)
            raise ValueError(f"{c!r} must hold the {'binary codes 0-1' if c in binary else 'ordinal codes 0-3'}, "
                             f"but holds {sorted(set(v[off].tolist()))[:5]} for case(s) {labels[off].tolist()[:5]}.")
        if kind == "fuzzy":
            out[c] = v.astype(np.float64) if c in binary else np.vectorize(FUZZY_CODES.get, otypes=[float])(v.astype(int))
        else:
            th_arr = np.asarray(limits[c], dtype=np.float64)
            if th_arr.size > 1 and not np.all(np.diff(th_arr) > 0):
                raise ValueError(f"thresholds for {c!r} must be strictly increasing; got {th_arr.tolist()}.")
            out[c] = (v[:, None] >= th_arr).sum(axis=1).astype(np.int64)
    frame = pd.DataFrame(out, index=pd.Index(labels.to_numpy(), name="case_id"))
    from krihs_analysis.data.tidy import carry_provenance  # the QCA figures label the sets by their cases

    return carry_provenance(frame[columns], cases)
