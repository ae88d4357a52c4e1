"""Tests of krihs_analysis.linkage."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from krihs_analysis.linkage import association, firth_logit, leave_one_out, ordinal_model

# Hollander & Wolfe (1973, p. 187) data, R's cor.test example.
HW = pd.DataFrame({"self_funded_pct": [44.4, 45.9, 41.9, 53.3, 44.7, 44.1, 50.7, 45.2, 60.1],
                   "years_after_support": [2.6, 3.1, 2.5, 5.0, 3.6, 4.0, 5.2, 2.8, 3.8]})


def _cat(v):
    return pd.Categorical(v, categories=[0, 1, 2, 3], ordered=True)


@pytest.fixture(scope="module")
def sample_cases() -> pd.DataFrame:
    from krihs_analysis.data import read_cases

    return read_cases()


@pytest.fixture
def cases() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    n = 26
    integ = rng.integers(0, 4, n)
    return pd.DataFrame({
        "case_id": [f"KR-P{i // 2 + 1}-{'AB'[i % 2]}" for i in range(14)] + [f"JP-{i:02d}" for i in range(1, 13)],
        "country": pd.Categorical(["KR"] * 14 + ["JP"] * 12, categories=["KR", "JP"]),
        "programme": [f"KR-P{i // 2 + 1}" for i in range(14)] + ["JP-RMO"] * 12,
        "integration": _cat(integ),
        "sustainability": _cat(np.clip(integ + rng.integers(-1, 2, n), 0, 3)),
        "continued": (integ + rng.integers(-1, 2, n) >= 2).astype(int),
    })


def test_kendall_reproduces_r_cor_test_exact_p():
    # R: cor.test(x, y, method = "kendall") -> tau = 0.4444444, p-value = 0.1194
    res = association(HW, "self_funded_pct", "years_after_support", method="kendall", n_boot=199).iloc[0]
    assert res["statistic"] == pytest.approx(0.4444444, abs=1e-7)
    assert res["p_value"] == pytest.approx(0.1194, abs=5e-5)
    assert res["p_method"] == "exact"


def test_spearman_reproduces_r_cor_test_exact_p_not_scipys_approximation():
    # R: cor.test(x, y, method = "spearman") -> rho = 0.6, p-value = 0.0968 (scipy.stats.spearmanr: 0.0876)
    res = association(HW, "self_funded_pct", "years_after_support", method="spearman", n_boot=199).iloc[0]
    assert res["statistic"] == pytest.approx(0.6, abs=1e-12)
    assert res["p_value"] == pytest.approx(0.0968, abs=5e-5)


@pytest.mark.parametrize("alternative, expected", [("two-sided", 0.4857), ("greater", 0.2429)])
def test_fisher_reproduces_r_on_the_tea_tasting_table(alternative, expected):
    # R: fisher.test(TeaTasting) -> p = 0.4857; alternative = "greater" -> 0.2429; odds ratio 6.408309
    tea = pd.DataFrame({"integration": [1] * 4 + [0] * 4, "continued": [1, 1, 1, 0, 1, 0, 0, 0]})
    res = association(tea, "integration", "continued", method="fisher", alternative=alternative).iloc[0]
    assert res["p_value"] == pytest.approx(expected, abs=5e-5)
    assert res["statistic"] == pytest.approx(6.4083, abs=1e-4)


def _fisher_p_by_enumerating_every_table(table: np.ndarray) -> float:
    """Fisher's r x c p-value from first principles: every table with the observed margins, its multivariate
    hypergeometric probability, and the sum over those no more probable than the observed (R's relative 1e-7)."""
    from itertools import product
    from math import exp, lgamma

    rows, cols = table.sum(axis=1), table.sum(axis=0)

    def log_p(t):
        cells = sum(lgamma(v + 1) for v in np.ravel(t))
        return (sum(lgamma(v + 1) for v in rows) + sum(lgamma(v + 1) for v in cols)
                - lgamma(table.sum() + 1) - cells)

    observed, total = log_p(table), 0.0
    r, c = table.shape
    for free in product(*[range(min(rows[i], cols[j]) + 1) for i in range(r - 1) for j in range(c - 1)]):
        t = np.zeros((r, c), dtype=int)
        t[:-1, :-1] = np.reshape(free, (r - 1, c - 1))
        t[:-1, -1] = rows[:-1] - t[:-1, :-1].sum(axis=1)
        t[-1, :] = cols - t[:-1, :].sum(axis=0)
        if (t >= 0).all() and t[-1].sum() == rows[-1] and log_p(t) <= observed + 1e-7:
            total += exp(log_p(t))
    return total


def test_fisher_r_by_c_equals_the_enumeration_of_every_table_with_the_margins():
    # The engine itself reproduces R on Agresti's 4 x 4 job-satisfaction table (test_exact); here the public
    # function on a 3 x 3 table, against an enumeration of all tables with its margins.
    table = np.array([[3, 1, 0], [1, 2, 2], [0, 1, 4]])
    rows = [(i, j) for i in range(3) for j in range(3) for _ in range(table[i, j])]
    df = pd.DataFrame(rows, columns=["integration", "sustainability"])
    res = association(df, method="fisher").iloc[0]
    assert res["p_value"] == pytest.approx(_fisher_p_by_enumerating_every_table(table), rel=1e-9)
    assert 0.01 < res["p_value"] < 0.5  # neither trivially 1 nor degenerate


def test_trend_test_p_is_exact_permutation_of_the_score_sum():
    """Cochran-Armitage with exact p, checked against enumeration of all C(8,4) = 70 splits."""
    from itertools import combinations

    x = np.array([0, 0, 1, 1, 2, 2, 3, 3])
    y = np.array([0, 0, 0, 1, 0, 1, 1, 1])
    res = association(pd.DataFrame({"integration": x, "continued": y}), "integration", "continued",
                      method="trend").iloc[0]
    t_obs, center = x[y == 1].sum(), 4 * x.mean()
    sums = np.array([x[list(c)].sum() for c in combinations(range(8), 4)])
    expected = np.mean(np.abs(sums - center) >= abs(t_obs - center) - 1e-9)
    assert res["p_value"] == pytest.approx(expected, abs=1e-12)


def test_association_returns_one_tidy_row_with_documented_columns(cases):
    out = association(cases, n_boot=199)
    assert len(out) == 1
    assert {"x", "y", "method", "statistic", "p_value", "p_method", "ci_low", "ci_high", "n", "strata",
            "p_se"} <= set(out.columns)


def test_kendall_on_fourteen_plus_twelve_tied_codes_is_exact(cases):
    out = association(cases, n_boot=199).iloc[0]
    assert out["p_method"] == "exact"
    assert out["ci_low"] <= out["statistic"] <= out["ci_high"]


def test_stratified_kendall_past_the_budget_is_seeded_monte_carlo_with_its_standard_error(cases):
    jp = cases[cases["country"] == "JP"]
    big = pd.concat([cases, jp.assign(case_id=jp["case_id"] + "b")], ignore_index=True)  # one stratum of 24 cases
    kw = dict(strata="programme", n_boot=0, n_permutations=999, seed=3, enumeration_limit=10_000)
    a = association(big, **kw).iloc[0]
    b = association(big, **kw).iloc[0]
    assert a["p_method"] == "monte carlo (within-strata permutation)"
    assert 0 < a["p_se"] < 0.02
    assert a["p_value"] == b["p_value"]


def test_stratified_kendall_with_no_monte_carlo_budget_past_enumeration_raises_with_the_space_size(cases):
    jp = cases[cases["country"] == "JP"]
    big = pd.concat([cases, jp.assign(case_id=jp["case_id"] + "b")], ignore_index=True)
    with pytest.raises(ValueError, match=r"has [0-9,]+ arrangements, more than the enumeration budget of 10,000"):
        association(big, strata="programme", n_boot=0, n_permutations=0, enumeration_limit=10_000)


def _within_tau_b_by_hand(x, y, strata):
    """tau_b from the within-stratum pairs, pair by pair (the reference definition)."""
    s = n1 = n2 = 0
    for i in range(len(x)):
        for j in range(i + 1, len(x)):
            if strata[i] != strata[j]:
                continue
            dx, dy = np.sign(x[i] - x[j]), np.sign(y[i] - y[j])
            s += dx * dy
            n1 += dx != 0
            n2 += dy != 0
    return s / np.sqrt(n1 * n2), s


def _within_stratum_arrangements(y, strata):
    """Every permutation of y within strata, by itertools (duplicates kept: each permutation equally likely)."""
    from itertools import permutations, product

    groups = [np.flatnonzero(np.asarray(strata) == s) for s in dict.fromkeys(strata)]
    for choice in product(*[list(permutations(g)) for g in groups]):
        yy = y.copy()
        for g, perm in zip(groups, choice):
            yy[g] = y[list(perm)]
        yield yy


def test_within_stratum_tau_b_and_its_exact_p_equal_enumeration_on_a_sub_sample(sample_cases):
    """Three programmes and four Japanese cases of the sample: 2*2*2*4! = 192 within-stratum permutations."""
    sub = sample_cases[sample_cases["programme"].isin(["KR-P1", "KR-P2", "KR-P4"])
                       | sample_cases["case_id"].isin(["JP-01", "JP-02", "JP-05", "JP-07"])]
    x = sub["integration"].astype(float).to_numpy()
    y = sub["sustainability"].astype(float).to_numpy()
    strata = sub["programme"].astype(str).tolist()
    tau_ref, s_obs = _within_tau_b_by_hand(x, y, strata)
    s_all = np.array([_within_tau_b_by_hand(x, yy, strata)[1] for yy in _within_stratum_arrangements(y, strata)])
    p_ref = np.mean(np.abs(s_all) >= abs(s_obs) - 1e-12)
    res = association(sub, strata="programme", n_boot=0, n_permutations=0).iloc[0]
    assert res["statistic"] == pytest.approx(tau_ref, abs=1e-9)
    assert res["p_value"] == pytest.approx(p_ref, abs=1e-9)
    assert res["p_method"] == "exact (within-strata permutation)"


def test_stratified_permutation_equals_enumeration_over_within_stratum_swaps():
    """Four strata of two cases: 2^4 = 16 arrangements, enumerated by hand here."""
    x = np.array([0, 1, 1, 2, 2, 3, 0, 3.0])
    y = np.array([0, 1, 2, 1, 3, 2, 1, 3.0])
    strata = ["a", "a", "b", "b", "c", "c", "d", "d"]
    df = pd.DataFrame({"integration": x, "sustainability": y, "programme": strata})
    res = association(df, strata="programme", n_boot=0, n_permutations=0).iloc[0]
    tau_ref, s_obs = _within_tau_b_by_hand(x, y, strata)
    s_all = np.array([_within_tau_b_by_hand(x, yy, strata)[1] for yy in _within_stratum_arrangements(y, strata)])
    assert len(s_all) == 16
    assert res["statistic"] == pytest.approx(tau_ref, abs=1e-9)
    assert res["p_value"] == pytest.approx(np.mean(np.abs(s_all) >= abs(s_obs) - 1e-12), abs=1e-9)


@pytest.mark.parametrize("method", ["spearman", "trend"])
def test_within_stratum_spearman_and_trend_p_equal_enumeration(method):
    """Within-stratum analogues (centred within-stratum mid-ranks; x centred within strata) by enumeration."""
    x = np.array([0, 1, 3, 1, 2, 2, 3, 0, 2.0])
    y = np.array([0, 1, 1, 0, 1, 1, 1, 0, 0.0]) if method == "trend" else np.array([0, 1, 2, 1, 3, 2, 3, 0, 1.0])
    strata = ["a", "a", "a", "b", "b", "b", "b", "c", "c"]
    df = pd.DataFrame({"integration": x, "continued": y, "sustainability": y, "programme": strata})
    yname = "continued" if method == "trend" else "sustainability"
    res = association(df, "integration", yname, method=method, strata="programme", n_boot=0,
                      n_permutations=0).iloc[0]
    from scipy.stats import rankdata

    sv = np.asarray(strata)

    def centred(v, ranks):
        out = np.empty(len(v))
        for s in set(strata):
            g = sv == s
            r = rankdata(v[g]) if ranks else v[g]
            out[g] = r - r.mean()
        return out

    a = centred(x, method == "spearman")

    def stat(yy):
        return float(a @ (centred(yy, True) if method == "spearman" else yy))

    t_all = np.array([stat(yy) for yy in _within_stratum_arrangements(y, strata)])
    # distinct values differ by at least 1/12 here; 1e-9 only absorbs floating-point error in equal ones
    p_ref = np.mean(np.abs(t_all) >= abs(stat(y)) - 1e-9)
    assert res["p_value"] == pytest.approx(p_ref, abs=1e-9)
    if method == "spearman":
        b = centred(y, True)
        assert res["statistic"] == pytest.approx(a @ b / np.sqrt((a @ a) * (b @ b)), abs=1e-9)


def _block_arrangements(y, clusters):
    """Every permutation of whole clusters' y-vectors among clusters of equal size (order inside kept)."""
    from itertools import permutations, product

    labels = list(dict.fromkeys(clusters))
    members = {c: np.flatnonzero(np.asarray(clusters) == c) for c in labels}
    by_size = {}
    for c in labels:
        by_size.setdefault(len(members[c]), []).append(c)
    classes = list(by_size.values())
    for choice in product(*[list(permutations(cl)) for cl in classes]):
        yy = y.copy()
        for cl, perm in zip(classes, choice):
            for dest, src in zip(cl, perm):
                yy[members[dest]] = y[members[src]]
        yield yy


@pytest.mark.parametrize("method", ["kendall", "spearman", "trend", "fisher"])
def test_cluster_permutation_p_of_association_equals_enumeration(sample_cases, method):
    """A sub-sample with its default clusters (3 programmes of 2, Unnan's 3, 3 single cases): 3!*1*3! = 36."""
    from krihs_analysis.data import default_clusters
    from scipy.stats import rankdata

    sub = sample_cases[sample_cases["programme"].isin(["KR-P1", "KR-P3", "KR-P5"])
                       | sample_cases["case_id"].isin(["JP-02", "JP-03", "JP-04", "JP-01", "JP-05", "JP-10"])]
    sub = sub.assign(cluster=default_clusters(sub))
    yname = "continued" if method in ("trend", "fisher") else "sustainability"
    x = sub["integration"].astype(float).to_numpy()
    y = sub[yname].astype(float).to_numpy()
    cl = sub["cluster"].tolist()
    if method == "kendall":
        def stat(yy):
            return _within_tau_b_by_hand(x, yy, [0] * len(x))[1]
        extreme = lambda t, t0: abs(t) >= abs(t0) - 1e-12  # noqa: E731
    elif method == "spearman":
        a = rankdata(x) - rankdata(x).mean()
        def stat(yy):
            return float(a @ (rankdata(yy) - rankdata(yy).mean()))
        extreme = lambda t, t0: abs(t) >= abs(t0) - 1e-12  # noqa: E731
    elif method == "trend":
        def stat(yy):
            return float((x - x.mean()) @ yy)
        extreme = lambda t, t0: abs(t) >= abs(t0) - 1e-12  # noqa: E731
    else:
        from math import lgamma

        def stat(yy):  # log probability of the x-by-y table up to a constant
            t = pd.crosstab(x, yy).to_numpy()
            return -sum(lgamma(v + 1) for v in t.ravel())
        extreme = lambda t, t0: t <= t0 + 1e-7  # noqa: E731
    t0 = stat(y)
    t_all = [stat(yy) for yy in _block_arrangements(y, cl)]
    assert len(t_all) == 36
    p_ref = np.mean([extreme(t, t0) for t in t_all])
    res = association(sub, "integration", yname, method=method, cluster="cluster", n_boot=0,
                      n_permutations=0).iloc[0]
    assert res["p_value"] == pytest.approx(p_ref, abs=1e-9)
    assert res["p_method"] == "exact (cluster permutation, full enumeration)"


def test_cluster_association_past_the_budget_raises_without_monte_carlo_draws(sample_cases):
    from krihs_analysis.data import default_clusters

    df = sample_cases.assign(cluster=default_clusters(sample_cases))
    with pytest.raises(ValueError, match="arrangements, more than the enumeration budget of 10"):
        association(df, cluster="cluster", n_boot=0, n_permutations=0, enumeration_limit=10)
    res = association(df, cluster="cluster", n_boot=0, n_permutations=999, enumeration_limit=10).iloc[0]
    assert res["p_method"] == "monte carlo (cluster permutation)" and res["p_se"] > 0


def test_stratified_bootstrap_refuses_strata_smaller_than_five_and_says_why(sample_cases):
    res = association(sample_cases, strata="programme", n_boot=199, n_permutations=0).iloc[0]
    assert np.isnan(res["ci_low"]) and np.isnan(res["ci_high"])
    assert res["ci_method"] == "none (stratum too small for a within-stratum bootstrap: n = 2 cases)"


def test_cluster_bootstrap_resamples_whole_clusters(sample_cases):
    from krihs_analysis.data import default_clusters

    df = sample_cases.assign(cluster=default_clusters(sample_cases))
    res = association(df, cluster="cluster", n_boot=499, n_permutations=999).iloc[0]
    assert res["ci_method"].endswith("(whole clusters resampled)")
    assert res["ci_low"] <= res["statistic"] <= res["ci_high"]
    assert res["n_units"] == 15


def test_old_n_resamples_name_sets_both_budgets_with_a_future_warning(cases):
    with pytest.warns(FutureWarning, match="n_resamples= is renamed n_boot= and n_permutations="):
        old = association(cases, n_resamples=199, seed=1).iloc[0]
    new = association(cases, n_boot=199, n_permutations=199, seed=1).iloc[0]
    assert (old["ci_low"], old["ci_high"], old["p_value"]) == (new["ci_low"], new["ci_high"], new["p_value"])


@pytest.mark.parametrize("kw, match", [({"n_boot": -5}, "n_boot must be a whole number of at least 0"),
                                       # two draws gave a "95% BCa" interval [0.77, 0.79] the brief called a finding
                                       ({"n_boot": 2}, r"n_boot must be 0 \(no interval\) or at least 99 draws"),
                                       ({"alpha": 5}, "alpha is a significance level"),
                                       ({"seed": 1.5}, "seed must be"),
                                       ({"n_permutations": 2.5}, "n_permutations must be"),
                                       ({"nboot": 9}, "unknown keyword 'nboot'")])
def test_association_validates_its_options_up_front(cases, kw, match):
    with pytest.raises(ValueError, match=match):
        association(cases, **kw)


def test_association_rejects_a_list_with_a_helpful_message():
    with pytest.raises(ValueError, match="cases must be a pandas DataFrame"):
        association([1, 2])


def test_leave_one_out_old_argument_order_still_works_with_a_future_warning(cases):
    few = cases.iloc[::2]  # the order of the arguments is under test, not the analysis: half the cases will do
    with pytest.warns(FutureWarning, match="data first"):
        old = leave_one_out(association, few, n_boot=0)
    pd.testing.assert_frame_equal(old, leave_one_out(few, association, n_boot=0))


def test_association_rejects_constant_data(cases):
    df = cases.copy()
    df["integration"] = _cat([1] * 26)
    with pytest.raises(ValueError, match="constant"):
        association(df)


def test_association_rejects_a_variable_outside_the_codebook(cases):
    with pytest.raises(ValueError, match="not a variable of the codebook"):
        association(cases, x="nonsense")


@pytest.mark.parametrize("method", ["kendall", "spearman", "fisher"])
def test_association_never_mutates_its_input(cases, method):
    before = cases.copy(deep=True)
    association(cases, method=method, n_boot=99)
    pd.testing.assert_frame_equal(cases, before)


@pytest.fixture(scope="module")
def ucla() -> pd.DataFrame:
    import statsmodels

    path = Path(statsmodels.__file__).parent / "miscmodels/tests/results/ologit_ucla.csv"
    df = pd.read_csv(path)
    # codebook names stand in for the UCLA columns (the functions only accept codebook variables)
    return pd.DataFrame({
        "sustainability": df["apply"].map({"unlikely": 0, "somewhat likely": 1, "very likely": 2}),
        "integration": df["pared"], "local_gov": df["public"], "self_funded_pct": df["gpa"],
    })


def test_ordinal_model_reproduces_r_polr_on_ucla_data(ucla):
    """R MASS::polr(apply ~ pared + public + gpa): 1.0477, -0.0588, 0.6159; cut-points 2.2039, 4.2994.

    polr's optim stops at reltol 1e-8 on a flat likelihood; the exact MLE differs in the 4th decimal (gpa
    0.61575, cut-points 2.2033, 4.2988 -- same log-likelihood -358.5124), hence the 1e-3 tolerance.
    """
    fit = ordinal_model(ucla, "sustainability", ["integration", "local_gov", "self_funded_pct"])
    est = fit.coef.set_index("term")["estimate"]
    expected = {"integration": 1.0477, "local_gov": -0.0588, "self_funded_pct": 0.6159, "0|1": 2.2039,
                "1|2": 4.2994}
    for term, value in expected.items():
        assert est[term] == pytest.approx(value, abs=1e-3)
    assert fit.fit_stats.loc[0, "loglik"] == pytest.approx(-717.0249 / 2, abs=1e-3)


def test_ordinal_model_predicted_probabilities_sum_to_one_per_case(ucla):
    fit = ordinal_model(ucla, "sustainability", ["integration", "self_funded_pct"])
    sums = fit.predicted.groupby("case_id")["probability"].sum()
    np.testing.assert_allclose(sums.to_numpy(), 1.0, atol=1e-10)
    assert "threshold" in str(fit)


FIRTH = pd.DataFrame({"case_id": [f"c{i}" for i in range(14)], "integration": [1] * 6 + [0] * 8,
                      "continued": [1] * 6 + [1, 1] + [0] * 6})


def test_firth_logit_matches_the_closed_form_for_a_separated_two_by_two_table():
    """Table [[6, 0], [2, 6]]: Firth = add 1/2 to each cell, log OR = log(6.5 * 6.5 / (0.5 * 2.5)) = 3.520461."""
    fit = firth_logit(FIRTH, "continued", ["integration"])
    est = fit.coef.set_index("term")["estimate"]
    assert est["integration"] == pytest.approx(np.log(6.5 * 6.5 / (0.5 * 2.5)), abs=1e-6)
    assert est["(Intercept)"] == pytest.approx(np.log(2.5 / 6.5), abs=1e-6)


def test_firth_profile_interval_bounds_sit_at_the_chi_square_cut_off():
    from krihs_analysis.linkage import _firth_fit

    fit = firth_logit(FIRTH, "continued", ["integration"])
    X = np.column_stack([np.ones(14), FIRTH["integration"]])
    y = FIRTH["continued"].to_numpy(float)
    _, top, _, _ = _firth_fit(X, y)
    for bound in fit.coef.loc[1, ["ci_low", "ci_high"]]:
        _, val, _, _ = _firth_fit(X, y, fixed=(1, bound))
        assert 2 * (top - val) == pytest.approx(3.841459, abs=1e-4)


def _penalised_loglik(X: np.ndarray, y: np.ndarray, beta: np.ndarray) -> float:
    """Firth's penalised log-likelihood, written out: log L + log|X'WX| / 2."""
    p = 1 / (1 + np.exp(-(X @ beta)))
    info = X.T @ (X * (p * (1 - p))[:, None])
    return float(np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)) + 0.5 * np.linalg.slogdet(info)[1])


