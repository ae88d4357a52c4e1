"""Tests of krihs_analysis.compare."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from krihs_analysis.compare import compare_countries, core_task_profile, level_distribution

CODES = [0, 1, 2, 3]


def _cat(values):
    return pd.Categorical(values, categories=CODES, ordered=True)


@pytest.fixture
def cases() -> pd.DataFrame:
    """Synthetic frame with the shape of read_cases(): 14 KR (7 programmes x 2 sites) and 12 JP cases."""
    rng = np.random.default_rng(7)
    n_kr, n_jp = 14, 12
    df = pd.DataFrame({
        "case_id": [f"KR-P{i // 2 + 1}-{'AB'[i % 2]}" for i in range(n_kr)] + [f"JP-{i + 1:02d}" for i in range(n_jp)],
        "country": pd.Categorical(["KR"] * n_kr + ["JP"] * n_jp, categories=["KR", "JP"]),
        "programme": [f"KR-P{i // 2 + 1}" for i in range(n_kr)] + ["JP-RMO"] * n_jp,
    })
    items = ["community_sense", "resident_org", "leadership", "capacity_building", "participation", "gov_role",
             "local_gov", "resident_planning", "institutional_support", "intermediary", "activators", "integration",
             "sustainability"]
    for k, name in enumerate(items):
        kr = rng.integers(0, 3, n_kr)
        jp = rng.integers(1, 4, n_jp)
        df[name] = _cat(np.concatenate([kr, jp]))
    df["continued"] = rng.integers(0, 2, n_kr + n_jp)
    return df


def test_compare_countries_returns_the_documented_columns(cases):
    out = compare_countries(cases, variables=["integration", "sustainability"], n_boot=199)
    for col in ["variable", "n_kr", "n_jp", "median_kr", "median_jp", "cliffs_delta", "ci_low", "ci_high",
                "ci_method", "p_value", "p_se", "p_holm", "p_method"]:
        assert col in out.columns
    assert out["variable"].tolist() == ["integration", "sustainability"]


def test_compare_countries_reports_exact_p_for_fourteen_vs_twelve(cases):
    out = compare_countries(cases, variables=["integration"], n_boot=0)
    assert out.loc[0, "p_method"] == "exact"
    assert out.loc[0, "p_se"] == 0.0


def test_compare_countries_p_value_is_two_sided_exact_conditional_rank_sum(cases):
    """Cross-check with a 200k-draw Monte Carlo of the same conditional distribution (4 s.e. tolerance)."""
    from krihs_analysis import _exact as E

    out = compare_countries(cases, variables=["leadership"], n_boot=0)
    v = cases["leadership"].astype("float64").to_numpy()
    r = E.midranks(v)
    kr = (cases["country"] == "KR").to_numpy()
    idx = E.permuted_indices([np.arange(26)], 26, 200_000, np.random.default_rng(1))
    t = r[idx][:, :14].sum(axis=1)
    p_mc, se = E.mc_pvalue(float(r[kr].sum()), t, 14 * 27 / 2, "two-sided")
    assert abs(out.loc[0, "p_value"] - p_mc) < 4 * se + 1e-4


def test_cliffs_delta_is_korea_minus_japan(cases):
    df = cases.copy()
    df["integration"] = _cat([3] * 14 + [0] * 12)
    out = compare_countries(df, variables=["integration"], n_boot=199)
    assert out.loc[0, "cliffs_delta"] == pytest.approx(1.0, abs=1e-12)


def test_cliffs_delta_ci_contains_the_estimate(cases):
    out = compare_countries(cases, variables=["integration", "leadership"], n_boot=999)
    assert (out["ci_low"] <= out["cliffs_delta"] + 1e-12).all()
    assert (out["ci_high"] >= out["cliffs_delta"] - 1e-12).all()


def test_holm_adjusted_p_is_never_below_raw_p(cases):
    out = compare_countries(cases, n_boot=0)
    assert (out["p_holm"] >= out["p_value"] - 1e-15).all()


def test_bootstrap_is_reproducible_with_a_seed(cases):
    a = compare_countries(cases, variables=["integration"], n_boot=199, seed=5)
    b = compare_countries(cases, variables=["integration"], n_boot=199, seed=5)
    pd.testing.assert_frame_equal(a, b)


def test_compare_by_programme_uses_generalised_columns_against_japan(cases):
    out = compare_countries(cases, variables=["integration"], by="programme", n_boot=99)
    assert {"group", "reference", "n_group", "n_ref", "median_group", "median_ref"} <= set(out.columns)
    assert out["group"].tolist() == [f"KR-P{i}" for i in range(1, 8)]
    assert (out["reference"] == "JP").all()
    assert (out["n_group"] == 2).all() and (out["n_ref"] == 12).all()


@pytest.mark.parametrize("fn", [compare_countries, level_distribution])
def test_input_frame_is_never_mutated(cases, fn):
    before = cases.copy(deep=True)
    fn(cases, variables=["integration"])
    pd.testing.assert_frame_equal(cases, before)


def test_unknown_variable_raises_value_error(cases):
    with pytest.raises(ValueError, match="not a variable of the codebook"):
        compare_countries(cases, variables=["no_such_variable"])


def test_group_with_no_cases_raises_value_error(cases):
    with pytest.raises(ValueError, match="no Japanese"):
        compare_countries(cases[cases["country"] == "KR"], variables=["integration"])


def test_constant_variable_requested_explicitly_raises_value_error(cases):
    df = cases.copy()
    df["integration"] = _cat([2] * 26)
    with pytest.raises(ValueError, match="constant"):
        compare_countries(df, variables=["integration"])


def test_level_distribution_shares_sum_to_one_per_group(cases):
    out = level_distribution(cases, variables=["integration", "sustainability"])
    assert list(out.columns) == ["variable", "group", "code", "n", "share"]
    sums = out.groupby(["variable", "group"])["share"].sum()
    np.testing.assert_allclose(sums.to_numpy(), 1.0, atol=1e-12)


def test_level_distribution_lists_every_codebook_code(cases):
    out = level_distribution(cases, variables=["integration"])
    assert sorted(out["code"].unique().tolist()) == CODES


def test_core_task_profile_has_four_tasks_per_country(cases):
    out = core_task_profile(cases, n_boot=199)
    assert set(out["group"]) == {"KR", "JP"}
    assert out.groupby("group")["task"].nunique().tolist() == [4, 4]
    assert {"n", "mean", "median", "sd", "ci_low", "ci_high"} <= set(out.columns)


def test_core_task_profile_mean_equals_mean_of_item_means(cases):
    out = core_task_profile(cases, n_boot=0).set_index(["group", "task"])
    items = ["gov_role", "local_gov"]
    kr = cases[cases["country"] == "KR"][items].astype("float64").mean(axis=1).mean()
    assert out.loc[("KR", "task2_government"), "mean"] == pytest.approx(kr, abs=1e-12)


def test_a_variables_interval_does_not_depend_on_the_other_variables_requested(cases):
    alone = compare_countries(cases, variables=["integration"], n_boot=299, seed=11)
    many = compare_countries(cases, variables=["participation", "leadership", "integration"], n_boot=299, seed=11)
    row = many[many["variable"] == "integration"].reset_index(drop=True)
    pd.testing.assert_frame_equal(alone.drop(columns="p_holm"), row.drop(columns="p_holm"))
    # ... nor on the other programmes compared
    full = compare_countries(cases, variables=["integration"], by="programme", n_boot=299, seed=11)
    fewer = compare_countries(cases[cases["programme"] != "KR-P1"], variables=["integration"], by="programme",
                              n_boot=299, seed=11)
    cols = ["group", "ci_low", "ci_high", "ci_method"]
    pd.testing.assert_frame_equal(full[full["group"] != "KR-P1"][cols].reset_index(drop=True), fewer[cols])
    # different variables still get different streams, and the seed still matters
    other = compare_countries(cases, variables=["integration"], n_boot=299, seed=12)
    assert (other["ci_low"].iloc[0], other["ci_high"].iloc[0]) != (alone["ci_low"].iloc[0], alone["ci_high"].iloc[0])


def test_a_groups_profile_interval_does_not_depend_on_the_other_groups(cases):
    # groups large enough that the percentile interval is not simply (min, max) of two values
    df = cases.copy()
    df["programme"] = np.where(df["country"] == "JP", "JP-RMO", np.where(np.arange(len(df)) < 6, "KR-A", "KR-B"))
    full = core_task_profile(df, by="programme", n_boot=299, seed=3)
    fewer = core_task_profile(df[df["programme"] != "KR-A"], by="programme", n_boot=299, seed=3)
    kept = full[full["group"] != "KR-A"].reset_index(drop=True)
    pd.testing.assert_frame_equal(kept, fewer.reset_index(drop=True))
    assert kept["ci_low"].notna().all()


def test_seed_none_and_generator_seeds_are_accepted(cases):
    for seed in (None, np.random.default_rng(0)):
        out = compare_countries(cases, variables=["integration", "participation"], n_boot=99, seed=seed)
        assert out["ci_low"].notna().all()
    a = compare_countries(cases, variables=["integration"], n_boot=99, seed=np.random.default_rng(4))
    b = compare_countries(cases, variables=["integration"], n_boot=99, seed=np.random.default_rng(4))
    pd.testing.assert_frame_equal(a, b)


# --------------------------------------------------------------------------------------------------------------
# issue 13: clusters, tiny groups, budgets
# --------------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sample():
    from krihs_analysis.data import default_clusters, read_cases

    c = read_cases()
    return c.assign(cluster=default_clusters(c))


def _delta(a, b):
    """Cliff's delta by its definition, pair by pair."""
    return sum(np.sign(u - v) for u in a for v in b) / (len(a) * len(b))


