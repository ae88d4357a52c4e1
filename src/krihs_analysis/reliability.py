"""Inter-coder agreement for case sheets coded twice or more (KRIHS Policy Brief 736 coding).

Krippendorff's alpha (nominal and ordinal metrics; any number of coders; missing codes allowed) per variable and
overall, weighted Cohen's kappa (unweighted, linear and quadratic) for every pair of coders, and the list of
disagreements.

References
----------
Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for Communication,
University of Pennsylvania.  Cohen, J. (1968). Weighted kappa. Psychological Bulletin 70(4), 213-220.

Examples
--------
>>> import pandas as pd
>>> a = pd.DataFrame({"case_id": ["x", "y", "z"], "integration": [0, 1, 3]})
>>> b = pd.DataFrame({"case_id": ["x", "y", "z"], "integration": [0, 2, 3]})
>>> agreement([a, b]).disagreements[["case_id", "variable"]].values.tolist()
[['y', 'integration']]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from krihs_analysis import _exact as E
from krihs_analysis._format import fmt_num
from krihs_analysis._validate import check_choice, check_strings

__all__ = ["agreement", "agreement_report", "krippendorff_alpha", "weighted_kappa", "Agreement"]

OVERALL = "(all)"
METRICS = ("nominal", "ordinal", "interval")


def krippendorff_alpha(data: np.ndarray, *, metric: str = "nominal") -> float:
    """Krippendorff's alpha of a coders x units array (NaN = missing).

    Parameters
    ----------
    data
        Array of shape (coders, units); units coded by fewer than two coders are not pairable and are ignored.
    metric
        ``"nominal"``, ``"ordinal"`` (Krippendorff's rank-based ordinal distance using the pooled value
        frequencies) or ``"interval"``.

    Returns
    -------
    float
        alpha; NaN when undefined (fewer than two pairable values or no expected disagreement, e.g. a single
        value used throughout).

    Examples
    --------
    >>> round(float(krippendorff_alpha(np.array([[1, 2, 3, 3], [1, 2, 3, 2]], dtype=float))), 3)
    0.667
    """
    check_choice(metric, "metric", METRICS)
    try:
        d = np.asarray(data, dtype="float64")
    except (TypeError, ValueError):
        raise ValueError(f"data must be a coders x units array of numeric codes (NaN for missing), got "
                         f"{type(data).__name__}; for case sheets use agreement(sheets)") from None
    if d.ndim != 2:
        raise ValueError("data must be a coders x units array")
    values = np.unique(d[np.isfinite(d)])
    if len(values) == 0:
        return float("nan")
    counts = np.stack([(d == v).sum(axis=0) for v in values], axis=1).astype("float64")  # units x values
    m = counts.sum(axis=1)
    counts, m = counts[m >= 2], m[m >= 2]
    if len(m) == 0:
        return float("nan")
    # coincidence matrix o_ck = sum_u n_uc (n_uk - [c = k]) / (m_u - 1)
    o = np.einsum("uc,uk->ck", counts / (m - 1)[:, None], counts) - np.diag((counts / (m - 1)[:, None]).sum(0))
    nc = o.sum(axis=1)
    n = nc.sum()
    if metric == "nominal":
        delta = 1.0 - np.eye(len(values))
    elif metric == "interval":
        delta = (values[:, None] - values[None, :]) ** 2
    else:
        cum = np.cumsum(nc)
        lo = np.minimum.outer(np.arange(len(values)), np.arange(len(values)))
        hi = np.maximum.outer(np.arange(len(values)), np.arange(len(values)))
        between = cum[hi] - np.where(lo > 0, cum[lo - 1], 0.0)  # sum_{g = c}^{k} n_g
        delta = (between - (nc[:, None] + nc[None, :]) / 2.0) ** 2
    d_o = float((o * delta).sum())
    d_e = float((np.outer(nc, nc) * delta).sum()) / (n - 1)
    if d_e <= 0:
        return float("nan")
    return 1.0 - d_o / d_e


def _codes(x: Any, name: str) -> np.ndarray:
    """One coder's codes as a 1-d float array (NaN = missing), or a ValueError naming the argument."""
    try:
        out = np.asarray(x, dtype="float64")
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a sequence of numeric codes (NaN for missing), got {x!r:.80}") from None
    if out.ndim != 1:
        raise ValueError(f"{name} must be one code per unit (a 1-d sequence), got shape {out.shape}")
    return out


def _is_number(x: Any) -> bool:
    try:
        float(x)
    except (TypeError, ValueError):
        return False
    return True


