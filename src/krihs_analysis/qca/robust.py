"""Robustness protocol after SetMethods 4.0: ranges of the cuts and calibration anchors within which the
solution stands (``rob.inclrange``, ``rob.ncutrange``, ``rob.calibrange``), robustness parameters of fit
(``rob.fit``) and the robust case types (``rob.cases``). Specification: ``shared/qca-diagnostics-api.md`` 4-7.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from krihs_analysis._validate import (
    check_choice,
    check_columns,
    check_count,
    check_frame,
    check_number,
    check_numbers,
    check_text,
)

from ._sets import case_ids, expression_text, membership, outcome_membership
from .calibrate import _raw_values, calibrate
from .minimize import _KINDS, CoverCapWarning, _NoPositiveRows, minimize
from .truthtable import prepare, truth_table

__all__ = ["threshold_ranges", "calibration_ranges", "robustness", "robust_cases"]


def _terms(data, outcome, conditions, incl_cut, n_cut, kind, dir_exp, pri_cut=0.0) -> frozenset[str] | None:
    """Terms of model M1, or None when no solution can be found at these settings.

    Only "no row is coded 1" means no solution; any other error is a mistake in the settings and is raised (the
    callers check the settings before the search, so it cannot first appear half-way through a walk).
    """
    tt = truth_table(data, outcome, conditions, incl_cut=incl_cut, n_cut=n_cut, pri_cut=pri_cut)
    try:
        with warnings.catch_warnings():
            # Only the first model is compared, so a cap on the number of covers changes nothing here.
            warnings.simplefilter("ignore", CoverCapWarning)
            sol = minimize(tt, kind=kind, dir_exp=dir_exp)
    except _NoPositiveRows:
        return None
    if not sol.models:
        return None
    return frozenset(t.strip() for t in sol.models[0].split("+"))


def _initial(solve) -> frozenset[str]:
    init = solve()
    if init is None:
        raise ValueError("no solution at the given settings, so there is no range to find; lower incl_cut or n_cut.")
    return init


def _bound(solve_at, start: float, step: float, direction: int, *, init, max_runs: int, stop,
           on_none: bool = True) -> float:
    """Walk from `start` by `step` (down for `direction` -1, up for +1) while the solution keeps its terms; the
    last value that kept them, NaN when it still holds after `max_runs` steps (unbounded). The walk ends where
    `stop` says the cut leaves its range, or (with `on_none`) where no truth-table row passes any more.
    The arithmetic is SetMethods' (repeated addition of the step), so the bounds agree bit for bit."""
    v = start
    while True:
        v = v + direction * step
        if stop(v):
            break
        s = solve_at(v)
        if on_none and s is None:
            break
        if abs(v - start) >= max_runs * step:
            return np.nan
        if s != init:
            break
    return v - direction * step