def _cluster_reference(sub, name):
    """Enumerate every assignment of whole clusters to KR/JP with the observed cluster counts (itertools)."""
    from itertools import combinations

    v = sub[name].astype(float).to_numpy()
    cl = sub["cluster"].astype(str).to_numpy()
    labels = list(dict.fromkeys(cl))
    kr_clusters = {c for c, k in zip(cl, sub["country"].astype(str)) if k == "KR"}
    d_obs = _delta(v[np.isin(cl, list(kr_clusters))], v[~np.isin(cl, list(kr_clusters))])
    ds = []
    for pick in combinations(labels, len(kr_clusters)):
        a = np.isin(cl, pick)
        ds.append(_delta(v[a], v[~a]))
    return d_obs, np.mean(np.abs(ds) >= abs(d_obs) - 1e-12), len(ds)


@pytest.mark.parametrize("name", ["integration", "gov_role", "community_sense", "sustainability"])
def test_cluster_permutation_p_and_delta_equal_enumeration_on_a_sub_sample(sample, name):
    """4 programmes (8 sites) and 7 Japanese cases in 4 clusters (Unnan's three, Nantan's two, two alone)."""
    sub = sample[sample["programme"].isin(["KR-P1", "KR-P2", "KR-P4", "KR-P6"])
                 | sample["case_id"].isin(["JP-02", "JP-03", "JP-04", "JP-07", "JP-08", "JP-10", "JP-11"])]
    d_ref, p_ref, space = _cluster_reference(sub, name)
    assert space == 70  # C(8, 4)
    row = compare_countries(sub, variables=[name], cluster="cluster", n_boot=0, n_permutations=0).iloc[0]
    assert row["cliffs_delta"] == pytest.approx(d_ref, abs=1e-9)
    assert row["p_value"] == pytest.approx(p_ref, abs=1e-9)
    assert row["p_method"] == "exact (cluster permutation, full enumeration)"
    assert (row["n_clusters_kr"], row["n_clusters_jp"]) == (4, 4)