def weighted_kappa(a: Sequence[float], b: Sequence[float], *, weights: str | None = None,
                   categories: Sequence[float] | None = None) -> float:
    """Cohen's kappa of two coders, unweighted or with linear / quadratic disagreement weights (Cohen 1968).

    Parameters
    ----------
    a, b
        Codes of the same units by the two coders (pairs with a missing code are dropped).
    weights
        None (unweighted), ``"linear"`` (``|i - j| / (k - 1)``) or ``"quadratic"`` (``((i - j) / (k - 1))^2``),
        i, j the positions of the codes among `categories`.
    categories
        The ordered scale (default: the codes observed); weights depend on it.

    Examples
    --------
    >>> round(weighted_kappa([0, 1, 2, 2], [0, 1, 2, 1], weights="linear"), 3)
    0.714
    """
    check_choice(weights, "weights", (None, "linear", "quadratic"))  # also when no unit is coded by both
    a, b = _codes(a, "a"), _codes(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"a and b must code the same units, one code each: got {len(a)} and {len(b)} codes")
    ok = np.isfinite(a) & np.isfinite(b)
    a, b = a[ok], b[ok]
    if len(a) == 0:
        return float("nan")
    if categories is None:
        cats = np.unique(np.concatenate([a, b]))
    else:
        cats = _codes(categories, "categories")
        # The weights use each code's position on the scale: an unsorted list would silently change them.
        if len(cats) == 0 or not (np.diff(cats) > 0).all():
            raise ValueError(f"categories must be the ordered scale, ascending and without repeats or missing "
                             f"values, e.g. categories=[0, 1, 2, 3]; got {list(categories)!r:.80}")
    outside = sorted(set(np.concatenate([a, b])[~np.isin(np.concatenate([a, b]), cats)].tolist()))
    if outside:
        raise ValueError(f"code(s) {outside} are not among the categories {cats.tolist()}; add them to categories")
    k = len(cats)
    ia, ib = np.searchsorted(cats, a), np.searchsorted(cats, b)
    table = np.zeros((k, k))
    np.add.at(table, (ia, ib), 1)
    p = table / table.sum()
    i, j = np.indices((k, k))
    if weights is None:
        w = (i != j).astype("float64")
    elif weights == "linear":
        w = np.abs(i - j) / max(k - 1, 1)
    else:  # "quadratic" (checked above)
        w = ((i - j) / max(k - 1, 1)) ** 2
    expected = np.outer(p.sum(axis=1), p.sum(axis=0))
    de = float((w * expected).sum())
    return float("nan") if de == 0 else 1.0 - float((w * p).sum()) / de


@dataclass(frozen=True)
class Agreement:
    """Agreement between coders: ``krippendorff`` (variable, metric, krippendorff_alpha, n_units, n_values),
    ``kappa`` (variable, coder_a, coder_b, weights, kappa, n) and ``disagreements`` (case_id, variable, one column
    per coder, spread).  ``.table`` is the Krippendorff table.

    ``alpha`` names only significance levels in this package, so Krippendorff's coefficient is
    ``krippendorff_alpha``; the former attribute ``.alpha`` (column ``alpha``) still works this release with a
    FutureWarning.
    """

    coders: tuple[str, ...]
    krippendorff: pd.DataFrame
    kappa: pd.DataFrame
    disagreements: pd.DataFrame

    @property
    def table(self) -> pd.DataFrame:
        """The Krippendorff's alpha table (the tidy table every result object exposes as ``.table``)."""
        return self.krippendorff

    @property
    def alpha(self) -> pd.DataFrame:
        """Deprecated: ``.krippendorff`` with the coefficient in a column named ``alpha``."""
        import warnings

        warnings.warn("Agreement.alpha is renamed Agreement.krippendorff (column krippendorff_alpha); the old name "
                      "stops working in the next release", FutureWarning, stacklevel=2)
        return self.krippendorff.rename(columns={"krippendorff_alpha": "alpha"})

    def __str__(self) -> str:
        lines = [f"Inter-coder agreement: {len(self.coders)} coders ({', '.join(self.coders)})", "",
                 "Krippendorff's alpha"]
        wide = self.krippendorff.pivot(index="variable", columns="metric", values="krippendorff_alpha")
        order = [v for v in dict.fromkeys(self.krippendorff["variable"])]
        lines.append(wide.loc[order].to_string(float_format=lambda v: fmt_num(v, digits=3)))
        if len(self.kappa):
            lines += ["", "Cohen's kappa (pairs of coders)"]
            kw = self.kappa.pivot_table(index=["variable", "coder_a", "coder_b"], columns="weights", values="kappa",
                                        sort=False)
            lines.append(kw.to_string(float_format=lambda v: fmt_num(v, digits=3)))
        lines += ["", f"Disagreements: {len(self.disagreements)}"]
        if len(self.disagreements):
            lines.append(self.disagreements.to_string(index=False))
        return "\n".join(lines)