def threshold_ranges(
    data: pd.DataFrame,
    outcome: str,
    conditions: Sequence[str] | None = None,
    *,
    incl_cut: float = 1.0,
    n_cut: int = 1,
    kind: str = "conservative",
    dir_exp: Mapping[str, object] | Sequence[object] | str | None = None,
    incl_step: float = 0.1,
    n_step: int = 1,
    max_runs: int = 20,
    pri_cut: float = 0.0,
) -> pd.DataFrame:
    """Range of consistency cuts and frequency cuts over which model M1 keeps the same terms.

    Parameters
    ----------
    data, outcome, conditions
        As for :func:`truth_table`.
    incl_cut, n_cut
        The cuts of the solution under test.
    kind, dir_exp
        As for :func:`minimize`.
    incl_step, n_step, max_runs
        Step of each search and the number of steps after which a bound is reported as NaN (unbounded).
    pri_cut : float, default 0.0
        PRI cut of every truth table (SetMethods has none, which is 0; kept fixed while the cuts move).

    Returns
    -------
    pandas.DataFrame
        ``parameter, value, lower, upper`` with rows "incl_cut" and "n_cut" (SetMethods ``rob.inclrange``
        and ``rob.ncutrange``; the same float arithmetic, so the bounds agree bit for bit).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"A": [1, 1, 1, 0, 0], "B": [1, 1, 0, 1, 0], "Y": [1, 1, 0, 0, 0]})
    >>> threshold_ranges(df, "Y", ["A", "B"]).round(2)[["parameter", "lower", "upper"]].values.tolist()
    [['incl_cut', 0.1, 1.0], ['n_cut', 1.0, 2.0]]
    """
    check_frame(data, "data")
    prepare(data, outcome, conditions)  # the outcome and conditions: a missing column is named, not "no solution"
    incl_cut = check_number(incl_cut, "incl_cut", lo=0, hi=1, example="incl_cut=0.8")
    n_cut = check_count(n_cut, "n_cut", minimum=1)
    pri_cut = check_number(pri_cut, "pri_cut", lo=0, hi=1, example="pri_cut=0.5")
    check_choice(kind, "kind", _KINDS)
    incl_step = check_number(incl_step, "incl_step", lo=0, strict=True, example="incl_step=0.05")
    n_step = check_count(n_step, "n_step", minimum=1)
    max_runs = check_count(max_runs, "max_runs", minimum=1)

    def solve(c=incl_cut, m=n_cut):
        return _terms(data, outcome, conditions, c, m, kind, dir_exp, pri_cut)

    init = _initial(solve)
    walk = dict(init=init, max_runs=max_runs)
    lower = _bound(lambda c: solve(c=c), incl_cut, incl_step, -1, stop=lambda c: c <= 0, on_none=False, **walk)
    upper = _bound(lambda c: solve(c=c), incl_cut, incl_step, +1, stop=lambda c: c >= 1, **walk)
    rows = [("incl_cut", float(incl_cut), float(lower), float(upper))]
    nlow = _bound(lambda m: solve(m=m), n_cut, n_step, -1, stop=lambda m: m < 1, **walk)
    nup = _bound(lambda m: solve(m=m), n_cut, n_step, +1, stop=lambda m: False, **walk)
    rows.append(("n_cut", float(n_cut), float(nlow), float(nup)))
    return pd.DataFrame.from_records(rows, columns=["parameter", "value", "lower", "upper"]).astype(
        {"parameter": "str"}
    )


