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
