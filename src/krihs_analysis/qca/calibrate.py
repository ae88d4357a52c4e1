"""Calibration of raw values into crisp, multi-value or fuzzy set memberships (as R QCA's ``calibrate``)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from krihs_analysis._validate import check_choice, check_number, check_numbers


__all__ = ["calibrate"]

# R snaps memberships this close to 0 or 1 onto the bound (calibrate(..., type = "fuzzy")).
_SNAP = 1e-4


def calibrate(
    x: Sequence[float] | np.ndarray | pd.Series,
    *,
    thresholds: Sequence[float] | float,
    method: str = "direct",
    idm: float = 0.95,
) -> np.ndarray | pd.Series:
    """Calibrate raw values into set memberships.

    Parameters
    ----------
    x : array-like or pandas.Series
        Raw values. Missing values stay missing.
    thresholds : float or sequence of float
        ``method="crisp"``: one threshold gives 0/1 (values at or above it get 1); several
        increasing thresholds give multi-value codes 0, 1, 2, ... (the number of thresholds
        at or below the value).
        ``method="direct"``: the three anchors (full exclusion, crossover, full inclusion).
        Anchors in decreasing order calibrate a set whose membership falls as ``x`` rises.
    method : {"direct", "crisp"}
        Fuzzy direct (logistic) calibration or crisp/multi-value recoding.
    idm : float, default 0.95
        Membership at the inclusion anchor (and 1 - idm at the exclusion anchor); R's ``idm``.
        0.95 gives log-odds of +/-2.944 (the "about +/-3" of Ragin's direct method).

    Returns
    -------
    numpy.ndarray or pandas.Series
        Same shape (and index) as ``x``; a Series in gives a Series out.

    Notes
    -----
    As R's ``calibrate(type = "fuzzy", logistic = TRUE)``, memberships below 1e-4 are set to 0
    and above 0.9999 to 1.

    Examples
    --------
    >>> calibrate([0, 20, 50, 80, 100], thresholds=(20, 50, 80)).round(4).tolist()
    [0.0073, 0.05, 0.5, 0.95, 0.9927]
    >>> calibrate([400, 600, 900], thresholds=(550, 850), method="crisp").tolist()
    [0, 1, 2]
    """
    values = _raw_values(x, "x")
    th = np.asarray(check_numbers(thresholds, "thresholds", example="thresholds=(20, 50, 80)"), dtype=np.float64)
    check_choice(method, "method", ("direct", "crisp"))
    idm = check_number(idm, "idm", lo=0.5, hi=1, strict=True, example="idm=0.95")
    if method == "crisp":
        if th.size > 1 and not np.all(np.diff(th) > 0):
            raise ValueError(f"crisp thresholds must be strictly increasing; got {th.tolist()}.")
        out = (values[..., None] >= th).sum(axis=-1).astype(np.float64)
        out[np.isnan(values)] = np.nan
        if not np.isnan(out).any():
            out = out.astype(np.int64)
    else:
        if th.size != 3:
            raise ValueError(
                f"direct calibration needs three anchors (exclusion, crossover, inclusion); got {th.size}."
            )
        e, c, i = th
        if not ((e < c < i) or (e > c > i)):
            raise ValueError(
                f"anchors {th.tolist()} must be strictly monotone (exclusion < crossover < inclusion, or all decreasing)."
            )
        scale = np.log(idm / (1 - idm))
        # Above and below the crossover the log-odds are scaled separately, so each anchor hits +/-scale exactly.
        with np.errstate(invalid="ignore"):
            above = (values - c) / (i - c)
            below = (values - c) / (c - e)
            side = (values >= c) if i > c else (values <= c)
            logodds = np.where(side, above, below) * scale
            out = 1.0 / (1.0 + np.exp(-logodds))
        out = np.where(out < _SNAP, 0.0, np.where(out > 1 - _SNAP, 1.0, out))
        out[np.isnan(values)] = np.nan
    if isinstance(x, pd.Series):
        return pd.Series(out, index=x.index, name=x.name)
    return out


def _raw_values(x, name: str) -> np.ndarray:
    """Raw values as float64 (missing values NaN); anything that is not a number is the caller's mistake."""
    if isinstance(x, (str, bytes)):
        raise ValueError(
            f"{name} must be raw values (a list, array or Series of numbers), got {type(x).__name__} {x!r:.60}; "
            f"pass e.g. {name}=[12.5, 40, 87]"
        )
    try:
        return np.asarray(x.astype("float64") if isinstance(x, pd.Series) else x, dtype=np.float64)
    except (TypeError, ValueError) as err:
        # numpy's own message shows the offending value ("could not convert string to float: 'a'").
        raise ValueError(
            f"{name} holds a value that is not a number ({err}); recode it, or give a missing value as NaN"
        ) from None
