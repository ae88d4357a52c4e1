"""Tests of krihs_analysis._validate: the package's one set of input checks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from krihs_analysis._validate import (
    check_alpha,
    check_choice,
    check_columns,
    check_count,
    check_frame,
    check_seed,
)


@pytest.mark.parametrize("bad", [[1, 2], None, {"a": [1]}, np.array([1, 2]), "cases.csv"])
def test_check_frame_rejects_what_is_not_a_dataframe_and_names_the_argument(bad):
    with pytest.raises(ValueError, match=r"cases must be a pandas DataFrame .*got (an? \w+|None).*read_cases"):
        check_frame(bad, "cases")


def test_check_frame_returns_the_same_object_unmodified():
    df = pd.DataFrame({"a": [1, 2]})
    assert check_frame(df) is df


def test_check_frame_rejects_an_empty_frame_unless_allowed():
    empty = pd.DataFrame({"a": []})
    with pytest.raises(ValueError, match="no rows"):
        check_frame(empty, "cases")
    assert check_frame(empty, allow_empty=True) is empty


def test_check_columns_names_every_missing_column_and_the_present_ones():
    df = pd.DataFrame({"country": ["KR"], "integration": [1]})
    with pytest.raises(ValueError) as info:
        check_columns(df, ["country", "cluster", "strata"])
    msg = str(info.value)
    assert "'cluster'" in msg and "'strata'" in msg and "'country'" in msg and "'integration'" in msg


def test_check_columns_accepts_a_single_name_as_a_string():
    df = pd.DataFrame({"country": ["KR"]})
    assert check_columns(df, "country") is df
    with pytest.raises(ValueError, match="'cou'"):
        check_columns(df, "cou")


@pytest.mark.parametrize("seed", [0, 7, np.int64(3), None])
def test_check_seed_accepts_non_negative_integers_and_none(seed):
    out = check_seed(seed)
    assert out == (None if seed is None else int(seed))
    assert out is None or type(out) is int


@pytest.mark.parametrize("seed", [-1, 1.5, "0", True])
def test_check_seed_rejects_other_values_saying_what_to_pass(seed):
    with pytest.raises(ValueError, match=r"seed must be a non-negative whole number.*seed=0"):
        check_seed(seed)


@pytest.mark.parametrize("alpha", [0.05, 0.5, np.float64(0.01), 1e-9])
def test_check_alpha_accepts_levels_above_zero_up_to_one_half(alpha):
    assert check_alpha(alpha) == pytest.approx(float(alpha), abs=0)


@pytest.mark.parametrize("alpha", [0, 1, 5, -0.1, 1.0, float("nan"), "0.05", None, True, 0.95, 0.9, 0.51])
def test_check_alpha_rejects_values_that_are_not_a_significance_level(alpha):
    with pytest.raises(ValueError, match=r"alpha is a significance level \(above 0 and at most 0.5\).*alpha=0.05"):
        check_alpha(alpha)


def test_check_alpha_uses_the_argument_name_in_the_message():
    with pytest.raises(ValueError, match="level is a significance level"):
        check_alpha(2, "level")


@pytest.mark.parametrize("n,expected", [(0, 0), (9999, 9999), (np.int32(5), 5), (1e4, 10000), (2.0, 2)])
def test_check_count_accepts_whole_numbers_at_or_above_the_minimum(n, expected):
    out = check_count(n, "n_boot", minimum=0)
    assert out == expected and type(out) is int


@pytest.mark.parametrize("n", [-5, 2.5, "100", None, True, float("nan")])
def test_check_count_rejects_negative_fractional_and_non_numbers(n):
    with pytest.raises(ValueError, match=r"n_boot must be a whole number of at least 0.*n_boot="):
        check_count(n, "n_boot", minimum=0)


def test_check_count_enforces_its_minimum():
    assert check_count(1, "n_permutations", minimum=1) == 1
    with pytest.raises(ValueError, match="at least 1"):
        check_count(0, "n_permutations", minimum=1)


def test_check_choice_lists_the_allowed_values():
    assert check_choice("KR", "country", ["KR", "JP"]) == "KR"
    with pytest.raises(ValueError, match="'KR', 'JP'"):
        check_choice("kr", "country", ["KR", "JP"])


def _both_names(case: str, cases: pd.DataFrame):
    from krihs_analysis import qca
    from krihs_analysis.brief.text import qca_sentence
    from krihs_analysis.compare import compare_countries
    from krihs_analysis.linkage import association

    if case == "compare_countries":
        return compare_countries(cases, n_boot=99, n_resamples=199)
    if case == "association":
        return association(cases, n_permutations=99, n_resamples=9)
    if case == "cluster_permutation_test":
        return qca.cluster_permutation_test(qca.from_cases(cases), "sustainability", "integration",
                                            groups=cases["country"].astype(str).tolist(), n_permutations=10,
                                            permutations=50)
    return qca_sentence("integration", {"consistency": 0.85, "coverage": 0.5}, incl_cut=0.9, consistency_cut=0.8)


@pytest.mark.parametrize("case", ["compare_countries", "association", "cluster_permutation_test", "qca_sentence"])
def test_an_old_and_a_new_name_together_are_refused_not_one_silently_dropped(case):
    # The old name used to win (50 permutations ran where n_permutations=10 was asked for).
    from krihs_analysis.data import read_cases

    with pytest.raises(ValueError, match="is the old name of"):
        _both_names(case, read_cases())


def test_a_zero_dimensional_array_is_one_number_and_a_generator_a_seed():
    from krihs_analysis._validate import check_number, check_numbers

    # np.array(0.8) raised "iteration over a 0-d array" (a TypeError) from check_numbers
    assert check_number(np.array(0.8), "incl_cut", lo=0, hi=1, example="incl_cut=0.8") == 0.8
    assert check_numbers(np.array(50), "thresholds", example="thresholds=50") == (50.0,)
    assert check_numbers((t for t in (20, 50)), "thresholds", example="thresholds=(20, 50)") == (20.0, 50.0)
    rng = np.random.default_rng(3)
    assert check_seed(rng) is rng  # one stream drawn across several calls, as association and compare allow


def test_a_confidence_level_passed_as_alpha_is_named_as_one():
    # association(cases, alpha=0.95) used to return a 5% interval, (0.78, 0.79) on the sample, without a word.
    with pytest.raises(ValueError, match="0.95, which looks like a confidence level; for a 95% interval pass alpha=0.05"):
        check_alpha(0.95)