def agreement(
    sheets: Sequence[pd.DataFrame], *, variables: Sequence[str] | None = None, coders: Sequence[str] | None = None
) -> Agreement:
    """Agreement between two or more coders who coded the same cases.

    Parameters
    ----------
    sheets
        One case sheet per coder (``case_id`` plus coded variables, as :func:`krihs_analysis.data.read_cases`
        returns); cases are matched by ``case_id``; a case missing from a sheet counts as not coded by that coder.
        Never modified.
    variables
        Codebook variables (default: the coded -- ordinal and binary -- variables present in every sheet).
    coders
        Coder names (default ``coder1``, ``coder2``...).

    Returns
    -------
    Agreement
        ``krippendorff``: nominal and ordinal ``krippendorff_alpha`` per variable plus the overall row ``variable = "(all)"`` (every
        case-variable pair pooled as a unit: all codes share the 0-3 scale); ``kappa``: unweighted, linear and
        quadratic kappa for every pair of coders, weights over the codebook's scale of the variable;
        ``disagreements``: the case-variable pairs whose codes differ.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"case_id": ["x", "y", "z"], "integration": [0, 1, 3]})
    >>> round(float(agreement([a, a]).krippendorff["krippendorff_alpha"].iloc[0]), 3)
    1.0
    """
    from krihs_analysis.codebook import check_variables, load_codebook

    if isinstance(sheets, Mapping):
        raise ValueError(f"sheets must be a list of case sheets, got a dict of {len(sheets)}; pass the sheets as a list "
                         f"and their names as coders, e.g. agreement(list(d.values()), coders=list(d))")
    if isinstance(sheets, pd.DataFrame) or not isinstance(sheets, Iterable) or isinstance(sheets, (str, bytes)):
        raise ValueError(f"sheets must be a list of two or more case sheets (DataFrames), got {type(sheets).__name__}; "
                         "read each coder's sheet with krihs_analysis.data.read_cases(path)")
    sheets = list(sheets)
    if len(sheets) < 2:
        raise ValueError(f"agreement needs at least two coders' sheets, got {len(sheets)}")
    for k, s in enumerate(sheets):
        if not isinstance(s, pd.DataFrame) or "case_id" not in s.columns:
            raise ValueError(f"sheet {k + 1} is not a case sheet with a case_id column")
        if s["case_id"].duplicated().any():
            raise ValueError(f"sheet {k + 1} has duplicated case_id values")
    if isinstance(coders, str):
        raise ValueError(f"coders must be a list of names, one per sheet (e.g. coders=['kim', 'sato']), got {coders!r}")
    names = (tuple(check_strings(coders, "coders", example="coders=['kim', 'sato']")) if coders is not None
             else tuple(f"coder{k + 1}" for k in range(len(sheets))))
    if len(names) != len(sheets) or len(set(names)) != len(names):
        raise ValueError("give one distinct coder name per sheet")
    cb = load_codebook()
    if variables is None:
        common = set.intersection(*(set(s.columns) for s in sheets))
        variables = [v for v in cb.names if v in common and cb[v].is_coded]
        if not variables:
            raise ValueError("the sheets share no coded variable")
    else:
        variables = check_variables(variables, coded=True)
        if not variables:  # else numpy's "need at least one array to concatenate"
            raise ValueError("variables is empty; give at least one coded variable, e.g. variables=['integration'] "
                             "(or None for every coded variable the sheets share)")
        for k, s in enumerate(sheets):
            missing = [v for v in variables if v not in s.columns]
            if missing:
                raise ValueError(f"sheet {k + 1} ({names[k]}) lacks {missing}")
    ids = list(dict.fromkeys(i for s in sheets for i in s["case_id"].astype(str)))
    seen = pd.Series([i for s in sheets for i in dict.fromkeys(s["case_id"].astype(str))]).value_counts()
    if not (seen >= 2).any():
        # Every alpha would be NaN on 0 units: the ids are spelt differently (kr-01 / KR-01), not disagreements.
        shown = "; ".join(f"{names[k]}: {s['case_id'].astype(str).head(2).tolist()}" for k, s in enumerate(sheets))
        raise ValueError(f"no case_id occurs in two sheets, so no case can be compared ({shown}); the sheets must "
                         "use the same case ids")
    cubes = {}
    for v in variables:
        mat = np.full((len(sheets), len(ids)), np.nan)
        for k, s in enumerate(sheets):
            pos = pd.Index(ids).get_indexer(s["case_id"].astype(str))
            try:
                mat[k, pos] = E.as_float(s[v])
            except (TypeError, ValueError):
                bad = next(x for x in s[v].dropna() if not _is_number(x))
                raise ValueError(f"sheet {k + 1} ({names[k]}): {v!r} has a non-numeric code {bad!r}; expected one of "
                                 f"{list(cb[v].codes)} (read sheets with krihs_analysis.data.read_cases)") from None
        cubes[v] = mat
    alpha_rows, kappa_rows, dis_rows = [], [], []
    for v, mat in cubes.items():
        pairable = int((np.isfinite(mat).sum(axis=0) >= 2).sum())
        n_values = int(np.isfinite(mat[:, np.isfinite(mat).sum(axis=0) >= 2]).sum())
        for metric in ("nominal", "ordinal"):
            alpha_rows.append({"variable": v, "metric": metric,
                               "krippendorff_alpha": krippendorff_alpha(mat, metric=metric),
                               "n_units": pairable, "n_values": n_values})
        cats = [float(c) for c in cb[v].codes] or None
        for (ia, a_name), (ib, b_name) in combinations(enumerate(names), 2):
            both = np.isfinite(mat[ia]) & np.isfinite(mat[ib])
            for w in ("none", "linear", "quadratic"):
                kappa_rows.append({"variable": v, "coder_a": a_name, "coder_b": b_name, "weights": w,
                                   "kappa": weighted_kappa(mat[ia], mat[ib], weights=None if w == "none" else w,
                                                           categories=cats),
                                   "n": int(both.sum())})
        for u, cid in enumerate(ids):
            codes = mat[:, u]
            fin = codes[np.isfinite(codes)]
            if len(fin) >= 2 and fin.min() != fin.max():
                dis_rows.append({"case_id": cid, "variable": v,
                                 **{c: (int(x) if np.isfinite(x) and float(x).is_integer() else x)
                                    for c, x in zip(names, codes)},
                                 "spread": float(fin.max() - fin.min())})
    pooled = np.concatenate(list(cubes.values()), axis=1)
    for metric in ("nominal", "ordinal"):
        pairable = np.isfinite(pooled).sum(axis=0) >= 2
        alpha_rows.append({"variable": OVERALL, "metric": metric,
                           "krippendorff_alpha": krippendorff_alpha(pooled, metric=metric),
                           "n_units": int(pairable.sum()), "n_values": int(np.isfinite(pooled[:, pairable]).sum())})
    dis = pd.DataFrame(dis_rows, columns=["case_id", "variable", *names, "spread"])
    return Agreement(names, pd.DataFrame(alpha_rows), pd.DataFrame(kappa_rows), dis)


