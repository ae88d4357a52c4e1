"""Does integrating projects in one area go with sustainability? (KRIHS Policy Brief 736, question b).

* :func:`association` -- Kendall's tau_b, Spearman's rho, Fisher's exact test and the Cochran-Armitage trend test,
  with p-values exact and conditional on the ties (network algorithm; with ``strata=`` the within-stratum statistic
  and its exact within-strata permutation p, by convolution over the strata; with ``cluster=`` whole clusters
  permuted, enumerated; seeded Monte Carlo with its standard error only past the enumeration budget) and bootstrap
  intervals (whole clusters with ``cluster=``; none from fewer than 5 units).
* :func:`ordinal_model` -- proportional-odds model (statsmodels ``OrderedModel``) with R-``polr``-style cut-points.
* :func:`firth_logit` -- Firth's bias-reduced logistic regression for binary outcomes with separation, with
  profile penalised-likelihood intervals and penalised likelihood-ratio p-values (as R ``logistf``).
* :func:`leave_one_out` -- re-run any of the above dropping each case in turn (``leave_one_out(cases, fn)``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from krihs_analysis import _exact as E
from krihs_analysis._validate import check_alpha, check_choice, check_columns, check_count, check_frame, check_seed
from krihs_analysis._deprecate import renamed
from krihs_analysis._format import fmt_num, fmt_p
from krihs_analysis._validate import check_flag, check_n_boot, check_text

__all__ = ["association", "ordinal_model", "firth_logit", "leave_one_out", "ModelFit", "METHODS"]

METHODS = ("kendall", "spearman", "fisher", "trend")


def _check_columns(cases: pd.DataFrame, **roles: Sequence[str]) -> None:
    """The case frame and the variables of each role (``x=[...]``, ``predictors=[...]``): numeric codebook variables
    that are columns of it; a message names the role."""
    from krihs_analysis.codebook import check_variables

    check_frame(cases, "cases")
    for role, names in roles.items():
        check_variables(names, numeric=True, name=role)
        check_columns(cases, names)


# ==============================================================================================================
# association
# ==============================================================================================================
def association(
    cases: pd.DataFrame,
    x: str = "integration",
    y: str = "sustainability",
    *,
    method: str = "kendall",
    strata: str | None = None,
    cluster: str | None = None,
    n_boot: int = 9999,
    n_permutations: int = 9999,
    enumeration_limit: int = E.ENUMERATION_LIMIT,
    seed: int | None = 0,
    alternative: str = "two-sided",
    alpha: float = 0.05,
    **old: object,
) -> pd.DataFrame:
    """Association between two coded variables, with tie-conditioned exact p-values.

    Parameters
    ----------
    cases
        One row per case (never modified).  Cases missing `x`, `y` (or the stratum) are dropped.
    x, y
        Codebook variables (ordered categoricals are read as their integer codes).
    method
        ``"kendall"`` (tau_b), ``"spearman"`` (rho on mid-ranks), ``"fisher"`` (exact test of the x-by-y table;
        2 x 2: conditional-MLE odds ratio and exact interval as R ``fisher.test``; larger tables: statistic NaN,
        two-sided only), ``"trend"`` (Cochran-Armitage: `y` must take two values, `x` are the scores; statistic is
        the usual Z, p from the exact permutation distribution).
    strata
        A column (e.g. ``"programme"``).  The statistic is then computed from the pairs *inside* each stratum and
        its p-value is the exact within-strata permutation p of that same statistic (see Notes).  Not available
        for ``fisher``.
    cluster
        A column naming each case's cluster (``"cluster"``: the codebook default).  `y` is then permuted in whole
        clusters: a cluster's vector of `y` moves to another cluster of the same size (and stratum), its cases
        keeping their order; the interval resamples whole clusters.
    n_boot
        Bootstrap draws of the interval (kendall, spearman); 0 for none.
    n_permutations
        Monte Carlo draws for a p-value past exact reach (`enumeration_limit`); 0 then raises ValueError giving
        the size of the permutation space.
    enumeration_limit
        Largest number of distinct arrangements enumerated (per stratum with `strata` alone).
    seed
        Seed of the bootstrap and Monte Carlo draws.
    alternative
        ``"two-sided"`` (``|T - E T| >= |t - E T|`` under the conditional null; with `strata` or `cluster`
        ``|T*| >= |t|``), ``"greater"`` or ``"less"``.
    alpha
        Significance level: intervals have confidence ``1 - alpha``.

    Returns
    -------
    pandas.DataFrame
        One row: ``x, y, method, strata, cluster, n, n_units, statistic, ci_low, ci_high, ci_method, p_value,
        p_se, p_method, alternative``.  ``n_units`` counts the independent units (clusters, or cases).
        ``p_method`` is ``"exact"`` (network algorithm over tables with fixed margins), ``"exact (within-strata
        permutation)"``, ``"exact (cluster permutation, full enumeration)"`` or a ``"monte carlo"`` label (then
        ``p_se`` > 0).  Intervals: bootstrap BCa (percentile fallback) for kendall/spearman, none from fewer than
        5 units (``ci_method`` says so); exact conditional for the 2 x 2 odds ratio without clusters; none (NaN)
        otherwise.

    Notes
    -----
    With ``strata``: Kendall's tau_b is ``S_w / sqrt(n1_w n2_w)``, ``S_w`` the concordant minus discordant pairs
    inside the strata and ``n1_w``, ``n2_w`` the within-stratum pairs untied on x and on y; Spearman's rho is the
    correlation of the within-stratum mid-ranks, each centred on its stratum mean; the trend Z uses x centred
    within strata, ``Z = sum (x - xbar_h) r / sqrt(sum_h p_h (1 - p_h) sum (x - xbar_h)^2)`` (the Mantel extension).
    Each is a sum over strata of terms that a within-stratum permutation changes independently, so the exact
    p-value is the convolution of the strata's enumerated distributions.  A within-stratum bootstrap needs 5 or
    more units in every stratum (smaller strata shrink the bootstrap variance by ``(n_h - 1) / n_h``); otherwise
    there is no interval and ``ci_method`` says why.

    Examples
    --------
    >>> import pandas as pd
    >>> cases = pd.DataFrame({"integration": [0, 1, 1, 2, 3, 3], "sustainability": [0, 0, 1, 2, 2, 3]})
    >>> res = association(cases, n_boot=999)
    >>> round(float(res["statistic"].iloc[0]), 3), res["p_method"].iloc[0]
    (0.846, 'exact')
    """
    defaults = association.__kwdefaults__
    opts = renamed(old, {"n_resamples": ("n_boot", "n_permutations")}, "association",
                   current={"n_boot": (n_boot, defaults["n_boot"]),
                            "n_permutations": (n_permutations, defaults["n_permutations"])})
    alpha = check_alpha(alpha)
    n_boot = check_n_boot(opts.get("n_boot", n_boot), alpha)
    n_permutations = check_count(opts.get("n_permutations", n_permutations), "n_permutations", 0)
    enumeration_limit = check_count(enumeration_limit, "enumeration_limit", 1)
    seed = check_seed(seed)
    check_choice(method, "method", METHODS)
    E.check_alternative(alternative)
    check_text(x, "x", example="x='integration'"), check_text(y, "y", example="y='sustainability'")
    if x == y:
        raise ValueError(f"x and y are both {x!r}; an association needs two different variables")
    _check_columns(cases, x=[x], y=[y])
    for what, col in (("strata", strata), ("cluster", cluster)):
        if col is not None:
            if not isinstance(col, str):
                raise ValueError(f"{what} must be a column name, got {col!r}")
            check_columns(cases, [col])
    if strata is not None and method == "fisher":
        raise ValueError("strata are not supported for method='fisher'; use 'kendall', 'spearman' or 'trend'")
    from krihs_analysis.data import numeric_codes  # lazily: the data layer loads pandera

    coded = numeric_codes(cases, [x, y] if x != y else [x])
    xv, yv = coded[x].to_numpy(copy=True), coded[y].to_numpy(copy=True)
    keep = np.isfinite(xv) & np.isfinite(yv)
    sv = cv = None
    if strata is not None:
        sraw = cases[strata].astype("object")
        keep &= sraw.notna().to_numpy()
    if cluster is not None:
        craw = cases[cluster].astype("object")
        keep &= craw.notna().to_numpy()
    if strata is not None:
        sv = sraw.to_numpy()[keep].astype(str)
    if cluster is not None:
        cv = craw.to_numpy()[keep].astype(str)
    xv, yv = xv[keep], yv[keep]
    n = len(xv)
    if n < 3:
        raise ValueError(f"{x!r} and {y!r} have only {n} complete cases; need at least 3")
    for name, v in ((x, xv), (y, yv)):
        if np.all(v == v[0]):
            raise ValueError(f"{name!r} is constant ({v[0]:g}) over the complete cases: no association to measure")
    rng = E.rng_from(seed)
    design = _Design(xv, yv, sv, cv, alternative, n_boot, n_permutations, enumeration_limit, rng, alpha)
    base = {"x": x, "y": y, "method": method, "strata": strata, "cluster": cluster, "n": n,
            "n_units": len(np.unique(cv)) if cv is not None else n, "alternative": alternative}
    if method in ("kendall", "spearman"):
        res = _rank_correlation(design, method)
    elif method == "fisher":
        res = _fisher(design)
    else:
        res = _trend(design, y)
    cols = ["x", "y", "method", "strata", "cluster", "n", "n_units", "statistic", "ci_low", "ci_high", "ci_method",
            "p_value", "p_se", "p_method", "alternative"]
    from krihs_analysis.data.tidy import carry_provenance  # the figures label a table by its cases

    return carry_provenance(pd.DataFrame([{**base, **res}])[cols], cases)


@dataclass
class _Design:
    """The complete cases of one association call and the options that shape its inference."""

    x: np.ndarray
    y: np.ndarray
    strata: np.ndarray | None
    cluster: np.ndarray | None
    alternative: str
    n_boot: int
    n_permutations: int
    limit: int
    rng: np.random.Generator
    alpha: float

    @property
    def plain(self) -> bool:
        return self.strata is None and self.cluster is None

    def extreme(self, t: np.ndarray, t_obs: float, tol: float = E.ABS_TOL) -> np.ndarray:
        """At least as extreme as t_obs about 0 (the null mean of every within-stratum statistic here)."""
        tol = tol * max(1.0, abs(t_obs))
        if self.alternative == "two-sided":
            return np.abs(t) >= abs(t_obs) - tol
        if self.alternative == "greater":
            return t >= t_obs - tol
        return t <= t_obs + tol

    def restricted_test(self, y: np.ndarray, contrib: Callable[[np.ndarray, np.ndarray | None], np.ndarray],
                        t_obs: float) -> E.PermTest:
        """p of T = contrib(Y) over the arrangements the design allows (strata and/or clusters).

        ``contrib(Y, idx)`` evaluates the statistic on the rows of Y (the cases `idx`; all cases when None).
        With strata alone the statistic is a sum over strata, so the exact distribution is the convolution of each
        stratum's enumerated distribution; with clusters the arrangements are enumerated (or drawn) as a whole.
        """
        if self.cluster is not None:
            d = E.Design.build(len(y), self.strata, self.cluster)
            return E.design_test(y, d, lambda Y: contrib(Y, None), t_obs, extreme=self.extreme,
                                 n_permutations=self.n_permutations, rng=self.rng, limit=self.limit,
                                 exact_label=E.P_CLUSTER_ENUM, mc_label=E.P_CLUSTER_MC)
        return _stratified_exact(y, self.strata, contrib, t_obs, self)


def _stratified_exact(y, sv, contrib, t_obs, d: _Design) -> E.PermTest:
    values, probs = np.zeros(1), np.ones(1)
    labels = np.unique(sv)
    spaces = []
    for s in labels:
        idx = np.flatnonzero(sv == s)
        if len(idx) < 2:
            continue
        ys = y[idx]
        blocks = [np.arange(len(idx))]
        space = E.count_arrangements(ys, blocks)
        spaces.append(space)
        if space > d.limit:
            return _stratified_mc(y, sv, contrib, t_obs, d, math.prod(spaces))
        t = np.concatenate([contrib(Y, idx) for Y in E.enumerate_arrangements(ys, blocks)])
        tv, inv = np.unique(np.round(t, 9), return_inverse=True)
        tp = np.bincount(inv) / len(t)
        sums = np.round(values[:, None] + tv[None, :], 9).ravel()
        prods = (probs[:, None] * tp[None, :]).ravel()
        values, inv = np.unique(sums, return_inverse=True)
        probs = np.bincount(inv, weights=prods)
    # the convolution merges values at 1e-9 resolution, so "as extreme" is judged at that resolution too
    p = float(probs[d.extreme(values, t_obs, 1e-9)].sum())
    return E.PermTest(t_obs, min(p, 1.0), E.P_STRATA_EXACT, 0.0, int(math.prod(spaces)) if spaces else 1)


def _stratified_mc(y, sv, contrib, t_obs, d: _Design, space_hint: int) -> E.PermTest:
    design = E.Design.build(len(y), sv, None)
    if d.n_permutations == 0:
        raise E.too_large(design.space(y), d.limit, "within-strata permutation distribution")
    return E.design_test(y, design, lambda Y: contrib(Y, None), t_obs, extreme=d.extreme,
                         n_permutations=d.n_permutations, rng=d.rng, limit=0)


def _units(d: _Design) -> tuple[np.ndarray, str]:
    """Unit code of every case (its cluster, or itself) and the unit's name."""
    if d.cluster is None:
        return np.arange(len(d.x)), "case"
    codes, _ = E.cluster_codes(d.cluster)
    return codes, "cluster"


