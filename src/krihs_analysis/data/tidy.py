"""Derived views of validated cases: numeric codes, core-task indices, long form, the illustrative flag."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..codebook import Codebook, as_codebook, load_codebook


def is_illustrative(cases: pd.DataFrame) -> bool:
    """True when any case in `cases` is marked illustrative (``data_status``), or the frame says so.

    Parameters
    ----------
    cases : pandas.DataFrame
        Case data (may be empty). With a ``data_status`` column, True when any case's status is
        ``illustrative``; without one, the frame's ``attrs["illustrative"]`` (False when absent).

    Returns
    -------
    bool

    Examples
    --------
    >>> from krihs_analysis.data import read_cases
    >>> is_illustrative(read_cases())
    True
    """
    from .._validate import check_frame

    check_frame(cases, "cases", allow_empty=True)
    if "data_status" in cases:
        return bool((cases["data_status"].astype(str) == "illustrative").any())
    return bool(cases.attrs.get("illustrative", False))


def carry_provenance(result: pd.DataFrame, source: pd.DataFrame) -> pd.DataFrame:
    """Mark `result` (a table computed from `source`) illustrative or not as `source` is, when `source` says.

    The figures read ``attrs["illustrative"]`` of the table they draw and treat an unmarked table as illustrative
    (its origin unknown): without this, every figure of a coded sheet's comparison carried the illustrative note.
    A `source` with neither a ``data_status`` column nor the attribute leaves `result` unmarked. Returns `result`.
    """
    if "data_status" in source.columns or "illustrative" in source.attrs:
        result.attrs["illustrative"] = is_illustrative(source)
    return result


def numeric_codes(cases: pd.DataFrame, variables: Iterable[str]) -> pd.DataFrame:
    """The given coded columns as float64 (ordinal categoricals become their integer codes; blanks NaN).

    Parameters
    ----------
    cases : pandas.DataFrame
        Case data (may be empty); it is not modified.
    variables
        The columns to convert, in the order wanted; one string is one column. Each must be a column of `cases`.

    Returns
    -------
    pandas.DataFrame
        One float64 column per variable, same index as `cases`.

    Examples
    --------
    >>> from krihs_analysis.data import read_cases
    >>> numeric_codes(read_cases(), ["integration"]).dtypes.iloc[0]
    dtype('float64')
    """
    from .._validate import check_columns, check_frame, check_strings

    variables = check_strings(variables, "variables", example="variables=['integration']", allow_empty=True)
    check_columns(check_frame(cases, "cases", allow_empty=True), variables)
    out = {}
    for v in variables:
        column = cases[v]
        try:  # ordered categoricals of codes, numbers, nullable integers with pd.NA
            out[v] = column.astype("float64")
            continue
        except (TypeError, ValueError):  # text, or pd.NA among objects
            pass
        values = pd.to_numeric(column.astype(object), errors="coerce")
        blank = column.astype(object).map(lambda x: isinstance(x, str) and not x.strip()).astype(bool)
        bad = column.notna() & values.isna() & ~blank
        if bad.any():  # pandas' "could not convert string to float: 'high'" named neither column nor case
            ids = cases.loc[bad, "case_id"] if "case_id" in cases.columns else cases.index[bad]
            shown = ", ".join(dict.fromkeys(map(repr, column[bad].tolist()[:3])))
            raise ValueError(f"{v!r} must hold numbers (codes such as 0-3), but holds {shown} for case(s) "
                             f"{list(map(str, ids))[:5]}; code them as numbers (read_cases checks a sheet against "
                             "the codebook), or leave text variables out")
        out[v] = values.astype("float64")  # pd.NA and blank text are missing, as before
    return pd.DataFrame(out, index=cases.index)


def core_task_indices(cases: pd.DataFrame, *, codebook: Codebook | str | Path | None = None) -> pd.DataFrame:
    """Compute the four core-task indices (the mean of each task's 0-3 items) for every case.

    Parameters
    ----------
    cases : pandas.DataFrame
        Case data with ``case_id`` and every ordinal item of every core task (may be empty).
    codebook : Codebook, path or None
        The codebook that says which items measure which task: the package's own when None, a YAML file when a
        path.

    Returns
    -------
    pandas.DataFrame
        A new frame: ``case_id`` and one float column per core task (``task1_capacity`` ...), same rows.

    Examples
    --------
    >>> from krihs_analysis.data import read_cases
    >>> idx = core_task_indices(read_cases())
    >>> list(idx.columns)
    ['case_id', 'task1_capacity', 'task2_government', 'task3_planning', 'task4_intermediary']
    """
    from .._validate import check_columns, check_frame

    cb = as_codebook(codebook)
    check_columns(check_frame(cases, "cases", allow_empty=True), ["case_id"])
    out = pd.DataFrame({"case_id": cases["case_id"].to_numpy()}, index=cases.index)
    for task in cb.core_tasks:
        items = list(cb.items_for_task(task))
        missing = [i for i in items if i not in cases.columns]
        if missing:
            raise ValueError(f"cannot compute {task}: columns {missing} are missing from the case data")
        out[task] = numeric_codes(cases, items).mean(axis=1)
    return out


def default_clusters(cases: pd.DataFrame) -> pd.Series:
    """The codebook's default cluster of every case (derived column ``cluster``): which cases are not independent.

    The two sites of a Korean programme share the programme (``KR`` cases: the ``programme``); Japanese cases in
    one municipality share it (``JP`` cases: ``JP:`` + the ``municipality_code`` where it is known); every other
    case is its own cluster (its ``case_id``).  See ``derived: cluster`` in ``codebook.yaml``.

    Parameters
    ----------
    cases : pandas.DataFrame
        Case data, not empty, with ``case_id`` and ``country``; ``programme`` and ``municipality_code`` are used
        where present.

    Returns
    -------
    pandas.Series
        ``cluster`` (strings), same index as `cases`; `cases` is not modified.

    Examples
    --------
    >>> from krihs_analysis.data import read_cases
    >>> c = default_clusters(read_cases())
    >>> c.nunique(), int(c.value_counts().max())
    (15, 3)
    """
    from .._validate import check_columns, check_frame

    check_columns(check_frame(cases, "cases"), ["case_id", "country"])
    country = cases["country"].astype("object").astype(str).to_numpy()
    case = cases["case_id"].astype("object").astype(str).to_numpy()

    def known(col: str) -> pd.Series:
        if col not in cases.columns:
            return pd.Series([""] * len(cases), index=cases.index)
        raw = cases[col].astype("object")
        return raw.where(raw.notna(), "").astype(str).str.strip()

    programme = known("programme").to_numpy()
    code = known("municipality_code").to_numpy()
    out = case.copy().astype(object)
    kr = (country == "KR") & (programme != "")
    out[kr] = programme[kr]
    jp = (country == "JP") & (code != "")
    out[jp] = np.char.add("JP:", code[jp].astype(str)).astype(object)
    return pd.Series(out, index=cases.index, name="cluster", dtype="str")


def to_long(cases: pd.DataFrame, *, variables: Sequence[str] | None = None,
            id_vars: Sequence[str] = ("case_id", "country", "programme")) -> pd.DataFrame:
    """Melt coded variables to long form: ``case_id, country, programme, variable, value`` (float codes).

    Parameters
    ----------
    cases : pandas.DataFrame
        Case data (may be empty); it is not modified.
    variables
        The coded columns to melt, in order; None means every condition of the codebook and ``sustainability``.
    id_vars
        The columns kept on every row (as strings); each must be a column of `cases`. One string is one column.

    Returns
    -------
    pandas.DataFrame
        One row per case and variable: the `id_vars`, ``variable`` and ``value`` (float64, NaN for a blank).

    Examples
    --------
    >>> from krihs_analysis.data import read_cases
    >>> to_long(read_cases(), variables=["integration"]).shape
    (26, 5)
    """
    from .._validate import check_columns, check_frame, check_strings

    variables = ([*load_codebook().conditions, "sustainability"] if variables is None
                 else check_strings(variables, "variables", example="variables=['integration']"))
    id_vars = check_strings(id_vars, "id_vars", example="id_vars=['case_id', 'country']")
    check_columns(check_frame(cases, "cases", allow_empty=True), id_vars)
    wide = pd.concat([cases[list(id_vars)].astype(str), numeric_codes(cases, variables)], axis=1)
    return wide.melt(id_vars=list(id_vars), var_name="variable", value_name="value")