def test_firth_chisq_is_the_penalised_likelihood_ratio_its_p_comes_from():
    # Notebook 03 showed Wald's z = 2.35 beside the likelihood-ratio p < 0.001; the table now shows the statistic
    # of the test behind its p (logistf's Chisq). Reference: the penalised log-likelihood written out, at the
    # closed-form estimates (add 1/2 to each cell) and maximised along the intercept with the slope held at 0.
    from scipy.optimize import minimize_scalar
    from scipy.stats import chi2

    fit = firth_logit(FIRTH, "continued", ["integration"])
    X = np.column_stack([np.ones(14), FIRTH["integration"]])
    y = FIRTH["continued"].to_numpy(float)
    top = _penalised_loglik(X, y, np.array([np.log(2.5 / 6.5), np.log(6.5 * 6.5 / (0.5 * 2.5))]))
    held = -minimize_scalar(lambda b0: -_penalised_loglik(X, y, np.array([b0, 0.0])), bounds=(-10, 10),
                            method="bounded", options={"xatol": 1e-10}).fun
    row = fit.coef.set_index("term").loc["integration"]
    assert row["chisq"] == pytest.approx(2 * (top - held), abs=1e-6)
    assert row["p_value"] == pytest.approx(chi2.sf(row["chisq"], 1), rel=1e-9)
    # without profiling, the test is Wald's and so is its statistic
    wald = firth_logit(FIRTH, "continued", ["integration"], profile=False).coef
    np.testing.assert_allclose(wald["chisq"], wald["z"] ** 2)