def agreement_report(paths: Sequence[str | Path], *, variables: Sequence[str] | None = None) -> str:
    """Read two or more coders' case sheets with :func:`krihs_analysis.data.read_cases` and return the printable
    agreement report.

    Parameters
    ----------
    paths : sequence of str or pathlib.Path
        Two or more case sheet files (CSV or XLSX), one per coder, each a different file. Coders are named after
        the file stems (after the whole paths when two stems are the same).
    variables : sequence of str, optional
        Codebook variables to compare; None: the coded (ordinal and binary) variables present in every sheet
        (as :func:`agreement`).

    Returns
    -------
    str
        The text of :class:`Agreement`: Krippendorff's alpha per variable, Cohen's kappa for every pair of
        coders, and the disagreements.

    Raises
    ------
    ValueError
        `paths` is one path, not paths, fewer than two, or names a sheet twice.
    CaseDataError
        A sheet does not validate (:func:`krihs_analysis.data.read_cases`).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import pandas as pd
    >>> from krihs_analysis import paths
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> sheet = pd.read_csv(paths.SAMPLE_CASES, dtype=str, keep_default_na=False)
    >>> sheet.to_csv(d / "coder_a.csv", index=False)
    >>> sheet.loc[0, "integration"] = "0"           # coder B codes the first case's integration 0, not 1
    >>> sheet.to_csv(d / "coder_b.csv", index=False)
    >>> lines = agreement_report([d / "coder_a.csv", d / "coder_b.csv"], variables=["integration"]).splitlines()
    >>> lines[0], lines[-3]
    ('Inter-coder agreement: 2 coders (coder_a, coder_b)', 'Disagreements: 1')
    """
    from krihs_analysis.data import read_cases

    if isinstance(paths, (str, Path)) or not isinstance(paths, Iterable):
        raise ValueError(f"paths must be a list of two or more sheet files, got {paths!r:.80}")
    paths = list(paths)
    if not all(isinstance(p, (str, Path)) for p in paths):
        raise ValueError("paths must be file paths; for sheets already read (DataFrames) call agreement(sheets)")
    paths = [Path(p) for p in paths]
    seen = [p.resolve() for p in paths]
    twice = sorted({str(p) for p, r in zip(paths, seen) if seen.count(r) > 1})
    if twice:
        raise ValueError(f"the same sheet is given twice: {', '.join(twice)}; give each coder's own sheet")
    if len(paths) < 2:
        raise ValueError("give at least two case sheets")
    stems = [p.stem for p in paths]
    coders = stems if len(set(stems)) == len(stems) else [str(p) for p in paths]
    return str(agreement([read_cases(p) for p in paths], variables=variables, coders=coders))