def test_singleton_clusters_give_the_exact_rank_sum_p(cases):
    """Every case its own cluster: |delta| is a monotone function of |W - E W|, so the two exact p agree."""
    sub = cases.iloc[list(range(6)) + list(range(14, 20))].assign(cluster=lambda d: d["case_id"])
    a = compare_countries(sub, variables=["integration"], cluster="cluster", n_boot=0).iloc[0]
    b = compare_countries(sub, variables=["integration"], n_boot=0).iloc[0]
    assert a["p_value"] == pytest.approx(b["p_value"], abs=1e-9)


def test_cluster_p_past_the_enumeration_budget_is_monte_carlo_with_its_standard_error(sample):
    row = compare_countries(sample, variables=["gov_role"], cluster="cluster", n_boot=0, n_permutations=2000,
                            enumeration_limit=100).iloc[0]
    assert row["p_method"] == "monte carlo (cluster permutation)"
    assert row["p_se"] > 0
    exact = compare_countries(sample, variables=["gov_role"], cluster="cluster", n_boot=0).iloc[0]
    assert exact["p_method"].startswith("exact")
    assert abs(row["p_value"] - exact["p_value"]) < 4 * row["p_se"] + 1 / 2001


def test_n_permutations_zero_past_the_budget_raises_giving_the_size_of_the_space(sample):
    with pytest.raises(ValueError, match=r"has 6,435 arrangements, more than the enumeration budget of 100"):
        compare_countries(sample, variables=["gov_role"], cluster="cluster", n_permutations=0,
                          enumeration_limit=100)


