"""The analyses on the embedded (illustrative) sample, with numbers checked independently of the package.

Independent references: direct pair counting for Mann-Whitney U and Cliff's delta, scipy's kendalltau for tau-b,
and scipy's permutation_test (Monte Carlo, so compared within its own sampling error) for the exact p-value.
"""

from __future__ import annotations

import numpy as np
import pytest

from krihs_analysis.compare import compare_countries, level_distribution
from krihs_analysis.data import read_cases
from krihs_analysis.linkage import association


@pytest.fixture(scope="module")
def cases():
    return read_cases()


@pytest.fixture(scope="module")
def comparison(cases):
    return compare_countries(cases, n_boot=999, seed=0)


def test_comparison_has_one_row_per_coded_variable_with_all_cases(comparison):
    assert comparison["variable"].is_unique
    assert {"resident_org", "integration", "sustainability"} <= set(comparison["variable"])
    assert (comparison["n_kr"] == 14).all() and (comparison["n_jp"] == 12).all()
    assert comparison["p_method"].eq("exact").all()
    assert (comparison["p_holm"] >= comparison["p_value"]).all()


def test_cliffs_delta_for_resident_organisation_matches_a_direct_pair_count(cases, comparison):
    kr = cases.loc[cases["country"] == "KR", "resident_org"].astype(float).to_numpy()
    jp = cases.loc[cases["country"] == "JP", "resident_org"].astype(float).to_numpy()
    greater = sum(int(a > b) for a in kr for b in jp)
    less = sum(int(a < b) for a in kr for b in jp)
    row = comparison.set_index("variable").loc["resident_org"]
    assert row["cliffs_delta"] == pytest.approx((greater - less) / (len(kr) * len(jp)), abs=1e-12)
    assert row["u_statistic"] == pytest.approx(greater + 0.5 * (len(kr) * len(jp) - greater - less), abs=1e-12)
    assert row["median_kr"] == np.median(kr) and row["median_jp"] == np.median(jp)
    assert row["ci_low"] <= row["cliffs_delta"] <= row["ci_high"]


def test_exact_rank_sum_p_agrees_with_scipy_permutation_test_within_monte_carlo_error(cases, comparison):
    import scipy.stats as st  # here, not at the top: every xdist worker imports a module to collect it (0.6 s)

    kr = cases.loc[cases["country"] == "KR", "integration"].astype(float).to_numpy()
    jp = cases.loc[cases["country"] == "JP", "integration"].astype(float).to_numpy()
    expected_sum = len(kr) * (len(kr) + len(jp) + 1) / 2

    def stat(a, b, axis=-1):
        # two-sided, as the package defines it: |W - E W| with mid-ranks for ties (vectorised over resamples)
        ranks = st.rankdata(np.concatenate([a, b], axis=axis), axis=axis)
        return abs(ranks[..., : a.shape[axis]].sum(axis=axis) - expected_sum)

    n = 20000
    ref = st.permutation_test((kr, jp), stat, n_resamples=n, alternative="greater", rng=1, vectorized=True)
    p = comparison.set_index("variable").loc["integration", "p_value"]
    se = np.sqrt(p * (1 - p) / n)
    assert abs(ref.pvalue - p) < 4 * se + 1 / n


def test_kendall_tau_b_on_the_sample_equals_scipy(cases):
    import scipy.stats as st

    res = association(cases, n_boot=999).iloc[0]
    ref = st.kendalltau(cases["integration"].astype(float), cases["sustainability"].astype(float))
    assert res["statistic"] == pytest.approx(ref.statistic, abs=1e-12)
    assert res["n"] == 26 and res["p_method"] == "exact"
    assert res["p_value"] < 0.001


def test_stratified_association_permutes_within_programmes(cases):
    res = association(cases, strata="programme", n_boot=999, seed=3).iloc[0]
    assert res["strata"] == "programme"
    assert res["p_method"] == "exact (within-strata permutation)" and res["p_se"] == 0


def test_level_distribution_shares_sum_to_one_per_variable_and_country(cases):
    dist = level_distribution(cases, variables=["integration", "sustainability"])
    totals = dist.groupby(["variable", "group"])["share"].sum()
    assert np.allclose(totals, 1.0)
    kr_int0 = dist.query("variable == 'integration' and group == 'KR' and code == 0")["n"].item()
    assert kr_int0 == int((cases.loc[cases["country"] == "KR", "integration"].astype(int) == 0).sum())