def calibration_ranges(
    data: pd.DataFrame,
    outcome: str,
    conditions: Sequence[str] | None = None,
    *,
    condition: str,
    raw,
    thresholds: Sequence[float] | float,
    method: str = "direct",
    step: float = 1,
    max_runs: int = 20,
    incl_cut: float = 1.0,
    n_cut: int = 1,
    kind: str = "conservative",
    dir_exp: Mapping[str, object] | Sequence[object] | str | None = None,
) -> pd.DataFrame:
    """Range of each calibration anchor of one condition over which model M1 keeps the same terms.

    Parameters
    ----------
    data, outcome, conditions
        As for :func:`truth_table`; ``data[condition]`` is replaced by the recalibrated ``raw`` values.
    condition : str
        Calibrated column under test.
    raw : array-like
        Raw values behind ``condition``, aligned with the rows.
    thresholds, method
        As for :func:`calibrate` (``"direct"``: exclusion, crossover, inclusion; ``"crisp"``: one threshold).
    step, max_runs
        Step of each anchor and the number of steps after which a bound is NaN (unbounded).
    incl_cut, n_cut, kind, dir_exp
        The settings of the solution under test.

    Returns
    -------
    pandas.DataFrame
        ``anchor, threshold, lower, upper``: rows exclusion, crossover, inclusion (direct) or crossover
        (crisp), as SetMethods ``rob.calibrange``.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = [10, 20, 30, 40, 50, 60]
    >>> df = pd.DataFrame({"A": 0.0, "B": [0, 1, 0, 1, 1, 1], "Y": [0, 0, 0, 1, 1, 1]})
    >>> calibration_ranges(df, "Y", ["A", "B"], condition="A", raw=raw, thresholds=35, method="crisp",
    ...                    step=5).values.tolist()
    [['crossover', 35.0, 25.0, 55.0]]
    """
    check_frame(data, "data")
    check_text(condition, "condition", example="condition='integration' (the calibrated column under test)")
    check_columns(data, [condition], name="data")
    check_choice(method, "method", ("direct", "crisp"))
    raw = _raw_values(raw, "raw")
    if raw.shape != (len(data),):
        raise ValueError(f"raw has {raw.size} values for {len(data)} cases; give one raw value per row.")
    th0 = np.asarray(check_numbers(thresholds, "thresholds", example="thresholds=(20, 50, 80)"), dtype=np.float64)
    if method == "direct" and th0.size != 3:
        raise ValueError("direct calibration needs three anchors (exclusion, crossover, inclusion).")
    if method == "crisp" and th0.size != 1:
        raise ValueError("crisp calibration_ranges takes one threshold.")
    step = check_number(step, "step", lo=0, strict=True, example="step=1")
    max_runs = check_count(max_runs, "max_runs", minimum=1)
    incl_cut = check_number(incl_cut, "incl_cut", lo=0, hi=1, example="incl_cut=0.8")
    n_cut = check_count(n_cut, "n_cut", minimum=1)
    check_choice(kind, "kind", _KINDS)
    # The anchors as given must calibrate (calibrate says what is wrong with them; only a moved anchor may run
    # out of order below), and the outcome and conditions must be columns: checked once here, so a mistake is
    # named instead of being read as "no solution". data[condition] may still hold the raw values: it is replaced.
    d0 = data.copy()
    d0[condition] = calibrate(raw, thresholds=th0 if method == "direct" else th0[0], method=method)
    prepare(d0, outcome, conditions)
    rmin, rmax = float(np.nanmin(raw)), float(np.nanmax(raw))

    def solve(th):
        # Stepping one direct anchor past its neighbour leaves no calibration, which ends that walk.
        if method == "direct" and not ((th[0] < th[1] < th[2]) or (th[0] > th[1] > th[2])):
            return None
        values = calibrate(raw, thresholds=th if method == "direct" else th[0], method=method)
        d = data.copy()
        d[condition] = values
        return _terms(d, outcome, conditions, incl_cut, n_cut, kind, dir_exp)

    init = _initial(lambda: solve(th0.copy()))
    names = ["exclusion", "crossover", "inclusion"] if method == "direct" else ["crossover"]
    rows = []
    for a, name in enumerate(names):
        centre = name == "crossover"
        bounds = []
        for sign in (-1, +1):
            th = th0.copy()
            bound = None
            while True:
                th[a] = th[a] + sign * step
                s = solve(th.copy())
                if s is None:
                    break
                if abs(th[a] - th0[a]) >= max_runs * step:
                    bound = np.nan
                    break
                if centre and ((sign > 0 and th[a] >= rmax) or (sign < 0 and th[a] <= rmin)):
                    break
                if s != init:
                    break
            bounds.append(th[a] - sign * step if bound is None else bound)
        rows.append((name, float(th0[a]), float(bounds[0]), float(bounds[1])))
    return pd.DataFrame.from_records(rows, columns=["anchor", "threshold", "lower", "upper"]).astype({"anchor": "str"})


def _robust_sets(data, outcome, initial, tests):
    check_frame(data, "data")
    if isinstance(tests, str) or not isinstance(tests, Sequence) or len(tests) == 0:
        raise ValueError("tests must be a non-empty list of expressions (the test sets), e.g. ['A*B', 'A*~C'].")
    is_ = membership(expression_text(initial), data)
    ts = np.column_stack([membership(expression_text(t), data) for t in tests])
    y = outcome_membership(data, outcome)
    return is_, ts.min(axis=1), ts.max(axis=1), y


_TYPES = [
    ("robust_typical", "robust_deviant"),
    ("shaky_typical", "shaky_deviant"),
    ("possible_typical", "possible_deviant"),
    ("extreme_deviant_coverage", "irrelevant"),
]


def _case_types(is_, mn, mx, y) -> list[str | None]:
    zones = [np.minimum(is_, mn), np.minimum(is_, 1 - mn), np.minimum(1 - is_, mx), np.minimum(1 - is_, 1 - mx)]
    out: list[str | None] = []
    for i in range(len(y)):
        t = None
        for zone, (typ, dev) in zip(zones, _TYPES):
            if zone[i] > 0.5:
                t = typ if y[i] > 0.5 else dev if y[i] < 0.5 else None
                break
        out.append(t)
    return out