@pytest.mark.parametrize("cluster, n", [(None, 2), ("cluster", 1)])
def test_groups_smaller_than_five_get_no_interval_and_say_why(sample, cluster, n):
    out = compare_countries(sample, variables=["integration"], by="programme", cluster=cluster, n_boot=199)
    assert out["ci_low"].isna().all() and out["ci_high"].isna().all()
    unit = "" if cluster is None else " cluster"
    assert (out["ci_method"] == f"group too small: n = {n}{unit}").all()
    assert (out["n_group"] == 2).all()


def test_a_group_of_five_gets_an_interval(cases):
    sub = cases.iloc[list(range(5)) + list(range(14, 26))]
    row = compare_countries(sub, variables=["integration"], n_boot=199).iloc[0]
    assert np.isfinite(row["ci_low"]) and not row["ci_method"].startswith("group too small")
    row4 = compare_countries(cases.iloc[list(range(4)) + list(range(14, 26))], variables=["integration"],
                             n_boot=199).iloc[0]
    assert row4["ci_method"] == "group too small: n = 4" and np.isnan(row4["ci_low"])


def test_core_task_profile_gives_no_interval_to_a_two_site_programme(sample):
    prof = core_task_profile(sample, by="programme", n_boot=199)
    kr = prof[prof["group"].str.startswith("KR")]
    assert kr["ci_low"].isna().all() and (kr["ci_method"] == "group too small: n = 2").all()
    assert (kr["n_group"] == 2).all()
    jp = prof[prof["group"] == "JP-RMO"]
    assert jp["ci_low"].notna().all() and (jp["ci_method"] == "percentile").all()


def test_the_same_cases_get_the_same_interval_whether_grouped_by_country_or_programme(sample):
    # Japan's twelve cases are one country and one programme (JP-RMO): Figure 4's band (by programme) read
    # 1.46-2.42 beside 1.50-2.43 in the country table, the same mean bootstrapped from two streams
    jp = sample["programme"] == "JP-RMO"
    assert (sample.loc[jp, "country"] == "JP").all() and (sample.loc[sample["country"] == "JP", "programme"]
                                                           == "JP-RMO").all()
    for cluster in (None, "cluster"):
        by_country = core_task_profile(sample, by="country", cluster=cluster, n_boot=999, seed=5)
        by_programme = core_task_profile(sample, by="programme", cluster=cluster, n_boot=999, seed=5)
        cols = ["task", "mean", "ci_low", "ci_high"]
        a = by_country.loc[by_country["group"] == "JP", cols].reset_index(drop=True)
        b = by_programme.loc[by_programme["group"] == "JP-RMO", cols].reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b)
        assert a["ci_low"].notna().all()
    # nor on the sheet's row order
    shuffled = core_task_profile(sample.sample(frac=1, random_state=1), by="country", cluster="cluster", n_boot=999,
                                 seed=5)
    pd.testing.assert_frame_equal(shuffled[cols].reset_index(drop=True),
                                  by_country[cols].reset_index(drop=True))
    # a different seed still draws a different interval: the key is the cases and the seed, not a constant
    other = core_task_profile(sample, by="country", n_boot=999, seed=6)
    assert not np.allclose(other.loc[other["group"] == "JP", "ci_low"],
                           core_task_profile(sample, by="country", n_boot=999, seed=5).query("group == 'JP'")["ci_low"])


def test_core_task_profile_cluster_bootstrap_resamples_whole_clusters(sample):
    """Every resampled mean is a mean over whole clusters: check the interval against an explicit loop."""
    from krihs_analysis.data import core_task_indices

    prof = core_task_profile(sample, cluster="cluster", n_boot=0)
    assert (prof["ci_method"] == "none").all()
    out = core_task_profile(sample, cluster="cluster", n_boot=500, seed=4)
    row = out[(out["group"] == "JP") & (out["task"] == "task1_capacity")].iloc[0]
    assert row["n_clusters"] == 8 and row["ci_method"] == "percentile (whole clusters resampled)"
    jp = sample["country"].astype(str) == "JP"
    v = core_task_indices(sample)["task1_capacity"].to_numpy()[jp]
    cl = sample["cluster"].to_numpy()[jp]
    labels = list(dict.fromkeys(cl))
    means = []
    for k in range(200):
        rng = np.random.default_rng(k)
        pick = rng.choice(len(labels), len(labels))
        vals = np.concatenate([v[cl == labels[i]] for i in pick])
        means.append(vals.mean())
    # the bootstrap distribution of whole-cluster means covers the computed interval
    assert min(means) <= row["ci_low"] <= row["ci_high"] <= max(means)
    assert row["ci_low"] < row["mean"] < row["ci_high"]


