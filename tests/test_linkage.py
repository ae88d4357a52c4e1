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
    res = association(HW, "self_funded_pct", "years_after_support", method="kendall", n_resamples=199).iloc[0]
    assert res["statistic"] == pytest.approx(0.4444444, abs=1e-7)
    assert res["p_value"] == pytest.approx(0.1194, abs=5e-5)
    assert res["p_method"] == "exact"


def test_spearman_reproduces_r_cor_test_exact_p_not_scipys_approximation():
    # R: cor.test(x, y, method = "spearman") -> rho = 0.6, p-value = 0.0968 (scipy.stats.spearmanr: 0.0876)
    res = association(HW, "self_funded_pct", "years_after_support", method="spearman", n_resamples=199).iloc[0]
    assert res["statistic"] == pytest.approx(0.6, abs=1e-12)
    assert res["p_value"] == pytest.approx(0.0968, abs=5e-5)


@pytest.mark.parametrize("alternative, expected", [("two-sided", 0.4857), ("greater", 0.2429)])
def test_fisher_reproduces_r_on_the_tea_tasting_table(alternative, expected):
    # R: fisher.test(TeaTasting) -> p = 0.4857; alternative = "greater" -> 0.2429; odds ratio 6.408309
    tea = pd.DataFrame({"integration": [1] * 4 + [0] * 4, "continued": [1, 1, 1, 0, 1, 0, 0, 0]})
    res = association(tea, "integration", "continued", method="fisher", alternative=alternative).iloc[0]
    assert res["p_value"] == pytest.approx(expected, abs=5e-5)
    assert res["statistic"] == pytest.approx(6.4083, abs=1e-4)


def test_fisher_r_by_c_reproduces_r_on_agresti_job_satisfaction():
    # R ?fisher.test, Job satisfaction by income (Agresti 2002, p. 57) -> p-value = 0.7827
    job = np.array([[1, 3, 10, 6], [2, 3, 10, 7], [1, 6, 14, 12], [0, 1, 9, 11]])
    rows = [(i, j) for i in range(4) for j in range(4) for _ in range(job[i, j])]
    df = pd.DataFrame(rows, columns=["integration", "sustainability"])
    res = association(df, method="fisher").iloc[0]
    assert res["p_value"] == pytest.approx(0.7827, abs=5e-5)


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
    out = association(cases, n_resamples=199)
    assert len(out) == 1
    assert {"x", "y", "method", "statistic", "p_value", "p_method", "ci_low", "ci_high", "n", "strata",
            "p_se"} <= set(out.columns)


def test_kendall_on_fourteen_plus_twelve_tied_codes_is_exact(cases):
    out = association(cases, n_resamples=199).iloc[0]
    assert out["p_method"] == "exact"
    assert out["ci_low"] <= out["statistic"] <= out["ci_high"]


def test_stratified_kendall_falls_back_to_seeded_monte_carlo_with_its_standard_error(cases):
    big = pd.concat([cases, cases[cases["country"] == "JP"]], ignore_index=True)  # 24 JP cases: > 2e6 arrangements
    a = association(big, strata="programme", n_resamples=999, seed=3).iloc[0]
    b = association(big, strata="programme", n_resamples=999, seed=3).iloc[0]
    assert a["p_method"] == "monte carlo"
    assert 0 < a["p_se"] < 0.02
    assert a["p_value"] == b["p_value"]


def test_stratified_permutation_equals_enumeration_over_within_stratum_swaps():
    """Four strata of two cases: 2^4 = 16 arrangements, enumerated by hand here."""
    from itertools import product

    from krihs_analysis import _exact as E

    x = np.array([0, 1, 1, 2, 2, 3, 0, 3.0])
    y = np.array([0, 1, 2, 1, 3, 2, 1, 3.0])
    strata = ["a", "a", "b", "b", "c", "c", "d", "d"]
    df = pd.DataFrame({"integration": x, "sustainability": y, "programme": strata})
    res = association(df, strata="programme", n_resamples=0).iloc[0]
    s_obs = E.kendall_S(x, y)
    values = []
    for flips in product([0, 1], repeat=4):
        yy = y.copy()
        for k, f in enumerate(flips):
            if f:
                yy[[2 * k, 2 * k + 1]] = yy[[2 * k + 1, 2 * k]]
        values.append(E.kendall_S(x, yy))
    values = np.array(values)
    center = values.mean()
    expected = np.mean(np.abs(values - center) >= abs(s_obs - center) - 1e-9)
    assert res["p_method"] == "exact (full enumeration)"
    assert res["p_value"] == pytest.approx(expected, abs=1e-12)


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
    association(cases, method=method, n_resamples=99)
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


def test_leave_one_out_reports_range_and_most_influential_case(cases):
    out = leave_one_out(association, cases, n_resamples=0)
    assert len(out) == 1
    row = out.iloc[0]
    # recompute every drop-one estimate independently
    full = float(association(cases, n_resamples=0)["statistic"].iloc[0])
    drops = {cid: float(association(cases[cases["case_id"] != cid], n_resamples=0)["statistic"].iloc[0])
             for cid in cases["case_id"]}
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
    out = leave_one_out(association, cases, detail=True, n_resamples=0)
    assert len(out) == len(cases)