def _boot_plan(d: _Design) -> tuple[str, str]:
    """How to bootstrap: ("units" | "within" | "none", the ci_method note or the reason for none)."""
    codes, unit = _units(d)
    if d.strata is None:
        k = len(np.unique(codes))
        if k < E.MIN_BOOT_UNITS:
            return "none", E.too_small(k, unit)
        return "units", "" if d.cluster is None else " (whole clusters resampled)"
    per = [len(np.unique(codes[d.strata == s])) for s in np.unique(d.strata)]
    if min(per) >= E.MIN_BOOT_UNITS:
        return "within", f" ({unit}s resampled within strata)"
    # Resampling inside a stratum of n_h units shrinks its variance by (n_h - 1) / n_h, and resampling whole
    # strata when one stratum holds most of the pairs leaves it out of a third of the draws: neither is valid.
    return "none", (f"none (stratum too small for a within-stratum bootstrap: n = {min(per)} "
                    f"{unit}{'s' if min(per) != 1 else ''})")


def _bootstrap(d: _Design, stat: Callable[[np.ndarray, np.ndarray, np.ndarray | None], float],
               theta: float) -> tuple[float, float, str]:
    """BCa interval (percentile fallback) of ``stat(x, y, strata)`` under the design's bootstrap plan."""
    if d.n_boot == 0:
        return np.nan, np.nan, "none"
    how, note = _boot_plan(d)
    if how == "none":
        return np.nan, np.nan, note
    codes, _ = _units(d)
    sv = d.strata
    unit_cases = [np.flatnonzero(codes == u) for u in range(codes.max() + 1)]
    if how == "within":
        groups = [np.unique(codes[sv == s]) for s in np.unique(sv)]
    else:
        groups = [np.arange(len(unit_cases))]

    def draw(units: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        idx = np.concatenate([unit_cases[u] for u in units])
        return idx, (None if sv is None else sv[idx])

    if sv is None:
        # whole units resampled from one pool: case multiplicities, and the statistic from weighted tables
        k = len(unit_cases)
        rows = E.weighted_tau_b_rows if stat is kendall_within else E.weighted_spearman_rows
        boot = np.concatenate([
            rows(d.x, d.y, E.cluster_counts(np.arange(k), k, min(5000, d.n_boot - st), d.rng)[:, codes])
            for st in range(0, d.n_boot, 5000)
        ])
        jack = rows(d.x, d.y, (1.0 - np.eye(k))[:, codes])
    else:
        boot = np.empty(d.n_boot)
        for b in range(d.n_boot):
            units = np.concatenate([g[d.rng.integers(0, len(g), len(g))] for g in groups])
            idx, lab = draw(units)
            boot[b] = stat(d.x[idx], d.y[idx], lab)
        jack = []
        for u in range(len(unit_cases)):
            rest = np.setdiff1d(np.arange(len(unit_cases)), [u])
            idx, lab = draw(rest)
            jack.append(stat(d.x[idx], d.y[idx], lab))
    lo, hi, method = E.bca_interval(theta, boot, np.array(jack), alpha=d.alpha)
    return lo, hi, method + note


def kendall_within(x: np.ndarray, y: np.ndarray, strata: np.ndarray | None) -> float:
    """Kendall's tau_b from the pairs inside each stratum (tau_b itself without strata)."""
    s = float(E.within_kendall_rows(x, y[None, :], strata)[0])
    n1, n2 = E.within_pairs_untied(x, strata), E.within_pairs_untied(y, strata)
    return s / math.sqrt(n1 * n2) if n1 and n2 else float("nan")


def spearman_within(x: np.ndarray, y: np.ndarray, strata: np.ndarray | None) -> float:
    """Correlation of the within-stratum mid-ranks centred on their stratum means (Spearman's rho without strata)."""
    a, b = E.within_midranks(x, strata), E.within_midranks(y, strata)
    den = math.sqrt(float(a @ a) * float(b @ b))
    return float(a @ b) / den if den else float("nan")


def _rank_correlation(d: _Design, method: str) -> dict:
    xv, yv, sv = d.x, d.y, d.strata
    n = len(xv)
    fn = kendall_within if method == "kendall" else spearman_within
    stat = fn(xv, yv, sv)
    test = None
    if d.plain:
        if method == "kendall":
            s_obs = E.kendall_S(xv, yv)

            def exact():
                return E.kendall_exact(xv, yv, d.alternative)

            def stat_rows(Y):
                return E.kendall_S_rows(xv, Y, values=np.unique(yv))

            src, t_obs = yv, s_obs
        else:
            a, b = E.midranks(xv), E.midranks(yv)
            t_obs = float(a @ b)
            center = float(a.sum() * b.sum() / n)

            def exact():
                return E.linear_exact(a, b, t_obs, center, d.alternative)

            def stat_rows(Y):
                return Y @ a

            src = b
        try:
            test = E.PermTest(stat, exact(), E.P_EXACT)
        except E.Infeasible:
            space = E.count_arrangements(src, [np.arange(n)])
            if d.n_permutations == 0:
                raise E.too_large(space, E.NETWORK_BUDGET, "permutation distribution") from None
            center = 0.0 if method == "kendall" else center
            pt = E.permutation_test(src, stat_rows, t_obs, center, alternative=d.alternative, strata=None,
                                    n_resamples=d.n_permutations, rng=d.rng, limit=0)
            test = E.PermTest(stat, pt.p_value, pt.p_method, pt.p_se, pt.n_resamples)
        if d.n_boot > 0 and n >= E.MIN_BOOT_UNITS:
            # the vectorised case bootstrap (independent cases)
            idx = E.bootstrap_indices([np.arange(n)], d.n_boot, d.rng)
            rows = E.kendall_tau_b_rows if method == "kendall" else E.spearman_rows
            boot = np.concatenate([rows(xv[idx[k:k + 2000]], yv[idx[k:k + 2000]])
                                   for k in range(0, d.n_boot, 2000)])
            loo = np.array([np.delete(np.arange(n), i) for i in range(n)])
            lo, hi, how = E.bca_interval(stat, boot, rows(xv[loo], yv[loo]), alpha=d.alpha)
        else:
            lo, hi, how = (np.nan, np.nan, "none") if d.n_boot == 0 else (np.nan, np.nan, E.too_small(n))
    else:
        if method == "kendall":
            def contrib(Y, idx):
                xs = xv if idx is None else xv[idx]
                ss = sv if (idx is None or sv is None) else sv[idx]
                return E.within_kendall_rows(xs, Y, ss)

            t_obs = float(contrib(yv[None, :], None)[0])
            test0 = d.restricted_test(yv, contrib, t_obs)
        else:
            a = E.within_midranks(xv, sv)
            b = E.within_midranks(yv, sv)

            def contrib(Y, idx):
                return Y @ (a if idx is None else a[idx])

            t_obs = float(a @ b)
            test0 = d.restricted_test(b, contrib, t_obs)
        test = E.PermTest(stat, test0.p_value, test0.p_method, test0.p_se, test0.n_resamples)
        lo, hi, how = _bootstrap(d, fn, stat)
    return {"statistic": stat, "ci_low": lo, "ci_high": hi, "ci_method": how, "p_value": test.p_value,
            "p_se": test.p_se, "p_method": test.p_method}


def _fisher(d: _Design) -> dict:
    xv, yv, alternative, alpha = d.x, d.y, d.alternative, d.alpha
    ux, ix = np.unique(xv, return_inverse=True)
    uy, iy = np.unique(yv, return_inverse=True)
    table = E.crosstab_counts(ix, iy, len(ux), len(uy))
    if d.cluster is not None:
        if alternative != "two-sided":
            raise ValueError("Fisher's test with cluster= is two-sided only")
        stat = np.nan
        if table.shape == (2, 2):
            stat = E.fisher_2x2(table[::-1, ::-1], conf_level=1 - alpha).odds_ratio
        kx, ky = len(ux), len(uy)

        def key_rows(Y):  # log P(table) up to a constant: -sum log(N_ij!), margins fixed under the design
            codes = np.searchsorted(uy, Y)
            flat = (np.arange(len(Y))[:, None] * (kx * ky) + ix[None, :] * ky + codes).ravel()
            N = np.bincount(flat, minlength=len(Y) * kx * ky).reshape(len(Y), kx * ky)
            return -E.logfact(N).sum(axis=1)

        k_obs = float(key_rows(yv[None, :])[0])
        design = E.Design.build(len(yv), None, d.cluster)
        test = E.design_test(yv, design, key_rows, k_obs,
                             extreme=lambda t, t0: t <= t0 + math.log1p(E.REL_TOL),
                             n_permutations=d.n_permutations, rng=d.rng, limit=d.limit,
                             exact_label=E.P_CLUSTER_ENUM, mc_label=E.P_CLUSTER_MC)
        return {"statistic": stat, "ci_low": np.nan, "ci_high": np.nan,
                "ci_method": "none (the exact conditional interval assumes independent cases)",
                "p_value": test.p_value, "p_se": test.p_se, "p_method": test.p_method}
    if table.shape == (2, 2):
        # rows: x low/high, columns: y low/high; odds ratio > 1 means high x goes with high y
        f = E.fisher_2x2(table[::-1, ::-1], alternative=alternative, conf_level=1 - alpha)
        return {"statistic": f.odds_ratio, "ci_low": f.ci_low, "ci_high": f.ci_high,
                "ci_method": "exact conditional", "p_value": f.p_value, "p_se": 0.0, "p_method": E.P_EXACT}
    if alternative != "two-sided":
        raise ValueError("Fisher's test of an r x c table larger than 2 x 2 is two-sided only")
    p = E.fisher_exact_rxc(table)
    return {"statistic": np.nan, "ci_low": np.nan, "ci_high": np.nan, "ci_method": "none", "p_value": p,
            "p_se": 0.0, "p_method": E.P_EXACT}


def _centred(v: np.ndarray, sv: np.ndarray | None) -> np.ndarray:
    if sv is None:
        return v - v.mean()
    out = np.empty(len(v))
    for s in np.unique(sv):
        g = sv == s
        out[g] = v[g] - v[g].mean()
    return out


def _trend(d: _Design, y: str) -> dict:
    xv, yv, sv = d.x, d.y, d.strata
    uy = np.unique(yv)
    if len(uy) != 2:
        raise ValueError(f"the trend test needs a binary {y!r}; it takes {len(uy)} values")
    resp = (yv == uy[1]).astype("float64")
    xc = _centred(xv, sv)
    groups = [np.arange(len(xv))] if sv is None else [np.flatnonzero(sv == s) for s in np.unique(sv)]
    var = sum(resp[g].mean() * (1 - resp[g].mean()) * float(xc[g] @ xc[g]) for g in groups)
    z = float((resp @ xc) / math.sqrt(var)) if var > 0 else float("nan")
    if d.plain:
        t_obs = float(resp @ xv)
        center = float(xv.sum() * resp.sum() / len(xv))
        try:
            p = E.linear_exact(xv, resp, t_obs, center, d.alternative)
            test = E.PermTest(z, p, E.P_EXACT)
        except E.Infeasible:
            if d.n_permutations == 0:
                raise E.too_large(E.count_arrangements(resp, [np.arange(len(resp))]), E.NETWORK_BUDGET,
                                  "permutation distribution") from None
            test = E.permutation_test(resp, lambda Y: Y @ xv, t_obs, center, alternative=d.alternative,
                                      strata=None, n_resamples=d.n_permutations, rng=d.rng, limit=0)
    else:
        def contrib(Y, idx):
            return Y @ (xc if idx is None else xc[idx])

        test = d.restricted_test(resp, contrib, float(resp @ xc))
    return {"statistic": z, "ci_low": np.nan, "ci_high": np.nan, "ci_method": "none", "p_value": test.p_value,
            "p_se": test.p_se, "p_method": test.p_method}


# ==============================================================================================================
# models
# ==============================================================================================================
@dataclass(frozen=True)
class ModelFit:
    """A fitted model: tidy coefficient table, predicted probabilities and fit statistics."""

    model: str
    outcome: str
    coef: pd.DataFrame
    predicted: pd.DataFrame
    fit_stats: pd.DataFrame

    @property
    def table(self) -> pd.DataFrame:
        """The coefficient table (``coef``): the tidy table every result object exposes as ``.table``."""
        return self.coef

    def __str__(self) -> str:
        stats = self.fit_stats.iloc[0]
        head = f"{self.model}: {self.outcome} ~ " + " + ".join(
            self.coef.loc[self.coef["kind"] == "slope", "term"].astype(str)
        )
        lines = [head, f"n = {int(stats['n'])}, log-likelihood = {fmt_num(stats['loglik'], digits=4)}"]
        # p-values as everywhere else ("< 0.001", not 0.0000), the other numbers with four decimals
        formatters = {c: (lambda v: fmt_p(v, cell=True)) if c.startswith("p_") else (lambda v: fmt_num(v, digits=4))
                      for c in self.coef.select_dtypes("number").columns}
        with pd.option_context("display.width", 120, "display.max_columns", 20):
            lines.append(self.coef.to_string(index=False, formatters=formatters))
        return "\n".join(lines)


def _model_frame(cases: pd.DataFrame, outcome: str, predictors: Sequence[str]) -> tuple[pd.Series, pd.DataFrame]:
    if isinstance(predictors, str):
        predictors = [predictors]
    check_text(outcome, "outcome", example="outcome='sustainability'")
    try:
        predictors = list(predictors)
    except TypeError:
        raise ValueError(f"predictors must be a list of column names, got {predictors!r:.80}") from None
    if not predictors:
        raise ValueError("give at least one predictor")
    if outcome in predictors:
        raise ValueError(f"{outcome!r} is the outcome; it cannot also be a predictor")
    if len(set(map(str, predictors))) < len(predictors):
        raise ValueError(f"predictors name a variable twice: {predictors}")
    _check_columns(cases, outcome=[outcome], predictors=predictors)
    from krihs_analysis.data import numeric_codes  # lazily: the data layer loads pandera

    coded = numeric_codes(cases, [outcome, *predictors])
    yv = coded[outcome].to_numpy(copy=True)
    X = coded[predictors].to_numpy(dtype="float64", copy=True)
    keep = np.isfinite(yv) & np.all(np.isfinite(X), axis=1)
    if keep.sum() < len(predictors) + 2:
        raise ValueError(f"only {int(keep.sum())} complete cases for {len(predictors)} predictors")
    ids = cases["case_id"].astype("object").to_numpy()[keep] if "case_id" in cases.columns else np.flatnonzero(keep)
    Xdf = pd.DataFrame(X[keep], columns=predictors, index=pd.Index(ids, name="case_id"))
    for p in predictors:
        if Xdf[p].nunique() < 2:
            raise ValueError(f"predictor {p!r} is constant over the complete cases")
    ys = pd.Series(yv[keep], index=Xdf.index, name=outcome)
    if ys.nunique() < 2:
        raise ValueError(f"outcome {outcome!r} is constant over the complete cases")
    return ys, Xdf


def _wald(est: np.ndarray, se: np.ndarray, alpha: float) -> dict:
    from scipy.stats import norm

    z = est / se
    q = norm.ppf(1 - alpha / 2)
    return {"z": z, "p_value": 2 * norm.sf(np.abs(z)), "ci_low": est - q * se, "ci_high": est + q * se}


def ordinal_model(
    cases: pd.DataFrame, outcome: str, predictors: Sequence[str], *, link: str = "logit", alpha: float = 0.05
) -> ModelFit:
    """Proportional-odds (cumulative link) model of an ordinal outcome, as R ``MASS::polr``.

    Parameters
    ----------
    cases
        Case data (never modified); incomplete cases are dropped.
    outcome
        Ordinal codebook variable; its observed codes are the ordered categories.
    predictors
        Codebook variables entered as numeric scores.
    link
        ``"logit"`` or ``"probit"``.
    alpha
        1 - confidence level of the Wald intervals.

    Returns
    -------
    ModelFit
        ``coef``: ``term, kind, estimate, se, z, p_value, ci_low, ci_high``; slopes (kind ``"slope"``) and
        cut-points ``"0|1"``, ``"1|2"``... (kind ``"threshold"``) on R polr's scale
        ``logit P(Y <= j) = zeta_j - x'beta`` -- statsmodels' exp-increment threshold parameters are converted and
        their standard errors obtained by the delta method.  Intervals are Wald intervals.
        ``predicted``: per case and level, ``case_id, level, probability, observed``.
        ``fit_stats``: ``n, loglik, llnull, aic, bic, pseudo_r2 (McFadden), converged, link, warnings`` (the
        convergence warnings of the fit, "" when none).

    Examples
    --------
    >>> from krihs_analysis.data import read_cases
    >>> fit = ordinal_model(read_cases(), "sustainability", ["integration"])
    >>> fit.coef["term"].tolist()
    ['integration', '0|1', '1|2', '2|3']
    """
    check_choice(link, "link", ("logit", "probit"))
    alpha = check_alpha(alpha)
    import warnings

    from statsmodels.miscmodels.ordinal_model import OrderedModel

    ys, X = _model_frame(cases, outcome, predictors)
    levels = np.sort(ys.unique())
    endog = pd.Series(pd.Categorical(ys, categories=levels, ordered=True), index=ys.index, name=outcome)
    model = OrderedModel(endog, X, distr=link)
    from statsmodels.tools.sm_exceptions import ConvergenceWarning, HessianInversionWarning

    # Newton may fail to converge on a flat likelihood (then BFGS is tried): those two warnings are expected and
    # recorded in fit_stats["warnings"]; any other warning reaches the caller.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        warnings.simplefilter("always", HessianInversionWarning)
        res = model.fit(method="newton", disp=False, maxiter=200)
        if not res.mle_retvals.get("converged", False):
            res = model.fit(method="bfgs", disp=False, maxiter=5000, gtol=1e-8)
    expected = (ConvergenceWarning, HessianInversionWarning)
    for w in caught:
        if not issubclass(w.category, expected):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    noted = "; ".join(dict.fromkeys(str(w.message).splitlines()[0] for w in caught if issubclass(w.category, expected)))
    params = np.asarray(res.params, dtype="float64")
    cov = np.asarray(res.cov_params(), dtype="float64")
    k = X.shape[1]
    th_raw = params[k:]
    cuts = th_raw[0] + np.concatenate([[0.0], np.cumsum(np.exp(th_raw[1:]))])
    J = np.zeros((len(th_raw), len(th_raw)))
    J[:, 0] = 1.0
    for i in range(1, len(th_raw)):
        J[i, 1 : i + 1] = np.exp(th_raw[1 : i + 1])
    cov_cuts = J @ cov[k:, k:] @ J.T
    est = np.concatenate([params[:k], cuts])
    se = np.sqrt(np.concatenate([np.diag(cov)[:k], np.diag(cov_cuts)]))
    lv = [f"{v:g}" for v in levels]
    terms = [*X.columns, *[f"{lv[i]}|{lv[i + 1]}" for i in range(len(levels) - 1)]]
    coef = pd.DataFrame({"term": terms, "kind": ["slope"] * k + ["threshold"] * len(cuts), "estimate": est,
                         "se": se, **_wald(est, se, alpha)})
    probs = np.asarray(res.predict(), dtype="float64")
    predicted = pd.DataFrame({
        "case_id": np.repeat(X.index.to_numpy(), len(levels)),
        "level": np.tile(levels, len(X)),
        "probability": probs.ravel(),
        "observed": np.repeat(ys.to_numpy(), len(levels)) == np.tile(levels, len(X)),
    })
    llnull = float(res.llnull) if hasattr(res, "llnull") else np.nan
    fit_stats = pd.DataFrame([{
        "n": len(X), "loglik": float(res.llf), "llnull": llnull, "aic": float(res.aic), "bic": float(res.bic),
        "pseudo_r2": 1 - float(res.llf) / llnull if llnull else np.nan,
        "converged": bool(res.mle_retvals.get("converged", True)), "link": link, "warnings": noted,
    }])
    return ModelFit("ordinal " + link, outcome, coef, predicted, fit_stats)


# --------------------------------------------------------------------------------------------------------------
# Firth
# --------------------------------------------------------------------------------------------------------------
def _firth_fit(X: np.ndarray, y: np.ndarray, *, fixed: tuple[int, float] | None = None, beta0=None,
               max_iter: int = 200, tol: float = 1e-10) -> tuple[np.ndarray, float, np.ndarray, bool]:
    """Maximise the Firth-penalised log-likelihood l(b) + 0.5 log|X'WX| (optionally with b_j fixed)."""
    n, p = X.shape
    beta = np.zeros(p) if beta0 is None else np.array(beta0, dtype="float64")
    free = np.ones(p, dtype=bool)
    if fixed is not None:
        beta[fixed[0]] = fixed[1]
        free[fixed[0]] = False

    def pll(b):
        eta = X @ b
        mu = 1 / (1 + np.exp(-eta))
        w = mu * (1 - mu)
        info = (X * w[:, None]).T @ X
        sign, logdet = np.linalg.slogdet(info)
        ll = float(np.sum(y * eta - np.logaddexp(0, eta)))
        return ll + 0.5 * logdet if sign > 0 else -np.inf, mu, w, info

    cur, mu, w, info = pll(beta)
    converged = False
    for _ in range(max_iter):
        inv = np.linalg.inv(info)
        Xw = X * np.sqrt(w)[:, None]
        h = np.einsum("ij,jk,ik->i", Xw, inv, Xw)
        score = X.T @ (y - mu + h * (0.5 - mu))
        step = np.zeros(p)
        step[free] = np.linalg.solve(info[np.ix_(free, free)], score[free])
        step = np.clip(step, -5, 5)
        t = 1.0
        while True:
            new = beta + t * step
            val, mu_n, w_n, info_n = pll(new)
            if val >= cur - 1e-12 or t < 1e-8:
                break
            t /= 2
        beta, mu, w, info = new, mu_n, w_n, info_n
        done = np.max(np.abs(t * step)) < tol and np.max(np.abs(score[free])) < 1e-6
        cur = val
        if done:
            converged = True
            break
    return beta, cur, np.linalg.inv(info), converged


def firth_logit(
    cases: pd.DataFrame, outcome: str, predictors: Sequence[str], *, alpha: float = 0.05, profile: bool = True
) -> ModelFit:
    """Firth's penalised-likelihood logistic regression for a binary outcome (handles separation).

    Newton-Raphson on the Jeffreys-penalised likelihood ``l(b) + 0.5 log|I(b)|`` with the hat-matrix-adjusted
    score ``X'(y - p + h (1/2 - p))`` and step halving.  Intervals and p-values are from the profile penalised
    likelihood (``ci_method = "profile penalised likelihood"``, p from the penalised likelihood-ratio test) unless
    `profile` is False.

    Parameters
    ----------
    cases
        Case data (never modified); incomplete cases are dropped.
    outcome
        Binary codebook variable (two distinct values; the larger is the event).
    predictors
        Codebook variables entered as numeric scores (an intercept is added).
    alpha : float
        Significance level: the intervals are ``1 - alpha`` (95% at the default 0.05).
    profile : bool
        True (default): profile penalised likelihood intervals and penalised likelihood-ratio p-values, as R's
        ``logistf`` (a bound the profile does not reach is NaN). False: Wald intervals and p-values from the
        penalised fit's covariance, faster.

    Returns
    -------
    ModelFit
        ``coef``: ``term, kind ("intercept"/"slope"), estimate, se, z, chisq, p_value, p_method, ci_low, ci_high,
        ci_method`` (``z`` is Wald's; ``p_method`` names the test behind ``p_value`` and ``chisq`` is its
        statistic, 1 degree of freedom: the penalised likelihood ratio, as logistf's ``Chisq``, or Wald's z²);
        ``predicted``: ``case_id, probability, observed``; ``fit_stats``: ``n, loglik (penalised), converged``.

    Examples
    --------
    >>> import pandas as pd
    >>> cases = pd.DataFrame({"integration": [1] * 6 + [0] * 8, "continued": [1] * 6 + [1, 1] + [0] * 6})
    >>> fit = firth_logit(cases, "continued", ["integration"])
    >>> round(float(fit.coef.loc[1, "estimate"]), 4)
    3.5205
    """
    from scipy.optimize import brentq
    from scipy.stats import chi2

    alpha = check_alpha(alpha)
    profile = check_flag(profile, "profile")
    ys, Xdf = _model_frame(cases, outcome, predictors)
    uy = np.sort(ys.unique())
    if len(uy) != 2:
        raise ValueError(f"{outcome!r} must be binary; it takes {len(uy)} values")
    y = (ys.to_numpy() == uy[1]).astype("float64")
    X = np.column_stack([np.ones(len(y)), Xdf.to_numpy()])
    terms = ["(Intercept)", *Xdf.columns]
    beta, pl_max, cov, converged = _firth_fit(X, y)
    se = np.sqrt(np.diag(cov))
    wald = _wald(beta, se, alpha)
    ci_low, ci_high, pvals = wald["ci_low"].copy(), wald["ci_high"].copy(), wald["p_value"].copy()
    ci_method = p_method = "wald"
    stats = np.asarray(wald["z"], dtype="float64") ** 2  # the chi-square (1 df) of the test behind each p
    if profile:
        crit = chi2.ppf(1 - alpha, 1)

        def prof(j: int, b: float) -> float:
            _, val, _, _ = _firth_fit(X, y, fixed=(j, b), beta0=beta)
            return 2 * (pl_max - val)

        for j in range(X.shape[1]):
            stats[j] = max(prof(j, 0.0), 0.0)
            pvals[j] = float(chi2.sf(stats[j], 1))
            for side, arr in ((-1, ci_low), (1, ci_high)):
                step = max(se[j], 0.5)
                far = beta[j] + side * step
                tries = 0
                while prof(j, far) < crit and tries < 30:
                    far = beta[j] + side * step * 2 ** (tries + 1)
                    tries += 1
                arr[j] = brentq(lambda b: prof(j, b) - crit, *sorted((beta[j], far)), xtol=1e-8) \
                    if prof(j, far) >= crit else np.nan
        ci_method, p_method = "profile penalised likelihood", "penalised likelihood ratio"
    # z is always Wald's; the p beside it is the penalised likelihood-ratio test's when profiled (logistf's default),
    # which can differ a lot on small samples (z = 2.35 beside p < 0.001): p_method says which p a reader sees, and
    # chisq is that test's statistic (logistf's "Chisq"), so that a table can show the statistic its p comes from
    coef = pd.DataFrame({"term": terms, "kind": ["intercept"] + ["slope"] * Xdf.shape[1], "estimate": beta,
                         "se": se, "z": wald["z"], "chisq": stats, "p_value": pvals, "p_method": p_method,
                         "ci_low": ci_low, "ci_high": ci_high, "ci_method": ci_method})
    mu = 1 / (1 + np.exp(-(X @ beta)))
    predicted = pd.DataFrame({"case_id": Xdf.index.to_numpy(), "probability": mu, "observed": y.astype(int)})
    fit_stats = pd.DataFrame([{"n": len(y), "loglik": pl_max, "converged": converged}])
    return ModelFit("firth logit", outcome, coef, predicted, fit_stats)


# ==============================================================================================================
# leave-one-out
# ==============================================================================================================
def _estimates(result) -> pd.DataFrame:
    """term, estimate, p_value from any result of this package's analysis functions."""
    if isinstance(result, ModelFit):
        return result.coef[["term", "estimate", "p_value"]]
    if isinstance(result, pd.DataFrame):
        if "cliffs_delta" in result.columns:
            key = result["variable"].astype(str)
            if "group" in result.columns:
                key = result["group"].astype(str) + ":" + key
            return pd.DataFrame({"term": key, "estimate": result["cliffs_delta"], "p_value": result["p_value"]})
        if "statistic" in result.columns:
            term = result["x"].astype(str) + "~" + result["y"].astype(str) if "x" in result.columns else "statistic"
            return pd.DataFrame({"term": term, "estimate": result["statistic"], "p_value": result["p_value"]})
    raise ValueError(f"leave_one_out does not know how to read a {type(result).__name__}; pass association, "
                     "ordinal_model, firth_logit or compare_countries")


def leave_one_out(
    cases: pd.DataFrame, fn: Callable[..., object], *, detail: bool = False, **kwargs
) -> pd.DataFrame:
    """Re-run an analysis dropping each case in turn; report the range of estimates and the most influential case.

    Parameters
    ----------
    cases
        Case data with ``case_id`` (never modified).
    fn
        :func:`association`, :func:`ordinal_model`, :func:`firth_logit` or
        :func:`krihs_analysis.compare.compare_countries` (anything returning one of their result types).
        The former order ``leave_one_out(fn, cases)`` still works this release, with a FutureWarning.
    detail
        Return the per-drop table (``dropped, term, estimate, p_value, change``) instead of the summary.
    **kwargs
        Passed to `fn` (e.g. ``x=``, ``method=``, ``n_boot=``; positional model arguments by name:
        ``outcome=``, ``predictors=``).

    Returns
    -------
    pandas.DataFrame
        Summary, one row per term: ``term, estimate, p_value, loo_min, loo_max, p_min, p_max,
        most_influential, estimate_without, max_change, n_failed`` (runs that raised are counted, not hidden).

    Examples
    --------
    >>> import pandas as pd
    >>> cases = pd.DataFrame({"case_id": list("abcdef"), "integration": [0, 1, 1, 2, 3, 3],
    ...                       "sustainability": [0, 0, 1, 2, 2, 3]})
    >>> leave_one_out(cases, association, n_boot=0)[["loo_min", "loo_max"]].round(3).values.tolist()
    [[0.825, 0.889]]
    """
    if callable(cases) and isinstance(fn, pd.DataFrame):
        import warnings

        warnings.warn("leave_one_out(fn, cases) is now leave_one_out(cases, fn): data first; the old order stops "
                      "working in the next release", FutureWarning, stacklevel=2)
        cases, fn = fn, cases
    check_frame(cases, "cases")
    if not callable(fn):
        raise ValueError(f"fn must be an analysis function such as association, got {type(fn).__name__}")
    # checked before the re-runs: "no" or 0 used to pick a table by its truth value, after every run
    detail = check_flag(detail, "detail")
    if "case_id" not in cases.columns:
        raise ValueError("leave_one_out needs a case_id column")
    import inspect

    try:  # the call the re-runs make, bound before the first: a missing argument is the user's to name
        inspect.signature(fn).bind(cases, **kwargs)
    except TypeError as exc:
        raise ValueError(f"leave_one_out calls {getattr(fn, '__name__', 'fn')}(cases, **kwargs), which does not fit "
                         f"its arguments: {exc}; pass them by name, e.g. leave_one_out(cases, ordinal_model, "
                         "outcome='sustainability', predictors=['integration'])") from None
    except ValueError:  # a callable without a signature (a builtin): its own call says what is wrong
        pass
    full = _estimates(fn(cases, **kwargs)).reset_index(drop=True)
    rows, failed = [], 0
    ids = cases["case_id"].astype("object").to_numpy()
    for i in range(len(cases)):
        try:
            est = _estimates(fn(cases.drop(index=cases.index[i]), **kwargs))
        except (ValueError, np.linalg.LinAlgError):
            failed += 1
            continue
        rows.append(est.assign(dropped=ids[i]))
    if not rows:
        raise ValueError("every leave-one-out run failed")
    det = pd.concat(rows, ignore_index=True).merge(full[["term", "estimate"]].rename(columns={"estimate": "full"}),
                                                   on="term", how="left")
    det["change"] = det["estimate"] - det["full"]
    if detail:
        return det[["dropped", "term", "estimate", "p_value", "change"]]
    out = []
    for _, f in full.iterrows():
        d = det[det["term"] == f["term"]]
        finite = d[np.isfinite(d["change"].astype("float64"))]
        worst = finite.loc[finite["change"].abs().idxmax()] if len(finite) else None
        out.append({
            "term": f["term"], "estimate": f["estimate"], "p_value": f["p_value"],
            "loo_min": d["estimate"].min(), "loo_max": d["estimate"].max(),
            "p_min": d["p_value"].min(), "p_max": d["p_value"].max(),
            "most_influential": None if worst is None else worst["dropped"],
            "estimate_without": np.nan if worst is None else worst["estimate"],
            "max_change": np.nan if worst is None else abs(worst["change"]),
            "n_failed": failed + (len(cases) - failed - len(d)),
        })
    return pd.DataFrame(out)