def test_a_cluster_spanning_both_countries_is_rejected(sample):
    df = sample.assign(cluster="one")
    with pytest.raises(ValueError, match="a cluster must lie within one group"):
        compare_countries(df, variables=["integration"], cluster="cluster")


def test_a_blank_cluster_is_rejected_naming_the_case(sample):
    df = sample.copy()
    df.loc[0, "cluster"] = None
    with pytest.raises(ValueError, match="blank for case.*KR-P1-A"):
        compare_countries(df, variables=["integration"], cluster="cluster")


@pytest.mark.parametrize("bad, match", [([1, 2], "cases must be a pandas DataFrame"),
                                        ("cases.csv", "cases must be a pandas DataFrame")])
def test_compare_countries_rejects_what_is_not_a_frame_with_a_helpful_message(bad, match):
    with pytest.raises(ValueError, match=match):
        compare_countries(bad)


@pytest.mark.parametrize("kw, match", [({"alpha": 5}, "alpha is a significance level.*alpha=0.05"),
                                       ({"n_boot": -5}, "n_boot must be a whole number"),
                                       ({"n_permutations": -1}, "n_permutations must be"),
                                       ({"seed": "x"}, "seed must be"),
                                       ({"by": "region"}, "by must be one of"),
                                       ({"cluster": "nope"}, "lacks the column.*'nope'")])
def test_compare_countries_validates_options_up_front(cases, kw, match):
    with pytest.raises(ValueError, match=match):
        compare_countries(cases, variables=["integration"], **kw)


def test_core_task_profile_validates_options(cases):
    with pytest.raises(ValueError, match="alpha is a significance level"):
        core_task_profile(cases, alpha=5)
    with pytest.raises(ValueError, match="n_boot must be"):
        core_task_profile(cases, n_boot=-5)


@pytest.mark.parametrize("n_boot", [1, 2, 3, 98])
def test_a_handful_of_bootstrap_draws_is_refused_not_shown_as_an_interval(cases, n_boot):
    # n_boot=3 gave delta -0.41 with a "95% BCa" interval [-0.59, -0.39] that excluded 0 beside p = 0.059
    message = rf"n_boot must be 0 \(no interval\) or at least 99 draws for a 95% interval, got {n_boot}"
    with pytest.raises(ValueError, match=message):
        compare_countries(cases, variables=["leadership"], n_boot=n_boot)
    with pytest.raises(ValueError, match=message):
        core_task_profile(cases, n_boot=n_boot)
    # a 99% interval needs 400: two draws beyond each end
    with pytest.raises(ValueError, match=r"at least 400 draws for a 99% interval, got 399"):
        compare_countries(cases, variables=["leadership"], n_boot=399, alpha=0.01)
    assert compare_countries(cases, variables=["leadership"], n_boot=0)["ci_low"].isna().all()


def test_cluster_comparison_never_mutates_its_input(sample):
    before = sample.copy(deep=True)
    compare_countries(sample, variables=["integration"], cluster="cluster", n_boot=99)
    core_task_profile(sample, cluster="cluster", n_boot=99)
    pd.testing.assert_frame_equal(sample, before)


def test_default_clusters_follow_the_codebook_rule():
    """KR sites by programme; JP by municipality code where known; otherwise the case itself."""
    from krihs_analysis.data import default_clusters

    df = pd.DataFrame({"case_id": ["KR-P1-A", "KR-P1-B", "JP-01", "JP-02", "JP-03", "X-1"],
                       "country": ["KR", "KR", "JP", "JP", "JP", "JP"],
                       "programme": ["KR-P1", "KR-P1", "JP-RMO", "JP-RMO", "JP-RMO", "JP-RMO"],
                       "municipality_code": [None, None, "322091", "322091", None, " "]})
    before = df.copy()
    out = default_clusters(df)
    assert out.tolist() == ["KR-P1", "KR-P1", "JP:322091", "JP:322091", "JP-03", "X-1"]
    assert out.name == "cluster" and out.index.equals(df.index)
    pd.testing.assert_frame_equal(df, before)


def test_build_writes_the_default_cluster_column(tmp_path):
    from krihs_analysis.codebook import load_codebook
    from krihs_analysis.data import build, read_processed

    manifest = build(out_dir=tmp_path)
    assert "cluster" in manifest["columns"]
    assert read_processed(tmp_path / "cases.parquet")["cluster"].nunique() == 15
    assert "cluster" in load_codebook().derived