def robust_cases(data: pd.DataFrame, outcome: str, initial, tests: Sequence) -> pd.DataFrame:
    """Robust, shaky and possible typical and deviant cases of an initial solution across test solutions.

    Parameters
    ----------
    data : pandas.DataFrame
        Calibrated data indexed by case id.
    outcome : str
        Outcome column, ``"~NAME"`` for its negation.
    initial : str or Solution
        The initial solution (IS).
    tests : list of str or Solution
        The test solutions (TS); MIN_TS / MAX_TS are their case-wise minimum / maximum.

    Returns
    -------
    pandas.DataFrame
        ``case_id, IS, min_TS, max_TS, outcome, type`` in data order; ``type`` as SetMethods ``rob.cases()``
        (robust/shaky/possible typical or deviant, extreme_deviant_coverage, irrelevant, or None).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"A": [1, 1, 0], "B": [1, 0, 0], "Y": [1, 1, 0]}, index=["x", "y", "z"])
    >>> robust_cases(df, "Y", "A", ["A*B"])["type"].tolist()
    ['robust_typical', 'shaky_typical', 'irrelevant']
    """
    is_, mn, mx, y = _robust_sets(data, outcome, initial, tests)
    return pd.DataFrame(
        {
            "case_id": pd.array(case_ids(data), dtype="str"),
            "IS": is_, "min_TS": mn, "max_TS": mx, "outcome": y,
            "type": pd.array(_case_types(is_, mn, mx, y), dtype=object),
        }
    )


def robustness(data: pd.DataFrame, outcome: str, initial, tests: Sequence) -> pd.DataFrame:
    """Robustness parameters of fit of an initial solution against test solutions (SetMethods ``rob.fit``).

    Parameters
    ----------
    data, outcome, initial, tests
        As for :func:`robust_cases`.

    Returns
    -------
    pandas.DataFrame
        One row: ``RF_cov, RF_cons, RF_SC_minTS, RF_SC_maxTS, RCR_typ, RCR_dev, RCC_rank, core_consistency,
        core_coverage`` (unrounded). The robust core is the case-wise minimum of IS and every TS.

    Notes
    -----
    SetMethods 4.0 combines only the first and the last test set into MIN_TS / MAX_TS (its loop runs over
    ``length(test_sol)`` rather than ``seq_along``); here every test set counts, which is the same with one
    or two test sets.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"A": [1, 1, 0], "B": [1, 0, 0], "Y": [1, 1, 0]})
    >>> res = robustness(df, "Y", "A", ["A*B"])
    >>> res[["RF_cov", "RF_cons"]].values.tolist(), res["RCC_rank"].tolist()
    ([[0.5, 1.0]], [3])
    """
    is_, mn, mx, y = _robust_sets(data, outcome, initial, tests)
    core = np.minimum(is_, mn)

    def cons(x):
        return np.minimum(x, y).sum() / x.sum() if x.sum() else np.nan

    def cov(x):
        return np.minimum(x, y).sum() / y.sum() if y.sum() else np.nan

    types = pd.Series(_case_types(is_, mn, mx, y), dtype=object)
    counts = types.value_counts()

    def ratio(kind):
        num = counts.get(f"robust_{kind}", 0)
        den = sum(counts.get(f"{z}_{kind}", 0) for z in ("shaky", "possible", "robust"))
        return num / den if den else np.nan

    s = int(np.sum(np.minimum(is_, 1 - mn) > 0.5))
    p = int(np.sum(np.minimum(1 - is_, mx) > 0.5))
    rank = 1 if s == 0 and p == 0 else 2 if s == 0 else 3 if p == 0 else 4
    cc, cv = cons(core), cov(core)
    row = {
        "RF_cov": cv / cov(is_),
        "RF_cons": cons(is_) / cc,
        "RF_SC_minTS": np.minimum(is_, mn).sum() / np.maximum(is_, mn).sum(),
        "RF_SC_maxTS": np.minimum(is_, mx).sum() / np.maximum(is_, mx).sum(),
        "RCR_typ": ratio("typical"),
        "RCR_dev": ratio("deviant"),
        "RCC_rank": rank,
        "core_consistency": cc,
        "core_coverage": cv,
    }
    return pd.DataFrame([row]).astype({"RCC_rank": "int64"})
