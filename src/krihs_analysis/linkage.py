"""Does integrating projects in one area go with sustainability? (KRIHS Policy Brief 736, question b).

* :func:`association` -- Kendall's tau_b, Spearman's rho, Fisher's exact test and the Cochran-Armitage trend test,
  with p-values exact and conditional on the ties (network algorithm, or full enumeration of the within-stratum
  arrangements when the sample is stratified; seeded Monte Carlo with its standard error only when exact is out
  of reach) and bootstrap intervals.
* :func:`ordinal_model` -- proportional-odds model (statsmodels ``OrderedModel``) with R-``polr``-style cut-points.
* :func:`firth_logit` -- Firth's bias-reduced logistic regression for binary outcomes with separation, with
  profile penalised-likelihood intervals and penalised likelihood-ratio p-values (as R ``logistf``).
* :func:`leave_one_out` -- re-run any of the above dropping each case in turn.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from krihs_analysis import _exact as E

__all__ = ["association", "ordinal_model", "firth_logit", "leave_one_out", "ModelFit", "METHODS"]

METHODS = ("kendall", "spearman", "fisher", "trend")


def _check_columns(cases: pd.DataFrame, names: Sequence[str]) -> None:
    from krihs_analysis.codebook import check_variables

    if not isinstance(cases, pd.DataFrame):
        raise TypeError(f"cases must be a pandas DataFrame, got {type(cases).__name__}")
    check_variables([n for n in names])
    missing = [n for n in names if n not in cases.columns]
    if missing:
        raise ValueError(f"columns {missing} are missing from the case data")


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
    seed: int | None = 0,
    n_resamples: int = 9999,
    alternative: str = "two-sided",
    alpha: float = 0.05,
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
        A column (e.g. ``"programme"``): `y` is permuted only within strata (the two sites of one programme are
        not independent) and the bootstrap resamples within strata.  Not available for ``fisher``.
    seed, n_resamples
        Seed and size of the bootstrap (and of the Monte Carlo fallback).
    alternative
        ``"two-sided"`` (``|T - E T| >= |t - E T|`` under the conditional null), ``"greater"`` or ``"less"``.
    alpha
        1 - confidence level.

    Returns
    -------
    pandas.DataFrame
        One row: ``x, y, method, strata, n, statistic, ci_low, ci_high, ci_method, p_value, p_se, p_method,
        alternative``.  ``p_method`` is ``"exact"`` (network algorithm over tables with fixed margins),
        ``"exact (full enumeration)"`` (all distinct within-stratum arrangements) or ``"monte carlo"`` (then
        ``p_se`` > 0).  Intervals: bootstrap BCa (percentile fallback) for kendall/spearman; exact conditional for
        the 2 x 2 odds ratio; none (NaN) for r x c fisher and trend.

    Examples
    --------
    >>> import pandas as pd
    >>> cases = pd.DataFrame({"integration": [0, 1, 1, 2, 3, 3], "sustainability": [0, 0, 1, 2, 2, 3]})
    >>> res = association(cases, n_resamples=999)
    >>> round(float(res["statistic"].iloc[0]), 3), res["p_method"].iloc[0]
    (0.846, 'exact')
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    E.check_alternative(alternative)
    _check_columns(cases, [x, y])
    if strata is not None and strata not in cases.columns:
        raise ValueError(f"strata column {strata!r} is missing from the case data")
    if strata is not None and method == "fisher":
        raise ValueError("strata are not supported for method='fisher'; use 'kendall', 'spearman' or 'trend'")
    xv, yv = E.as_float(cases[x]), E.as_float(cases[y])
    keep = np.isfinite(xv) & np.isfinite(yv)
    sv = None
    if strata is not None:
        sraw = cases[strata].astype("object")
        keep &= sraw.notna().to_numpy()
        sv = sraw.to_numpy()[keep].astype(str)
    xv, yv = xv[keep], yv[keep]
    n = len(xv)
    if n < 3:
        raise ValueError(f"{x!r} and {y!r} have only {n} complete cases; need at least 3")
    for name, v in ((x, xv), (y, yv)):
        if np.all(v == v[0]):
            raise ValueError(f"{name!r} is constant ({v[0]:g}) over the complete cases: no association to measure")
    rng = E.rng_from(seed)
    base = {"x": x, "y": y, "method": method, "strata": strata, "n": n, "alternative": alternative}
    if method in ("kendall", "spearman"):
        res = _rank_correlation(xv, yv, sv, method, alternative, n_resamples, rng, alpha)
    elif method == "fisher":
        res = _fisher(xv, yv, alternative, alpha)
    else:
        res = _trend(xv, yv, sv, alternative, n_resamples, rng, x, y)
    cols = ["x", "y", "method", "strata", "n", "statistic", "ci_low", "ci_high", "ci_method", "p_value", "p_se",
            "p_method", "alternative"]
    return pd.DataFrame([{**base, **res}])[cols]


def _rank_correlation(xv, yv, sv, method, alternative, n_resamples, rng, alpha) -> dict:
    n = len(xv)
    if method == "kendall":
        stat = E.kendall_tau_b(xv, yv)
        s_obs = E.kendall_S(xv, yv)

        def exact():
            return E.kendall_exact(xv, yv, alternative)

        def stat_rows(Y):
            return E.kendall_S_rows(xv, Y, values=np.unique(yv))

        center = _kendall_center(xv, yv, sv)
        t_obs = s_obs
    else:
        a, b = E.midranks(xv), E.midranks(yv)
        stat = float(np.corrcoef(a, b)[0, 1])
        t_obs = float(a @ b)
        center = _linear_center(a, b, sv)

        def exact():
            return E.linear_exact(a, b, t_obs, center, alternative)

        def stat_rows(Y):
            return Y @ a  # Y holds permuted mid-ranks of y

    test = None
    if sv is None:
        try:
            test = E.PermTest(stat, exact(), E.P_EXACT)
        except E.Infeasible:
            test = None
    if test is None:
        yperm_source = yv if method == "kendall" else E.midranks(yv)
        pt = E.permutation_test(yperm_source, stat_rows, t_obs, center, alternative=alternative, strata=sv,
                                n_resamples=n_resamples, rng=rng)
        test = E.PermTest(stat, pt.p_value, pt.p_method, pt.p_se, pt.n_resamples)
    # bootstrap interval (pairs; within strata when stratified)
    lo = hi = np.nan
    how = "none"
    if n_resamples > 0:
        order, blocks = E.strata_layout(sv, n)
        idx = order[E.bootstrap_indices(blocks, n_resamples, rng)]
        fn = E.kendall_tau_b_rows if method == "kendall" else E.spearman_rows
        boot = np.concatenate([fn(xv[idx[k:k + 2000]], yv[idx[k:k + 2000]]) for k in range(0, n_resamples, 2000)])
        loo = np.array([np.delete(np.arange(n), i) for i in range(n)])
        jack = fn(xv[loo], yv[loo])
        lo, hi, how = E.bca_interval(stat, boot, jack, alpha=alpha)
    return {"statistic": stat, "ci_low": lo, "ci_high": hi, "ci_method": how, "p_value": test.p_value,
            "p_se": test.p_se, "p_method": test.p_method}


def _linear_center(a: np.ndarray, b: np.ndarray, sv) -> float:
    """E[sum a_i b_pi(i)] under (within-stratum) permutation."""
    if sv is None:
        return float(a.sum() * b.sum() / len(a))
    return float(sum(a[sv == s].sum() * b[sv == s].sum() / np.count_nonzero(sv == s) for s in np.unique(sv)))


def _kendall_center(x: np.ndarray, y: np.ndarray, sv) -> float:
    """E[S] under within-stratum permutation of y (0 without strata)."""
    if sv is None:
        return 0.0
    labels = np.unique(sv)
    ys = {s: y[sv == s] for s in labels}
    m = {(s, t): float(np.sign(ys[s][:, None] - ys[t][None, :]).mean()) for s in labels for t in labels}
    i, j = np.triu_indices(len(x), 1)
    cross = sv[i] != sv[j]
    dx = np.sign(x[i] - x[j])[cross]
    return float(sum(d * m[(s, t)] for d, s, t in zip(dx, sv[i][cross], sv[j][cross])))


def _fisher(xv, yv, alternative, alpha) -> dict:
    ux, ix = np.unique(xv, return_inverse=True)
    uy, iy = np.unique(yv, return_inverse=True)
    table = E.crosstab_counts(ix, iy, len(ux), len(uy))
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


def _trend(xv, yv, sv, alternative, n_resamples, rng, x, y) -> dict:
    uy = np.unique(yv)
    if len(uy) != 2:
        raise ValueError(f"the trend test needs a binary {y!r}; it takes {len(uy)} values")
    resp = (yv == uy[1]).astype("float64")
    n, m = len(resp), resp.sum()
    pbar = m / n
    xc = xv - xv.mean()
    t_obs = float(resp @ xv)
    center = _linear_center(xv, resp, sv)
    z = float((resp @ xc) / math.sqrt(pbar * (1 - pbar) * (xc @ xc)))
    test = None
    if sv is None:
        try:
            p = E.linear_exact(xv, resp, t_obs, center, alternative)
            test = E.PermTest(z, p, E.P_EXACT)
        except E.Infeasible:
            test = None
    if test is None:
        test = E.permutation_test(resp, lambda Y: Y @ xv, t_obs, center, alternative=alternative, strata=sv,
                                  n_resamples=n_resamples, rng=rng)
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

    def __str__(self) -> str:
        stats = self.fit_stats.iloc[0]
        head = f"{self.model}: {self.outcome} ~ " + " + ".join(
            self.coef.loc[self.coef["kind"] == "slope", "term"].astype(str)
        )
        lines = [head, f"n = {int(stats['n'])}, log-likelihood = {stats['loglik']:.4f}"]
        with pd.option_context("display.width", 120, "display.max_columns", 20):
            lines.append(self.coef.to_string(index=False, float_format=lambda v: f"{v:.4f}"))
        return "\n".join(lines)


def _model_frame(cases: pd.DataFrame, outcome: str, predictors: Sequence[str]) -> tuple[pd.Series, pd.DataFrame]:
    if isinstance(predictors, str):
        predictors = [predictors]
    predictors = list(predictors)
    if not predictors:
        raise ValueError("give at least one predictor")
    _check_columns(cases, [outcome, *predictors])
    yv = E.as_float(cases[outcome])
    X = np.column_stack([E.as_float(cases[p]) for p in predictors])
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
        ``fit_stats``: ``n, loglik, llnull, aic, bic, pseudo_r2 (McFadden), converged, link``.

    Examples
    --------
    >>> from krihs_analysis.data import read_cases
    >>> fit = ordinal_model(read_cases(), "sustainability", ["integration"])
    >>> fit.coef["term"].tolist()
    ['integration', '0|1', '1|2', '2|3']
    """
    if link not in ("logit", "probit"):
        raise ValueError(f"link must be 'logit' or 'probit', got {link!r}")
    import warnings

    from statsmodels.miscmodels.ordinal_model import OrderedModel

    ys, X = _model_frame(cases, outcome, predictors)
    levels = np.sort(ys.unique())
    endog = pd.Series(pd.Categorical(ys, categories=levels, ordered=True), index=ys.index, name=outcome)
    model = OrderedModel(endog, X, distr=link)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = model.fit(method="newton", disp=False, maxiter=200)
        if not res.mle_retvals.get("converged", False):
            res = model.fit(method="bfgs", disp=False, maxiter=5000, gtol=1e-8)
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
        "converged": bool(res.mle_retvals.get("converged", True)), "link": link,
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
    likelihood (``ci_method = "profile penalised likelihood"``, p from the penalised likelihood-ratio test), as R's
    ``logistf``; with ``profile=False`` Wald intervals and p-values from the penalised fit's covariance.

    Parameters
    ----------
    cases
        Case data (never modified); incomplete cases are dropped.
    outcome
        Binary codebook variable (two distinct values; the larger is the event).
    predictors
        Codebook variables entered as numeric scores (an intercept is added).

    Returns
    -------
    ModelFit
        ``coef``: ``term, kind ("intercept"/"slope"), estimate, se, z, p_value, ci_low, ci_high, ci_method``;
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
    ci_method = "wald"
    if profile:
        crit = chi2.ppf(1 - alpha, 1)

        def prof(j: int, b: float) -> float:
            _, val, _, _ = _firth_fit(X, y, fixed=(j, b), beta0=beta)
            return 2 * (pl_max - val)

        for j in range(X.shape[1]):
            pvals[j] = float(chi2.sf(max(prof(j, 0.0), 0.0), 1))
            for side, arr in ((-1, ci_low), (1, ci_high)):
                step = max(se[j], 0.5)
                far = beta[j] + side * step
                tries = 0
                while prof(j, far) < crit and tries < 30:
                    far = beta[j] + side * step * 2 ** (tries + 1)
                    tries += 1
                arr[j] = brentq(lambda b: prof(j, b) - crit, *sorted((beta[j], far)), xtol=1e-8) \
                    if prof(j, far) >= crit else np.nan
        ci_method = "profile penalised likelihood"
    coef = pd.DataFrame({"term": terms, "kind": ["intercept"] + ["slope"] * Xdf.shape[1], "estimate": beta,
                         "se": se, "z": wald["z"], "p_value": pvals, "ci_low": ci_low, "ci_high": ci_high,
                         "ci_method": ci_method})
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
    raise TypeError(f"leave_one_out does not know how to read a {type(result).__name__}")


def leave_one_out(
    fn: Callable[..., object], cases: pd.DataFrame, *, detail: bool = False, **kwargs
) -> pd.DataFrame:
    """Re-run an analysis dropping each case in turn; report the range of estimates and the most influential case.

    Parameters
    ----------
    fn
        :func:`association`, :func:`ordinal_model`, :func:`firth_logit` or
        :func:`krihs_analysis.compare.compare_countries` (anything returning one of their result types).
    cases
        Case data with ``case_id`` (never modified).
    detail
        Return the per-drop table (``dropped, term, estimate, p_value, change``) instead of the summary.
    **kwargs
        Passed to `fn` (e.g. ``x=``, ``method=``, ``n_resamples=``; positional model arguments by name:
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
    >>> leave_one_out(association, cases, n_resamples=0)[["loo_min", "loo_max"]].round(3).values.tolist()
    [[0.825, 0.889]]
    """
    if "case_id" not in cases.columns:
        raise ValueError("leave_one_out needs a case_id column")
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