def test_leave_one_out_reports_range_and_most_influential_case(cases):
    out = leave_one_out(cases, association, n_boot=0)
    assert len(out) == 1
    row = out.iloc[0]
    # recompute every drop-one estimate independently: scipy's tau-b of the codes
    from scipy.stats import kendalltau

    def tau(d):
        return float(kendalltau(d["integration"].astype(int), d["sustainability"].astype(int)).statistic)

    full = tau(cases)
    drops = {cid: tau(cases[cases["case_id"] != cid]) for cid in cases["case_id"]}
    assert row["estimate"] == pytest.approx(full, abs=1e-12)
    assert row["loo_min"] == pytest.approx(min(drops.values()), abs=1e-12)
    assert row["loo_max"] == pytest.approx(max(drops.values()), abs=1e-12)
    assert row["loo_min"] < row["loo_max"]  # dropping different cases moves tau differently
    worst = max(abs(v - full) for v in drops.values())
    assert row["max_change"] == pytest.approx(worst, abs=1e-12)
    assert abs(drops[row["most_influential"]] - full) == pytest.approx(worst, abs=1e-12)
    assert row["estimate_without"] == pytest.approx(drops[row["most_influential"]], abs=1e-12)
    assert row["n_failed"] == 0


def test_leave_one_out_detail_has_one_row_per_dropped_case(cases):
    few = cases.iloc[::2]
    out = leave_one_out(few, association, detail=True, n_boot=0)
    assert len(out) == len(few) and out["dropped"].tolist() == few["case_id"].astype(str).tolist()
