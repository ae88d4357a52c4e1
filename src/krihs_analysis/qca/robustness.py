"""Robustness helpers: solutions across consistency cuts, and Braumoeller's false-positive test."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from krihs_analysis._exact import holm
from krihs_analysis._validate import check_choice, check_count, check_frame, check_number, check_numbers

from .minimize import _KINDS, CoverCapWarning, minimize
from .truthtable import TruthTable, prepare, truth_table

__all__ = ["incl_cut_robustness", "braumoeller_test"]


def incl_cut_robustness(
    data: pd.DataFrame,
    outcome: str,
    conditions: Sequence[str] | None = None,
    *,
    incl_cuts: Sequence[float] = (0.75, 0.8, 0.85, 0.9, 0.95, 1.0),
    kind: str = "parsimonious",
    n_cut: int = 1,
    pri_cut: float = 0.0,
    dir_exp: Mapping[str, object] | Sequence[object] | None = None,
    max_covers: int = 1000,
) -> pd.DataFrame:
    """Solutions of the same data across a range of consistency cuts.

    Parameters
    ----------
    data, outcome, conditions
        As for :func:`~krihs_analysis.qca.truth_table`.
    incl_cuts : sequence of float
        Consistency cuts to try.
    kind, dir_exp, max_covers
        As for :func:`~krihs_analysis.qca.minimize`.
    n_cut, pri_cut
        As for :func:`~krihs_analysis.qca.truth_table`.

    Returns
    -------
    pandas.DataFrame
        One row per cut and model: ``incl_cut``, ``n_positive_rows``, ``model`` ("M1", ... or
        <NA> when no row passes the cut), ``solution``, ``consistency``, ``PRI``, ``coverage`` and
        ``truncated`` (bool): True on every row of a cut at which more than ``max_covers`` minimal models
        exist, so only the first ``max_covers`` are listed (the :class:`CoverCapWarning` that
        :func:`minimize` gives is not repeated; this column reports it); False where the list is complete
        or no row passes the cut.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"A": [1, 1, 1, 0, 1], "B": [1, 0, 0, 0, 1], "Y": [1, 1, 0, 0, 1]})
    >>> incl_cut_robustness(df, "Y", ["A", "B"], incl_cuts=[0.5, 1.0], kind="conservative")["solution"].tolist()
    ['A', 'A*B']
    """
    check_frame(data, "data")
    prepare(data, outcome, conditions)  # the outcome and conditions, once, before the first cut
    incl_cuts = check_numbers(incl_cuts, "incl_cuts", lo=0, hi=1, example="incl_cuts=[0.8, 0.9]")
    check_choice(kind, "kind", _KINDS)
    n_cut = check_count(n_cut, "n_cut", minimum=1)
    pri_cut = check_number(pri_cut, "pri_cut", lo=0, hi=1, example="pri_cut=0.5")
    max_covers = check_count(max_covers, "max_covers", minimum=1)
    records = []
    for cut in incl_cuts:
        tt = truth_table(data, outcome, conditions, incl_cut=cut, n_cut=n_cut, pri_cut=pri_cut)
        npos = len(tt.positive_rows)
        if npos == 0:
            records.append((cut, 0, pd.NA, pd.NA, np.nan, np.nan, np.nan, False))
            continue
        with warnings.catch_warnings():
            # A cap on the covers is reported in the `truncated` column, once per cut, instead of as a warning.
            warnings.simplefilter("ignore", CoverCapWarning)
            sol = minimize(tt, kind=kind, dir_exp=dir_exp, max_covers=max_covers)
        mf = sol.fit[sol.fit["level"] == "model"]
        for (_, r), expr in zip(mf.iterrows(), sol.models):
            records.append((cut, npos, r["model"], expr, r["consistency"], r["PRI"], r["coverage"], sol.truncated))
    columns = ["incl_cut", "n_positive_rows", "model", "solution", "consistency", "PRI", "coverage", "truncated"]
    return pd.DataFrame.from_records(records, columns=columns).astype(
        {"model": "str", "solution": "str", "truncated": "bool"}
    )


def braumoeller_test(
    configs: Mapping[str, int] | TruthTable,
    *,
    freq_y: float | None = None,
    total_configs: int | None = None,
) -> pd.DataFrame:
    """Braumoeller's binomial test for false positives in crisp or multi-value QCA.

    Parameters
    ----------
    configs : mapping of str to int, or TruthTable
        Number of cases of each configuration found sufficient, e.g. ``{"aB": 5, "bCD": 3}``; or
        a crisp truth table, whose OUT = 1 rows are tested.
    freq_y : float, optional
        Proportion of cases showing the outcome (required with a mapping; from the data with a
        truth table).
    total_configs : int, optional
        Number of configurations (hypotheses) examined; defaults to the number of configurations
        given, or to the number of observed rows of a truth table.

    Returns
    -------
    pandas.DataFrame
        ``configuration``, ``n``, ``p_raw`` = (1 - freq_y) ** n and ``p_adj`` (Holm over
        ``total_configs`` hypotheses).

    Notes
    -----
    Reproduces ``csQCAbinTest``/``mvQCAbinTest`` of Braumoeller's R package QCAfalsePositive,
    including its raw p-value (1 - freq.y)^n. Fuzzy truth tables are refused: use a permutation
    test instead.

    Examples
    --------
    >>> braumoeller_test({"aB": 5, "bCD": 3, "Ce": 2}, freq_y=0.7, total_configs=20).round(4)["p_adj"].tolist()
    [0.0486, 0.513, 1.0]
    """
    if isinstance(configs, TruthTable):
        q = configs.qdata
        if q.fuzzy:
            raise ValueError("the binomial test needs crisp (or multi-value) data; this truth table is fuzzy.")
        tab = configs.table
        pos = tab[tab["OUT"] == "1"]
        names = [str(r) for r in pos["row"]]
        counts = pos["n"].to_numpy(dtype=np.int64)
        if freq_y is None:
            freq_y = float(q.y.mean())
        if total_configs is None:
            total_configs = len(tab)
    else:
        if not isinstance(configs, Mapping) or not configs:
            raise ValueError("configs must be a non-empty mapping such as {'aB': 5, 'bCD': 3} or a TruthTable.")
        names = [str(k) for k in configs]
        # Every configuration needs at least one case.
        counts = np.asarray([check_count(n, f"configs[{k!r}]", minimum=1) for k, n in configs.items()],
                            dtype=np.int64)
        if freq_y is None:
            raise ValueError("give freq_y, the proportion of cases showing the outcome, e.g. freq_y=0.7.")
        if total_configs is None:
            total_configs = len(names)
    freq_y = check_number(freq_y, "freq_y", lo=0, hi=1, strict=True, example="freq_y=0.7")
    total_configs = check_count(total_configs, "total_configs", minimum=1)
    if total_configs < len(names):
        raise ValueError(f"total_configs ({total_configs}) cannot be smaller than the {len(names)} configurations tested.")
    p_raw = (1.0 - freq_y) ** counts.astype(np.float64)
    return pd.DataFrame(
        {
            "configuration": pd.array(names, dtype="str"),
            "n": counts,
            "p_raw": p_raw,
            "p_adj": holm(p_raw, m=int(total_configs)) if len(names) else p_raw,
        }
    )
